// A photo from the camera to the local store (issue 11; goal under 1 s): a 4000×3000 JPEG is chosen
// in the page's file chooser (as a phone's camera hands it over), the page decodes it, scales it to
// 1600×1200 and compresses it to JPEG (quality 0.8), the app stores it with its attach_photo change
// in one SQLite commit, and IndexedDB confirms the write. Timed in the page from the input's change
// event to that confirmation (web/linli.js photos.saveMs), RUNS times, each a different picture,
// offline (as in a basement: no upload competes). Prints p50 / p95 and the stored photo's size.
// Not a test.
// Usage (after make build): node bench/browser_photo.mjs   (LINLI_RUNS=20)
import { startServer, launch, waitForApp, waitForState, signIn, registerTicket, click, frames } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.env.LINLI_RUNS || 20);
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// A 4000×3000 JPEG with photo-like detail (gradients, shapes, noise), different for each `seed`.
async function cameraJpeg(page, seed) {
  const b64 = await page.evaluate(async (seed) => {
    const w = 4000, h = 3000;
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, w, h);
    grad.addColorStop(0, `hsl(${(seed * 47) % 360},40%,35%)`);
    grad.addColorStop(1, `hsl(${(seed * 47 + 120) % 360},50%,75%)`);
    g.fillStyle = grad;
    g.fillRect(0, 0, w, h);
    for (let i = 0; i < 3000; i++) {
      g.fillStyle = `hsla(${(i * 13 + seed * 29) % 360},60%,${30 + (i % 50)}%,0.4)`;
      g.fillRect((i * 7919 + seed * 331) % w, (i * 104729 + seed * 17) % h, 8 + (i % 90), 8 + (i % 70));
    }
    // Sensor noise: what makes a camera's JPEG large.
    const noise = g.getImageData(0, 0, w, h);
    let x = seed * 2654435761 >>> 0;
    for (let i = 0; i < noise.data.length; i += 4) {
      x = (x * 1664525 + 1013904223) >>> 0;
      const d = (x >>> 24) % 24 - 12;
      noise.data[i] += d; noise.data[i + 1] += d; noise.data[i + 2] += d;
    }
    g.putImageData(noise, 0, 0);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, seed);
  return Buffer.from(b64, 'base64');
}

const server = await startServer({ demoUsers: true });
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await waitForApp(page);
  await signIn(page, 'hebin.li');
  await waitForState(page, (st) => st.sync.caught_up, 'synced');
  await registerTicket(page, { community: '河滨花园', address: '河滨花园东门快递点', title: '快递点纸箱堆放' });
  await waitForState(page, (st) => st.selected !== '' && st.sync.unsent === 0, 'the ticket sent and selected', 20000);
  await context.setOffline(true);
  const inputSizes = [];
  for (let i = 0; i < RUNS; i++) {
    const jpeg = await cameraJpeg(page, i + 1);
    inputSizes.push(jpeg.length);
    const chooser = page.waitForEvent('filechooser');
    await click(page, '拍整改前照片');
    await (await chooser).setFiles({ name: `IMG_${i}.jpg`, mimeType: 'image/jpeg', buffer: jpeg });
    await page.waitForFunction((n) => window.linliTest.metrics().photoSaveMs.length >= n, i + 1, { timeout: 30000, polling: 20 });
    await frames(page, 2);
  }
  const m = await page.evaluate(() => window.linliTest.metrics());
  const ms = m.photoSaveMs.slice().sort((a, b) => a - b);
  const sizes = m.photoSizes.slice().sort((a, b) => a - b);
  const s = await page.evaluate(() => window.linliTest.state());
  const held = s.photos.held;
  console.log(`camera JPEG 4000x3000: ${Math.round(pct(inputSizes.sort((a, b) => a - b), 0.5) / 1024)} KB median`);
  console.log(`stored photo: ${held[0].width}x${held[0].height} JPEG q0.8, median ${Math.round(pct(sizes, 0.5) / 1024)} KB ` +
              `(min ${Math.round(sizes[0] / 1024)}, max ${Math.round(sizes[sizes.length - 1] / 1024)})`);
  console.log(`chosen -> durable in IndexedDB, ${ms.length} runs: p50 ${pct(ms, 0.5).toFixed(0)} ms, ` +
              `p95 ${pct(ms, 0.95).toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms`);
  const sc = m.photoScaleMs.slice().sort((a, b) => a - b);
  console.log(`  of which decode + scale + JPEG encode in the page: p50 ${pct(sc, 0.5).toFixed(0)} ms, ` +
              `p95 ${pct(sc, 0.95).toFixed(0)} ms`);
  if (s.photos.held.length !== RUNS) throw new Error(`expected ${RUNS} photos held, found ${s.photos.held.length}`);
} finally {
  await browser.close();
  await server.stop();
}
