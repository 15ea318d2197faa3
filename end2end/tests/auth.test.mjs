// Platform users in a real browser: sign-in errors and lockout, per-user permissions enforced
// in the UI and by the server, an admin granting a permission, settings, the audit trail, and
// an expired session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, hydrated, signIn, signedInPage, assertAccessible, VIEWPORTS, ARTIFACTS, DEMO_PASSWORD,
} from './harness.mjs';

let app;
before(async () => { app = await startApp({ customers: 10 }); });
after(async () => { await app?.stop(); });

const FIRST_EXTERNAL_ID = 'CRM-00000031';

async function openFirstCustomer(page) {
  await page.goto(`${app.baseUrl}/search?q=${FIRST_EXTERNAL_ID}`);
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  await page.waitForSelector('.profile-header h1');
  await hydrated(page);
}

async function balance(page) {
  return Number((await page.textContent('[data-testid=points-balance]')).replace(/[^\d-]/g, ''));
}

test('signing out and back in; a wrong password gets a clear message at the field', async () => {
  const page = await app.browser.newPage();
  const response = await page.goto(`${app.baseUrl}/customers/anything`);
  assert.match(page.url(), /\/sign-in\?next=%2Fcustomers%2Fanything$/);
  assert.equal(response.status(), 200);
  await hydrated(page);
  await assertAccessible(page, 'sign-in');
  await page.fill('#sign-in-email', 'agent@demo.test');
  await page.fill('#sign-in-password', 'not the password');
  await page.click('button[type=submit]');
  await page.waitForSelector('#sign-in-password-error:text("The email or password is incorrect.")');
  assert.equal(await page.getAttribute('#sign-in-password', 'aria-invalid'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'sign-in-error-desktop.png') });
  await page.fill('#sign-in-password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${app.baseUrl}/customers/anything`), page.click('button[type=submit]')]);
  await hydrated(page);
  assert.match(await page.textContent('.user-menu'), /Cara Agent/);
  await Promise.all([page.waitForURL(/\/sign-in/), page.click('.user-menu button')]);
  await page.goto(`${app.baseUrl}/`);
  assert.match(page.url(), /\/sign-in/, 'signed out for real');
  await page.close();
});

test('five wrong passwords lock the email with a message that says for how long', async () => {
  const page = await app.browser.newPage();
  await page.goto(`${app.baseUrl}/sign-in`);
  await hydrated(page);
  await page.fill('#sign-in-email', 'privacy@demo.test');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.fill('#sign-in-password', `wrong password ${attempt}`);
    await page.click('button[type=submit]');
    await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);
  }
  await page.fill('#sign-in-password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]:text("locked for 15 more minutes")');
  assert.match(page.url(), /\/sign-in/);
  await page.close();
});

for (const [size, options] of Object.entries(VIEWPORTS)) {
  test(`${size}: a store associate sees no points or admin tools, and the server refuses them`, async () => {
    const page = await signedInPage(app, 'associate@demo.test', options);
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
    await openFirstCustomer(page);
    assert.equal(await page.getByRole('button', { name: /Adjust/ }).count(), 0);
    const email = await page.goto(`${page.url()}/profile`).then(() => page.textContent('main'));
    assert.match(email, /•••/, 'personal data is masked');
    const id = page.url().match(/customers\/([0-9a-f-]{36})/)[1];
    const status = await page.evaluate(async (customerId) => {
      const body = new URLSearchParams({ customer_id: customerId, points: '100', reason: 'forged' });
      const response = await fetch('/api/adjust_points', { method: 'POST', body });
      return response.status;
    }, id);
    assert.equal(status, 403, 'a direct server-function call is refused');
    await page.goto(`${app.baseUrl}/admin/users`);
    await page.waitForSelector('[role=alert]:has-text("users.manage")');
    await page.screenshot({ path: join(ARTIFACTS, `forbidden-${size}.png`) });
    await page.context().close();
  });
}

test('an admin grants points.adjust; then the associate adjusts points; all of it is audited', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/users');
  await admin.waitForSelector('table.data-table');
  await assertAccessible(admin, 'admin users');
  await admin.screenshot({ path: join(ARTIFACTS, 'admin-users-desktop.png'), fullPage: true });
  await admin.getByRole('link', { name: 'Stan Associate' }).click();
  await admin.waitForSelector('#perm-points-adjust');
  await hydrated(admin);
  assert.equal(await admin.isChecked('#perm-points-adjust'), false);
  await assertAccessible(admin, 'admin user detail');
  await admin.check('#perm-points-adjust');
  await admin.waitForFunction(() => document.querySelector('#perm-points-adjust')?.checked === true);
  await admin.waitForTimeout(300);
  await admin.reload();
  await admin.waitForSelector('#perm-points-adjust');
  assert.equal(await admin.isChecked('#perm-points-adjust'), true, 'the grant was saved');

  const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS['tablet-landscape']);
  await openFirstCustomer(associate);
  const start = await balance(associate);
  await associate.getByRole('button', { name: 'Adjust points' }).click();
  await associate.waitForSelector('dialog[open]');
  await assertAccessible(associate, 'adjust points dialog');
  await associate.fill('#adjust-points', String(-(start + 1)));
  await associate.fill('#adjust-reason', 'Testing a refusal');
  await associate.click('dialog button[type=submit]');
  await associate.waitForSelector('#adjust-points-error:text("below zero")');
  await associate.screenshot({ path: join(ARTIFACTS, 'adjust-points-error-tablet-landscape.png') });
  await associate.fill('#adjust-points', '25');
  await associate.fill('#adjust-reason', 'Missing receipt points');
  await associate.click('dialog button[type=submit]');
  await associate.waitForSelector('dialog[open]', { state: 'detached' }).catch(() => {});
  await associate.waitForFunction((expected) =>
    document.querySelector('[data-testid=points-balance]')?.textContent.replace(/[^\d-]/g, '') === String(expected),
  start + 25);
  await associate.context().close();

  await admin.goto(`${app.baseUrl}/admin/audit`);
  await admin.waitForSelector('table.audit-table');
  const actions = await admin.locator('table.audit-table tbody td:nth-child(3)').allTextContents();
  for (const action of ['users.grant', 'points.adjust', 'auth.sign_in', 'auth.sign_in_failed']) {
    assert.ok(actions.includes(action), `${action} in ${actions}`);
  }
  await admin.selectOption('#audit-action', 'points.adjust');
  await Promise.all([admin.waitForURL(/action=points.adjust/), admin.click('form.filters button[type=submit]')]);
  await admin.waitForSelector('table.audit-table');
  const filtered = await admin.locator('table.audit-table tbody td:nth-child(3)').allTextContents();
  assert.ok(filtered.length > 0 && filtered.every((a) => a === 'points.adjust'), filtered.join(','));
  await assertAccessible(admin, 'audit trail');
  await admin.screenshot({ path: join(ARTIFACTS, 'audit-desktop.png'), fullPage: true });
  await admin.context().close();
});

test('an admin adds a user, deactivates them (sign-in refused), reactivates them and resets the password', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS['tablet-portrait'], '/admin/users');
  await admin.waitForSelector('#new-user-name');
  await hydrated(admin);
  await admin.fill('#new-user-name', 'Nina New');
  await admin.fill('#new-user-email', 'agent@demo.test');
  await admin.selectOption('#new-user-role', 'care_agent');
  await admin.fill('#new-user-password', 'a new agent passphrase');
  await admin.getByRole('button', { name: 'Add user' }).click();
  await admin.waitForSelector('#new-user-email-error:has-text("already exists")');
  await admin.fill('#new-user-email', 'nina@demo.test');
  await admin.getByRole('button', { name: 'Add user' }).click();
  await admin.waitForSelector('table.data-table a:text("Nina New")');
  await admin.screenshot({ path: join(ARTIFACTS, 'admin-users-tablet-portrait.png'), fullPage: true });
  await admin.click('table.data-table a:text("Nina New")');
  await admin.waitForSelector('#perm-customers-search');
  await hydrated(admin);
  assert.equal(await admin.isChecked('#perm-points-adjust'), true, 'care agents start with points.adjust');
  assert.equal(await admin.isChecked('#perm-status-change'), false, 'care agents start without status.change');
  await admin.getByRole('button', { name: 'Deactivate user' }).click();
  await admin.waitForSelector('button:text("Reactivate user")');

  const nina = await app.browser.newPage();
  await nina.goto(`${app.baseUrl}/sign-in`);
  await hydrated(nina);
  await nina.fill('#sign-in-email', 'nina@demo.test');
  await nina.fill('#sign-in-password', 'a new agent passphrase');
  await nina.click('button[type=submit]');
  await nina.waitForSelector('#sign-in-email-error:has-text("deactivated")');

  await admin.getByRole('button', { name: 'Reactivate user' }).click();
  await admin.waitForSelector('button:text("Deactivate user")');
  await admin.fill('#reset-password', 'short');
  await admin.getByRole('button', { name: 'Set password' }).click();
  await admin.waitForSelector('#reset-password-error:has-text("at least 12")');
  await admin.fill('#reset-password', 'a replaced passphrase');
  await admin.getByRole('button', { name: 'Set password' }).click();
  await admin.waitForSelector('text=Password changed.');

  await nina.fill('#sign-in-password', 'a replaced passphrase');
  await Promise.all([nina.waitForURL((url) => !url.pathname.startsWith('/sign-in')), nina.click('button[type=submit]')]);
  await hydrated(nina);
  assert.match(await nina.textContent('.user-menu'), /Nina New/);
  await nina.close();
  await admin.context().close();
});

test('settings: a status colour too light for white text is refused at the field; search mode saves', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.waitForSelector('#mode-exact');
  await hydrated(admin);
  await assertAccessible(admin, 'settings');
  await admin.fill('#new-status-name', 'Pale');
  await admin.fill('#new-status-colour', '#eeeeee');
  await admin.getByRole('button', { name: 'Add status' }).click();
  await admin.waitForSelector('#new-status-colour-error:text("contrast")');
  await admin.fill('#new-status-name', 'Fraud review');
  await admin.fill('#new-status-colour', '#8a1c1c');
  await admin.getByRole('button', { name: 'Add status' }).click();
  await admin.waitForSelector('.status-type-list input[value="Fraud review"]');
  await admin.check('#mode-advanced');
  await admin.getByRole('button', { name: 'Save search mode' }).click();
  await admin.waitForTimeout(300);
  await admin.reload();
  await admin.waitForSelector('#mode-advanced');
  assert.equal(await admin.isChecked('#mode-advanced'), true);
  await admin.screenshot({ path: join(ARTIFACTS, 'settings-desktop.png'), fullPage: true });
  await admin.context().close();
});

test('settings: an unknown time zone is refused at the field; a chosen one is how pages show times', async () => {
  const own = await startApp({ customers: 3 });
  try {
    const admin = await signedInPage(own, 'admin@demo.test', VIEWPORTS['tablet-landscape'], '/admin/settings');
    await admin.waitForSelector('#time-zone');
    await hydrated(admin);
    assert.equal(await admin.inputValue('#time-zone'), 'UTC');
    await admin.fill('#time-zone', 'Mars/Olympus_Mons');
    await admin.getByRole('button', { name: 'Save time zone' }).click();
    await admin.waitForSelector('#time-zone-error:text("Choose a time zone")');
    await admin.fill('#time-zone', 'America/New_York');
    await admin.getByRole('button', { name: 'Save time zone' }).click();
    await admin.waitForFunction(() => document.querySelector('#time-zone-error')?.textContent === ''
      && document.querySelector('#time-zone')?.value === 'America/New_York');
    await admin.screenshot({ path: join(ARTIFACTS, 'settings-time-zone-tablet-landscape.png'), fullPage: true });

    await admin.goto(`${own.baseUrl}/search?q=${FIRST_EXTERNAL_ID}`);
    await admin.waitForSelector('table.events tbody tr');
    await hydrated(admin);
    const times = await admin.$$eval('table.events tbody tr td:first-child', (cells) => cells.map((c) => c.textContent.trim()));
    assert.ok(times.length > 0);
    assert.ok(times.every((t) => / E[SD]T$/.test(t)), `times in New York's zone: ${times.join(', ')}`);
    assert.deepEqual(admin.browserErrors, [], 'no hydration errors');
    // A tab rendered by the browser itself shows them in the same zone.
    await Promise.all([admin.waitForURL(/\/activity\/points$/), admin.getByRole('link', { name: 'Points', exact: true }).click()]);
    await admin.waitForSelector('table.ledger tbody tr');
    const ledger = await admin.$$eval('table.ledger tbody tr td:first-child', (cells) => cells.map((c) => c.textContent.trim()));
    assert.ok(ledger.length > 0 && ledger.every((t) => / E[SD]T$/.test(t)), `ledger times in New York's zone: ${ledger.join(', ')}`);
    await admin.context().close();
  } finally {
    await own.stop();
  }
});

test('an expired session sends the agent to sign in with a message, then back', async () => {
  const short = await startApp({ customers: 3, serverArgs: ['--session-idle-secs', '2'] });
  try {
    const page = await short.browser.newPage();
    await signIn(page, short.baseUrl, 'agent@demo.test', '/admin');
    await page.waitForTimeout(3_500);
    await page.goto(`${short.baseUrl}/search?q=${FIRST_EXTERNAL_ID}`);
    await page.waitForSelector('text=Your session expired');
    await hydrated(page);
    assert.match(page.url(), /reason=expired/);
    await page.fill('#sign-in-email', 'agent@demo.test');
    await page.fill('#sign-in-password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(/\/customers\//), page.click('button[type=submit]')]);
  } finally {
    await short.stop();
  }
});
