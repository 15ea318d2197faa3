// Custom profile attributes and external-id matching in a real browser: an admin declares
// attributes, an event sets them, the Profile tab shows them (a web address as a link), an
// agent edits one (a wrong value refused at its field), the advanced search finds the customer
// by an exact value; the admin then makes external ids match whatever their case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, openCustomer, assertAccessible, SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

async function declare(page, name, label, kind) {
  await page.fill('#attribute-name', name);
  await page.fill('#attribute-label', label);
  await page.selectOption('#attribute-kind', kind);
  await page.getByRole('button', { name: 'Declare' }).click();
  await page.locator('table.attribute-types tr', { hasText: label }).waitFor();
}

for (const [n, size] of [[1, 'desktop'], [2, 'tablet-portrait']]) {
  test(`${size}: attributes are declared, set by an event, shown, edited and searched`, async () => {
    const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS[size], `/admin/attributes`);
    await admin.waitForSelector('#attribute-name');
    await hydrated(admin);
    const suffix = size === 'desktop' ? 'd' : 't';
    await declare(admin, `drink_${suffix}`, `Favourite drink ${suffix}`, 'text');
    await declare(admin, `site_${suffix}`, `Web page ${suffix}`, 'url');
    await declare(admin, `size_${suffix}`, `Shoe size ${suffix}`, 'number');
    await admin.fill('#attribute-name', 'Not Valid');
    await admin.fill('#attribute-label', 'x');
    await admin.getByRole('button', { name: 'Declare' }).click();
    await admin.waitForSelector('#attribute-name-error:has-text("lower-case letters")');
    await assertAccessible(admin, `${size} profile attributes admin`);
    await admin.screenshot({ path: join(ARTIFACTS, `attributes-admin-${size}.png`), fullPage: true });

    await admin.goto(`${app.baseUrl}/admin/api-keys`);
    await hydrated(admin);
    await admin.fill('#api-key-name', `Attributes ${size}`);
    await admin.getByRole('button', { name: 'Create key' }).click();
    const key = (await admin.getByTestId('new-api-key').textContent()).trim();
    const event = {
      event_id: `attr-${size}`, type: 'profile_updated', occurred_at: new Date().toISOString(),
      customer: { external_id: SEEDED_EXTERNAL_IDS[n] },
      payload: { [`drink_${suffix}`]: 'Flat white', [`site_${suffix}`]: 'https://example.com/me?a=<b>', [`size_${suffix}`]: 9 },
    };
    const response = await fetch(`${app.baseUrl}/api/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(event),
    });
    assert.equal(response.status, 200, JSON.stringify(await response.json()));
    await admin.context().close();

    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[n], 'profile');
    const facts = agent.locator('.fact-list');
    await facts.getByText('Flat white').waitFor();
    const link = agent.getByRole('link', { name: 'https://example.com/me?a=<b>' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/me?a=<b>');
    await assertAccessible(agent, `${size} profile tab with attributes`);
    await agent.getByRole('button', { name: 'Edit profile' }).click();
    const siteField = agent.getByLabel(`Web page ${suffix}`);
    await siteField.fill('javascript:alert(1)');
    await agent.getByRole('button', { name: 'Save profile' }).click();
    await agent.locator(`#edit-attribute-site-${suffix}-error`).getByText('must be a web address').waitFor();
    await siteField.fill('https://example.com/me');
    await agent.getByLabel(`Shoe size ${suffix}`).fill('10.5');
    await agent.getByLabel(`Favourite drink ${suffix}`).fill('Oat latte');
    await agent.getByRole('button', { name: 'Save profile' }).click();
    await facts.getByText('Oat latte').waitFor();
    await facts.getByText('10.5').waitFor();
    await agent.screenshot({ path: join(ARTIFACTS, `attributes-profile-${size}.png`), fullPage: true });
    await agent.context().close();
  });
}

test('the advanced search finds by an attribute, and external ids match whatever their case', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.locator('#mode-advanced').check();
  await admin.getByRole('button', { name: 'Save search mode' }).click();
  await admin.goto(`${app.baseUrl}/search?attribute=drink_d&value=Oat%20latte`);
  await hydrated(admin);
  await admin.waitForURL(/\/customers\/[0-9a-f-]{36}$/);

  await admin.goto(`${app.baseUrl}/search?q=${SEEDED_EXTERNAL_IDS[0].toLowerCase()}`);
  await admin.getByRole('alert').getByText('No customer with that').waitFor();
  // Two ids that differ only in case stop the change; the refusal links both customers.
  await addCustomer(admin, 'Clash', 'Upper', 'CLASH-E2E');
  const lower = await addCustomer(admin, 'Clash', 'Lower', 'clash-e2e');
  await admin.goto(`${app.baseUrl}/admin/settings`);
  await hydrated(admin);
  const section = admin.locator('section[aria-labelledby="external-id-case-title"]');
  const save = async (status) => Promise.all([
    admin.waitForResponse((r) => r.url().endsWith('/api/set_external_id_case') && r.status() === status),
    section.getByRole('button', { name: 'Save external id matching' }).click(),
  ]);
  await section.getByLabel(/Ignore letter case/).check();
  await save(409);
  await section.getByRole('alert').getByText('CLASH-E2E (Clash Upper) and clash-e2e (Clash Lower)').waitFor();
  await section.locator('.case-clashes').getByRole('link', { name: 'clash-e2e', exact: true }).waitFor();
  await assertAccessible(admin, 'settings refusing to ignore case');
  await section.screenshot({ path: join(ARTIFACTS, 'settings-external-id-case-refused.png') });
  await section.locator('.case-clashes').getByRole('link', { name: 'clash-e2e', exact: true }).click();
  await admin.waitForURL(`**/customers/${lower}/profile`);
  await hydrated(admin);
  await admin.getByRole('button', { name: 'Edit profile' }).click();
  await admin.fill('#edit-external-id', 'clash-e2e-2');
  await admin.getByRole('button', { name: 'Save profile' }).click();
  await admin.locator('.fact-list').getByText('clash-e2e-2').waitFor();

  await admin.goto(`${app.baseUrl}/admin/settings`);
  await hydrated(admin);
  await section.getByLabel(/Ignore letter case/).check();
  await save(200);
  await section.getByRole('status').getByText('external ids now match whatever their letters\' case').waitFor();
  await assertAccessible(admin, 'settings with external id matching');
  await admin.goto(`${app.baseUrl}/search?q=${SEEDED_EXTERNAL_IDS[0].toLowerCase()}`);
  await admin.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  // An id is shown as entered; its case is ignored only to find it.
  const mixed = await addCustomer(admin, 'Ida', 'Mixed', 'QA-Case-C6mje');
  await admin.goto(`${app.baseUrl}/customers/${mixed}/profile`);
  await admin.locator('.fact-list').getByText('QA-Case-C6mje', { exact: true }).waitFor();
  await admin.goto(`${app.baseUrl}/search?q=qa-case-c6mje`);
  await admin.waitForURL(`**/customers/${mixed}`);
  await admin.context().close();
});

/** Adds a customer through Add Customer; the new profile's id. */
async function addCustomer(page, first, last, externalId) {
  await page.goto(`${app.baseUrl}/customers/new`);
  await hydrated(page);
  await page.fill('#new-first-name', first);
  await page.fill('#new-last-name', last);
  await page.fill('#new-external-id', externalId);
  await Promise.all([
    page.waitForURL(/\/customers\/[0-9a-f-]{36}$/),
    page.click('button:has-text("Add customer")'),
  ]);
  return page.url().match(/customers\/([0-9a-f-]{36})/)[1];
}
