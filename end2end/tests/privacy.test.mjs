// Data privacy in a real browser, at desktop and tablet size: a privacy officer exports a
// customer's data (a CSV download), restricts and reinstates processing, forgets the customer,
// and finds each request in the customer's history and in the global log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

for (const [n, size] of [[1, 'desktop'], [2, 'tablet-portrait']]) {
  test(`${size}: export, restrict, reinstate and forget, each in the history`, async () => {
    const officer = await signedInPage(app, 'privacy@demo.test', { ...VIEWPORTS[size], acceptDownloads: true });
    const id = await openCustomer(officer, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'privacy');
    await officer.waitForSelector('[data-testid=processing-state]:has-text("Not restricted")');
    await assertAccessible(officer, `privacy tab at ${size}`);

    // Typed before the logged download refreshes the tab (a live notice): it is kept.
    await officer.fill('#privacy-reason', `Request ${size}-1`);
    await officer.getByLabel(/I confirm: no points/).check();
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      officer.getByRole('button', { name: 'Download export (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^customer-.*-export\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('section,record,field,value'), csv.slice(0, 80));
    for (const section of ['profile', 'events']) assert.ok(csv.includes(`\n${section},`), `section ${section}`);

    await officer.waitForFunction(() => {
      const fact = [...document.querySelectorAll('.privacy-facts .fact')].find((f) => f.textContent.includes('Last export'));
      return fact && !fact.textContent.includes('Never');
    });
    assert.equal(await officer.inputValue('#privacy-reason'), `Request ${size}-1`);
    assert.ok(await officer.getByLabel(/I confirm: no points/).isChecked());
    await officer.getByRole('button', { name: 'Restrict processing' }).click();
    await officer.waitForSelector('[data-testid=processing-state]:has-text("Restricted since")');
    await officer.waitForSelector('.restricted-banner');
    await officer.screenshot({ path: join(ARTIFACTS, `privacy-restricted-${size}.png`), fullPage: true });

    await officer.fill('#privacy-reason', `Request ${size}-1 closed`);
    await officer.getByLabel(/I confirm: the customer takes part again/).check();
    await officer.getByRole('button', { name: 'Reinstate processing' }).click();
    await officer.waitForSelector('[data-testid=processing-state]:has-text("Not restricted")');
    // The requests are on the History sub-tab, which has an address of its own.
    assert.equal(await officer.locator('table.privacy-history').count(), 0);
    await officer.getByRole('navigation', { name: 'Data privacy' }).getByRole('link', { name: 'History' }).click();
    await officer.waitForURL(/\/privacy\/history$/);
    const history = officer.locator('table.privacy-history tbody tr');
    await officer.waitForFunction(() => document.querySelectorAll('table.privacy-history tbody tr').length === 3);
    assert.deepEqual(
      (await history.locator('td:nth-child(2)').allTextContents()).map((t) => t.trim()),
      ['reinstate', 'restrict', 'export'],
    );
    assert.equal(await officer.locator('a[aria-current="page"]:has-text("History")').count(), 1);
    await assertAccessible(officer, `privacy history at ${size}`);
    await officer.getByRole('link', { name: 'Overview' }).click();
    await officer.waitForSelector('#forget-confirmation');

    await officer.fill('#forget-confirmation', 'FORGET');
    await officer.getByRole('button', { name: 'Forget this customer' }).click();
    await officer.waitForSelector('text=Customer forgotten');
    assert.match(await officer.locator('.alert-success').textContent(), /customers: 1, events: [\d,]+/);
    await officer.goto(`${app.baseUrl}/customers/${id}/privacy`);
    await officer.waitForSelector('text=No such customer');
    await officer.context().close();
  });
}

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: the global log filters requests; agents without privacy.view_log are refused`, async () => {
    const officer = await signedInPage(app, 'privacy@demo.test', { ...VIEWPORTS[size], acceptDownloads: true });
    // An export for a customer who stays: the log links to them by name.
    const kept = await openCustomer(officer, app.baseUrl, SEEDED_EXTERNAL_IDS[3], 'privacy');
    await Promise.all([
      officer.waitForEvent('download'),
      officer.getByRole('button', { name: 'Download export (CSV)' }).click(),
    ]);
    await officer.goto(`${app.baseUrl}/privacy`);
    await officer.waitForSelector('h1:text("Data privacy requests")');
    await hydrated(officer);
    await officer.selectOption('#log-type', 'forget');
    await officer.waitForFunction(() => {
      const types = [...document.querySelectorAll('table.privacy-history tbody td:nth-child(3)')].map((c) => c.textContent.trim());
      return types.length > 0 && types.every((t) => t === 'forget');
    });
    assert.ok((await officer.locator('table.privacy-history tbody td:nth-child(4)').allTextContents()).every((t) => t === 'privacy@demo.test'));
    // A forgotten customer's requests say so; nothing personal is left to show.
    assert.ok((await officer.locator('table.privacy-history tbody td:nth-child(2)').allTextContents()).every((t) => t === 'Forgotten customer'));
    // Requests for customers still held link to their profile, by name.
    await officer.selectOption('#log-type', 'export');
    await officer.waitForSelector(`table.privacy-history tbody td:nth-child(2) a[href="/customers/${kept}"]`);
    await officer.selectOption('#log-type', '');
    await officer.fill('#log-user', 'nobody@demo.test');
    await officer.press('#log-user', 'Tab');
    await officer.waitForSelector('text=No data-privacy requests yet.');
    await assertAccessible(officer, `privacy log at ${size}`);
    await officer.screenshot({ path: join(ARTIFACTS, `privacy-log-${size}.png`), fullPage: true });
    await officer.context().close();

    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    const response = await agent.goto(`${app.baseUrl}/privacy`);
    assert.equal(response.status(), 403);
    await agent.context().close();
  });
}
