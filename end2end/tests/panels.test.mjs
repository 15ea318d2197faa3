// Third-party panels in a real browser at both sizes: an admin allows panels on this machine
// (development), adds a panel served here and one that never answers in time; an agent opens a
// profile and sees the first panel's figures beside the analytics (its markup shown as text, its
// link opening the panel's page) and the second marked unavailable, without the page waiting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, openCustomer, assertAccessible, assertTouchTargets, assertNoSidewaysScroll,
  SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
let panel;
before(async () => {
  app = await startApp();
  // The brand's social-listening service: answers /listening at once, /stuck never.
  panel = createServer((request, response) => {
    if (request.url === '/stuck') return;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ title: 'Last 7 days', metrics: [
      { label: '<img src=x onerror=alert(1)>Mentions', value: 42, trend: 'up', link: 'https://listen.example/m' },
      { label: 'Sentiment', value: 'Positive', trend: 'flat' },
    ] }));
  });
  await new Promise((ok) => panel.listen(0, '127.0.0.1', ok));
  panel.base = `http://127.0.0.1:${panel.address().port}`;
});
after(async () => { panel?.closeAllConnections?.(); panel?.close(); await app?.stop(); });

async function addPanel(admin, title, path, timeout) {
  await admin.fill('#panel-title', title);
  await admin.fill('#panel-url', `${panel.base}${path}`);
  await admin.selectOption('#panel-sends', 'external_id');
  await admin.fill('#panel-secret', 'a-panel-secret-0123456789');
  await admin.fill('#panel-timeout', timeout);
  await admin.getByRole('button', { name: 'Add panel' }).click();
  await admin.locator('table.panels tr', { hasText: title }).waitFor();
}

test('an admin adds panels on this machine once development allows it', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/panels');
  await admin.waitForSelector('#panel-title');
  await hydrated(admin);
  await admin.fill('#panel-title', 'Social listening');
  await admin.fill('#panel-url', `${panel.base}/listening`);
  await admin.fill('#panel-secret', 'a-panel-secret-0123456789');
  await admin.getByRole('button', { name: 'Add panel' }).click();
  await admin.waitForSelector('#panel-url-error:has-text("https://")');
  assert.equal(await admin.inputValue('#panel-title'), 'Social listening', 'nothing typed is lost');
  await admin.getByRole('button', { name: 'Allow addresses on this machine and private networks' }).click();
  await admin.getByRole('button', { name: 'Refuse addresses on this machine and private networks again' }).waitFor();
  await addPanel(admin, 'Social listening', '/listening', '1500');
  await addPanel(admin, 'Reviews', '/stuck', '300');
  for (const size of ['desktop', 'tablet-portrait']) {
    await admin.setViewportSize(VIEWPORTS[size].viewport);
    await assertAccessible(admin, `panels admin at ${size}`);
    if (size !== 'desktop') await assertTouchTargets(admin, `panels admin at ${size}`);
    await assertNoSidewaysScroll(admin, `panels admin at ${size}`);
    await admin.screenshot({ path: join(ARTIFACTS, `panels-admin-${size}.png`), fullPage: true });
  }
  await admin.context().close();
});

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: a profile shows a panel's figures and another as unavailable`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[0]);
    const listening = agent.locator('section.third-party-panel', { hasText: 'Social listening' });
    await listening.locator('dt', { hasText: 'Mentions' }).waitFor();
    assert.match(await listening.textContent(), /<img src=x onerror=alert\(1\)>Mentions/, 'markup shown as text');
    assert.equal(await agent.locator('section.third-party-panel img').count(), 0, 'never markup');
    assert.equal(await listening.getByRole('link', { name: '42' }).getAttribute('href'), 'https://listen.example/m');
    const reviews = agent.locator('section.third-party-panel', { hasText: 'Reviews' });
    await reviews.getByText('Unavailable').waitFor();
    assert.match(await reviews.textContent(), /did not answer within 300 ms/);
    await assertAccessible(agent, `profile with panels at ${size}`);
    await assertTouchTargets(agent, `profile with panels at ${size}`);
    await assertNoSidewaysScroll(agent, `profile with panels at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `profile-panels-${size}.png`), fullPage: true });
    await agent.context().close();
  });
}
