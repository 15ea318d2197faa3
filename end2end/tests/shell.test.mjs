// The console shell in a real browser: search, profile, tabs, hydration, 404, at every size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, hydrated, signedInPage, assertAccessible, VIEWPORTS, ARTIFACTS } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

// The seeder derives external ids from the customer index: index 0 has CRM-00000031.
const FIRST_EXTERNAL_ID = 'CRM-00000031';

for (const [size, options] of Object.entries(VIEWPORTS)) {
  test(`${size}: an exact external id opens the profile with its header and tabs`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', options);
    await page.screenshot({ path: join(ARTIFACTS, `search-${size}.png`), fullPage: true });
    await assertAccessible(page, `search at ${size}`);
    await page.fill('#search-q', FIRST_EXTERNAL_ID);
    await page.press('#search-q', 'Enter');
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.waitForSelector('.profile-header h1');
    const balance = await page.textContent('[data-testid=points-balance]');
    assert.match(balance.trim(), /^-?[\d,]+$/);
    for (const tab of ['Activity', 'Profile', 'Digital properties', 'Locations', 'Notes', 'Data privacy']) {
      const tabs = page.getByRole('navigation', { name: 'Customer sections' });
      assert.equal(await tabs.getByRole('link', { name: tab, exact: true }).count(), 1, `tab ${tab}`);
    }
    await page.waitForSelector('table.events tbody tr');
    await page.screenshot({ path: join(ARTIFACTS, `profile-${size}.png`), fullPage: true });
    await assertAccessible(page, `profile at ${size}`);
    if (options.hasTouch) {
      // Brand and sections on one row, search and the user's menu on the second (~112 px).
      const bar = await page.$eval('.top-bar', (el) => el.getBoundingClientRect().height);
      assert.ok(bar <= 124, `the top bar is ${bar} px high: at most two rows`);
    }
    await page.context().close();
  });
}

test('hydration: a sub-tab and "Load older events" change the page without reloading it', async () => {
  const page = await signedInPage(app, 'agent@demo.test', { viewport: { width: 1440, height: 900 } });
  await page.goto(`${app.baseUrl}/search?q=${FIRST_EXTERNAL_ID}`);
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.evaluate(() => { window.__sameDocument = true; });
  const rowsBefore = await page.locator('table.events tbody tr').count();
  assert.equal(rowsBefore, 50, 'the first page holds 50 events');
  await page.click('button.load-more');
  await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length > n, rowsBefore);
  await page.getByRole('link', { name: 'Purchases', exact: true }).click();
  await page.waitForURL(/\/activity\/purchases$/);
  await page.waitForSelector('table.purchases tbody tr');
  const totals = await page.locator('table.purchases tbody tr td:nth-child(2)').allTextContents();
  assert.ok(totals.length > 0 && totals.every((t) => /^(£[\d,]+\.\d\d|[\d,]+(\.\d+)? [A-Z]{3})$/.test(t)), totals.join(','));
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page load happened');
  await page.context().close();
});

test('"/" focuses the search box from anywhere', async () => {
  const page = await signedInPage(app, 'admin@demo.test');
  await page.goto(`${app.baseUrl}/admin`);
  await hydrated(page);
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'global-search');
  await page.context().close();
});

test('an unknown identifier says so and lists nobody', async () => {
  const page = await signedInPage(app, 'agent@demo.test');
  await page.goto(`${app.baseUrl}/search?q=nobody@example.com`);
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /No customer with that email address/);
  await page.context().close();
});

test('an unknown address shows the 404 page with status 404', async () => {
  const page = await signedInPage(app, 'agent@demo.test');
  const response = await page.goto(`${app.baseUrl}/no/such/page`);
  assert.equal(response.status(), 404);
  assert.match(await page.textContent('h1'), /Page not found/);
  await page.screenshot({ path: join(ARTIFACTS, 'not-found-desktop.png') });
  await page.context().close();
});

test('tablet-portrait: without SMTP or Zendesk the console says so instead of pretending', async () => {
  const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS['tablet-portrait']);
  await page.fill('#search-q', FIRST_EXTERNAL_ID);
  await page.press('#search-q', 'Enter');
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  await page.waitForSelector('#mail-off-note:visible');
  assert.equal(await page.getByRole('button', { name: 'Send password-reset email' }).isDisabled(), true);
  await page.goto(`${page.url()}/activity/support`);
  await hydrated(page);
  await page.waitForSelector('text=Zendesk is not connected');
  await assertAccessible(page, 'support tab, not connected');
  await page.context().close();
});
