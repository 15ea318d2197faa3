// Starts the real server on a free port with a fresh seeded SQLite database, and launches
// headless Debian Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
// Cargo's target directory may live outside the checkout (CARGO_TARGET_DIR, e.g. a CI cache).
const TARGET = resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
const BINARY = process.env.CP_BINARY ?? join(TARGET, 'debug', 'customer-profiles');
export const ARTIFACTS = join(ROOT, 'end2end', 'artifacts');

/** Desktop and tablet viewports the console must work at. */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1440, height: 900 } },
  'tablet-landscape': { viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true },
  'tablet-portrait': { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true },
};

/** Seeds a database, starts the server and Chromium; returns { baseUrl, browser, stop }. */
export async function startApp({ customers = 40, serverArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cp-e2e-'));
  const databaseUrl = `sqlite://${dir}/e2e.db`;
  execFileSync(BINARY, ['--database-url', databaseUrl, 'seed', '--customers', String(customers), '--seed', '7'], {
    cwd: ROOT, stdio: 'inherit',
  });
  const server = spawn(BINARY, ['--database-url', databaseUrl, 'serve', '--listen', '127.0.0.1:0', ...serverArgs], {
    cwd: ROOT, env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' },
  });
  const baseUrl = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('server did not start in 30 s')), 30_000);
    let seen = '';
    server.stdout.on('data', (chunk) => {
      if (process.env.CP_SERVER_LOG) process.stderr.write(chunk);
      seen += chunk;
      const match = seen.match(/listening on (http:\/\/[\d.:]+)/);
      if (match) { clearTimeout(timer); ok(match[1]); }
    });
    server.stderr.on('data', (chunk) => process.stderr.write(chunk));
    server.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    baseUrl,
    browser,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the wasm bundle has hydrated the page; fails on any hydration error or panic. */
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated]', { state: 'attached', timeout: 30_000 });
  assert.deepEqual(page.browserErrors ?? [], [], 'hydration errors or panics in the browser console');
}

/**
 * Records hydration errors, panics and Content-Security-Policy violations the page logs, for
 * `hydrated` to report, and fails the test on any alert, confirm or prompt dialog (an injected
 * script's first move).
 */
export function watchConsole(page) {
  page.browserErrors = [];
  page.on('console', (message) => {
    if (/hydration error|panicked at|Content Security Policy/i.test(message.text())) page.browserErrors.push(message.text().slice(0, 300));
  });
  page.on('dialog', async (dialog) => {
    page.browserErrors.push(`a ${dialog.type()} dialog opened: ${dialog.message().slice(0, 100)}`);
    await dialog.dismiss();
  });
}

/** The password of every demo user (demo data only). */
export const DEMO_PASSWORD = 'customer-care-demo';

/** Signs in through the sign-in page of `page` and waits for the console to load. */
export async function signIn(page, baseUrl, email, next = '/') {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.fill('#sign-in-email', email);
  await page.fill('#sign-in-password', DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
    page.click('button[type=submit]'),
  ]);
  await hydrated(page);
}

/** A new browser context (viewport `options`) with a page signed in as `email`. */
export async function signedInPage(app, email, options = {}, next = '/') {
  const context = await app.browser.newContext(options);
  const page = await context.newPage();
  watchConsole(page);
  await signIn(page, app.baseUrl, email, next);
  return page;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page and fails with the rules and elements it finds. axe is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern (a
 * script tag would be refused by it, as it should be).
 */
export async function assertAccessible(page, label) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe violations on ${label}`);
  await assertTouchTargets(page, label);
  await assertNoSidewaysScroll(page, label);
}

/** The page is no wider than its window: nothing scrolls sideways (a 768 px tablet above all). */
export async function assertNoSidewaysScroll(page, label) {
  const [width, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(width <= inner, `${label} is ${width} px wide in a ${inner} px window: it scrolls sideways`);
}

/**
 * At tablet width (1024 px and narrower) every visible interactive element is at least 44 px
 * tall and wide; a checkbox or radio counts through its label, which takes the tap too.
 */
export async function assertTouchTargets(page, label) {
  const small = await page.evaluate(() => {
    if (window.innerWidth > 1024) return [];
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=tab]';
    return [...document.querySelectorAll(selector)]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden], [inert]'))
      .map((el) => {
        const box = ['checkbox', 'radio'].includes(el.type)
          ? (el.closest('label') || document.querySelector(`label[for="${el.id}"]`) || el)
          : el;
        const rect = box.getBoundingClientRect();
        return { el, width: rect.width, height: rect.height };
      })
      .filter(({ width, height }) => width < 44 - 0.5 || height < 44 - 0.5)
      .map(({ el, width, height }) =>
        `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.id || el.name || '').trim().slice(0, 40)}" ${Math.round(width)}×${Math.round(height)}`);
  });
  assert.deepEqual(small, [], `touch targets under 44 px on ${label}`);
}

/** External ids the seeder gives customers 0..3 (customer 0 is the showcase member). */
export const SEEDED_EXTERNAL_IDS = ['CRM-00000031', 'CRM-07368818', 'CRM-14737605', 'CRM-22106392'];

/** Opens the profile of the customer with `externalId` through exact search. */
export async function openCustomer(page, baseUrl, externalId, tab = '') {
  await page.goto(`${baseUrl}/search?q=${externalId}`);
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  await page.waitForSelector('.profile-header h1');
  if (tab) {
    await page.goto(`${page.url()}/${tab}`);
  }
  await hydrated(page);
  return page.url().match(/customers\/([0-9a-f-]{36})/)[1];
}

/**
 * A minimal SMTP server on loopback that accepts every message and keeps it:
 * { port, messages: [{ from, to: [...], data }], close() }.
 */
export async function startSmtpSink() {
  const { createServer } = await import('node:net');
  const messages = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [], data: '' };
    socket.write('220 sink.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(current);
            current = { from: '', to: [], data: '' };
            socket.write('250 OK queued\r\n');
          } else {
            current.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') socket.write('250 sink.test\r\n');
        else if (verb === 'MAIL') { current.from = line; socket.write('250 OK\r\n'); }
        else if (verb === 'RCPT') { current.to.push(line); socket.write('250 OK\r\n'); }
        else if (verb === 'DATA') { inData = true; socket.write('354 End data with <CR><LF>.<CR><LF>\r\n'); }
        else if (verb === 'QUIT') { socket.write('221 Bye\r\n'); socket.end(); }
        else if (verb === 'RSET' || verb === 'NOOP') socket.write('250 OK\r\n');
        else socket.write('502 Not implemented\r\n');
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: server.address().port, messages, close: () => server.close() };
}

/**
 * A local stand-in for Zendesk's search API (`GET /api/v2/search.json`, documented JSON):
 * every requester has two tickets. { url, state, close() }.
 */
export async function startFakeZendesk() {
  const { createServer } = await import('node:http');
  const state = { calls: 0 };
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://fake');
    if (url.pathname !== '/api/v2/search.json') { response.writeHead(404).end(); return; }
    state.calls += 1;
    // Ticket ids differ per requester, as they do in Zendesk.
    const requester = (url.searchParams.get('query') ?? '').split('requester:')[1] ?? '';
    const base = 10_000 + [...requester].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) % 100_000, 0) * 10;
    const results = [
      { id: base + 1, status: 'open', type: 'question', subject: 'Points missing after purchase',
        created_at: '2026-11-10T09:30:00Z', updated_at: '2026-11-10T10:00:00Z', result_type: 'ticket' },
      { id: base + 2, status: 'solved', type: 'incident', subject: 'App crashes at checkout',
        created_at: '2026-09-01T12:00:00Z', updated_at: '2026-09-02T12:00:00Z', result_type: 'ticket' },
    ];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ results, next_page: null, previous_page: null, count: results.length }));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, state, close: () => server.close() };
}
