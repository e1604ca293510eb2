// The monthly report computed in the browser (WASM, issue 12; goal under 200 ms): a replica of N
// tickets received in March 2026 (make_ticket_store --report) is put into IndexedDB, the app starts
// from it, and the page computes March's report afresh RUNS times from inside (Module.
// _linli_bench_report: the store read, the facts folded, the report and the dashboard's series).
// Prints p50 / p95; not a test.
// Usage (after make build): node bench/browser_report.mjs [N=100000]   (LINLI_RUNS=7)
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo, startServer, launch, waitForApp, waitForState, signIn } from '../tests/e2e/harness.mjs';

const n = Number(process.argv[2] || 100000);
const RUNS = Number(process.env.LINLI_RUNS || 7);
const makeStore = path.join(repo, 'build/dev/bench/make_ticket_store');
const PAGE = 4096;

// Puts a database file into IndexedDB in the layout web/linli.js keeps: files + pages.
async function seedIndexedDb(page, bytes) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('linli', 1);
    req.onupgradeneeded = () => { req.result.createObjectStore('files'); req.result.createObjectStore('pages'); };
    req.onsuccess = () => { req.result.close(); resolve(); };
    req.onerror = () => reject(req.error);
  }));
  const chunkPages = 512;
  for (let first = 0; first * PAGE < bytes.length; first += chunkPages) {
    const slice = bytes.subarray(first * PAGE, Math.min(bytes.length, (first + chunkPages) * PAGE));
    await page.evaluate(([b64, firstIndex, size]) => new Promise((resolve, reject) => {
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const req = indexedDB.open('linli', 1);
      req.onsuccess = () => {
        const db = req.result;
        const tx = db.transaction(['files', 'pages'], 'readwrite');
        for (let i = 0; i * 4096 < raw.length; i++) {
          const p = new Uint8Array(4096);
          p.set(raw.subarray(i * 4096, (i + 1) * 4096));
          tx.objectStore('pages').put(p, ['/data/linli.db', firstIndex + i]);
        }
        tx.objectStore('files').put({ size, pageSize: 4096 }, '/data/linli.db');
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
      req.onerror = () => reject(req.error);
    }), [Buffer.from(slice).toString('base64'), first, bytes.length]);
  }
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const file = path.join(tmpdir(), `linli-bench-report-${n}.db`);
execFileSync(makeStore, ['--report', file, String(n)]);
const bytes = readFileSync(file);
rmSync(file);
const server = await startServer({ demoUsers: true });
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(server.url + '/healthz');
  await seedIndexedDb(page, bytes);
  await page.goto(server.url + '/');
  await waitForApp(page, 180000);
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
  console.log(`p50 ${pct(times, 0.5).toFixed(1)} ms  p95 ${pct(times, 0.95).toFixed(1)} ms  (${RUNS} runs; goal < 200 ms)`);
} finally {
  await browser.close();
  await server.stop();
}
