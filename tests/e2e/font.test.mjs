// End-to-end: names with rare characters. A citizen 李堃 at an address with 喆, 昇 and 珺 (none of
// them in the first font, GB2312 level 1) shows ImGui's fallback glyph until the rest of the font
// arrives after the first frame, then the characters themselves; and again after an offline
// start, with the rest of the font from the service worker's cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  startServer, launch, waitForApp, frames, click, waitForState, shot, shotDir, signIn, registerTicket, items, reveal,
} from './harness.mjs';

const RARE = ['堃', '喆', '昇', '珺'].map((c) => c.codePointAt(0));
const CITIZEN = '李堃';
const ADDRESS = '河滨花园喆昇路珺园3号';

const fonts = (page) => page.evaluate(() => window.linliTest.fonts());

// Decodes a PNG screenshot (8-bit RGB or RGBA, not interlaced, as Chromium writes them).
function decodePng(buf) {
  let pos = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth');
      assert.equal(data[12], 0, 'not interlaced');
      channels = { 2: 3, 6: 4 }[data[9]];
      assert.ok(channels, `colour type ${data[9]}`);
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      out[y * stride + x] = (line[x] + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels: out };
}

// The pixels of a field's value in the ticket's detail: the text just left of its edit button
// (ImGui draws the value, then the button on the same line). Grey levels, and how much is ink.
async function fieldCell(page, field, name) {
  // The intake details sit below the steps and the photos: the detail scrolls to the field first.
  const button = await reveal(page, '修改##edit-' + field);
  assert.ok(button, `the edit button of ${field} is on screen`);
  const clip = { x: Math.round(button.x - 260), y: Math.round(button.y), width: 256, height: Math.round(button.h) };
  const png = await page.screenshot({ clip, path: path.join(shotDir, name + '.png') });
  const img = decodePng(png);
  const grey = [];
  for (let i = 0; i < img.pixels.length; i += img.channels)
    grey.push((img.pixels[i] + img.pixels[i + 1] + img.pixels[i + 2]) / 3);
  return { grey, ink: grey.filter((g) => g < 128).length };
}

function sameCell(a, b) {
  return a.grey.length === b.grey.length && a.grey.every((g, i) => Math.abs(g - b.grey[i]) < 8);
}

test('rare characters in names and addresses render once the rest of the font is in, also offline', { timeout: 240000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // The rest of the font is a static file like the first: precompressed, revalidated, under the CSP.
  const rest = await context.request.get(server.url + '/fonts/linli-cjk-rest.ttf', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(rest.status(), 200);
  const h = rest.headers();
  assert.equal(h['content-type'], 'font/ttf');
  assert.equal(h['content-encoding'], 'gzip');
  assert.equal(h['cache-control'], 'no-cache');
  assert.ok(h.etag, 'an ETag');
  assert.match(h['content-security-policy'] || '', /default-src 'none'/);
  const restBytes = (await rest.body()).length;
  t.diagnostic(`the rest of the font: ${restBytes} bytes (${h['content-length'] || '?'} sent, gzip)`);
  assert.ok(restBytes > 1000000, 'the rest holds the other ideographs');

  // The rest of the font is held back until the ticket has been seen with the fallback glyph.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let restRequests = 0;
  await page.route('**/fonts/linli-cjk-rest.ttf', async (route) => {
    restRequests++;
    await held;
    await route.continue();
  });

  await page.goto(server.url + '/');
  await waitForApp(page);
  await signIn(page, 'zhang.bin');
  await waitForState(page, (st) => st.sync.caught_up, 'the first sync');
  await registerTicket(page, { citizen: CITIZEN, community: '河滨花园', address: ADDRESS, title: '楼道灯不亮' });
  const s = await waitForState(page, (st) => st.selected !== '' && st.tickets.length === 1, 'the new ticket selected');
  assert.equal(s.tickets[0].address, ADDRESS);
  await frames(page, 5);

  // Before: noted, not in the atlas (the first font lacks them), drawn as the fallback glyph.
  let f = await fonts(page);
  t.diagnostic(`first font: ${f.glyphs} glyphs, atlas ${f.atlas_w}x${f.atlas_h}, built in ${f.last_build_ms.toFixed(1)} ms`);
  assert.equal(f.restReady, false, 'the rest of the font is held back');
  assert.equal(restRequests, 1, 'the rest of the font is asked for after the first frame');
  for (const c of RARE) {
    assert.ok(f.missing.includes(c), `U+${c.toString(16)} noted and missing before the rest: ${JSON.stringify(f)}`);
    assert.ok(!f.held.includes(c));
  }
  assert.equal(String.fromCodePoint(f.fallback), '?', 'ImGui falls back to "?"');
  const nameBefore = await fieldCell(page, 'citizen_name', '30-rare-name-fallback');
  const addressBefore = await fieldCell(page, 'address', '30-rare-address-fallback');

  // The rest arrives: the atlas is built again with the noted characters, between frames.
  release();
  await page.waitForFunction(() => window.linliTest.fonts().held.length >= 4, null, { timeout: 20000, polling: 100 });
  await frames(page, 5);
  f = await fonts(page);
  const m = await page.evaluate(() => window.linliTest.metrics());
  t.diagnostic(`with the noted characters: ${f.glyphs} glyphs, atlas ${f.atlas_w}x${f.atlas_h}, ` +
               `rebuilt in ${f.last_build_ms.toFixed(1)} ms; first frame ${m.firstFrameMs.toFixed(0)} ms after page load`);
  for (const c of RARE) assert.ok(f.held.includes(c), `U+${c.toString(16)} in the atlas: ${JSON.stringify(f)}`);
  const nameAfter = await fieldCell(page, 'citizen_name', '31-rare-name');
  const addressAfter = await fieldCell(page, 'address', '31-rare-address');
  await shot(page, '31-rare-characters');
  // 堃 has many more strokes than "?": more ink, and a different picture.
  assert.ok(!sameCell(nameBefore, nameAfter), 'the name cell changed');
  assert.ok(nameAfter.ink > nameBefore.ink * 1.15, `name ink ${nameBefore.ink} -> ${nameAfter.ink}`);
  assert.ok(addressAfter.ink > addressBefore.ink * 1.15, `address ink ${addressBefore.ink} -> ${addressAfter.ink}`);

  // Offline: the service worker (registered after the rest was fetched) starts the app and gives
  // the rest of the font from its cache.
  await page.unroute('**/fonts/linli-cjk-rest.ttf');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  assert.equal(await server.stop(), 0);
  await page.reload();
  await waitForApp(page);
  await waitForState(page, (st) => st.tickets.length === 1 && st.sync.link === 'offline', 'the ticket, offline');
  await waitForState(page, (st) => st.inbox.total === 1, 'the list, offline');
  const row = (await items(page)).find((it) => it.id.endsWith('##row-' + s.selected));
  assert.ok(row, 'the ticket\'s row is on screen');
  await click(page, row.id);
  await waitForState(page, (st) => st.selected === s.selected, 'the ticket selected, offline');
  await page.waitForFunction(() => window.linliTest.fonts().held.length >= 4, null, { timeout: 20000, polling: 100 });
  await frames(page, 5);
  f = await fonts(page);
  for (const c of RARE) assert.ok(f.held.includes(c), `U+${c.toString(16)} in the atlas offline: ${JSON.stringify(f)}`);
  const nameOffline = await fieldCell(page, 'citizen_name', '32-rare-name-offline');
  assert.ok(sameCell(nameOffline, nameAfter), 'offline, the name is drawn as it was online');
  assert.ok(!sameCell(nameOffline, nameBefore), 'offline, the name is not the fallback');
  await shot(page, '32-rare-characters-offline');
  assert.deepEqual(errors, []);
});
