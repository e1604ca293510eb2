// The inbox at N tickets in the browser (WASM, issue 10): a centre's replica of N tickets, each with
// a whole life (make_ticket_store --report), put into IndexedDB; the app opened over it as the
// centre's dispatcher. Measured in the page, against the real server and Debian's Chromium:
//   - the open: the stored file read, the first frame;
//   - scrolling: the main thread's time for each frame drawn while the wheel turns over the list
//     (Linli.metrics.frames: from the frame's input to its draw calls);
//   - command to rows: from the click on a column's header (a sort) or a filter's chip, or a word
//     committed into the search box, to the end of the first frame that ends with a different
//     ticket on top of the inbox (Module._linli_bench_probe, noted by each frame as it ends, reads
//     what is already read, nothing more).
// Prints a table; not a test.
// Usage (after make build): node bench/browser_inbox.mjs [N=100000]   (LINLI_RUNS=5 rounds of each,
// LINLI_VIEWPORT=1600x900, LINLI_PROFILE=N: the searches profiled)
import { startServer, launch, waitForState, signIn, frames, click, findItem } from '../tests/e2e/harness.mjs';
import { openStored, pct, printProfile, storeBytes } from './browser_store.mjs';

const n = Number(process.argv[2] || 100000);
const RUNS = Number(process.env.LINLI_RUNS || 5);

const top = (page) => page.evaluate(() => UTF8ToString(Module._linli_bench_probe()));

// Starts the clock in the page, runs `act` (a click or the last key), then waits in the page until
// a frame has ended with another ticket on top (`prepare` runs before the clock): ms from the clock's start to that frame's end.
async function commandToRows(page, act, prepare = async () => {}) {
  const before = await top(page);
  await prepare();
  await page.evaluate(() => { window.__benchT0 = performance.now(); });
  await act();
  return page.evaluate((was) => new Promise((resolve, reject) => {
    const t0 = window.__benchT0;
    const give = performance.now() + 5000;
    const check = () => {
      // The first frame since the clock's start that ended with another ticket on top (each
      // frame's top is noted as it ends: probeEachFrame).
      const frames = Linli.metrics.frames;
      const at = frames.findIndex((f) => f[0] > t0 && f[4] !== undefined && f[4] !== '-' && f[4] !== was);
      if (at >= 0) {
        // The frames up to it: the slowest one's UI part is the store's answer to the command.
        const during = frames.slice(0, at + 1).filter((f) => f[0] > t0);
        return resolve({ ms: frames[at][0] - t0, ui: Math.max(0, ...during.map((f) => f[2])), frames: during.length });
      }
      if (performance.now() > give) return reject(new Error('the inbox did not change'));
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }), before);
}

// Each frame noted with the ticket on top as it ends (Module._linli_bench_probe, called from the
// frame's own note), so a command's rows are timed to the frame that drew them, whether it ran
// at an animation frame or at once in the input's listener.
async function probeEachFrame(page) {
  await page.evaluate(() => {
    const note = Linli.metrics.noteFrame;
    Linli.metrics.noteFrame = function (ms, uiMs, drawn) {
      note.call(this, ms, uiMs, drawn);
      this.frames[this.frames.length - 1].push(UTF8ToString(Module._linli_bench_probe()));
    };
  });
}

const bytes = storeBytes('report', n);
const server = await startServer({ demoUsers: true });
const browser = await launch();
try {
  const [width, height] = (process.env.LINLI_VIEWPORT || '1600x900').split('x').map(Number);
  const context = await browser.newContext({ viewport: { width, height }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const load = await openStored(page, server.url, bytes);
  await signIn(page, 'zhang.bin');
  const st = await waitForState(page, (s) => s.inbox.total >= n && s.sync.link === 'online', 'signed in with the stored tickets', 120000);
  await frames(page, 10);
  await probeEachFrame(page);

  // Scrolling: RUNS rounds of 30 wheel turns down, 150 ms apart (a hand on the wheel), then back up.
  const all = await page.evaluate(() => window.linliTest.items());
  const list = all.find((it) => it.id.split('/').pop().startsWith('##tickets'));
  const firstRow = all.find((it) => it.y > list.y && /^临-|^\d{4}-/.test(it.label));
  if (!list || !firstRow) throw new Error('the inbox table is not on screen');
  await page.mouse.move(list.x + list.w / 2, list.y + list.h / 2);
  const scrollFrames = [];
  const scrollUi = [];
  for (let r = 0; r < RUNS; r++) {
    for (const dy of [240, -240]) {
      const from = await page.evaluate(() => performance.now());
      for (let i = 0; i < 30; i++) {
        await page.mouse.wheel(0, dy);
        await page.waitForTimeout(150);
      }
      const drawn = await page.evaluate((t) => Linli.metrics.frames.filter((f) => f[0] > t), from);
      scrollFrames.push(...drawn.map((f) => f[1]));
      scrollUi.push(...drawn.map((f) => f[2]));
    }
  }

  // Sorts: the header row clicked at eight places across the table, one column after another
  // (the hook does not name the headers), RUNS rounds: each click sorts by that column, the
  // second round the other way. Back on top of the list first.
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -2000);
  await frames(page, 5);
  const headerY = (list.y + firstRow.y) / 2;
  const sorts = [];
  const sortUi = [];
  let sortClicks = 0;
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < 8; k++, sortClicks++) {
      const x = list.x + list.w * (0.04 + 0.12 * k);
      // As a hand does: onto the header, press, release (ImGui sorts on the release).
      const ms = await commandToRows(page, () => page.mouse.up(), async () => {
        await page.mouse.move(x, headerY);
        await frames(page, 2);
        await page.mouse.down();
        await frames(page, 2);
      }).catch(() => null);  // A sort that keeps the same ticket on top shows no change: not counted.
      if (ms !== null) { sorts.push(ms.ms); sortUi.push(ms.ui); }
      await frames(page, 3);
    }
  }

  // Filters: a category chosen in the filter bar's combo (the street's tickets are of eleven
  // categories in turn, so a category holds some 9,000 of 100,000), then every category again
  // (RUNS rounds, a category after another). The combo opened first; measured from the release
  // on the choice, pressed and released as a hand does.
  const filters = [];
  const filterUi = [];
  let filterClicks = 0;
  const categories = ['噪音扰民', '违法搭建', '环境卫生', '物业管理', '市政设施'];
  for (let r = 0; r < RUNS; r++) {
    for (const choice of [categories[r % categories.length], '全部类别']) {
      await click(page, 'filter-category');
      const option = await findItem(page, choice);
      const ms = await commandToRows(page, () => page.mouse.up(), async () => {
        await page.mouse.move(option.x + option.w / 2, option.y + option.h / 2);
        await frames(page, 2);
        await page.mouse.down();
        await frames(page, 2);
      }).catch(() => null);  // A choice that keeps the same ticket on top shows no change: not counted.
      if (ms !== null) { filters.push(ms.ms); filterUi.push(ms.ui); }
      filterClicks++;
      await frames(page, 3);
    }
  }

  // Search: a word committed into the search box whole, as an input method commits 宝山路 (the app
  // asks the store at once; keys typed one by one wait 250 ms for the next), the rows for it; the
  // box emptied and the full list back before the next.
  const searches = [];
  const searchUi = [];
  const words = ['宝山路', '中华新路', '927弄', '河滨', '30号'];
  const found = [];
  // LINLI_PROFILE=N: the searches recorded with the DevTools profiler, the N functions with the
  // most time of their own printed (names when the app was linked with --profiling-funcs).
  const profileTop = Number(process.env.LINLI_PROFILE || 0);
  const cdp = profileTop > 0 ? await context.newCDPSession(page) : null;
  const profiles = [];
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  for (let r = 0; r < RUNS; r++) {
    const word = words[r % words.length];
    await click(page, 'inbox-search');
    // Profiled from the word's commit to the rows for it, as measured.
    const ms = await commandToRows(page, () => page.keyboard.insertText(word),
                                   async () => { if (cdp) await cdp.send('Profiler.start'); }).catch(() => null);
    if (cdp) profiles.push((await cdp.send('Profiler.stop')).profile);
    const s = await waitForState(page, (x) => x.inbox.text === word, `the search for ${word}`);
    if (ms !== null) { searches.push(ms.ms); searchUi.push(ms.ui); }
    found.push(`"${word}" ${s.inbox.total}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await waitForState(page, (x) => x.inbox.text === '' && x.inbox.rows.length > 0, 'the search emptied');
  }
  await context.close();

  const f = (x) => (x === undefined ? '-' : x.toFixed(1));
  console.log(`inbox in the browser (WASM): ${st.inbox.total} tickets, db ${(bytes.length / 1048576).toFixed(1)} MiB, window ${width}×${height}`);
  console.log(`opened: stored file read ${load.storageLoadMs.toFixed(0)} ms, first frame ${load.firstFrameMs.toFixed(0)} ms after navigation`);
  console.log('| what | count | p50 | p95 | max |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| frame while scrolling | ${scrollFrames.length} | ${f(pct(scrollFrames, 0.5))} ms | ${f(pct(scrollFrames, 0.95))} ms | ${f(Math.max(...scrollFrames))} ms |`);
  console.log(`| of which the UI (ImGui, store reads) | ${scrollUi.length} | ${f(pct(scrollUi, 0.5))} ms | ${f(pct(scrollUi, 0.95))} ms | ${f(Math.max(...scrollUi))} ms |`);
  console.log(`| sort: click to rows | ${sorts.length} | ${f(pct(sorts, 0.5))} ms | ${f(pct(sorts, 0.95))} ms | ${f(Math.max(...sorts))} ms |`);
  console.log(`| of which the slowest frame's UI (the store asked) | ${sortUi.length} | ${f(pct(sortUi, 0.5))} ms | ${f(pct(sortUi, 0.95))} ms | ${f(Math.max(...sortUi))} ms |`);
  console.log(`| filter: click to rows | ${filters.length} | ${f(pct(filters, 0.5))} ms | ${f(pct(filters, 0.95))} ms | ${f(Math.max(...filters))} ms |`);
  console.log(`| of which the slowest frame's UI (the store asked) | ${filterUi.length} | ${f(pct(filterUi, 0.5))} ms | ${f(pct(filterUi, 0.95))} ms | ${f(Math.max(...filterUi))} ms |`);
  console.log(`| search: word committed to rows | ${searches.length} | ${f(pct(searches, 0.5))} ms | ${f(pct(searches, 0.95))} ms | ${f(Math.max(...searches))} ms |`);
  console.log(`| of which the slowest frame's UI (the store asked) | ${searchUi.length} | ${f(pct(searchUi, 0.5))} ms | ${f(pct(searchUi, 0.95))} ms | ${f(Math.max(...searchUi))} ms |`);
  console.log(`sorts: ${sorts.length} of ${sortClicks} header clicks put another ticket on top (the others are not counted)`);
  console.log(`filters: ${filters.length} of ${filterClicks} category choices put another ticket on top (the others are not counted)`);
  console.log(`searches: ${found.join(', ')} tickets`);
  if (profiles.length) {
    console.log('the searches, each from the word committed to its rows:');
    printProfile(profiles, profileTop);
  }
} finally {
  await browser.close();
  await server.stop();
}
