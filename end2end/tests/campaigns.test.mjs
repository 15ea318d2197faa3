// The Campaigns sub-tab at desktop and tablet size: campaigns with standing and a labelled
// progress bar; the campaign name opens the campaign's own page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, hydrated, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

for (const [n, size] of [[0, 'desktop'], [1, 'tablet-portrait']]) {
  test(`${size}: campaigns with progress, and the campaign page`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'activity/campaigns');
    await agent.waitForSelector('table.campaigns tbody tr');
    const first = agent.locator('table.campaigns tbody tr').first();
    assert.match(await first.textContent(), /(Completed|In progress|Eligible).*\d+ of \d+ \w+/);
    assert.equal(await first.locator('progress').count(), 1);
    await assertAccessible(agent, `campaigns at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `campaigns-${size}.png`), fullPage: true });
    const link = first.locator('a');
    const name = (await link.textContent()).trim();
    await link.click();
    await agent.waitForURL(/\/campaigns\/[a-z0-9-]+$/);
    await hydrated(agent);
    await agent.getByRole('heading', { name, level: 1 }).waitFor();
    await agent.waitForSelector('dt:text("Goal")');
    await assertAccessible(agent, `campaign page at ${size}`);
    await agent.context().close();
  });
}
