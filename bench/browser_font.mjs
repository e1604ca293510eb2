// The font's cost in Debian's Chromium against the real server: page load to the first frame
// (cold: a fresh browser context each run), when the rest of the font is in, and the atlas built
// again with 4 to 2,000 characters the first font lacks (typed into the sign-in form, at pixel
// ratio 1 and 2; the median and the fastest of ROUNDS fresh pages). Prints a table; not a test.
// Usage (after make build): node bench/browser_font.mjs [RUNS] [ROUNDS]
//   LINLI_WEB_DIR=<another build/wasm/web> measures another build's first frame (no atlas part
//   unless it has the rest of the font).
import {
  startServer, launch, waitForApp, frames, typeInto,
} from '../tests/e2e/harness.mjs';

const RUNS = Number(process.argv[2] || 5);
const ROUNDS = Number(process.argv[3] || 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// GB2312 level 2 (rows 56-87) as text: none of it is in the first font.
function level2(count) {
  const dec = new TextDecoder('gb18030');
  let out = '';
  for (let hi = 0xd8; hi <= 0xf7 && out.length < count; hi++)
    for (let lo = 0xa1; lo <= 0xfe && out.length < count; lo++) {
      const ch = dec.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && ch !== '\ufffd') out += ch;
    }
  return out;
}

const server = await startServer({ demoUsers: true });
const browser = await launch();
try {
  const first = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await waitForApp(page);
    await page.waitForFunction(() => window.Linli.fonts === undefined || window.Linli.fonts.restReady ||
                                     window.Linli.fonts.restError !== '', null, { timeout: 30000 });
    first.push(await page.evaluate(() => window.linliTest.metrics()));
    await context.close();
  }
  const col = (k) => median(first.map((m) => m[k]).filter((v) => v !== null && v !== undefined));
  console.log(`page load, median of ${RUNS} cold runs (ms): first font fetched ${col('fontMs').toFixed(0)}, ` +
              `main() ${col('mainMs').toFixed(0)}, first frame ${col('firstFrameMs').toFixed(0)}, ` +
              `rest of the font in ${first[0].fontRestMs === undefined ? '-' : col('fontRestMs').toFixed(0)}`);

  const rows = new Map();  // "dpr n" -> {f (the last), ms: [...]}
  const record = (key, f) => {
    const row = rows.get(key) || { ms: [] };
    row.f = f;
    row.ms.push(f.last_build_ms);
    rows.set(key, row);
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const dpr of [1, 2]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: dpr });
      const page = await context.newPage();
      await page.goto(server.url + '/');
      await waitForApp(page);
      const has = await page.evaluate(() => typeof window.linliTest.fonts === 'function');
      if (!has) { console.log('this build has no rest of the font: no atlas figures'); await context.close(); round = ROUNDS; break; }
      await page.waitForFunction(() => window.Linli.fonts.restReady, null, { timeout: 30000 });
      record(`${dpr} 0`, await page.evaluate(() => window.linliTest.fonts()));
      let typed = 0;
      for (const n of [4, 50, 500, 2000]) {
        await typeInto(page, '用户名', level2(n).slice(typed));
        typed = n;
        await page.waitForFunction((k) => window.linliTest.fonts().held.length >= k, n, { timeout: 60000 });
        await frames(page, 2);
        record(`${dpr} ${n}`, await page.evaluate(() => window.linliTest.fonts()));
      }
      await context.close();
    }
  }
  for (const [key, { f, ms }] of rows) {
    const [dpr, n] = key.split(' ');
    console.log(`dpr ${dpr}, ${n === '0' ? 'first font alone' : '+ ' + n.padStart(4) + ' characters'}: ${f.glyphs} glyphs, ` +
                `atlas ${f.atlas_w}x${f.atlas_h} (${(f.atlas_w * f.atlas_h * 4 / 1048576).toFixed(0)} MiB RGBA), ` +
                `built in ${median(ms).toFixed(0)} ms (fastest ${Math.min(...ms).toFixed(0)})`);
  }
} finally {
  await browser.close();
  await server.stop();
}
