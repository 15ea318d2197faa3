// The ingest API and the live event stream in a real browser: an admin creates an API key,
// a till sends events with it, and the profile an agent has open shows them (and the new
// points balance) without a reload; filters narrow the stream; a revoked key stops working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** Creates an API key on the admin screen and returns it. */
async function createKey(size, name) {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], '/admin/api-keys');
  await admin.fill('#api-key-name', name);
  await admin.getByRole('button', { name: 'Create key' }).click();
  const key = (await admin.getByTestId('new-api-key').textContent()).trim();
  assert.match(key, /^cpk_/);
  await admin.waitForSelector(`table tbody tr:has-text("${name}")`);
  await assertAccessible(admin, `API keys at ${size}`);
  await admin.screenshot({ path: join(ARTIFACTS, `api-keys-${size}.png`) });
  return { admin, key };
}

async function send(key, body) {
  const response = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const POINTS = (text) => Number(text.replace(/[^\d-]/g, ''));

for (const [n, size] of [[2, 'desktop'], [3, 'tablet-portrait']]) {
  test(`${size}: an event sent to the API appears on the open profile within a second`, async () => {
    const { admin, key } = await createKey(size, `Till ${size}`);
    const externalId = SEEDED_EXTERNAL_IDS[n];
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, externalId);
    await agent.waitForSelector('table.events tbody tr');
    const before = POINTS(await agent.getByTestId('points-balance').textContent());
    await agent.evaluate(() => { window.stillTheSamePage = true; });
    // Let the EventSource connect before sending.
    await agent.waitForTimeout(300);

    const sentAt = Date.now();
    const { status, body } = await send(key, { events: [
      { event_id: `e2e-${size}-buy`, type: 'purchase', occurred_at: new Date().toISOString(),
        customer: { external_id: externalId }, store_id: 'LDN-001',
        payload: { amount_cents: 750, currency: 'GBP', items: [{ sku: 'DRK-003', qty: 2 }] } },
      { event_id: `e2e-${size}-pts`, type: 'points_earned', occurred_at: new Date().toISOString(),
        customer: { external_id: externalId }, payload: { points: 25, reason: 'purchase' } },
    ] });
    assert.equal(status, 200, JSON.stringify(body));
    await agent.waitForSelector('table.events tbody tr:has-text("Spent 7.50 GBP")', { timeout: 2000 });
    const arrivedMs = Date.now() - sentAt;
    await agent.waitForFunction(
      ([expected]) => Number(document.querySelector('[data-testid=points-balance]').textContent.replace(/[^\d-]/g, '')) === expected,
      [before + 25], { timeout: 2000 },
    );
    assert.equal(await agent.evaluate(() => window.stillTheSamePage), true, 'no reload');
    assert.ok(arrivedMs < 1500, `arrived after ${arrivedMs} ms`);
    await agent.locator('table.events tbody tr', { hasText: 'Spent 7.50 GBP' }).locator('summary').click();
    await agent.waitForSelector('table.events dd:has-text("Latte")');
    await agent.screenshot({ path: join(ARTIFACTS, `live-event-${size}.png`) });

    // Revoking the key asks first, then stops it at once.
    await admin.getByRole('button', { name: `Revoke key Till ${size}` }).click();
    await admin.getByText('Revoke this key? Every request that sends it is refused').waitFor();
    await admin.getByRole('button', { name: 'Revoke key', exact: true }).click();
    await admin.waitForSelector(`table tbody tr:has-text("Till ${size}"):has-text("Revoked")`);
    const refused = await send(key, { event_id: 'late', type: 'tag_appended', occurred_at: new Date().toISOString(),
      customer: { external_id: externalId }, payload: { tag: 'late' } });
    assert.equal(refused.status, 401);
    await admin.context().close();
    await agent.context().close();
  });
}

test('desktop: the stream filters by category, activity and text', async () => {
  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS.desktop);
  await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[0]);
  await agent.waitForSelector('table.events tbody tr');
  await agent.selectOption('#stream-category', 'Purchase related');
  await agent.waitForFunction(() => [...document.querySelectorAll('table.events tbody tr td:nth-child(2)')]
    .every((cell) => ['Purchase', 'Offer redeemed'].includes(cell.textContent.trim())));
  await agent.selectOption('#stream-type', 'purchase');
  await agent.waitForFunction(() => [...document.querySelectorAll('table.events tbody tr td:nth-child(2)')]
    .every((cell) => cell.textContent.trim() === 'Purchase'));
  await agent.fill('#stream-search', 'zzz-nothing-matches');
  await agent.locator('.stream-filters button[type=submit]').click();
  await agent.waitForSelector('text=No events match these filters.');
  await assertAccessible(agent, 'filtered event stream');
  // Text finds a type as the stream names it, in any case.
  await agent.selectOption('#stream-category', '');
  await agent.selectOption('#stream-type', '');
  await agent.fill('#stream-search', 'POINTS EARNED');
  await agent.locator('.stream-filters button[type=submit]').click();
  await agent.waitForFunction(() => {
    const types = [...document.querySelectorAll('table.events tbody tr td:nth-child(2)')];
    return types.length > 0 && types.every((cell) => cell.textContent.trim() === 'Points earned');
  });
  await agent.context().close();
});

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: an admin rewords a type with a live preview and adds a custom type the API then takes`, async () => {
    const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], '/admin/event-types');
    const name = size === 'desktop' ? 'survey_completed' : 'store_visit';
    await admin.getByRole('button', { name: 'Edit Tag appended' }).click();
    await admin.fill('#type-summary', 'Tag added: {tag}');
    await admin.waitForSelector('[data-testid=template-preview]:has-text("Tag added: vip")');
    await admin.getByRole('button', { name: 'Save event type' }).click();
    await admin.waitForSelector('table.event-types tbody tr:has-text("Tag added: {tag}")');

    await admin.getByRole('button', { name: 'Add a custom type' }).click();
    await admin.fill('#type-name', 'Bad Name');
    await admin.fill('#type-category', 'Feedback');
    await admin.fill('#type-summary', 'Survey score {score}');
    await admin.getByRole('button', { name: 'Save event type' }).click();
    await admin.waitForSelector('#type-name-error:has-text("lower-case")');
    await assertAccessible(admin, `event types with an error at ${size}`);
    await admin.fill('#type-name', name);
    await admin.fill('#type-required', 'score');
    await admin.waitForSelector('[data-testid=template-preview]:has-text("Survey score 9")');
    await admin.getByRole('button', { name: 'Save event type' }).click();
    await admin.waitForSelector(`table.event-types tbody tr:has-text("${name}")`);
    await admin.screenshot({ path: join(ARTIFACTS, `event-types-${size}.png`), fullPage: true });

    const { admin: keys, key } = await createKey(size, `Survey tool ${size}`);
    await keys.context().close();
    const externalId = SEEDED_EXTERNAL_IDS[1];
    const sent = await send(key, { event_id: `survey-${size}`, type: name, occurred_at: new Date().toISOString(),
      customer: { external_id: externalId }, payload: { score: 9 } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, externalId);
    await agent.waitForSelector('table.events tbody tr:has-text("Survey score 9")');
    await agent.selectOption('#stream-category', 'Feedback');
    await agent.waitForFunction(() => [...document.querySelectorAll('table.events tbody tr')]
      .every((row) => row.textContent.includes('Survey score')));
    await admin.context().close();
    await agent.context().close();
  });
}
