// Loyalty sub-tabs in a real browser, at desktop and tablet size: the points ledger with its
// running balance, and tags added (existing or new) with a count reset; a store associate
// may do neither.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

const number = (text) => Number(text.replace(/[−]/g, '-').replace(/[^\d-]/g, ''));

for (const [n, size] of [[1, 'desktop'], [2, 'tablet-portrait']]) {
  test(`${size}: the points ledger's newest line shows the balance in the header`, async () => {
    const supervisor = await signedInPage(app, 'supervisor@demo.test', VIEWPORTS[size]);
    await openCustomer(supervisor, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'activity/points');
    await supervisor.waitForSelector('table.ledger tbody tr');
    const balance = number(await supervisor.getByTestId('points-balance').textContent());
    const first = supervisor.locator('table.ledger tbody tr').first();
    assert.equal(number(await first.locator('td:nth-child(4)').textContent()), balance);
    await assertAccessible(supervisor, `points ledger at ${size}`);
    await supervisor.screenshot({ path: join(ARTIFACTS, `points-ledger-${size}.png`), fullPage: true });
    await supervisor.context().close();
  });

  test(`${size}: tags are added, counted and reset; an associate cannot`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'activity/tags');
    await agent.waitForSelector('#new-tag');
    const tag = `e2e-${size}`;
    for (let i = 0; i < 2; i += 1) {
      await agent.fill('#new-tag', tag);
      await agent.getByRole('button', { name: 'Add tag' }).click();
      await agent.waitForSelector(`table.tags tbody tr:has-text("${tag}") td.number:text-is("${i + 1}")`);
    }
    await agent.fill('#new-tag', 'two words');
    await agent.getByRole('button', { name: 'Add tag' }).click();
    await agent.waitForSelector('#new-tag-error:has-text("letters, digits")');
    await agent.getByRole('button', { name: `Reset count of ${tag}` }).click();
    await agent.waitForSelector(`table.tags tbody tr:has-text("${tag}") td.number:text-is("0")`);
    await assertAccessible(agent, `tags at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `tags-${size}.png`), fullPage: true });
    await agent.context().close();

    const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(associate, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'activity/tags');
    await associate.waitForSelector('h2:text("Tags")');
    assert.equal(await associate.locator('#new-tag').count(), 0, 'no add form without tags.manage');
    assert.equal(await associate.getByRole('button', { name: /Reset count/ }).count(), 0);
    await associate.context().close();
  });
}

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: purchases list line items, sort by total and page`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'activity/purchases');
    await agent.waitForSelector('table.purchases tbody tr');
    const status = await agent.locator('p[role=status]:has-text("purchases")').textContent();
    const [, total] = status.match(/^([\d,]+) purchases/);
    assert.ok(Number(total.replace(/,/g, '')) > 25, status);
    assert.match(await agent.locator('table.purchases tbody tr td:nth-child(4)').first().textContent(), /\d+ × \w/);
    await agent.selectOption('#purchase-sort', 'Largest');
    await agent.waitForFunction(() => {
      const totals = [...document.querySelectorAll('table.purchases tbody td:nth-child(2)')]
        .map((c) => Number(c.textContent.replace(/[^\d.]/g, '')));
      return totals.length > 1 && totals.every((t, i) => i === 0 || totals[i - 1] >= t);
    });
    await agent.getByRole('button', { name: 'Next page' }).click();
    await agent.waitForSelector('p[role=status]:has-text("page 2 of")');
    await assertAccessible(agent, `purchases at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `purchases-${size}.png`), fullPage: true });
    await agent.context().close();
  });
}

for (const [n, size] of [[1, 'desktop'], [2, 'tablet-portrait']]) {
  test(`${size}: an agent issues an offer from the catalogue; a privacy officer cannot`, async () => {
    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'activity/offers');
    await agent.waitForSelector('#issue-offer');
    await agent.getByRole('button', { name: 'Issue offer' }).click();
    assert.equal(await agent.locator('table.offers').count(), 0, 'nothing issued without a choice');
    await agent.selectOption('#issue-offer', 'free-drink');
    await agent.getByRole('button', { name: 'Issue offer' }).click();
    await agent.waitForSelector('table.offers tbody tr:has-text("Free drink"):has-text("Issued")');
    await assertAccessible(agent, `offers at ${size}`);
    await agent.screenshot({ path: join(ARTIFACTS, `offers-${size}.png`), fullPage: true });
    await agent.context().close();

    const officer = await signedInPage(app, 'privacy@demo.test', VIEWPORTS[size]);
    await openCustomer(officer, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'activity/offers');
    await officer.waitForSelector('table.offers tbody tr:has-text("Free drink")');
    assert.equal(await officer.locator('#issue-offer').count(), 0, 'no issue form without offers.issue');
    await officer.context().close();
  });
}
