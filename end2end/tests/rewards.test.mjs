// The Rewards sub-tab at desktop and tablet size: redeemed rewards with status, and a reward
// order's delivery history with the carrier's tracking link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp({ customers: 60 }); });
after(async () => { await app?.stop(); });

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: rewards redeemed and a reward order's delivery`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    let found = false;
    for (const externalId of SEEDED_EXTERNAL_IDS) {
      await openCustomer(agent, app.baseUrl, externalId, 'activity/rewards');
      await agent.waitForSelector('table.rewards tbody tr, p:text("No rewards redeemed.")');
      const order = agent.locator('table.rewards details').first();
      if (await order.count()) {
        await order.locator('summary').click();
        const history = await order.textContent();
        assert.match(history, /shipped .* · Royal Mail/);
        const link = order.locator('a:text-matches("Track RM\\\\d+GB")').first();
        assert.match(await link.getAttribute('href'), /^https:\/\/www\.royalmail\.com\//);
        await assertAccessible(agent, `rewards at ${size}`);
        await agent.screenshot({ path: join(ARTIFACTS, `rewards-${size}.png`), fullPage: true });
        found = true;
        break;
      }
    }
    assert.ok(found, 'no seeded customer had a reward order');
    await agent.context().close();
  });
}
