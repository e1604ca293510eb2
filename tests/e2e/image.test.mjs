// End-to-end: a first sync as an image (docs/protocol.md, "Image"). The server builds the new
// replica's store with the pulls it would make and sends it whole; the app takes it page for page.
// What the screen says while the server packs it, that the tickets are all there, that the store
// written to IndexedDB in whole blocks opens again with no network, and that the replica goes on
// syncing from it. The real server (LINLI_IMAGE_FROM=0: an image even for the demo street).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, launch, chromiumArgs, waitForApp, frames, waitForState, shot, signIn, setLanguage, registerTicket, demoStreet,
  openHeld } from './harness.mjs';

const imageAlways = { LINLI_IMAGE_FROM: '0' };

test('the centre\'s first sync comes as the server\'s image, with a bar saying so while it is packed', { timeout: 240000 }, async (t) => {
  const server = await startServer({ seedDemo: true, env: imageAlways });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  // The image request held until the screenshots are taken.
  const { context, page, errors, release, asked } = await openHeld(browser, server.url, '**/api/v1/sync/image*');
  t.after(() => context.close());
  // One block a task (web/linli.js persistPages): the chain of batches in one transaction, tried
  // to its end, with the store read back after a reload below.
  await page.evaluate(() => { window.Linli.storage.putTaskMs = 0; });
  await signIn(page, 'zhang.bin');
  await waitForState(page, (st) => st.sync.image_in_flight, 'the image asked for');
  await frames(page, 3);
  await shot(page, 'image-01-1280-zh');
  await setLanguage(page, 'en');
  await page.setViewportSize({ width: 800, height: 600 });
  await frames(page, 5);
  await shot(page, 'image-02-800-en');
  await setLanguage(page, 'zh');

  release();
  const s = await waitForState(page, (st) => st.sync.caught_up && st.sync.image && !st.sync.image_in_flight, 'caught up from the image', 60000);
  assert.equal(asked(), 1, 'asked once');
  assert.equal(s.sync.problem, '');
  assert.equal(s.tickets.length, demoStreet.tickets, 'every demo ticket');
  assert.ok(s.sync.pulled > demoStreet.tickets, 'the image\'s changes counted');
  await frames(page, 3);
  await shot(page, 'image-03-800-zh-after');
  // The image's blocks went to IndexedDB one per task in one transaction: the store they make
  // opens again whole.
  await page.waitForFunction(() => window.linliTest.metrics().pending === 0, null, { timeout: 60000 });
  const puts = (await page.evaluate(() => window.linliTest.metrics())).blockPuts;
  assert.ok(puts.blocks > 16 && puts.batches === puts.blocks, `the image's blocks put one a task: ${JSON.stringify(puts)}`);
  await page.reload();
  await waitForApp(page);
  const again = await waitForState(page, (st) => st.signed_in && st.tickets.length === demoStreet.tickets, 'the store again after a reload');
  assert.equal(again.sync.unsent, 0);
  assert.deepEqual(errors, []);
});

test('a committee\'s store made from an image opens again offline and goes on syncing', { timeout: 300000 }, async (t) => {
  const server = await startServer({ seedDemo: true, env: imageAlways });
  const profile = mkdtempSync(path.join(tmpdir(), 'linli-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs, viewport: { width: 1280, height: 800 } });
  t.after(async () => { await context.close().catch(() => {}); await server.stop(); rmSync(profile, { recursive: true, force: true }); });
  let page = await context.newPage();
  await page.goto(server.url + '/');
  await waitForApp(page);
  await signIn(page, 'hebin.li');
  let s = await waitForState(page, (st) => st.sync.caught_up && st.sync.image, 'caught up from the image', 60000);
  const held = s.tickets.length;
  assert.equal(held, demoStreet.hebin, '河滨花园\'s tickets');
  // The app shell in the service worker's cache, then no network and a reload: the store comes
  // back from IndexedDB (written in whole blocks of 64 pages), still signed in.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 }).catch(async () => {
    await page.reload();
    await waitForApp(page);
  });
  await waitForState(page, (st) => st.pending_writes === 0, 'every page durable');
  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  s = await waitForState(page, (st) => st.signed_in && st.tickets.length === held, 'the image\'s tickets after an offline reload');
  const title = '地下车库积水';
  await registerTicket(page, { community: '河滨花园', address: '河滨花园2号楼地下车库', title });
  await waitForState(page, (st) => st.sync.unsent >= 1 && st.pending_writes === 0, 'saved offline');
  await context.setOffline(false);
  s = await waitForState(page, (st) => st.sync.unsent === 0 && st.tickets.some((x) => x.title === title && x.official !== ''),
                         'sent and numbered', 40000);
  assert.equal(s.tickets.length, held + 1);
  await shot(page, 'image-04-1280-zh-offline-reload');
});
