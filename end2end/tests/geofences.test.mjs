// Geofences in a real browser at both sizes: an admin adds one under Admin → Locations (a
// wrong radius answered at its field, nothing typed lost), edits it and makes it inactive; an
// agent opens a customer the demo's app saw at their store's entrance and reads, on the
// Locations tab, when they were last there, how long they stayed and the stores nearest it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, openCustomer, assertAccessible, assertTouchTargets, assertNoSidewaysScroll,
  VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** Customer 4 of the demo: every fifth customer from the fifth has the brand's app. */
const WITH_THE_APP = 'CRM-29475179';

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: an admin adds, edits and retires a geofence`, async () => {
    const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], '/admin/locations');
    await admin.waitForSelector('#geofence-name');
    await hydrated(admin);
    const name = `Canal basin ${size}`;
    await admin.fill('#geofence-name', name);
    await admin.fill('#geofence-latitude', '52,4862');
    await admin.fill('#geofence-longitude', '-1.9060');
    await admin.fill('#geofence-radius', '20');
    await admin.getByRole('button', { name: 'Add geofence' }).click();
    await admin.waitForSelector('#geofence-radius-error:has-text("whole metres")');
    assert.equal(await admin.inputValue('#geofence-name'), name, 'nothing typed is lost');
    await admin.fill('#geofence-radius', '120');
    await admin.getByRole('button', { name: 'Add geofence' }).click();
    const row = admin.locator('table.geofences tr', { hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /52\.48620, -1\.90600.*120 m.*Active/s);

    await admin.getByRole('button', { name: `Edit ${name}` }).click();
    await admin.waitForSelector(`#geofence-form-title:has-text("Edit “${name}”")`);
    assert.equal(await admin.inputValue('#geofence-radius'), '120');
    await admin.fill('#geofence-radius', '200');
    await admin.uncheck('#geofence-active');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.locator('table.geofences tr', { hasText: name }).filter({ hasText: 'Inactive' }).waitFor();
    assert.match(await row.textContent(), /200 m/);
    await admin.waitForSelector('#geofence-form-title:has-text("Add a geofence")');

    await assertAccessible(admin, `geofences admin at ${size}`);
    await assertTouchTargets(admin, `geofences admin at ${size}`);
    await assertNoSidewaysScroll(admin, `geofences admin at ${size}`);
    await admin.screenshot({ path: join(ARTIFACTS, `geofences-admin-${size}.png`), fullPage: true });
    await admin.context().close();
  });

  test(`${size}: the Locations tab shows where the app last saw the customer`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, WITH_THE_APP, 'locations');
    const section = agent.locator('section', { has: agent.locator('#geofences-title') });
    const first = section.locator('tbody tr').first();
    await first.waitFor();
    assert.match(await first.textContent(), /entrance/, 'their home store\'s entrance');
    assert.match(await first.textContent(), /\d+ min|Still inside/, 'how long they stayed');
    await section.getByRole('heading', { name: /^Stores nearest .* entrance$/ }).waitFor();
    const nearest = section.locator('table').nth(1).locator('tbody tr');
    assert.equal(await nearest.count(), 3);
    assert.match(await nearest.first().textContent(), /0\.0 km/, 'its own store first');
    await assertAccessible(agent, `locations tab with geofences at ${size}`);
    await assertTouchTargets(agent, `locations tab at ${size}`);
    await assertNoSidewaysScroll(agent, `locations tab at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `locations-geofences-${size}.png`), fullPage: true });
    await agent.context().close();
  });
}
