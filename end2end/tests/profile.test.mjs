// The profile in a real browser: status flag, access tools (with a local SMTP sink), the
// Profile tab's inline edit (validation, duplicates, concurrent edits), notes, locations and
// digital properties, with the permission refusals, at desktop and tablet sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import {
  startApp, startSmtpSink, startFakeZendesk, hydrated, signedInPage, openCustomer, assertAccessible,
  SEEDED_EXTERNAL_IDS, VIEWPORTS, ARTIFACTS,
} from './harness.mjs';

let app;
let smtp;
let zendesk;
const WEBHOOK_SECRET = 'whsec-e2e';
before(async () => {
  smtp = await startSmtpSink();
  zendesk = await startFakeZendesk();
  app = await startApp({ serverArgs: [
    '--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--mail-from', 'Care <care@brand.test>',
    '--zendesk-url', zendesk.url, '--zendesk-email', 'agent@brand.test', '--zendesk-token', 'token',
    '--zendesk-webhook-secret', WEBHOOK_SECRET,
  ] });
});
after(async () => { await app?.stop(); smtp?.close(); zendesk?.close(); });

/** Status of a direct server-function call from the signed-in page. */
async function callStatus(page, endpoint, fields) {
  return page.evaluate(async ([url, body]) => {
    const response = await fetch(url, { method: 'POST', body: new URLSearchParams(body) });
    return response.status;
  }, [`/api/${endpoint}`, fields]);
}

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: a supervisor changes the status from the flag; an agent cannot`, async () => {
    const page = await signedInPage(app, 'supervisor@demo.test', VIEWPORTS[size]);
    const id = await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[1]);
    const target = size === 'desktop' ? 'Watch' : 'VIP';
    await page.getByRole('button', { name: /^Status: .* \(change\)/ }).click();
    await page.waitForSelector('dialog[open] input[name=status_id]');
    await assertAccessible(page, `status dialog at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `status-dialog-${size}.png`) });
    await page.getByLabel(target, { exact: true }).check();
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.waitForSelector(`.status-flag:has-text("${target}")`);
    await page.goto(`${app.baseUrl}/customers/${id}`);
    await page.waitForSelector(`table.events tbody tr:has-text("to ${target}")`);
    await page.context().close();

    const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[1]);
    assert.equal(await agent.getByRole('button', { name: /\(change\)/ }).count(), 0, 'no chooser without status.change');
    assert.equal(await callStatus(agent, 'change_status', { customer_id: id, status_id: 'active' }), 403);
    await agent.context().close();
  });
}

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: access tools send a real password-reset email and reset SMS verification`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    const id = await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'profile');
    const email = (await page.locator('dt:text-is("Email") + dd').textContent()).trim();
    await page.goto(`${app.baseUrl}/customers/${id}`);
    await hydrated(page);
    const before = smtp.messages.length;
    await page.getByRole('button', { name: 'Send password-reset email' }).click();
    await page.waitForSelector(`.access-outcome:has-text("Password-reset email sent to ${email}")`);
    assert.equal(smtp.messages.length, before + 1, 'the SMTP sink received the message');
    const message = smtp.messages.at(-1);
    assert.ok(message.to.some((rcpt) => rcpt.includes(email)), message.to.join(','));
    assert.match(message.data, /Subject: Reset your password/);
    assert.match(message.data, /From: Care <care@brand.test>/);

    await page.getByRole('button', { name: 'Reset SMS verification' }).click();
    await page.waitForSelector('.access-outcome:has-text("verify")');
    await assertAccessible(page, `access tools at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `access-tools-${size}.png`) });
    await page.goto(`${app.baseUrl}/customers/${id}/profile`);
    await page.waitForSelector('dt:text-is("Phone verified") + dd:text-is("No")');
    await page.goto(`${app.baseUrl}/customers/${id}`);
    await page.waitForSelector('table.events tbody tr:has-text("Password reset sent")');
    await page.context().close();

    const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(associate, app.baseUrl, SEEDED_EXTERNAL_IDS[0]);
    assert.equal(await associate.getByRole('button', { name: 'Reset SMS verification' }).count(), 0);
    assert.equal(await callStatus(associate, 'send_password_reset', { customer_id: id }), 403);
    await associate.context().close();
  });
}

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: the Profile tab edits inline with validation at the field, cancel and save`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    const id = await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[2], 'profile');
    await page.getByRole('button', { name: 'Edit profile' }).click();
    await page.waitForSelector('form[aria-label="Edit profile"]');
    await page.fill('#edit-first-name', 'Discarded');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('button:has-text("Edit profile")');
    assert.equal(await page.locator('dd:text-is("Discarded")').count(), 0, 'cancel discards');

    await page.getByRole('button', { name: 'Edit profile' }).click();
    const newName = size === 'desktop' ? 'Rosalind' : 'Hypatia';
    await page.fill('#edit-first-name', newName);
    await page.fill('#edit-email', 'not-an-email');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.waitForSelector('#edit-email-error:has-text("name@example.com")');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-email', 'focus moves to the field');
    assert.equal(await page.inputValue('#edit-first-name'), newName, 'nothing typed is lost');
    await assertAccessible(page, `profile edit at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `profile-edit-${size}.png`), fullPage: true });

    // Another customer's email is refused at the email field.
    const other = await page.context().newPage();
    await openCustomer(other, app.baseUrl, SEEDED_EXTERNAL_IDS[3], 'profile');
    const taken = (await other.locator('dt:text-is("Email") + dd').textContent()).trim();
    await other.close();
    await page.fill('#edit-email', taken);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.waitForSelector('#edit-email-error:has-text("Another customer already has this email")');

    await page.fill('#edit-email', `${newName.toLowerCase()}.${size}@example.org`);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.waitForSelector(`dd:text-is("${newName}")`);
    await page.waitForSelector(`.profile-header h1:has-text("${newName}")`);
    await page.goto(`${app.baseUrl}/customers/${id}`);
    await page.waitForSelector('table.events tbody tr:has-text("Profile updated")');
    await page.context().close();
  });
}

test('tablet-portrait: concurrent edits — the second save is told the profile changed and keeps its input', async () => {
  const first = await signedInPage(app, 'agent@demo.test', VIEWPORTS['tablet-portrait']);
  const second = await signedInPage(app, 'supervisor@demo.test', VIEWPORTS.desktop);
  await openCustomer(first, app.baseUrl, SEEDED_EXTERNAL_IDS[3], 'profile');
  await openCustomer(second, app.baseUrl, SEEDED_EXTERNAL_IDS[3], 'profile');
  for (const page of [first, second]) {
    await page.getByRole('button', { name: 'Edit profile' }).click();
    await page.waitForSelector('#edit-city');
  }
  await first.fill('#edit-city', 'Galway');
  await first.getByRole('button', { name: 'Save profile' }).click();
  await first.waitForSelector('dd:text-is("Galway")');

  await second.fill('#edit-city', 'Cork');
  await second.getByRole('button', { name: 'Save profile' }).click();
  await second.waitForSelector('[role=alert]:has-text("Someone else saved this profile")');
  assert.equal(await second.inputValue('#edit-city'), 'Cork', 'the second agent keeps what they typed');
  await second.screenshot({ path: join(ARTIFACTS, 'profile-conflict-desktop.png'), fullPage: true });
  await second.getByRole('button', { name: 'Discard my changes and load the latest profile' }).click();
  await second.waitForSelector('dd:text-is("Galway")');
  await first.context().close();
  await second.context().close();

  const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS['tablet-portrait']);
  const id = await openCustomer(associate, app.baseUrl, SEEDED_EXTERNAL_IDS[3], 'profile');
  assert.equal(await associate.getByRole('button', { name: 'Edit profile' }).count(), 0);
  assert.equal(await callStatus(associate, 'update_customer_profile', { id, version: '1', 'form[email]': 'x@example.com' }), 403);
  await associate.context().close();
});

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: notes are added with a reason, edited (marked) and deleted; refused without notes.write`, async () => {
    const page = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'notes');
    await page.waitForSelector('#note-body');
    await page.fill('#note-body', '   ');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForSelector('#note-body-error:has-text("Write the note")');
    const text = `Customer asked about a missing stamp (${size})`;
    await page.selectOption('#note-reason', 'Points query');
    await page.fill('#note-body', text);
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('li.note', { hasText: text });
    await note.waitFor();
    assert.match(await note.textContent(), /Points query/);
    assert.match(await note.textContent(), /Stan Associate/);
    assert.equal((await page.locator('li.note .note-body').first().textContent()).trim(), text, 'newest first');
    await assertAccessible(page, `notes at ${size}`);

    await note.getByRole('button', { name: 'Edit note' }).click();
    const editor = note.locator('textarea');
    await editor.fill(`${text} — resolved`);
    await note.getByRole('button', { name: 'Save note' }).click();
    const edited = page.locator('li.note', { hasText: `${text} — resolved` });
    await edited.locator('.note-edited:has-text("by Stan Associate")').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `notes-${size}.png`), fullPage: true });

    // The Activity tab's widget shows it too.
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await page.waitForSelector(`aside li.note:has-text("${text} — resolved")`);
    await page.getByRole('link', { name: 'All notes' }).click();
    // One tap on Delete only asks; Keep keeps the note (the confirmation was once always shown).
    await edited.waitFor();
    assert.equal(await edited.getByRole('group', { name: 'Confirm deletion' }).isVisible(), false, 'no confirmation until asked');
    assert.equal(await edited.getByRole('button', { name: 'Delete note' }).count(), 1, 'one Delete button until asked');
    await edited.getByRole('button', { name: 'Delete note' }).click();
    await edited.getByRole('button', { name: 'Keep' }).click();
    assert.equal(await edited.getByRole('group', { name: 'Confirm deletion' }).isVisible(), false, 'Keep closes the confirmation');
    assert.equal(await edited.count(), 1, 'the note is kept');
    await edited.getByRole('button', { name: 'Delete note' }).first().click();
    await edited.getByRole('button', { name: 'Delete note' }).last().click();
    await edited.waitFor({ state: 'detached' });
    await page.context().close();

    const officer = await signedInPage(app, 'privacy@demo.test', VIEWPORTS[size]);
    const id = await openCustomer(officer, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'notes');
    await officer.waitForSelector('h2:text-is("Notes")');
    assert.equal(await officer.locator('#note-body').count(), 0, 'no add form without notes.write');
    assert.equal(await callStatus(officer, 'add_note', { customer_id: id, reason: '', body: 'forged' }), 403);
    await officer.context().close();
  });
}

test('desktop: an admin adds a note reason and agents can file notes under it', async () => {
  const admin = await signedInPage(app, 'admin@demo.test', VIEWPORTS.desktop, '/admin/settings');
  await admin.waitForSelector('#new-reason-name');
  await hydrated(admin);
  await admin.fill('#new-reason-name', 'Complaint');
  await admin.getByRole('button', { name: 'Add reason' }).click();
  await admin.waitForSelector('#new-reason-name-error:has-text("already a reason")');
  await admin.fill('#new-reason-name', 'Delivery issue');
  await admin.getByRole('button', { name: 'Add reason' }).click();
  await admin.waitForSelector('.reason-list li:has-text("Delivery issue")');
  await assertAccessible(admin, 'settings with note reasons');
  await admin.context().close();

  const agent = await signedInPage(app, 'agent@demo.test', VIEWPORTS.desktop);
  await openCustomer(agent, app.baseUrl, SEEDED_EXTERNAL_IDS[1], 'notes');
  await agent.waitForSelector('#note-reason option:text-is("Delivery issue")', { state: 'attached' });
  await agent.context().close();
});

for (const size of ['desktop', 'tablet-portrait']) {
  test(`${size}: locations show the home store, recent stores and the nearest stores by distance`, async () => {
    const page = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'locations');
    await page.waitForSelector('table[aria-label="Nearest stores"] tbody tr');
    assert.equal(await page.locator('#home-store-title').count(), 1);
    assert.ok(await page.locator('section[aria-labelledby=recent-stores-title] tbody tr').count() > 0, 'recent stores');
    const distances = async () => (await page.locator('table[aria-label="Nearest stores"] td.numeric').allTextContents())
      .map((d) => Number.parseFloat(d));
    const first = await distances();
    assert.deepEqual(first, [...first].sort((a, b) => a - b), 'nearest first');
    assert.ok(first.every((d) => d > 0));
    await assertAccessible(page, `locations at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `locations-${size}.png`), fullPage: true });

    const options = await page.locator('#near-store option').evaluateAll((els) => els.map((e) => e.value));
    const current = await page.inputValue('#near-store');
    const other = options.find((o) => o !== current);
    await page.selectOption('#near-store', other);
    await Promise.all([page.waitForURL(new RegExp(`near=${other}`)), page.getByRole('button', { name: 'Show nearby stores' }).click()]);
    await page.waitForFunction((before) => {
      const cells = [...document.querySelectorAll('table[aria-label="Nearest stores"] td.numeric')].map((c) => c.textContent);
      return cells.length > 0 && cells.join() !== before;
    }, first.map((d) => `${d.toFixed(1)} km`).join());
    await page.context().close();
  });

  test(`${size}: digital properties list properties and devices from app events`, async () => {
    const page = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[0], 'digital-properties');
    await page.waitForSelector('#properties-title');
    await page.waitForSelector('section[aria-labelledby=properties-title] tbody tr');
    await page.waitForSelector('section[aria-labelledby=devices-title] tbody tr');
    const row = await page.locator('section[aria-labelledby=devices-title] tbody tr').first().textContent();
    assert.match(row, /iOS|Android|Web/);
    await assertAccessible(page, `digital properties at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `digital-properties-${size}.png`), fullPage: true });
    await page.context().close();
  });
}

for (const size of ['desktop', 'tablet-landscape']) {
  test(`${size}: the Support tab lists Zendesk tickets with links, and a signed webhook updates one`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    const id = await openCustomer(page, app.baseUrl, SEEDED_EXTERNAL_IDS[size === 'desktop' ? 1 : 2], 'profile');
    const email = (await page.locator('dt:text-is("Email") + dd').textContent()).trim();
    await page.goto(`${app.baseUrl}/customers/${id}/activity/support`);
    await hydrated(page);
    const rows = page.locator('table.support-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.first().textContent(), /open.*question.*Points missing after purchase/s);
    const href = await rows.first().locator('a').getAttribute('href');
    assert.ok(href.startsWith(`${zendesk.url}/agent/tickets/`), href);
    const ticketId = Number(href.split('/').at(-1));
    await assertAccessible(page, `support tab at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `support-${size}.png`), fullPage: true });

    const body = JSON.stringify({ ticket: { id: ticketId, status: 'pending', type: 'question',
      subject: 'Points missing after purchase', requester_email: email,
      created_at: '2026-11-10T09:30:00Z', updated_at: '2030-01-01T00:00:00Z' } });
    const timestamp = new Date().toISOString();
    const signature = createHmac('sha256', WEBHOOK_SECRET).update(timestamp + body).digest('base64');
    const post = (sig) => fetch(`${app.baseUrl}/api/v1/webhooks/zendesk`, { method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': sig,
        'x-zendesk-webhook-signature-timestamp': timestamp } });
    assert.equal((await post('d3Jvbmc=')).status, 401, 'a wrong signature is refused');
    assert.equal((await post(signature)).status, 200);
    await page.reload();
    await hydrated(page);
    await page.waitForSelector('table.support-table tbody tr:first-child:has-text("pending")');
    await page.context().close();
  });
}

for (const [size, externalId] of [['desktop', SEEDED_EXTERNAL_IDS[0]], ['tablet-portrait', SEEDED_EXTERNAL_IDS[1]]]) {
  test(`${size}: the Profile tab lists every identifier; an agent adds, makes primary and removes; taken and malformed values are refused at the field; an associate sees them masked`, async () => {
    const page = await signedInPage(app, 'agent@demo.test', VIEWPORTS[size]);
    const id = await openCustomer(page, app.baseUrl, externalId, 'profile');
    await page.waitForSelector('table.identifiers');
    const oldEmail = (await page.locator('dt:text-is("Email") + dd').textContent()).trim();
    const added = `second.${size}@example.net`;
    await page.selectOption('#identifier-kind', 'email');
    await page.fill('#identifier-value', `  Second.${size}@Example.NET `);
    await page.getByRole('button', { name: 'Add identifier' }).click();
    await page.waitForSelector(`table.identifiers td:has-text("${added}")`);
    assert.equal(await page.inputValue('#identifier-value'), '', 'the added value is cleared, ready for the next');

    const other = await page.context().newPage();
    await openCustomer(other, app.baseUrl, SEEDED_EXTERNAL_IDS[3], 'profile');
    const taken = (await other.locator('dt:text-is("Email") + dd').textContent()).trim();
    await other.close();
    await page.selectOption('#identifier-kind', 'email');
    await page.fill('#identifier-value', taken);
    await page.getByRole('button', { name: 'Add identifier' }).click();
    await page.waitForSelector('#identifier-value-error:has-text("Another customer already has this email address")');
    assert.equal(await page.locator(`table.identifiers td:has-text("${taken}")`).count(), 0, 'not added');
    await page.selectOption('#identifier-kind', 'phone');
    await page.fill('#identifier-value', 'call me');
    await page.getByRole('button', { name: 'Add identifier' }).click();
    await page.waitForSelector('#identifier-value-error:has-text("not a valid GB phone number")');
    assert.equal(await page.inputValue('#identifier-value'), 'call me', 'nothing typed is lost');
    await assertAccessible(page, `identifiers at ${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `identifiers-${size}.png`), fullPage: true });

    await page.getByRole('button', { name: `Make primary: ${added}` }).click();
    await page.waitForSelector(`dt:text-is("Email") + dd:text-is("${added}")`);
    await page.getByRole('button', { name: `Remove ${oldEmail}` }).click();
    // It asks first: "Keep" leaves it, "Remove identifier" removes it.
    await page.getByRole('button', { name: 'Keep', exact: true }).click();
    await page.getByRole('button', { name: `Remove ${oldEmail}` }).click();
    await page.getByRole('button', { name: 'Remove identifier', exact: true }).click();
    await page.waitForSelector(`table.identifiers td:has-text("${oldEmail}")`, { state: 'detached' });
    // Exact search finds the customer by the new email, no longer by the old one.
    assert.equal(await openCustomer(page, app.baseUrl, added), id);
    await page.goto(`${app.baseUrl}/search?q=${oldEmail}`);
    await page.waitForSelector('text=No customer');
    await page.goto(`${app.baseUrl}/customers/${id}`);
    await page.waitForSelector('table.events tbody tr:has-text("Profile updated")');
    await page.context().close();

    const associate = await signedInPage(app, 'associate@demo.test', VIEWPORTS[size]);
    await openCustomer(associate, app.baseUrl, externalId, 'profile');
    await associate.waitForSelector('table.identifiers');
    assert.equal(await associate.locator('#identifier-value').count(), 0, 'no add form without profile.edit');
    const listed = await associate.locator('table.identifiers').textContent();
    assert.ok(!listed.includes(added) && listed.includes('@example.net'), `email masked: ${listed}`);
    assert.equal(await callStatus(associate, 'add_identifier', { customer_id: id, kind: 'email', value: 'x@example.com' }), 403);
    await associate.context().close();
  });
}
