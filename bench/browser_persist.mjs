// Decision 7 measured: the cost of one edit made durable in IndexedDB, with 10, 1,000 and 100,000
// tickets already stored, in Debian's Chromium against the real server. Prints a table; not a test.
// Usage (after make build): node bench/browser_persist.mjs [N ...]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  repo, startServer, launch, waitForApp, state, click, typeInto, waitForState,
} from '../tests/e2e/harness.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const counts = sizes.length ? sizes : [10, 1000, 100000];
const makeStore = path.join(repo, 'build/dev/bench/make_ticket_store');
const EDITS = 5;
const PAGE = 4096;

// Puts a database file into IndexedDB in the layout web/linli.js keeps: files + pages.
async function seedIndexedDb(page, bytes) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('linli', 1);
    req.onupgradeneeded = () => { req.result.createObjectStore('files'); req.result.createObjectStore('pages'); };
    req.onsuccess = () => { req.result.close(); resolve(); };
    req.onerror = () => reject(req.error);
  }));
  const chunkPages = 512;  // 2 MiB per round trip.
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

async function measure(browser, url, n) {
  const file = path.join(tmpdir(), `linli-bench-${n}.db`);
  execFileSync(makeStore, [file, String(n)]);
  const bytes = readFileSync(file);
  rmSync(file);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(url + '/healthz');
  await seedIndexedDb(page, bytes);
  await page.goto(url + '/');
  await waitForApp(page, 180000);
  const load = await page.evaluate(() => window.linliTest.metrics());
  const shown = (await state(page)).tickets.length;
  const edits = [];
  for (let i = 0; i < EDITS; i++) {
    await click(page, '受理登记');
    await typeInto(page, '市民姓名', '王女士');
    await typeInto(page, '联系电话', '13917261234');
    await typeInto(page, '小区', '河滨花园');
    await typeInto(page, '地址', `河滨花园${i + 1}号楼`);
    await typeInto(page, '标题', '楼道堆物影响通行');
    const before = (await page.evaluate(() => window.linliTest.metrics())).persistMs.length;
    await click(page, '保存');
    await waitForState(page, (s) => s.pending_writes === 0 && s.view === 'tickets', 'the edit to be durable', 60000);
    const after = (await page.evaluate(() => window.linliTest.metrics())).persistMs;
    edits.push(...after.slice(before));
  }
  await context.close();
  edits.sort((a, b) => a - b);
  return {
    n, mb: bytes.length / 1048576, shown, firstFrame: load.firstFrameMs, storageLoad: load.storageLoadMs,
    median: edits[Math.floor(edits.length / 2)], max: edits[edits.length - 1], writes: edits.length,
  };
}

const server = await startServer();
const browser = await launch();
try {
  console.log('tickets    db MiB  listed  load→first frame  IDB load   edit→durable median   max   (IndexedDB writes)');
  for (const n of counts) {
    const r = await measure(browser, server.url, n);
    console.log(`${String(r.n).padStart(7)}  ${r.mb.toFixed(1).padStart(8)}  ${String(r.shown).padStart(6)}  ` +
                `${r.firstFrame.toFixed(0).padStart(12)} ms  ${r.storageLoad.toFixed(0).padStart(6)} ms  ` +
                `${r.median.toFixed(1).padStart(14)} ms  ${r.max.toFixed(1).padStart(5)} ms  (${r.writes} for ${EDITS} edits)`);
  }
} finally {
  await browser.close();
  await server.stop();
}
