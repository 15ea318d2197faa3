// Customer analytics in a real browser: the four widgets beside the event stream at desktop
// and tablet size (RFM window toggle, churn risk, lifetime value, likely next purchases), and
// the admin screen: validated settings and a refresh on demand that the profile follows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, hydrated, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** The server refreshes analytics on start; reloads until the profile shows scores. */
async function waitForScores(page) {
  for (let i = 0; i < 40; i += 1) {
    if (await page.locator('.analytics-computed:has-text("Scores computed")').count()) return;
    await page.waitForTimeout(500);
    await page.reload();
    await hydrated(page);
  }
  throw new Error('the profile never showed computed scores');
}

const rfmCell = (page, row, column) => page.locator(`table.rfm-table tbody tr:nth-child(${row}) td:nth-of-type(${column})`);

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: RFM against the base, churn risk, lifetime value and likely next purchases`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[0]);
    await waitForScores(agent);
    for (const name of ['Recency, frequency, monetary', 'Churn risk', 'Lifetime value (12 months)', 'Likely next purchases']) {
      await agent.getByRole('heading', { name, exact: true }).waitFor();
    }
    // 30 days by default; the lifetime window counts at least as many purchases.
    assert.ok(await agent.getByLabel('30 days').isChecked());
    const monthly = Number(await rfmCell(agent, 2, 1).textContent());
    await agent.locator('label[for="rfm-window-lifetime"]').click();
    await agent.waitForSelector('table.rfm-table caption:text("RFM over lifetime")');
    const lifetime = Number(await rfmCell(agent, 2, 1).textContent());
    assert.ok(lifetime >= monthly && lifetime > 0, `lifetime ${lifetime} vs 30 days ${monthly}`);
    assert.match(await rfmCell(agent, 2, 2).textContent(), /^\d/, 'a base median beside it');
    // Keyboard: the window toggle is a radio group.
    await agent.getByLabel('7 days').focus();
    await agent.keyboard.press('ArrowRight');
    await agent.waitForSelector('table.rfm-table caption:text("RFM over 30 days")');

    const churn = await agent.locator('section[aria-labelledby="churn-heading"]').textContent();
    assert.match(churn, /\d+% chance still active/);
    assert.match(churn, /(Low|Medium|High) churn risk/);
    assert.match(churn, /P\(alive\) \d+(st|nd|rd|th) percentile of the base/);
    const clv = await agent.locator('section[aria-labelledby="clv-heading"]').textContent();
    assert.match(clv, /[\d,]+\.\d\d discounted/);
    assert.match(clv, /purchases expected in the next 52 weeks/);
    const next = agent.locator('section[aria-labelledby="affinity-heading"]');
    assert.match(await next.textContent(), /bought with .+ usual|No product stands out yet/);

    await assertAccessible(agent, `analytics widgets at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `analytics-${size}.png`), fullPage: true });
    await agent.context().close();
  });
}

test('some customer is shown likely next purchases from co-purchase patterns', async () => {
  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS.desktop);
  let found = false;
  for (const externalId of SEEDED_EXTERNAL_IDS) {
    await openCustomer(agent, app.baseUrl, externalId);
    await waitForScores(agent);
    if (await agent.locator('.affinity-list li').count()) {
      const item = await agent.locator('.affinity-list li').first().textContent();
      assert.match(item, /\d+% · bought with .+ · \d+\.\d× usual/);
      found = true;
      break;
    }
  }
  assert.ok(found, 'no seeded customer had a likely next purchase');
  await agent.context().close();
});

test('the Analytics sub-tab shows the widgets with how each is computed', async () => {
  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS['tablet-landscape']);
  await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'activity/analytics');
  await waitForScores(agent);
  await agent.getByRole('heading', { name: 'How these are computed' }).waitFor();
  await agent.getByRole('heading', { name: 'Churn risk', exact: true }).waitFor();
  assert.equal(await agent.locator('a[aria-current="page"]:text("Analytics")').count(), 1);
  await assertAccessible(agent, 'analytics sub-tab');
  await agent.screenshot({ path: join(ARTIFACTS, 'analytics-tab-tablet-landscape.png'), fullPage: true });
  await agent.context().close();
});

test('admin: settings are validated, a refresh on demand runs and the profile follows it', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS['tablet-landscape'], '/admin/analytics');
  await admin.waitForSelector('table.runs-table tbody tr');
  await admin.fill('#horizon-months', '0');
  await admin.getByRole('button', { name: 'Save valuation and schedule' }).click();
  await admin.waitForSelector('#horizon-months-error:has-text("1 to 120")');
  await admin.fill('#horizon-months', '24');
  await admin.getByRole('button', { name: 'Save valuation and schedule' }).click();
  await admin.waitForFunction(() => document.querySelector('#horizon-months-error')?.textContent === '');
  await admin.getByRole('button', { name: 'Refresh now' }).click();
  await admin.waitForSelector('table.runs-table tbody tr:first-child:has-text("admin (admin@demo.test)"):has-text("succeeded")', { timeout: 30_000 });
  assert.match(await admin.locator('table.runs-table tbody tr:first-child').textContent(), /CLV over 24 months/);
  await assertAccessible(admin, 'analytics admin');
  await admin.screenshot({ path: join(ARTIFACTS, 'analytics-admin-tablet-landscape.png'), fullPage: true });

  await openCustomer(admin, app.baseUrl, SEEDED_EXTERNAL_IDS[0]);
  await admin.getByRole('heading', { name: 'Lifetime value (24 months)' }).waitFor();
  await admin.context().close();
});
