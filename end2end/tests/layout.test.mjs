// Alignment a person notices, measured in the browser: fields in a row line up at their
// inputs however long their labels, a code in monospace is as large as the text around it,
// the event table's tappable summary starts where the row's other cells do at 768 px, and no
// fact list shows a label without a value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApp, hydrated, signedInPage, openCustomer, SEEDED_EXTERNAL_IDS, VIEWPORTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

test('fields line up, code is full size, summaries start with their row, no empty facts', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.locator('#mode-advanced').check();
  await Promise.all([
    admin.waitForResponse((r) => r.url().endsWith('/api/set_search_mode')),
    admin.getByRole('button', { name: 'Save search mode' }).click(),
  ]);
  await admin.goto(`${app.baseUrl}/search`);
  await hydrated(admin);
  const tops = await admin.evaluate(() => [...document.querySelectorAll('.advanced-search .form-grid input')]
    .map((input) => ({ id: input.id, top: Math.round(input.getBoundingClientRect().top) })));
  const firstRow = tops.filter((t) => Math.abs(t.top - tops[0].top) < 30);
  assert.ok(firstRow.length >= 3, JSON.stringify(tops));
  assert.ok(firstRow.every((t) => Math.abs(t.top - tops[0].top) <= 1), `inputs of a row line up: ${JSON.stringify(firstRow)}`);

  await openCustomer(admin, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'activity/promo-codes');
  const code = await admin.evaluate(() => {
    const el = document.querySelector('table.promo-claims td code');
    if (!el) return null;
    return [parseFloat(getComputedStyle(el).fontSize), parseFloat(getComputedStyle(el.parentElement).fontSize)];
  });
  assert.ok(code, 'the showcase customer has claimed codes');
  assert.ok(code[0] >= code[1] * 0.9, `code ${code[0]} px beside text ${code[1]} px`);
  await admin.context().close();

  const tablet = await signedInPage(app, 'agent@demo.test', VIEWPORTS['tablet-portrait']);
  await openCustomer(tablet, app.baseUrl, SEEDED_EXTERNAL_IDS[0]);
  await tablet.waitForSelector('table.events tbody tr summary');
  const offsets = await tablet.evaluate(() => {
    const row = document.querySelector('table.events tbody tr:has(summary)');
    const textTop = (el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getClientRects()[0]?.top ?? el.getBoundingClientRect().top;
    };
    return [...row.cells].map((cell) => Math.round(textTop(cell.querySelector('summary') ?? cell)));
  });
  assert.ok(offsets.every((top) => Math.abs(top - offsets[0]) <= 2), `cell text tops ${offsets}`);

  for (const tab of ['profile', 'locations']) {
    await tablet.goto(`${tablet.url().match(/.*\/customers\/[0-9a-f-]{36}/)[0]}/${tab}`);
    await hydrated(tablet);
    await tablet.waitForSelector('.fact-list');
    const empty = await tablet.evaluate(() => [...document.querySelectorAll('.fact-list dd')]
      .filter((dd) => dd.textContent.trim() === '').map((dd) => dd.previousElementSibling?.textContent));
    assert.deepEqual(empty, [], `${tab}: labels without a value`);
  }
  await tablet.context().close();
});
