// The JavaScript web SDK in a real browser, on a page of another site: an admin creates a
// publishable key for that site and later edits its sites; the page loads the SDK from the
// console, identifies a customer and tracks events that an agent sees arrive live on the open profile; events
// tracked while the browser is offline wait and go when it is back; an event type the key may
// not send goes to onRejected; a page closed mid-batch hands its events to sendBeacon, and a
// later visit resending them stores nothing twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, assertAccessible, assertTouchTargets, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
let shop;
before(async () => {
  app = await startApp();
  // The brand's web shop: another origin (another port) serving one page that loads the SDK.
  shop = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><title>Shop</title><h1>Shop</h1>
      <script src="${app.baseUrl}/sdk/v1/customer-profiles.js"></script>`);
  });
  await new Promise((ok) => shop.listen(0, '127.0.0.1', ok));
  shop.origin = `http://127.0.0.1:${shop.address().port}`;
});
after(async () => { shop?.close(); await app?.stop(); });

const externalId = SEEDED_EXTERNAL_IDS[1];
const ROW = 'table.events tbody tr:has-text("App session on e2e-web")';

/** Waits until the open profile's stream shows `count` of the shop's app sessions. */
async function sessionsShown(agent, count) {
  await agent.waitForFunction((count) => [...document.querySelectorAll('table.events tbody tr')]
    .filter((row) => row.textContent.includes('App session on e2e-web')).length === count, count, { timeout: 5000 });
}

/** Creates a publishable key for the shop on the admin screen at `size`; returns it. */
async function createPublishableKey(size) {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], '/admin/api-keys');
  await admin.fill('#api-key-name', `Web shop ${size}`);
  await admin.getByLabel('Web pages and apps (publishable key for the SDKs)').check();
  await admin.locator('#api-key-type-app_session').waitFor();
  assert.equal(await admin.isChecked('#api-key-type-app_session'), true, 'harmless types come ticked');
  assert.equal(await admin.isChecked('#api-key-type-points_earned'), false, 'points are not');
  // A wrong origin is answered at its field, and nothing typed is lost.
  await admin.fill('#api-key-origins', 'shop.example/path');
  await admin.getByRole('button', { name: 'Create key' }).click();
  await admin.waitForSelector('#api-key-origins-error:has-text("is not an origin")');
  assert.equal(await admin.inputValue('#api-key-name'), `Web shop ${size}`);
  await admin.fill('#api-key-origins', shop.origin);
  await admin.getByRole('button', { name: 'Create key' }).click();
  const key = (await admin.getByTestId('new-api-key').textContent()).trim();
  assert.match(key, /^cpp_/);
  assert.match(await admin.getByTestId('sdk-snippet').textContent(), /sdk\/v1\/customer-profiles\.js/);
  await admin.waitForSelector(`table tbody tr:has-text("Web shop ${size}"):has-text("${shop.origin}")`);
  await assertAccessible(admin, `API keys with a publishable key at ${size}`);
  await assertTouchTargets(admin, `API keys at ${size}`);
  await admin.screenshot({ path: join(ARTIFACTS, `api-keys-publishable-${size}.png`), fullPage: true });
  await admin.context().close();
  return key;
}

/** Opens the shop in `context` with an SDK client for `key`; the page keeps what it saw. */
async function openShop(context, key, flushInterval) {
  const page = await context.newPage();
  await page.goto(shop.origin);
  await page.waitForFunction(() => window.CustomerProfiles);
  await page.evaluate(([key, endpoint, externalId, flushInterval]) => {
    window.rejected = [];
    window.errors = [];
    window.profiles = CustomerProfiles.init({
      key, endpoint, flushInterval,
      onRejected: (event, errors) => window.rejected.push({ type: event.type, errors }),
      onError: (error) => window.errors.push(String(error.code ?? error.message ?? error)),
    });
    window.profiles.identify({ external_id: externalId });
  }, [key, app.baseUrl, externalId, flushInterval]);
  return page;
}

const queued = (page) => page.evaluate(() => Object.keys(localStorage)
  .filter((k) => k.endsWith(':queue')).map((k) => JSON.parse(localStorage.getItem(k)).length)
  .reduce((a, b) => a + b, 0));

test('a web page tracks events through the SDK: live, offline, refused, and on close', async () => {
  const key = await createPublishableKey('desktop');
  await createPublishableKey('tablet-portrait');

  // The shop adds its staging site: the key's limits are edited in place, the key unchanged.
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS['tablet-portrait'], '/admin/api-keys');
  const editing = admin.locator('details.edit-limits', { hasText: 'of key Web shop desktop' });
  await editing.locator('summary').click();
  await editing.locator('textarea').fill('not a site');
  await editing.getByRole('button', { name: 'Save limits' }).click();
  await editing.locator('.field-error:has-text("is not an origin")').waitFor();
  await editing.locator('textarea').fill(`${shop.origin}\nhttps://staging.shop.example`);
  await editing.getByRole('button', { name: 'Save limits' }).click();
  await admin.waitForSelector('table tbody tr:has-text("Web shop desktop"):has-text("https://staging.shop.example")');
  await assertAccessible(admin, 'API keys after editing limits');
  await admin.context().close();

  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS.desktop);
  await openCustomer(agent, app.baseUrl, externalId);
  await agent.waitForSelector('table.events tbody tr');
  await agent.waitForTimeout(300);

  // Live: three events, flushed in one batch, on the open profile within seconds.
  const visitor = await app.browser.newContext(VIEWPORTS.desktop);
  const page = await openShop(visitor, key, 200);
  await page.evaluate(() => {
    for (let n = 0; n < 3; n += 1) window.profiles.track('app_session', { platform: 'e2e-web' });
    return window.profiles.flush();
  });
  await sessionsShown(agent, 3);
  assert.equal(await queued(page), 0);

  // Offline: events wait in localStorage, then go when the browser is back online.
  await visitor.setOffline(true);
  await page.evaluate(() => {
    window.profiles.track('app_session', { platform: 'e2e-web' });
    window.profiles.track('app_session', { platform: 'e2e-web' });
  });
  await page.waitForTimeout(1000);
  assert.equal(await queued(page), 2, 'kept while offline');
  await visitor.setOffline(false);
  await page.waitForFunction(() => Object.keys(localStorage).every((k) => !k.endsWith(':queue')), null, { timeout: 10_000 });
  await sessionsShown(agent, 5);

  // A type this key may not send: handed to onRejected, not retried.
  await page.evaluate(() => { window.profiles.track('points_earned', { points: 500 }); return window.profiles.flush(); });
  await page.waitForFunction(() => window.rejected.length === 1);
  const rejected = await page.evaluate(() => window.rejected[0]);
  assert.equal(rejected.type, 'points_earned');
  assert.equal(rejected.errors[0].field, 'type');
  assert.equal(await queued(page), 0);

  // Closed mid-batch (a long flush interval keeps three events waiting): sendBeacon takes them.
  const closing = await openShop(visitor, key, 60_000);
  await closing.evaluate(() => {
    for (let n = 0; n < 3; n += 1) window.profiles.track('app_session', { platform: 'e2e-web' });
  });
  assert.equal(await queued(closing), 3);
  await closing.close({ runBeforeUnload: true });
  await sessionsShown(agent, 8);

  // The next visit finds them still queued (a beacon has no answer) and sends them again:
  // the console keeps each event_id once.
  const again = await openShop(visitor, key, 200);
  await again.waitForFunction(() => Object.keys(localStorage).every((k) => !k.endsWith(':queue')), null, { timeout: 10_000 });
  await agent.reload();
  await agent.waitForSelector('table.events tbody tr');
  assert.equal(await agent.locator(ROW).count(), 8, 'every event exactly once');
  assert.deepEqual(await again.evaluate(() => window.errors), []);
  await agent.screenshot({ path: join(ARTIFACTS, 'sdk-events-on-profile.png') });
  await visitor.close();
  await agent.context().close();
});

test('an answer that names none of the batch is retried later, not at once', async () => {
  // Something at the SDK's endpoint that is not the console: 200 with an empty results list.
  let posts = 0;
  const stranger = createServer((request, response) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, x-api-key' };
    if (request.method === 'POST') posts += 1;
    response.writeHead(200, { ...cors, 'content-type': 'application/json' });
    response.end(request.method === 'POST' ? '{"results": []}' : '');
  });
  await new Promise((ok) => stranger.listen(0, '127.0.0.1', ok));
  const visitor = await app.browser.newContext(VIEWPORTS.desktop);
  const page = await openShop(visitor, 'cpp_not_checked_here', 60_000);
  await page.evaluate((endpoint) => {
    window.profiles = CustomerProfiles.init({
      key: 'cpp_not_checked_here', endpoint, flushInterval: 60_000,
      onError: (error) => window.errors.push(String(error.code ?? error.message ?? error)),
    });
    window.profiles.identify({ external_id: 'CRM-00000031' });
    window.profiles.track('app_session', { platform: 'e2e-web' });
    return window.profiles.flush();
  }, `http://127.0.0.1:${stranger.address().port}`);
  await page.waitForTimeout(500);
  assert.equal(posts, 1, 'no tight loop');
  assert.deepEqual(await page.evaluate(() => window.errors), ['unexpected_answer']);
  assert.equal(await queued(page), 1, 'the event waits');
  await visitor.close();
  stranger.close();
});

