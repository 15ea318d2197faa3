// Stored XSS as the security review found it: a store associate adds a customer whose name is
// markup, an admin opens the profile. Nothing may run (no dialog), the Content-Security-Policy
// must report no violation (nothing was even attempted), and the name reads as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, hydrated, signedInPage, VIEWPORTS, ARTIFACTS } from './harness.mjs';

let app;
before(async () => { app = await startApp({ customers: 5 }); });
after(async () => { await app?.stop(); });

const FIRST = '</title><img src=x onerror=alert(1)>';
const LAST = '<script>alert(2)</script>';

/** Collects the page's CSP violation reports (the listener is added before any page script). */
async function watchViolations(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

test('a customer named with markup shows as text to an admin, and nothing runs', async () => {
  const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS['tablet-portrait'], '/customers/new');
  await associate.waitForSelector('#new-first-name');
  await associate.fill('#new-first-name', FIRST);
  await associate.fill('#new-last-name', LAST);
  await associate.fill('#new-external-id', 'XSS-E2E-1');
  await Promise.all([
    associate.waitForURL(/\/customers\/[0-9a-f-]{36}$/),
    associate.getByRole('button', { name: 'Add customer' }).click(),
  ]);
  const profileUrl = associate.url();
  await associate.context().close();

  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop);
  await watchViolations(admin);
  await admin.goto(profileUrl);
  await hydrated(admin);
  await admin.waitForSelector('.profile-header h1');
  assert.equal(await admin.title(), `${FIRST} ${LAST} · Customer Profiles`, 'the title is the name as text');
  const heading = await admin.textContent('.profile-header h1');
  assert.ok(heading.includes(FIRST) && heading.includes(LAST), heading);
  assert.equal(await admin.locator('img[src=x]').count(), 0, 'no injected image element');
  await admin.goto(`${profileUrl}/profile`);
  await hydrated(admin);
  await admin.screenshot({ path: join(ARTIFACTS, 'security-markup-name.png'), fullPage: true });
  assert.deepEqual(await admin.evaluate(() => window.__violations), [], 'CSP violations');
  assert.deepEqual(admin.browserErrors, [], 'dialogs or CSP errors');
  await admin.context().close();
});
