// Money in several currencies, in a real browser: a till sends a customer purchases in GBP,
// USD and JPY and a USD refund; the profile header and the Purchases tab show each currency
// apart (the organisation's with its symbol, the others with their code, yen without
// decimals), at desktop and tablet size; an admin makes USD the organisation's currency and
// the header puts it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, hydrated, assertAccessible, assertNoSidewaysScroll,
  SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
let key;
const CUSTOMER = SEEDED_EXTERNAL_IDS[2];

before(async () => {
  app = await startApp({ customers: 10 });
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/api-keys');
  await admin.fill('#api-key-name', 'Tills abroad');
  await admin.getByRole('button', { name: 'Create key' }).click();
  key = (await admin.getByTestId('new-api-key').textContent()).trim();
  await admin.context().close();
  const at = new Date().toISOString();
  const event = (id, type, payload) => ({ event_id: id, type, occurred_at: at, customer: { external_id: CUSTOMER }, payload });
  const response = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ events: [
      event('m-gbp', 'purchase', { amount: '40.00', currency: 'GBP' }),
      event('m-usd', 'purchase', { amount: '404.95', currency: 'USD' }),
      event('m-jpy', 'purchase', { amount: '14319', currency: 'JPY' }),
      event('m-usd-back', 'refund', { amount: '89.99', currency: 'USD', order_id: 'm-usd' }),
    ] }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(body.results.map((r) => r.status), ['accepted', 'accepted', 'accepted', 'accepted']);
});
after(async () => { await app?.stop(); });

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: each currency is shown apart in the header and the Purchases tab`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(page, app.baseUrl, CUSTOMER);
    const lines = await page.getByTestId('lifetime-purchases').locator('.spend-line').allTextContents();
    assert.match(lines[0], /^£[\d,]+\.\d\d spent in \d+ purchases?/, `the organisation's GBP first: ${lines}`);
    assert.ok(lines.includes('14,319 JPY spent in 1 purchase'), `yen without decimals: ${lines}`);
    assert.ok(lines.includes('404.95 USD spent in 1 purchase, 89.99 USD refunded'), `${lines}`);
    await assertNoSidewaysScroll(page, `the profile header at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `money-header-${size}.png`) });

    await page.goto(`${page.url()}/activity/purchases`);
    await hydrated(page);
    for (const amount of ['404.95 USD', '14,319 JPY', '£40.00']) {
      await page.waitForSelector(`table.purchases td:text-is("${amount}")`);
    }
    await assertAccessible(page, `purchases in three currencies at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `money-purchases-${size}.png`), fullPage: true });
    await page.context().close();
  });
}

test('an admin makes USD the organisation currency and the header puts it first with its symbol', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.waitForSelector('#currency');
  await hydrated(admin);
  assert.equal(await admin.inputValue('#currency'), 'GBP');
  await admin.selectOption('#currency', 'USD');
  await Promise.all([
    admin.waitForResponse((r) => r.url().includes('set_currency') && r.status() === 200),
    admin.getByRole('button', { name: 'Save currency' }).click(),
  ]);
  await admin.waitForSelector('#currency ~ * :text("Saved."), p[role="status"]:text("Saved.")');
  await openCustomer(admin, app.baseUrl, CUSTOMER);
  const lines = await admin.getByTestId('lifetime-purchases').locator('.spend-line').allTextContents();
  assert.equal(lines[0], '$404.95 spent in 1 purchase, $89.99 refunded', `${lines}`);
  assert.ok(lines.some((l) => l.startsWith('14,319 JPY')), `${lines}`);
  await admin.context().close();
});
