// Phone numbers as people type them, in a real browser: an admin makes the organisation a US
// one (its phone country); a store associate on a tablet adds a customer with a US national
// number, finds them by the international spelling and sees the number in US format on the
// Profile tab (read by an admin); a number that cannot exist is refused at the field with the form expected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, assertAccessible, assertNoSidewaysScroll, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp({ customers: 20 }); });
after(async () => { await app?.stop(); });

test('an admin makes the organisation a US one', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.waitForSelector('#phone-region');
  await hydrated(admin);
  assert.equal(await admin.inputValue('#phone-region'), 'GB', 'a new organisation reads numbers as British');
  await admin.selectOption('#phone-region', 'US');
  await Promise.all([
    admin.waitForResponse((r) => r.url().includes('set_phone_region') && r.status() === 200),
    admin.getByRole('button', { name: 'Save phone country' }).click(),
  ]);
  await admin.reload();
  await admin.waitForSelector('#phone-region');
  assert.equal(await admin.inputValue('#phone-region'), 'US', 'the choice is kept');
  await assertAccessible(admin, 'settings with the US as phone country');
  await admin.context().close();
});

test('tablet: an associate adds a US customer by (201) 555-0126 and finds them by +1 201-555-0126', async () => {
  const page = await signedInPage(app, 'associate@demo.test', VIEWPORTS['tablet-portrait'], '/customers/new');
  await page.waitForSelector('#new-first-name');
  await hydrated(page);
  await page.fill('#new-first-name', 'Dolores');
  await page.fill('#new-last-name', 'Abernathy');
  await page.fill('#new-phone', '555-0126');
  await page.click('button:has-text("Add customer")');
  await page.waitForSelector('#new-phone-error:has-text("not a valid US phone number")');
  await page.screenshot({ path: join(ARTIFACTS, 'add-customer-us-phone-error-tablet-portrait.png'), fullPage: true });
  await page.fill('#new-phone', '(201) 555-0126');
  await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.click('button:has-text("Add customer")')]);
  await page.waitForSelector('.profile-header h1:has-text("Dolores Abernathy")');
  const id = page.url().match(/customers\/([0-9a-f-]{36})/)[1];

  await page.fill('#global-search', '+1 201-555-0126');
  await Promise.all([page.waitForURL(`**/customers/${id}`), page.press('#global-search', 'Enter')]);
  await page.waitForSelector('.profile-header h1:has-text("Dolores Abernathy")');
  await hydrated(page);
  await assertNoSidewaysScroll(page, 'the US customer found at 768 px');
  await page.screenshot({ path: join(ARTIFACTS, 'us-customer-found-tablet-portrait.png'), fullPage: true });
  await page.context().close();

  // Someone who may see contact details reads the number in the US's own format.
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS['tablet-portrait'], `/customers/${id}/profile`);
  await admin.waitForSelector('main :text("(201) 555-0126")');
  await admin.context().close();
});
