// The Promo Codes sub-tab in a real browser at desktop and tablet size: failed claims sent to
// the ingest API lock the customer out; the tab shows when until, claimed codes with their
// limits and the failed claims; a store associate cannot reset the lockout, a care agent can.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

async function createKey() {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/api-keys');
  await admin.fill('#api-key-name', 'Promo engine');
  await admin.getByRole('button', { name: 'Create key' }).click();
  const key = (await admin.getByTestId('new-api-key').textContent()).trim();
  await admin.context().close();
  return key;
}

async function failClaims(key, externalId) {
  const now = Date.now();
  const events = [0, 1, 2, 3, 4].map((i) => ({
    event_id: `promo-fail-${externalId}-${i}`,
    type: 'promo_code_claim_error',
    occurred_at: new Date(now - (41 - i * 10) * 60_000).toISOString(),
    customer: { external_id: externalId },
    payload: { code: 'WELCOME10', reason: 'code already used' },
  }));
  const response = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ events }),
  });
  assert.equal(response.status, 200, await response.text());
}

for (const [n, size] of [[1, 'desktop'], [2, 'tablet-portrait']]) {
  test(`${size}: a lockout from failed claims is shown, refused to an associate, reset by an agent`, async () => {
    const key = await createKey();
    const externalId = SEEDED_EXTERNAL_IDS[n];
    await failClaims(key, externalId);

    const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(associate, app.baseUrl, externalId, 'activity/promo-codes');
    await associate.waitForSelector('[data-testid="promo-lockout"]:has-text("Locked out of promo codes until")');
    assert.equal(await associate.getByRole('button', { name: 'Reset lockout' }).count(), 0);
    await associate.context().close();

    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, externalId, 'activity/promo-codes');
    await agent.waitForSelector('[data-testid="promo-lockout"]:has-text("after 5 failed claims within an hour")');
    const failures = await agent.locator('table.promo-errors tbody tr:has-text("code already used")').count();
    assert.ok(failures >= 5, `${failures} failed claims listed`);
    await assertAccessible(agent, `promo codes (locked) at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `promo-codes-${size}.png`), fullPage: true });
    await agent.getByRole('button', { name: 'Reset lockout' }).click();
    await agent.waitForSelector('[data-testid="promo-lockout"]:has-text("Not locked out")');
    await agent.waitForSelector('text=by Cara Agent');
    await agent.context().close();
  });
}

test('claimed codes show the limits of each code', async () => {
  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS['tablet-landscape']);
  let found = false;
  for (const externalId of SEEDED_EXTERNAL_IDS) {
    await openCustomer(agent, app.baseUrl, externalId, 'activity/promo-codes');
    await agent.waitForSelector('[data-testid="promo-lockout"]');
    if (await agent.locator('table.promo-claims tbody tr').count()) {
      const row = await agent.locator('table.promo-claims tbody tr').first().textContent();
      assert.match(row, /one-time|per customer|a day|no limits/);
      assert.match(row, /\d+ claims?\b/);
      found = true;
      break;
    }
  }
  assert.ok(found, 'no seeded customer had claimed a code');
  await assertAccessible(agent, 'promo codes (claims)');
  await agent.context().close();
});
