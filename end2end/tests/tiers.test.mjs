// Tiers in a real browser: the tier summary and log at desktop and tablet size, and the tier
// rules on the settings screen, validated at the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: the tier summary and the tier log`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'activity/tiers');
    await agent.waitForSelector('dl.tier-summary');
    const summary = await agent.locator('dl.tier-summary').textContent();
    assert.match(summary, /Tier systemCoffee Club/);
    assert.match(summary, /Qualifying points \(last 365 days\)[\d,]+/);
    assert.match(summary, /Next tier(Top tier|\w+ begins at [\d,]+ points: [\d,]+ still needed)/);
    assert.match(await agent.getByTestId('tier-name').textContent(), /Bronze|Silver|Gold/);
    await agent.waitForSelector('table.tier-log tbody tr');
    assert.match(await agent.locator('table.tier-log tbody tr').first().textContent(), /(Promoted|Demoted) to \w+/);
    await assertAccessible(agent, `tiers at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `tiers-${size}.png`), fullPage: true });
    await agent.context().close();
  });
}

test('tier rules are edited on the settings screen and validated at the field', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS['tablet-landscape'], '/admin/settings');
  await admin.waitForSelector('#tier-silver-threshold');
  await admin.fill('#tier-silver-threshold', '5000');
  await admin.getByRole('button', { name: 'Save Silver' }).click();
  await admin.waitForSelector('#tier-silver-threshold-error:has-text("Must be below Gold")');
  await admin.fill('#tier-silver-threshold', '600');
  await admin.getByRole('button', { name: 'Save Silver' }).click();
  await admin.waitForFunction(() => document.querySelector('#tier-silver-threshold')?.value === '600'
    && document.querySelector('#tier-silver-threshold-error')?.textContent === '');
  await assertAccessible(admin, 'settings with tier rules');
  await admin.screenshot({ path: join(ARTIFACTS, 'tier-rules-tablet-landscape.png'), fullPage: true });
  await admin.context().close();
});
