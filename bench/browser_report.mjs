// The monthly report computed in the browser (WASM, issue 12; goal under 200 ms): a replica of N
// tickets received in March 2026 (make_ticket_store --report) is put into IndexedDB, the app starts
// from it, and the page computes March's report afresh RUNS times from inside (Module.
// _linli_bench_report: the store read, the facts folded, the report and the dashboard's series).
// Prints p50 / p95; not a test.
// Usage (after make build): node bench/browser_report.mjs [N=100000]   (LINLI_RUNS=7)
import { startServer, launch, waitForState, signIn } from '../tests/e2e/harness.mjs';
import { openStored, pct, storeBytes } from './browser_store.mjs';

const n = Number(process.argv[2] || 100000);
const RUNS = Number(process.env.LINLI_RUNS || 7);

const bytes = storeBytes('report', n);
const server = await startServer({ demoUsers: true });
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const load = await openStored(page, server.url, bytes);
  await signIn(page, 'zhang.bin');
  await waitForState(page, (s) => s.tickets.length > 0 && s.sync.link === 'online', 'signed in with the stored tickets', 60000);
  const times = [];
  let counted = 0;
  for (let i = 0; i < RUNS; i++) {
    await page.waitForTimeout(100);
    const r = await page.evaluate(() => {
      const t0 = performance.now();
      const counted = Module._linli_bench_report(2026, 3);
      return { ms: performance.now() - t0, counted };
    });
    if (r.counted < 0) throw new Error('the report was not computed');
    counted = r.counted;
    times.push(r.ms);
  }
  await context.close();
  times.sort((a, b) => a - b);
  console.log(`monthly report in the browser (WASM), March 2026: ${counted} tickets of ${n} stored, db ${(bytes.length / 1048576).toFixed(1)} MiB`);
  console.log(`opened: stored file read ${load.storageLoadMs.toFixed(0)} ms, first frame ${load.firstFrameMs.toFixed(0)} ms after navigation`);
  console.log(`p50 ${pct(times, 0.5).toFixed(1)} ms  p95 ${pct(times, 0.95).toFixed(1)} ms  (${RUNS} runs; goal < 200 ms)`);
} finally {
  await browser.close();
  await server.stop();
}
