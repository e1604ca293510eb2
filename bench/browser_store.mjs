// What the browser benchmarks share: a database file put into a fresh profile's IndexedDB in the
// layout web/linli.js keeps (files + pages), the app opened over it, and percentiles.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo, waitForApp } from '../tests/e2e/harness.mjs';

const PAGE = 4096;

// The bytes of a replica's file of n tickets made by make_ticket_store (after make build):
// kind 'report' (each with a whole life, received in March 2026) or 'synced' (one change each).
// LINLI_MAKE_STORE: another build's make_ticket_store (a store of that build's schema, for its app).
export const makeStoreBin = process.env.LINLI_MAKE_STORE || path.join(repo, 'build/dev/bench/make_ticket_store');

export function storeBytes(kind, n) {
  const file = path.join(tmpdir(), `linli-bench-${kind}-${n}-${process.pid}.db`);
  const args = kind === 'report' ? ['--report', file, String(n)] : [file, String(n)];
  execFileSync(makeStoreBin, args);
  const bytes = readFileSync(file);
  rmSync(file);
  return bytes;
}

// Puts a database file into IndexedDB as the app's stored replica: 2 MiB per round trip.
export async function seedIndexedDb(page, bytes) {
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

// Seeds the profile of `page` with `bytes` and opens the app over it: the page's load metrics
// (ms from navigation: the stored file read, main() started, the first frame drawn).
export async function openStored(page, url, bytes) {
  await page.goto(url + '/healthz');
  await seedIndexedDb(page, bytes);
  await page.goto(url + '/');
  await waitForApp(page, 180000);
  return page.evaluate(() => window.linliTest.metrics());
}

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};

// Self time per function name, from DevTools CPU profiles (samples × their time deltas), summed
// over one profile or a list of them.
export function printProfile(profiles, top) {
  const self = new Map();
  let total = 0;
  for (const profile of [profiles].flat()) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] || 0;
      const f = byId.get(id).callFrame;
      const name = f.functionName || `(${f.url.split('/').pop() || 'anonymous'})`;
      self.set(name, (self.get(name) || 0) + dt);
      total += dt;
    });
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`  main thread, ${(total / 1e6).toFixed(1)} s sampled; self time:`);
  for (const [name, us] of rows)
    console.log(`  ${(us / 1e3).toFixed(0).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)} %  ${name.slice(0, 100)}`);
}
