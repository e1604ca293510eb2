// The first sync of a fresh browser profile: the server holds N changes (tickets of ten changes
// each, made by bench/make_ticket_store --server), the centre signs in, and the app pulls them all,
// applying each in WebAssembly and committing to IndexedDB, until its sync loop says it is caught
// up. Prints the time from the sign-in click to caught up, and changes per second. Not a test.
// Usage (after make build): node bench/browser_first_sync.mjs [N ...]   (default 100000)
// LINLI_PROFILE=N: also record the page's main thread with the DevTools profiler and print the N
// functions with the most time of their own (WebAssembly functions by name when the app was linked
// with --profiling-funcs; otherwise as wasm-function[i]).
// LINLI_TIMELINE=1: also print when each pull answer arrived and the main thread's long tasks (a
// PerformanceObserver in the page): how much of the sync the page spends applying, and how much
// waiting or in short tasks (IndexedDB's events, frames, the network's).
// LINLI_CHROMIUM_FLAGS (tests/e2e/harness.mjs): more flags for the browser, e.g. V8's.
// LINLI_FIRST_SYNC=image|pulls|both (default both): the first sync as an image the server builds
// (docs/protocol.md, "Image"), or by pulls (the server's LINLI_IMAGE_FROM set above N), or each
// size both ways, alternating, in one run.
// LINLI_IMAGE_COLD=1: sign in as soon as the server listens, while it is still making the centre's
// image (a server just started). By default the image way waits for the server's log line saying
// the image is ready, as on a server that has been up; how long that took is printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  repo, startServer, launch, waitForApp, state, click, typeInto, waitForState,
} from '../tests/e2e/harness.mjs';
import { makeStoreBin, printProfile } from './browser_store.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const counts = sizes.length ? sizes : [100000];
const makeStore = makeStoreBin;  // LINLI_MAKE_STORE: another build's (a server of that build's schema).

async function measure(n, way) {
  const dir = mkdtempSync(path.join(tmpdir(), 'linli-first-sync-'));
  const db = path.join(dir, 'server.db');
  execFileSync(makeStore, ['--server', db, String(n)]);
  const server = await startServer({ demoUsers: true, db, env: { LINLI_IMAGE_FROM: way === 'image' ? '0' : String(n + 1) } });
  if (way === 'image' && process.env.LINLI_IMAGE_COLD !== '1') {
    const since = Date.now();
    while (!/the centre's image (is ready|was not made)[^\n]*/.test(server.output())) {
      if (Date.now() - since > 600000) throw new Error('the server made no centre image: ' + server.output());
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`  the server: ${server.output().match(/the centre's image (is ready|was not made)[^"]*/)[0]} ` +
                `(${((Date.now() - since) / 1000).toFixed(1)} s after it listened)`);
  }
  const browser = await launch();
  try {
    const vp = (process.env.LINLI_VIEWPORT || '1280x800').split('x').map(Number);
    const context = await browser.newContext({ viewport: { width: vp[0], height: vp[1] } });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await waitForApp(page);
    await typeInto(page, '用户名', 'zhang.bin');
    await typeInto(page, '密码', 'linli-demo');
    const top = Number(process.env.LINLI_PROFILE || 0);
    let cdp = null;
    if (top > 0) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const timeline = process.env.LINLI_TIMELINE === '1';
    if (timeline) {
      await page.evaluate(() => {
        window.linliLong = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.linliLong.push([e.startTime, e.duration]); })
          .observe({ type: 'longtask' });
        performance.setResourceTimingBufferSize(100000);
        performance.clearResourceTimings();
        window.linliT0 = performance.now();
      });
    }
    const t0 = Date.now();
    await click(page, '登录');
    // Asked twice a second, not every frame: the state JSON (every listed ticket) costs the page
    // main-thread time the sync needs.
    let last = 0;
    let s;
    for (;;) {
      await page.waitForTimeout(500);
      s = await state(page);
      if (s.sync.pulled - last >= n / 10) {
        last = s.sync.pulled;
        console.log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s: ${s.sync.pulled} changes`);
      }
      if (s.sync.caught_up && s.sync.pulled >= n) break;
      if (Date.now() - t0 > 1200000) throw new Error('the first sync did not finish: ' + JSON.stringify(s.sync));
    }
    const seconds = (Date.now() - t0) / 1000;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      if (process.env.LINLI_PROFILE_OUT) writeFileSync(process.env.LINLI_PROFILE_OUT, JSON.stringify(profile));
      printProfile(profile, top);
    }
    if (timeline) printTimeline(await page.evaluate(() => ({
      t0: window.linliT0, long: window.linliLong,
      pulls: performance.getEntriesByType('resource').filter((e) => e.name.includes('/sync/pull') || e.name.includes('/sync/image'))
        .map((e) => [e.startTime, e.responseEnd, e.encodedBodySize, e.decodedBodySize]),
    })));
    await page.waitForFunction(() => window.linliTest.metrics().pending === 0, null, { timeout: 60000 });
    const m = await page.evaluate(() => window.linliTest.metrics());
    // In the page, without this script's polling: the answer that caught up taken (its clock, to the
    // millisecond), and IndexedDB's confirmation of the last commit.
    const caughtUp = (s.sync.last_ok_ms - t0) / 1000;
    const durable = (m.durableAt - t0) / 1000;
    await context.close();
    if ((way === 'image') !== Boolean(s.sync.image)) throw new Error(`asked for ${way}, got ${s.sync.image ? 'an image' : 'pulls'}: ${s.sync.problem}`);
    if (s.sync.image) console.log(`  the image taken in ${s.sync.image_ms} ms (checked, its pages written, committed)`);
    return { n, way, seconds, caughtUp, durable, tickets: s.tickets.length, pending: m.pending, growth: m.fileGrowth };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTimeline({ t0, long, pulls }) {
  const s = (ms) => ((ms - t0) / 1000).toFixed(2);
  for (const [start, end, encoded, decoded] of pulls)
    console.log(`  answer asked ${s(start)} s, arrived ${s(end)} s, ${(encoded / 1e3).toFixed(0)} kB on the wire, ${(decoded / 1e6).toFixed(2)} MB of JSON`);
  const mine = long.filter(([start]) => start >= t0);
  const busy = mine.reduce((a, [, d]) => a + d, 0);
  const last = mine.length ? mine[mine.length - 1][0] + mine[mine.length - 1][1] : t0;
  console.log(`  long tasks: ${mine.length}, ${(busy / 1000).toFixed(2)} s of the ${((last - t0) / 1000).toFixed(2)} s to the last ` +
              `(longest ${Math.max(0, ...mine.map(([, d]) => d)).toFixed(0)} ms)`);
}

console.log('first sync into a fresh browser profile (sign-in click to caught up, WASM apply and IndexedDB included)');
const mode = process.env.LINLI_FIRST_SYNC || 'both';
const ways = mode === 'both' ? ['image', 'pulls'] : [mode];
for (const n of counts) for (const way of ways) {
  const r = await measure(n, way);
  console.log(`${String(r.n).padStart(8)} changes, ${way.padEnd(5)}: in the page ${Math.max(r.caughtUp, r.durable).toFixed(2)} s ` +
              `(caught up ${r.caughtUp.toFixed(2)} s, durable ${r.durable.toFixed(2)} s); polled ${r.seconds.toFixed(1)} s, ${(r.n / r.seconds).toFixed(0)} changes/s ` +
              `(tickets listed ${r.tickets}, the list shows at most 1000)`);
  const g = r.growth;
  if (g) console.log(`  the store's file grew ${g.inPlace} times in place and ${g.copies} times by copying ` +
                     `(${(g.copiedBytes / 1e6).toFixed(1)} MB copied)`);
}
