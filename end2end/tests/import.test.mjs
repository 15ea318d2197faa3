// Admin → Import in a real browser, at desktop and tablet sizes: an admin uploads a customers
// CSV with a column the console does not know, maps it away, runs a dry run (nothing written,
// the bad rows listed at their row and column), imports, reloads the page (the result is read
// back from the server), finds an imported customer, and reads the refused rows' CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, openCustomer, assertAccessible, assertNoSidewaysScroll, VIEWPORTS,
  ARTIFACTS,
} from './harness.mjs';

const FIXTURES = join(import.meta.dirname, '..', '..', 'server', 'tests', 'fixtures', 'crm-exports');

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: a customers file is mapped, checked, imported and its refused rows listed`, async () => {
    const s = size === 'desktop' ? 'd' : 't';
    const csv = [
      'Customer Number,E-mail,First name,Surname,Date of birth,Shoe size',
      `IMP-${s}-1,imported-${s}1@example.com,Ines,<b>Import</b>,1988-05-17,41`,
      `IMP-${s}-2,not an email,Bad,Row,,40`,
      `IMP-${s}-3,imported-${s}3@example.com,Ida,Later,31/02/1988,39`,
      `IMP-${s}-4,imported-${s}1@example.com,Twice,Again,,38`,
    ].join('\n');
    const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], '/admin/import');
    await admin.waitForSelector('#import-file');
    await hydrated(admin);
    await assertAccessible(admin, `${size} import upload`);

    await admin.getByRole('button', { name: 'Upload' }).click();
    await admin.locator('#import-file-error').getByText('Choose a file to import.').waitFor();

    await admin.selectOption('#import-kind', 'customers');
    await admin.setInputFiles('#import-file', { name: `crm-${s}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await admin.getByRole('button', { name: 'Upload' }).click();
    await admin.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/);
    await admin.getByRole('heading', { name: `crm-${s}.csv` }).waitFor();
    await hydrated(admin);
    const problems = admin.getByRole('alert').filter({ hasText: 'Mend these before the import can run' });
    await problems.getByText('column 6 (Shoe size)').waitFor();
    assert.equal(await admin.getByRole('button', { name: 'Dry run' }).isDisabled(), true);

    await admin.getByLabel('Shoe size', { exact: true }).selectOption('ignore');
    await admin.getByText('Save the mapping to run with it.').waitFor();
    assert.equal(await admin.getByRole('button', { name: 'Import', exact: true }).isDisabled(), true);
    await admin.getByRole('button', { name: 'Save the mapping' }).click();
    await problems.waitFor({ state: 'detached' });

    await admin.screenshot({ path: join(ARTIFACTS, `import-mapping-${size}.png`), fullPage: true });
    await admin.getByRole('button', { name: 'Dry run' }).click();
    await admin.getByRole('heading', { name: 'Dry run: nothing was written' }).waitFor();
    const summary = admin.locator('.import-summary');
    // Row 3's email and row 4's date (31/02) cannot be read: the values are left out and the
    // customers come in (row 3 found by its customer number); row 5 repeats row 2's email.
    await summary.locator('dt:has-text("Would be created") + dd').getByText('3', { exact: true }).waitFor();
    await summary.locator('dt:has-text("Refused") + dd').getByText('1', { exact: true }).waitFor();
    await summary.locator('dt:has-text("Values left out") + dd').getByText('2', { exact: true }).waitFor();
    const refused = admin.locator('section', { has: admin.getByRole('heading', { name: 'Refused rows' }) });
    for (const [row, column] of [['3', 'E-mail'], ['4', 'Date of birth'], ['5', 'E-mail']]) {
      await refused.locator('tr', { hasText: column }).filter({ has: admin.locator(`td.number:text-is("${row}")`) }).waitFor();
    }
    await assertAccessible(admin, `${size} import after a dry run`);

    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    await admin.getByRole('heading', { name: 'Result' }).waitFor();
    await summary.locator('dt:has-text("Created") + dd').getByText('3', { exact: true }).waitFor();
    // Counted afresh: the dry run's counts are not added to the import's.
    await summary.locator('dt:has-text("Values left out") + dd').getByText('2', { exact: true }).waitFor();
    await admin.reload();
    await hydrated(admin);
    await admin.getByRole('heading', { name: 'Customers · Imported' }).waitFor();
    assert.equal(await admin.locator('#import-progress').getAttribute('value'), '100');
    await admin.screenshot({ path: join(ARTIFACTS, `import-${size}.png`), fullPage: true });

    const href = await refused.getByRole('link', { name: /Download the report/ }).getAttribute('href');
    const download = await admin.request.get(`${app.baseUrl}${href}`);
    assert.equal(download.status(), 200);
    const lines = (await download.text()).trim().split('\n');
    assert.equal(lines[0], 'row,column,problem,outcome');
    assert.equal(lines.length, 4, lines.join('\n'));

    await openCustomer(admin, app.baseUrl, `IMP-${s}-1`);
    await admin.locator('.profile-header h1').getByText('Ines <b>Import</b>').waitFor();
    assert.equal(await admin.locator('.profile-header h1 b').count(), 0, 'the name is text, not markup');
    await admin.context().close();
  });
}

test('tablet: a Salesforce report imports as downloaded (Windows-1252, footer, Phone + Mobile)', async () => {
  const report = readFileSync(join(FIXTURES, 'salesforce-contacts-report.csv'));
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS['tablet-portrait'], '/admin/import');
  await admin.waitForSelector('#import-file');
  await hydrated(admin);
  await admin.setInputFiles('#import-file', { name: 'report1740.csv', mimeType: 'text/csv', buffer: report });
  await admin.getByRole('button', { name: 'Upload' }).click();
  await admin.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/);
  await hydrated(admin);
  await admin.getByTestId('import-source').getByText('Recognised as an export from Salesforce (report)').waitFor();
  await admin.getByTestId('import-encoding').getByText('windows-1252').waitFor();
  assert.equal(await admin.getByLabel('Contact ID', { exact: true }).inputValue(), 'external_id:salesforce');
  assert.equal(await admin.getByLabel('Mobile', { exact: true }).inputValue(), 'phone');
  await assertAccessible(admin, 'tablet Salesforce report mapped by its preset');
  await admin.screenshot({ path: join(ARTIFACTS, 'import-salesforce-tablet.png'), fullPage: true });

  await admin.getByRole('button', { name: 'Import', exact: true }).click();
  await admin.getByRole('heading', { name: 'Customers · Imported' }).waitFor();
  const summary = admin.locator('.import-summary');
  // Three people, nobody refused: the footer's five lines are not rows; a birth date
  // (13/45/1990) nobody can read is left out.
  await summary.locator('dt:has-text("Created") + dd').getByText('3', { exact: true }).waitFor();
  await summary.locator('dt:has-text("Refused") + dd').getByText('0', { exact: true }).waitFor();
  await summary.locator('dt:has-text("Values left out") + dd').getByText('1', { exact: true }).waitFor();

  await openCustomer(admin, app.baseUrl, 'jose.garcia@example.com', 'profile');
  await admin.locator('.profile-header h1').getByText('José García').waitFor();
  const values = admin.locator('table.identifiers td:nth-child(2)');
  await values.filter({ hasText: 'salesforce:0035g00000AbCdE' }).waitFor();
  await values.filter({ hasText: /\+34 ?612/ }).waitFor();
  await assertNoSidewaysScroll(admin, 'the Profile tab with its identifiers');
  await admin.context().close();
});

test('an events file is read, stored by customer, and shows on the profile', async () => {
  // Minutes ago, so that they head the profile's stream.
  const line = (n, who, type, minutes, payload) => JSON.stringify({
    event_id: `e2e-import-${n}`, type, occurred_at: new Date(Date.now() - minutes * 60000).toISOString(),
    customer: { external_id: who }, payload,
  });
  const ndjson = [
    line(1, 'CRM-00000031', 'purchase', 2, { amount_cents: 4321, currency: 'GBP' }),
    line(2, 'CRM-00000031', 'tag_appended', 1, { tag: '<img src=x onerror=alert(1)>' }),
    line(3, 'CRM-NOBODY-HERE', 'purchase', 1, { amount_cents: 5, currency: 'GBP' }),
    '{not json',
  ].join('\n');
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/import');
  await admin.waitForSelector('#import-file');
  await hydrated(admin);
  await admin.selectOption('#import-kind', 'events');
  await admin.setInputFiles('#import-file', { name: 'history.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) });
  await admin.getByRole('button', { name: 'Upload' }).click();
  await admin.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/);
  await hydrated(admin);
  await admin.getByRole('button', { name: 'Import', exact: true }).click();
  await admin.getByRole('heading', { name: 'Events · Imported' }).waitFor();
  const summary = admin.locator('.import-summary');
  await summary.locator('dt:has-text("Refused") + dd').getByText('2', { exact: true }).waitFor();
  await admin.reload();
  await hydrated(admin);
  await admin.getByRole('heading', { name: 'Events · Imported' }).waitFor();
  assert.equal(await admin.locator('#import-progress').getAttribute('value'), '100');
  const refused = admin.locator('section', { has: admin.getByRole('heading', { name: 'Refused rows' }) });
  await refused.locator('tr', { hasText: 'customer.external_id' }).filter({ has: admin.locator('td.number:text-is("3")') }).waitFor();
  await refused.locator('tr').filter({ has: admin.locator('td.number:text-is("4")') }).waitFor();
  await assertAccessible(admin, 'events import result');
  await admin.screenshot({ path: join(ARTIFACTS, 'import-events-desktop.png'), fullPage: true });

  await openCustomer(admin, app.baseUrl, 'CRM-00000031');
  await admin.getByText('Spent 43.21 GBP').first().waitFor();
  await admin.getByText('<img src=x onerror=alert(1)>').first().waitFor();
  assert.equal(await admin.locator('img[src="x"]').count(), 0, 'the tag is text, not markup');
  await admin.context().close();
});

test('a running import survives a reload, stops after its batch and resumes', async () => {
  const rows = ['email,first_name'];
  // Large enough to be still running when Stop is clicked (the import adds ~25,000 a second),
  // and a first load: the search indexes are set aside, then built again at the stop.
  for (let n = 0; n < 400000; n++) rows.push(`bulk${n}@example.com,Bulk${n}`);
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/import');
  await admin.waitForSelector('#import-file');
  await hydrated(admin);
  await admin.setInputFiles('#import-file', { name: 'bulk.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await admin.getByRole('button', { name: 'Upload' }).click();
  await admin.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/);
  await hydrated(admin);
  await admin.getByRole('button', { name: 'Import', exact: true }).click();
  await admin.getByRole('heading', { name: 'Customers · Importing' }).waitFor();
  await admin.reload();
  await hydrated(admin);
  await admin.getByRole('heading', { name: 'Customers · Importing' }).waitFor();
  const percent = Number(await admin.locator('#import-progress').getAttribute('value'));
  assert.ok(percent < 100, `still running after the reload (${percent} %)`);
  await admin.getByRole('button', { name: 'Stop after this batch' }).click();
  await admin.getByRole('heading', { name: 'Customers · Stopped (can resume)' }).waitFor();
  const stoppedAt = await admin.locator('#progress-text').textContent();
  await admin.getByRole('button', { name: 'Resume' }).click();
  await admin.getByRole('heading', { name: 'Customers · Imported' }).waitFor({ timeout: 120000 });
  const summary = admin.locator('.import-summary');
  await summary.locator('dt:has-text("Created") + dd').getByText('400,000', { exact: true }).waitFor();
  assert.ok(!stoppedAt.startsWith('100 %'), `stopped part-way: ${stoppedAt}`);
  await admin.context().close();
});

test('an agent without customers.import does not see Import', async () => {
  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS.desktop, '/admin/import');
  await agent.getByText('customers.import').first().waitFor();
  assert.equal(await agent.locator('#import-file').count(), 0);
  await agent.context().close();
});
