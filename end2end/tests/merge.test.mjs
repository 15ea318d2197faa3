// Duplicates and merges in a real browser: a second profile for the same person is flagged on
// its page, a supervisor compares the two, chooses where they differ, merges, finds the old
// address leading to the survivor, and undoes the merge; the organisation's list of likely
// duplicates; a care agent sees duplicates but cannot merge. Desktop and tablet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, hydrated, signedInPage, assertAccessible, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** Adds a customer through Add Customer and returns the new profile's id. */
async function addCustomer(page, fields) {
  await page.goto(`${app.baseUrl}/customers/new`);
  await hydrated(page);
  for (const [id, value] of Object.entries(fields)) {
    if (value === true) await page.check(`#${id}`);
    else await page.fill(`#${id}`, value);
  }
  await Promise.all([
    page.waitForURL(/\/customers\/[0-9a-f-]{36}$/),
    page.click('button:has-text("Add customer")'),
  ]);
  await page.waitForSelector('.profile-header h1');
  await hydrated(page);
  return page.url().match(/customers\/([0-9a-f-]{36})/)[1];
}

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: a supervisor finds a duplicate from the profile, previews, merges and undoes`, async () => {
    const page = await signedInPage(app, 'supervisor@demo.test', VIEWPORTS[size]);
    const tag = size === 'desktop' ? 'd' : 't';
    const first = await addCustomer(page, {
      'new-first-name': 'Merle', 'new-last-name': `Twofold${tag}`, 'new-date-of-birth': '1985-05-05',
      'new-email': `merle.twofold.${tag}@example.com`, 'new-postal-code': 'AB1 2CD', 'new-sms-opt-in': true,
    });
    const second = await addCustomer(page, {
      'new-first-name': 'Merle', 'new-last-name': `Twofold${tag}`, 'new-date-of-birth': '1985-05-05',
      'new-email': `merletwofold${tag}+shop@example.com`, 'new-postal-code': 'ZZ9 9ZZ',
    });
    // The new profile says another may be the same person.
    const notice = page.getByRole('note').filter({ hasText: 'Another profile may be this person' });
    await notice.waitFor();
    await notice.getByRole('link').click();
    await page.waitForURL(new RegExp(`/customers/${second}/profile#duplicates-title$`));
    const duplicates = page.locator('section[aria-labelledby="duplicates-title"]');
    await duplicates.locator(`a[href="/customers/${first}"]`).waitFor();
    // The link brings the panel into view (it is far down the Profile tab) and focus to it.
    await page.waitForFunction(() => {
      const title = document.getElementById('duplicates-title');
      const box = title.getBoundingClientRect();
      return document.activeElement === title && box.top >= 0 && box.bottom <= window.innerHeight;
    }, null, { timeout: 5000 });
    const reasons = await duplicates.locator('.duplicate-reasons li').allTextContents();
    assert.ok(reasons.some((r) => r.startsWith('Same name and date of birth')), reasons.join(' | '));
    assert.ok(reasons.some((r) => r.startsWith('Same email apart from dots or a +suffix')), reasons.join(' | '));
    await hydrated(page);
    await assertAccessible(page, `${size} profile with possible duplicates`);

    await duplicates.getByRole('link', { name: /Compare and merge/ }).click();
    await page.waitForURL(`**/customers/${second}/merge/${first}`);
    await page.waitForSelector('h2#merge-title');
    await hydrated(page);
    const address = page.locator('fieldset.choice', { hasText: 'Address' });
    await address.waitFor();
    // An opt-out is suggested over an opt-in.
    assert.equal(await page.locator('fieldset.choice', { hasText: 'SMS' }).getByLabel('Opted out').isChecked(), true);
    await address.getByLabel('AB1 2CD').check();
    await assertAccessible(page, `${size} merge preview`);
    await page.screenshot({ path: join(ARTIFACTS, `merge-preview-${size}.png`), fullPage: true });
    await Promise.all([
      page.waitForURL(`**/customers/${second}/profile`),
      page.getByRole('button', { name: /^Merge into/ }).click(),
    ]);
    const merges = page.locator('section[aria-labelledby="merges-title"]');
    await merges.getByText('was merged into this profile').waitFor();
    await page.getByText('Postal code').first().waitFor();
    assert.ok((await page.locator('.fact-list').allTextContents()).join(' ').includes('AB1 2CD'), 'the chosen address');

    // The merged-away profile's address leads here.
    await page.goto(`${app.baseUrl}/customers/${first}/profile`);
    await page.waitForURL(`**/customers/${second}/profile`);
    await hydrated(page);
    await page.screenshot({ path: join(ARTIFACTS, `merge-done-${size}.png`), fullPage: true });
    await assertAccessible(page, `${size} profile after a merge`);

    await page.getByRole('button', { name: 'Undo merge' }).click();
    await page.getByRole('status').filter({ hasText: 'Merge undone' }).waitFor();
    await page.goto(`${app.baseUrl}/customers/${first}`);
    await page.waitForSelector('.profile-header h1');
    assert.ok(page.url().endsWith(`/customers/${first}`), 'the restored profile has its own page again');
    await page.context().close();
  });
}

test('supervisors work through the list of likely duplicates; agents see duplicates but cannot merge', async () => {
  const supervisor = await signedInPage(app, 'supervisor@demo.test', VIEWPORTS['tablet-portrait']);
  const a = await addCustomer(supervisor, { 'new-first-name': 'Orla', 'new-last-name': 'Listed', 'new-date-of-birth': '1970-01-09', 'new-external-id': 'LIST-1', 'new-postal-code': 'EH1 1YZ' });
  const b = await addCustomer(supervisor, { 'new-first-name': 'Orla', 'new-last-name': 'Listed', 'new-date-of-birth': '1970-01-09', 'new-external-id': 'LIST-2', 'new-postal-code': 'eh11yz' });
  await supervisor.getByRole('link', { name: 'Duplicates' }).click();
  await supervisor.waitForURL('**/duplicates');
  await supervisor.getByRole('link', { name: 'Same name and date of birth' }).click();
  await supervisor.waitForURL('**/duplicates?reason=name_and_birth');
  const row = supervisor.locator('table.duplicate-groups tr', { hasText: 'Orla Listed' });
  await row.first().waitFor();
  await hydrated(supervisor);
  await assertAccessible(supervisor, 'tablet duplicates list');
  await supervisor.screenshot({ path: join(ARTIFACTS, 'duplicates-list-tablet-portrait.png'), fullPage: true });
  // The same two, by name and postcode (written differently).
  await supervisor.getByRole('link', { name: 'Same name and postcode' }).click();
  await supervisor.waitForURL('**/duplicates?reason=name_and_postcode');
  await supervisor.locator('table.duplicate-groups tr', { hasText: 'EH11YZ' }).getByText('Orla Listed').first().waitFor();
  await assertAccessible(supervisor, 'tablet duplicates by name and postcode');
  await supervisor.getByRole('link', { name: 'Same name and date of birth' }).click();
  await supervisor.waitForURL('**/duplicates?reason=name_and_birth');
  await row.first().waitFor();
  await row.getByRole('link', { name: 'Compare' }).click();
  await supervisor.waitForURL(new RegExp(`/customers/(${a}|${b})/merge/(${a}|${b})$`));
  await supervisor.waitForSelector('h2#merge-title');
  await supervisor.context().close();

  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS.desktop);
  await agent.goto(`${app.baseUrl}/customers/${a}/profile`);
  await hydrated(agent);
  await agent.locator('section[aria-labelledby="duplicates-title"]').getByText('Orla Listed').waitFor();
  assert.equal(await agent.getByRole('link', { name: /Compare and merge/ }).count(), 0);
  assert.equal(await agent.getByRole('link', { name: 'Duplicates' }).count(), 0);
  await agent.goto(`${app.baseUrl}/customers/${a}/merge/${b}`);
  await agent.getByText('You do not have').first().waitFor();
  await agent.context().close();
});
