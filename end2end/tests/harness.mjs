// Starts the real server on a free port with a fresh seeded SQLite database, and launches
// headless Debian Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BINARY = process.env.CP_BINARY ?? join(ROOT, 'target', 'debug', 'customer-profiles');
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

/** Waits until the wasm bundle has hydrated the page. */
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated]', { state: 'attached', timeout: 30_000 });
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
  await signIn(page, app.baseUrl, email, next);
  return page;
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page and fails with the rules and elements it finds. */
export async function assertAccessible(page, label) {
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe violations on ${label}`);
}
