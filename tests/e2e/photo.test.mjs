// End-to-end: before/after photos of a ticket, taken offline, never lost. The committee (hebin.li)
// photographs a ticket's problem and its fix with no network, closes the tab, opens it again and
// comes back online: each photo is uploaded before the change that names it, the server holds the
// very bytes the browser stored, and the centre (zhang.bin) sees the pair, fetched on demand.
// The real server, Debian's Chromium on a profile kept on disk, JPEGs made by a canvas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, launch, chromiumArgs, waitForApp, frames, click, findItem, waitForState, shot, signIn, registerTicket,
  typeInto, makeJpeg, choosePhoto, reveal } from './harness.mjs';

function openProfile(dir, viewport = { width: 1600, height: 900 }) {
  return chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs, viewport });
}
async function openPage(context, url) {
  const page = await context.newPage();
  await page.goto(url + '/');
  await waitForApp(page);
  return page;
}
// The app shell must be in the service worker's cache before a page can open with no network.
async function shellCached(page) {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 }).catch(async () => {
    await page.reload();
    await waitForApp(page);
  });
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

test('before and after photos taken offline survive a closed tab, upload first, and the centre sees the pair',
  { timeout: 300000 }, async (t) => {
    const server = await startServer({ demoUsers: true });
    const profile = mkdtempSync(path.join(tmpdir(), 'linli-profile-'));
    let context = await openProfile(profile);
    const browser = await launch();
    t.after(async () => {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
      rmSync(profile, { recursive: true, force: true });
    });

    let page = await openPage(context, server.url);
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await signIn(page, 'hebin.li');
    await waitForState(page, (st) => st.sync.caught_up, 'synced');
    await shellCached(page);
    const title = '快递点纸箱堆放';
    await registerTicket(page, { community: '河滨花园', address: '河滨花园东门快递点', title });
    let s = await waitForState(page, (st) => st.selected !== '' && st.sync.unsent === 0, 'the ticket sent and selected', 20000);
    const ticket = s.selected;

    // A 4000×3000 picture and a 3000×4000 one, as a phone's camera gives them.
    const before = await makeJpeg(page, 4000, 3000, 'before');
    const after = await makeJpeg(page, 3000, 4000, 'after');

    // Offline: the before and the after photo.
    await context.setOffline(true);
    await choosePhoto(page, '拍整改前照片', before, 'before.jpg');
    s = await waitForState(page, (st) => st.pending_writes === 0 && st.photos.held.length === 1 &&
                           st.notice === '照片已保存在本机，会自动上传', 'the before photo saved', 20000);
    assert.equal(s.photos.held[0].state, 'waiting');
    assert.equal(Math.max(s.photos.held[0].width, s.photos.held[0].height), 1600, 'scaled to 1600 px');
    await choosePhoto(page, '拍整改后照片', after, 'after.jpg');
    s = await waitForState(page, (st) => st.pending_writes === 0 && st.photos.held.length === 2, 'the after photo saved', 20000);
    assert.deepEqual(s.photos.ticket.map((p) => p.phase), ['before', 'after']);
    assert.equal(s.sync.unsent, 2, 'two attach_photo changes wait');
    assert.equal(s.sync.photos_waiting, 2);
    const stored = new Map(s.photos.held.map((p) => [p.sha256, p]));
    for (const p of s.photos.held) assert.equal(p.stored_sha256, p.sha256, 'the stored bytes are the photo named');
    await frames(page, 10);
    await shot(page, 'photo-01-offline-waiting-zh');
    await click(page, '发送队列');
    await frames(page, 5);
    await shot(page, 'photo-02-outbox-uploads-zh');

    // The tab is closed; a new one opens, still offline: both photos are there, still waiting.
    await page.close();
    page = await openPage(context, server.url);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    s = await waitForState(page, (st) => st.signed_in && st.sync.photos_waiting === 2 && st.sync.unsent === 2,
                           'the photos waiting in a new tab');

    // Online: uploaded first, then the changes, acknowledged.
    // Online, on a slow uplink (16 KB/s, a basement's edge of signal): the outbox's bar follows the
    // bytes sent of the photo on its way.
    await context.setOffline(false);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 16 * 1024 });  // Each photo takes over a second.
    await click(page, '发送队列');
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    s = await waitForState(page, (st) => st.sync.uploading !== '' && st.sync.upload_sent > 0 && st.sync.upload_sent < st.sync.upload_total,
                           'an upload part way', 60000);
    await frames(page, 3);
    await shot(page, 'photo-02b-outbox-upload-progress-zh');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    s = await waitForState(page, (st) => st.sync.photos_waiting === 0 && st.sync.unsent === 0, 'photos uploaded and changes sent', 60000);

    // The server holds the bytes the browser stored, under their hash.
    const login = await fetch(server.url + '/api/v1/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'zhang.bin', password: 'linli-demo' }) }).then((r) => r.json());
    for (const [sha, p] of stored) {
      const r = await fetch(`${server.url}/api/v1/blobs/${sha}`, { headers: { Authorization: 'Bearer ' + login.token } });
      assert.equal(r.status, 200);
      const bytes = Buffer.from(await r.arrayBuffer());
      assert.equal(sha256(bytes), p.stored_sha256, 'the server\'s bytes are the browser\'s');
      assert.equal(bytes.length, p.size);
      assert.equal(r.headers.get('content-type'), 'image/jpeg');
    }
    assert.deepEqual(pageErrors, []);

    // The centre, on another machine, opens the ticket: the pair, fetched from the server.
    const desk = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const c = await desk.newPage();
    await c.goto(server.url + '/');
    await waitForApp(c);
    await signIn(c, 'zhang.bin');
    await waitForState(c, (st) => st.sync.caught_up && st.tickets.some((x) => x.id === ticket), 'the centre synced');
    const official = (await waitForState(c, (st) => st.tickets.find((x) => x.id === ticket && x.official !== ''), 'numbered'))
      .tickets.find((x) => x.id === ticket).official;
    await typeInto(c, 'inbox-search', official);
    await waitForState(c, (st) => st.inbox.text === official && st.inbox.total === 1, 'the search');
    await click(c, official);
    s = await waitForState(c, (st) => st.selected === ticket && st.photos.ticket.length === 2 &&
                           st.photos.held.length === 2, 'the centre holds both photos', 30000);
    assert.deepEqual(s.photos.ticket.map((p) => p.phase), ['before', 'after']);
    assert.deepEqual(s.photos.ticket.map((p) => p.author), ['hebin.li', 'hebin.li']);
    for (const p of s.photos.held) {
      assert.equal(p.state, 'cached');
      assert.equal(p.stored_sha256, stored.get(p.sha256).stored_sha256);
    }
    await frames(c, 20);
    await shot(c, 'photo-03-centre-pair-zh-1600');
    // A click opens the before photo large (scrolled to first: the steps above it may push it
    // under the panel's edge).
    const thumb = await reveal(c, 'photo-' + s.photos.ticket[0].sha256.slice(0, 12));
    await c.mouse.click(thumb.x + thumb.w / 2, thumb.y + thumb.h / 2);
    await findItem(c, '关闭');
    await frames(c, 5);
    await shot(c, 'photo-04-large-zh-1600');
    await click(c, '关闭');

    // A small window: the detail scrolls down to the photos.
    await c.setViewportSize({ width: 1024, height: 700 });
    await frames(c, 10);
    await c.mouse.move(850, 400);
    await c.mouse.wheel(0, 400);
    await frames(c, 10);
    await shot(c, 'photo-05-centre-pair-zh-1024');
    await click(c, '语言 / Language');
    await click(c, 'English');
    await waitForState(c, (st) => st.lang === 'en', 'English');
    await frames(c, 10);
    await shot(c, 'photo-06-centre-pair-en-1024');
    await c.setViewportSize({ width: 1600, height: 900 });
    await frames(c, 10);
    await shot(c, 'photo-07-centre-pair-en-1600');
    await desk.close();
  });
