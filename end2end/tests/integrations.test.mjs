// Admin → Integrations in a real browser: an admin connects a Shopify shop (a wrong secret
// answered at its field, nothing typed lost), Shopify's documented example order and refund
// arrive signed as Shopify signs them, the delivery log lists them (a replay counted, not
// applied), and the profile the log links to shows the purchase and then the refund live.
// Checked at desktop and tablet sizes with axe and 44 px targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, signedInPage, hydrated, assertAccessible, VIEWPORTS, ARTIFACTS } from './harness.mjs';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'app', 'src', 'shopify', 'examples');
const SECRET = 'shpss_e2e_0123456789abcdef';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** Delivers `body` as Shopify sends `topic` with webhook id `id`; the JSON answer. */
async function deliver(topic, id, body) {
  const response = await fetch(`${app.baseUrl}/api/v1/webhooks/shopify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-webhook-id': id,
      'x-shopify-shop-domain': 'jsmith.myshopify.com',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
    },
    body,
  });
  assert.equal(response.status, 200, `${topic} ${id}`);
  return response.json();
}

/** Opens the Integrations screen at `size` and saves the secret and 1 point per unit. */
async function connect(size) {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], '/admin/integrations');
  await hydrated(admin);
  await admin.waitForSelector(`[data-testid=shopify-webhook-url]:has-text("${app.baseUrl}/api/v1/webhooks/shopify")`);
  await admin.fill('#shopify-points', '1');
  await admin.fill('#shopify-secret', 'too short');
  await admin.getByRole('button', { name: 'Save Shopify settings' }).click();
  await admin.waitForSelector('#shopify-secret-error:has-text("signing secret")');
  assert.equal(await admin.inputValue('#shopify-points'), '1', 'nothing typed is lost');
  await admin.fill('#shopify-secret', SECRET);
  await admin.getByRole('button', { name: 'Save Shopify settings' }).click();
  await admin.waitForSelector('[role=status]:has-text("Saved.")');
  return admin;
}

test('a Shopify order and its refund arrive, are logged, and show on the profile live', async () => {
  const admin = await connect('desktop');
  // Kept as text: Shopify's 18-digit ids do not survive JavaScript numbers.
  const order = readFileSync(join(EXAMPLES, 'orders_create.json'), 'utf8');
  const refund = readFileSync(join(EXAMPLES, 'refunds_create.json'), 'utf8');

  // The documented example is voided: orders/create waits for the payment.
  assert.equal((await deliver('orders/create', 'e2e-1', order)).outcome, 'ignored');
  const paid = order.replace('"financial_status": "voided"', '"financial_status": "paid"');
  assert.notEqual(paid, order);
  assert.equal((await deliver('orders/paid', 'e2e-2', paid)).outcome, 'recorded');
  assert.equal((await deliver('orders/paid', 'e2e-2', paid)).outcome, 'replay');

  await admin.getByRole('button', { name: 'Refresh the deliveries' }).click();
  const row = admin.locator('tr[data-webhook-id="e2e-2"]');
  await row.locator('.outcome-recorded').waitFor();
  assert.equal((await row.locator('td.number').textContent()).trim(), '1', 'the replay is counted');
  await assertAccessible(admin, 'Integrations with deliveries at desktop');
  await admin.screenshot({ path: join(ARTIFACTS, 'integrations-desktop.png'), fullPage: true });

  await row.getByRole('link', { name: 'Open profile' }).click();
  await admin.waitForSelector('.profile-header h1:has-text("John Smith")');
  await hydrated(admin);
  await admin.waitForSelector('table.events tbody tr:has-text("Spent 404.95 USD")');
  const refunded = await deliver('refunds/create', 'e2e-3', refund);
  assert.equal(refunded.outcome, 'recorded', refunded.detail);
  await admin.waitForSelector(
    'table.events tbody tr:has-text("Refunded 89.99 USD of order 820982911946154508, 89 points taken back")',
    { timeout: 5000 },
  );
  await admin.context().close();
});

for (const size of ['tablet-landscape', 'tablet-portrait']) {
  test(`Integrations at ${size}`, async () => {
    const admin = await connect(size);
    await admin.locator('tr[data-webhook-id]').first().waitFor();
    await assertAccessible(admin, `Integrations at ${size}`);
    await admin.screenshot({ path: join(ARTIFACTS, `integrations-${size}.png`), fullPage: true });
    await admin.context().close();
  });
}
