// The three journeys the console exists for, end to end, at desktop (1440×900) and tablet
// (1024×768 and 768×1024, touch): a care agent signs in, finds a customer by phone, reads the
// event stream, adjusts points, adds a note and a tag; a store associate finds a customer by
// loyalty card and issues an offer; a privacy officer exports and forgets a customer. At desktop
// the care agent does it all by keyboard (every stop must show its focus); on tablets by touch.
// Each main screen is screenshotted and checked with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, watchConsole, assertAccessible, DEMO_PASSWORD, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

// What the seeder (seed 7) gives customers 4 to 12, one per journey and size.
const BY_PHONE = { desktop: '+44 7000 155133', 'tablet-landscape': '+447000163052', 'tablet-portrait': '07000 170971' };
const BY_CARD = { desktop: '6339 0000 0173 3106', 'tablet-landscape': '6339000001837835', 'tablet-portrait': '6339-0000-0194-2564' };
const TO_FORGET = { desktop: 'CRM-73687901', 'tablet-landscape': 'CRM-81056688', 'tablet-portrait': 'CRM-88425475' };

const points = (text) => Number(text.replace(/[−]/g, '-').replace(/[^\d-]/g, ''));
const shot = (page, name, size) => page.screenshot({ path: join(ARTIFACTS, `journey-${name}-${size}.png`), fullPage: true });

/**
 * Presses Tab until the focused element matches `selector` (and has `text`, when given), then
 * checks that the focus is drawn: an outline or a box shadow.
 */
async function tabTo(page, selector, text = null, limit = 200) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const reached = await page.evaluate(([sel, txt]) => {
      const el = document.activeElement;
      return !!el && el.matches(sel) && (txt === null || el.textContent.trim() === txt);
    }, [selector, text]);
    if (!reached) continue;
    const drawn = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    });
    assert.ok(drawn, `the focus on ${selector} ${text ?? ''} is visible`);
    return;
  }
  assert.fail(`Tab never reached ${selector} ${text ?? ''} in ${limit} presses`);
}

/** Signs in by keyboard alone. */
async function signInByKeyboard(page, email) {
  await page.goto(`${app.baseUrl}/sign-in`);
  await hydrated(page);
  await tabTo(page, '#sign-in-email');
  await page.keyboard.type(email);
  await tabTo(page, '#sign-in-password');
  await page.keyboard.type(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/sign-in')), page.keyboard.press('Enter')]);
  await hydrated(page);
}

/** Taps (touch) or clicks, as the device would. */
const press = (locator, touch) => (touch ? locator.tap() : locator.click());

for (const [size, options] of Object.entries(VIEWPORTS)) {
  const keyboard = size === 'desktop';
  const touch = !!options.hasTouch;

  test(`${size}: a care agent finds a customer by phone, reads the stream, adjusts points, adds a note and a tag${keyboard ? ' — by keyboard alone' : ' — by touch'}`, async () => {
    const context = await app.browser.newContext(options);
    const page = await context.newPage();
    watchConsole(page);
    if (keyboard) await signInByKeyboard(page, 'agent@demo.test');
    else {
      await page.goto(`${app.baseUrl}/sign-in`);
      await hydrated(page);
      await page.fill('#sign-in-email', 'agent@demo.test');
      await page.fill('#sign-in-password', DEMO_PASSWORD);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/sign-in')), press(page.locator('button[type=submit]'), touch)]);
      await hydrated(page);
    }
    await shot(page, 'agent-search', size);

    // Search by phone, written the way the customer says it.
    if (keyboard) {
      await tabTo(page, '#search-q');
      await page.keyboard.type(BY_PHONE[size]);
    } else {
      await page.fill('#search-q', BY_PHONE[size]);
    }
    await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')]);
    await page.waitForSelector('.profile-header h1');
    await hydrated(page);
    const id = page.url().match(/customers\/([0-9a-f-]{36})/)[1];

    // The event stream: open the newest event's details.
    await page.waitForSelector('table.events tbody tr');
    if (keyboard) {
      await tabTo(page, 'table.events summary');
      await page.keyboard.press('Enter');
    } else {
      await press(page.locator('table.events tbody tr summary').first(), touch);
    }
    await page.waitForSelector('table.events details[open] dl');
    await shot(page, 'agent-profile', size);
    await assertAccessible(page, `profile with an event open at ${size}`);

    // Adjust points: a goodwill credit with a reason.
    const before = points(await page.getByTestId('points-balance').textContent());
    if (keyboard) {
      await tabTo(page, 'button', 'Adjust points');
      await page.keyboard.press('Enter');
      await page.waitForSelector('dialog[open]');
      assert.equal(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]')), true, 'focus moves into the dialog');
      await tabTo(page, '#adjust-points');
      await page.keyboard.type('40');
      await tabTo(page, '#adjust-reason');
      await page.keyboard.type('Goodwill: late delivery');
      await shot(page, 'agent-adjust-points', size);
      await tabTo(page, 'dialog button[type=submit]');
      await page.keyboard.press('Enter');
    } else {
      await press(page.getByRole('button', { name: 'Adjust points' }), touch);
      await page.waitForSelector('dialog[open]');
      const small = await page.$$eval('dialog[open] button, dialog[open] input:not([type=hidden])',
        (els) => els.filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.textContent || e.id || e.outerHTML.slice(0, 80)));
      assert.deepEqual(small, [], 'touch targets under 44 px in the dialog');
      await page.fill('#adjust-points', '40');
      await page.fill('#adjust-reason', 'Goodwill: late delivery');
      await shot(page, 'agent-adjust-points', size);
      await press(page.locator('dialog button[type=submit]'), touch);
    }
    await page.waitForFunction((expected) =>
      Number(document.querySelector('[data-testid=points-balance]')?.textContent.replace(/[^\d-]/g, '')) === expected,
    before + 40);
    await page.waitForSelector('table.events tbody tr:has-text("Goodwill: late delivery")');

    // A note, filed under a reason.
    const note = `Called about a late delivery; 40 points goodwill (${size})`;
    if (keyboard) {
      await tabTo(page, 'a', 'Notes');
      await Promise.all([page.waitForURL(/\/notes$/), page.keyboard.press('Enter')]);
      await tabTo(page, '#note-reason');
      await page.selectOption('#note-reason', 'Points query');
      await tabTo(page, '#note-body');
      await page.keyboard.type(note);
      await tabTo(page, 'button', 'Add note');
      await page.keyboard.press('Enter');
    } else {
      await Promise.all([page.waitForURL(/\/notes$/), press(page.getByRole('link', { name: 'Notes', exact: true }), touch)]);
      await page.selectOption('#note-reason', 'Points query');
      await page.fill('#note-body', note);
      await press(page.getByRole('button', { name: 'Add note' }), touch);
    }
    await page.waitForSelector(`li.note:has-text("${note}")`);
    await shot(page, 'agent-notes', size);
    await assertAccessible(page, `notes at ${size}`);

    // A tag, from the Activity tab's Tags sub-tab.
    if (keyboard) {
      await tabTo(page, 'a', 'Activity');
      await Promise.all([page.waitForURL(new RegExp(`/customers/${id}$`)), page.keyboard.press('Enter')]);
      await tabTo(page, 'a', 'Tags');
      await Promise.all([page.waitForURL(/\/activity\/tags$/), page.keyboard.press('Enter')]);
      await tabTo(page, '#new-tag');
      await page.keyboard.type('late-delivery');
      await page.keyboard.press('Enter');
    } else {
      await Promise.all([page.waitForURL(new RegExp(`/customers/${id}$`)), press(page.getByRole('link', { name: 'Activity', exact: true }), touch)]);
      await Promise.all([page.waitForURL(/\/activity\/tags$/), press(page.getByRole('link', { name: 'Tags', exact: true }), touch)]);
      await page.fill('#new-tag', 'late-delivery');
      await press(page.getByRole('button', { name: 'Add tag' }), touch);
    }
    await page.waitForSelector('table.tags tbody tr:has-text("late-delivery") td.number:text-is("1")');
    await shot(page, 'agent-tags', size);
    await assertAccessible(page, `tags at ${size}`);
    assert.deepEqual(page.browserErrors, [], 'no hydration errors or panics');
    await context.close();
  });

  test(`${size}: a store associate finds a customer by loyalty card and issues an offer`, async () => {
    const page = await signedInPage(app, 'associate@demo.test', options);
    await page.fill('#search-q', BY_CARD[size]);
    await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')]);
    await page.waitForSelector('.profile-header h1');
    await hydrated(page);
    assert.ok(!(await page.content()).includes('@example.'), 'the email is masked for an associate');
    await shot(page, 'associate-profile', size);

    await Promise.all([page.waitForURL(/\/activity\/offers$/), press(page.getByRole('link', { name: 'Offers', exact: true }), touch)]);
    await page.waitForSelector('#issue-offer');
    await page.selectOption('#issue-offer', 'free-drink');
    await press(page.getByRole('button', { name: 'Issue offer' }), touch);
    await page.waitForSelector('table.offers tbody tr:has-text("Free drink"):has-text("Issued")');
    await shot(page, 'associate-offer', size);
    await assertAccessible(page, `offers issued by an associate at ${size}`);

    // Back on the search page, the customer heads "Recently viewed", one tap from the profile.
    const name = (await page.textContent('.profile-header h1')).trim();
    const profileUrl = page.url().replace(/\/activity\/offers$/, '');
    await Promise.all([page.waitForURL(`${app.baseUrl}/`), press(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }), touch)]);
    const recent = page.getByRole('region', { name: 'Recently viewed' });
    await recent.getByRole('link').first().waitFor();
    assert.equal((await recent.getByRole('link').first().textContent()).trim(), name);
    await shot(page, 'associate-recent', size);
    await assertAccessible(page, `recently viewed at ${size}`);
    await Promise.all([page.waitForURL(profileUrl), press(recent.getByRole('link', { name, exact: true }), touch)]);
    await page.waitForSelector('.profile-header h1');
    await page.context().close();
  });

  test(`${size}: a privacy officer exports a customer's data and forgets the customer`, async () => {
    const page = await signedInPage(app, 'privacy@demo.test', { ...options, acceptDownloads: true });
    await page.fill('#search-q', TO_FORGET[size]);
    await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')]);
    await hydrated(page);
    await Promise.all([page.waitForURL(/\/privacy$/), press(page.getByRole('navigation', { name: 'Customer sections' }).getByRole('link', { name: 'Data privacy', exact: true }), touch)]);
    await page.waitForSelector('[data-testid=processing-state]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      press(page.getByRole('button', { name: 'Download export (CSV)' }), touch),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.includes(`external_id,${TO_FORGET[size]}`), 'the export holds the customer');
    assert.ok(csv.includes('\nevents,'), 'the export holds the events');
    // The tab shows the export it just logged, without a reload.
    await page.waitForFunction(() => [...document.querySelectorAll('.privacy-facts .fact')]
      .some((f) => f.querySelector('dt')?.textContent === 'Last export' && !/Never/.test(f.querySelector('dd')?.textContent)));

    await page.fill('#forget-confirmation', 'FORGET');
    await shot(page, 'privacy-forget', size);
    await assertAccessible(page, `data privacy at ${size}`);
    await press(page.getByRole('button', { name: 'Forget this customer' }), touch);
    await page.waitForSelector('text=Customer forgotten');

    await page.goto(`${app.baseUrl}/search?q=${TO_FORGET[size]}`);
    await page.waitForSelector('[role=alert]');
    assert.match(await page.textContent('[role=alert]'), /No customer/);
    // Nor is the forgotten customer on the officer's "Recently viewed".
    await page.goto(`${app.baseUrl}/`);
    await hydrated(page);
    assert.equal(await page.getByRole('region', { name: 'Recently viewed' }).count(), 0);
    await page.context().close();
  });
}
