// Decision 7 measured: the cost of one edit made durable in IndexedDB, with 10 and 100,000 tickets
// already stored (as synced change records), in Debian's Chromium against the real server, beside
// the floor measured in the same page: a bare strict IndexedDB transaction of as many pages.
// Prints a table; not a test.
// Usage (after make build): node bench/browser_persist.mjs [N ...]   (LINLI_EDITS=40 edits each)
import { startServer, launch, state, waitForState, signIn } from '../tests/e2e/harness.mjs';
import { openStored, pct, storeBytes } from './browser_store.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const counts = sizes.length ? sizes : [10, 100000];
const EDITS = Number(process.env.LINLI_EDITS || 40);

// One edit (a note on a ticket) from inside the page: from the command to IndexedDB's `complete`
// of its commit, with nothing polled from here in between.
const editInPage = () => (async () => {
  const t0 = performance.now();
  const ok = Module._linli_bench_edit();
  const pages = Linli.storage.lastPages;
  await Linli.storage.whenDurable();
  return { ms: performance.now() - t0, pages, ok };
})();

// The floor, in the same page: a bare IndexedDB transaction (durability 'strict') putting as many
// 4 KiB pages as the edit's commit wrote, into a database of its own.
const floorInPage = (pages) => new Promise((resolve, reject) => {
  const req = indexedDB.open('linli-floor', 1);
  req.onupgradeneeded = () => req.result.createObjectStore('pages');
  req.onsuccess = () => {
    const db = req.result;
    const t0 = performance.now();
    const tx = db.transaction('pages', 'readwrite', { durability: 'strict' });
    for (let i = 0; i < pages; i++) tx.objectStore('pages').put(new Uint8Array(4096).fill(i & 255), i);
    tx.oncomplete = () => { db.close(); resolve(performance.now() - t0); };
    tx.onerror = () => reject(tx.error);
  };
  req.onerror = () => reject(req.error);
});


async function measure(browser, url, n) {
  const bytes = storeBytes('synced', n);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const load = await openStored(page, url, bytes);
  await signIn(page, 'zhang.bin');
  await waitForState(page, (s) => s.tickets.length > 0 && s.sync.link === 'online', 'signed in with the stored tickets', 60000);
  const shown = (await state(page)).tickets.length;
  const edits = [];
  const floors = [];
  const pagesWritten = [];
  for (let i = 0; i < EDITS; i++) {
    await page.waitForTimeout(150);  // A person types between edits: the app goes idle.
    const e = await page.evaluate(editInPage);
    if (!e.ok) throw new Error('the edit was not made: ' + JSON.stringify(await state(page)));
    edits.push(e.ms);
    pagesWritten.push(e.pages);
    await page.waitForTimeout(50);
    floors.push(await page.evaluate(floorInPage, e.pages));
  }
  await context.close();
  edits.sort((a, b) => a - b);
  floors.sort((a, b) => a - b);
  pagesWritten.sort((a, b) => a - b);
  return {
    n, mb: bytes.length / 1048576, shown, firstFrame: load.firstFrameMs, storageLoad: load.storageLoadMs,
    p50: pct(edits, 0.5), p95: pct(edits, 0.95), floor50: pct(floors, 0.5), floor95: pct(floors, 0.95),
    pages: pct(pagesWritten, 0.5),
  };
}

const server = await startServer({ demoUsers: true });
const browser = await launch();
try {
  const rows = [];
  console.log(`edit → durable (a note recorded as a change, from the command to IndexedDB's complete), ${EDITS} edits each`);
  console.log('tickets   db MiB  listed  load→first frame  IDB load   pages   edit p50    p95   floor p50    p95   p95/floor p95');
  for (const n of counts) {
    const r = await measure(browser, server.url, n);
    rows.push(r);
    console.log(`${String(r.n).padStart(7)}  ${r.mb.toFixed(1).padStart(7)}  ${String(r.shown).padStart(6)}  ` +
                `${r.firstFrame.toFixed(0).padStart(12)} ms  ${r.storageLoad.toFixed(0).padStart(6)} ms  ${String(r.pages).padStart(5)}  ` +
                `${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(6)} ms  ${r.floor50.toFixed(1).padStart(7)} ` +
                `${r.floor95.toFixed(1).padStart(6)} ms  ${(r.p95 / r.floor95).toFixed(2).padStart(8)}`);
  }
  if (rows.length >= 2) {
    const small = rows[0];
    const large = rows[rows.length - 1];
    console.log(`p50 ratio ${large.n} / ${small.n} tickets: ${(large.p50 / small.p50).toFixed(2)} (goal ≤ 1.5)`);
  }
} finally {
  await browser.close();
  await server.stop();
}
