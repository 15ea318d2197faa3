// Finding and adding customers in a real browser: exact match, advanced search (multi-field,
// refine, re-sort, page size, pages, single-match redirect), Add Customer with validation,
// duplicates and test personas, at desktop and tablet sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, hydrated, signedInPage, assertAccessible, VIEWPORTS, ARTIFACTS } from './harness.mjs';

let app;
before(async () => { app = await startApp({ customers: 300 }); });
after(async () => { await app?.stop(); });

const rows = (page) => page.locator('table.results-table tbody tr');

test('exact-only mode (the default) hides advanced search and refuses it on the server', async () => {
  const page = await signedInPage(app, 'agent@demo.test');
  await page.goto(`${app.baseUrl}/search?first=S`);
  await hydrated(page);
  assert.equal(await page.getByRole('heading', { name: 'Advanced search' }).count(), 0);
  const status = await page.evaluate(async () => {
    const body = new URLSearchParams({ 'query[first]': 'S', 'query[last]': '', 'query[email]': '',
      'query[phone]': '', 'query[id]': '', 'query[dob]': '', 'query[sort]': 'LastName',
      'query[size]': '25', 'query[page]': '1' });
    return (await fetch('/api/advanced_search', { method: 'POST', body })).status;
  });
  assert.equal(status, 409);
  await page.context().close();
});

test('an admin turns advanced search on', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.waitForSelector('#mode-advanced');
  await hydrated(admin);
  await admin.check('#mode-advanced');
  await admin.getByRole('button', { name: 'Save search mode' }).click();
  await admin.waitForFunction(() => document.querySelector('#mode-advanced')?.checked);
  await admin.waitForTimeout(300);
  await admin.context().close();
});

test('tablet: a store associate is offered no masked field to filter or sort by', async () => {
  const page = await signedInPage(app, 'associate@demo.test', VIEWPORTS['tablet-portrait'], '/search?last=a');
  await page.waitForSelector('form[aria-label="Advanced search"]');
  for (const id of ['#adv-email', '#adv-phone', '#adv-dob']) {
    assert.equal(await page.locator(id).count(), 0, `${id} is not offered`);
  }
  await page.getByText('Email, phone and date of birth are hidden from you').waitFor();
  await page.waitForSelector('table.results-table tbody tr');
  const headers = page.locator('table.results-table thead');
  assert.equal(await headers.getByRole('link', { name: /^Email/ }).count(), 0, 'no email sort link');
  assert.equal(await headers.getByRole('link', { name: /^Phone/ }).count(), 0, 'no phone sort link');
  assert.equal(await headers.getByRole('link', { name: /^Last name/ }).count(), 1);
  await page.screenshot({ path: join(ARTIFACTS, 'advanced-search-associate-tablet-portrait.png'), fullPage: true });
  await assertAccessible(page, 'advanced search as a store associate');
  await page.context().close();
});

for (const [size, options] of Object.entries(VIEWPORTS)) {
  test(`${size}: advanced search by several fields, refined, re-sorted, paged and resized`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', options);
    await page.fill('#adv-first', 's');
    await Promise.all([page.waitForURL(/first=s/), page.click('form[aria-label="Advanced search"] button[type=submit]')]);
    await page.waitForSelector('table.results-table');
    const total = Number((await page.textContent('#results-title')).match(/\d+/)[0]);
    assert.ok(total > 25, `enough S names to page through (${total})`);
    assert.equal(await rows(page).count(), 25);
    const firstNames = await page.locator('table.results-table tbody td:nth-child(2)').allTextContents();
    assert.ok(firstNames.every((n) => /^(s|š)/i.test(n)), firstNames.join(','));
    const lastNames = await page.locator('table.results-table tbody td:nth-child(1)').allTextContents();
    const folded = lastNames.map((n) => n.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());
    assert.deepEqual(folded, [...folded].sort(), 'alphabetical by last name');
    await assertAccessible(page, `advanced search results at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `advanced-search-${size}.png`), fullPage: true });

    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/page=2/);
    await page.waitForSelector('text=Page 2 of');

    await page.getByRole('link', { name: /^Email/ }).click();
    await page.waitForURL(/sort=email/);
    await page.waitForSelector('th[aria-sort=ascending] a:has-text("Email")');
    const emails = await page.locator('table.results-table tbody td:nth-child(3)').allTextContents();
    assert.deepEqual(emails.filter(Boolean), [...emails.filter(Boolean)].sort(), 'sorted by email');

    await hydrated(page);
    await page.selectOption('#page-size', '50');
    await page.waitForURL(/size=50/);
    await page.waitForFunction((n) => document.querySelectorAll('table.results-table tbody tr').length === n, Math.min(total, 50));

    // Refine: the form keeps "s" and a last-name letter narrows it.
    assert.equal(await page.inputValue('#adv-first'), 's');
    const someLast = (await page.locator('table.results-table tbody td:nth-child(1)').first().textContent()).trim();
    await page.fill('#adv-last', someLast.slice(0, 2));
    await page.click('form[aria-label="Advanced search"] button[type=submit]');
    await page.waitForURL((url) => url.searchParams.get('last') === someLast.slice(0, 2) || /\/customers\//.test(url.pathname));
    if (!/\/customers\//.test(page.url())) {
      await page.waitForSelector('#results-title');
      const refined = Number((await page.textContent('#results-title')).match(/\d+/)[0]);
      assert.ok(refined < total, `refining narrows (${refined} < ${total})`);
    }
    await page.context().close();
  });
}

test('accents and case do not matter; personal data is masked for a store associate', async () => {
  const page = await signedInPage(app, 'associate@demo.test');
  await page.goto(`${app.baseUrl}/search?first=SIOB&size=200`);
  await page.waitForSelector('table.results-table, [role=status]:has-text("No customers")');
  const names = await page.locator('table.results-table tbody td:nth-child(2)').allTextContents();
  assert.ok(names.length === 0 || names.every((n) => n === 'Siobhán'), names.join(','));
  const emails = await page.locator('table.results-table tbody td:nth-child(3)').allTextContents();
  assert.ok(emails.every((e) => e === '' || e.includes('•••')), emails.join(','));
  await page.context().close();
});

test('Add Customer: validation at the field, a new test persona, its profile, a duplicate refused, and a single match redirects', async () => {
  const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS['tablet-landscape'], '/customers/new');
  await page.waitForSelector('#new-first-name');
  await hydrated(page);
  await assertAccessible(page, 'add customer');
  await page.fill('#new-first-name', 'Zephyrine');
  await page.fill('#new-last-name', 'Quill');
  await page.fill('#new-email', 'zephyrine@');
  await page.fill('#new-phone', 'call me');
  await page.click('button:has-text("Add customer")');
  await page.waitForSelector('#new-email-error:has-text("name@example.com")');
  await page.waitForSelector('#new-phone-error:has-text("phone number")');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'new-email', 'focus moves to the first error');
  await page.screenshot({ path: join(ARTIFACTS, 'add-customer-errors-tablet-landscape.png'), fullPage: true });
  await page.fill('#new-email', 'Zephyrine.Quill@Example.com');
  await page.fill('#new-phone', '07700 900999');
  await page.fill('#new-date-of-birth', '1990-04-02');
  await page.check('#new-sms-opt-in');
  await page.check('#new-is-test');
  await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.click('button:has-text("Add customer")')]);
  await page.waitForSelector('.profile-header h1:has-text("Zephyrine Quill")');
  assert.equal(await page.locator('.badge-test').count(), 1, 'marked as a test persona');
  await page.waitForSelector('table.events td:has-text("Customer created")');

  await page.goto(`${app.baseUrl}/customers/new`);
  await hydrated(page);
  await page.fill('#new-first-name', 'Other');
  await page.fill('#new-email', 'zephyrine.quill@example.com');
  await page.click('button:has-text("Add customer")');
  await page.waitForSelector('#new-email-error:has-text("Another customer already has this email address")');
  await page.getByRole('link', { name: 'Open the existing customer' }).click();
  await page.waitForSelector('.profile-header h1:has-text("Zephyrine Quill")');

  await page.goto(`${app.baseUrl}/search?first=zeph&last=qu`);
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  await page.waitForSelector('.profile-header h1:has-text("Zephyrine Quill")');

  await page.goto(`${app.baseUrl}/search?q=07700900999`);
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  await page.goto(`${app.baseUrl}/search?q=nobody-here@example.com`);
  await page.waitForSelector('[role=alert]:has-text("No customer with that email address")');
  await page.context().close();
});
