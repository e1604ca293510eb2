// End-to-end: the app under the server's Content-Security-Policy. It loads, draws, registers its
// service worker and starts again from it without one violation; and the policy is in force (an
// inline script is refused), so a violation would be seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, waitForApp, frames, click, waitForState, shot, signIn, demoStreet } from './harness.mjs';

test('the app runs under its Content-Security-Policy without a violation', { timeout: 180000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Each violation, as the page's event and as the console's message (Chromium logs both).
  await page.addInitScript(() => {
    window.linliCspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.linliCspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const consoleCsp = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) consoleCsp.push(m.text()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const violations = () => page.evaluate(() => window.linliCspViolations.slice());

  const response = await page.goto(server.url + '/');
  const csp = response.headers()['content-security-policy'] || '';
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  await waitForApp(page);
  // The stylesheet came from its file: the loading screen's style is there.
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('ime')).opacity), '0');
  await signIn(page, 'zhang.bin');
  await waitForState(page, (s) => s.tickets.length === demoStreet.tickets, 'the demo street, synced');

  // The service worker registers under the policy, and the next start comes from its cache.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await waitForApp(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  await frames(page, 5);
  await shot(page, '20-under-csp');
  assert.deepEqual(await violations(), [], 'no CSP violation while loading and running');
  assert.deepEqual(consoleCsp, [], 'no CSP message in the console');
  assert.deepEqual(errors, []);

  // The policy is in force, and a violation would be seen: an inline script is refused.
  const ran = await page.evaluate(() => new Promise((resolve) => {
    const el = document.createElement('script');
    el.textContent = 'window.linliInlineRan = true;';
    document.head.appendChild(el);
    setTimeout(() => resolve(window.linliInlineRan === true), 100);
  }));
  assert.equal(ran, false, 'an inline script ran');
  const seen = await violations();
  assert.equal(seen.length, 1, JSON.stringify(seen));
  assert.match(seen[0], /^script-src-elem blocked inline/);
});
