// End-to-end: 巡查 (field work) offline. A field worker (除害站, chuhai.chen) records a round item
// with counts and a finding with its photo that becomes a ticket with no network, closes the tab,
// opens it again, comes back online; the photo is uploaded with the very bytes the browser stored,
// and the centre sees the new ticket (where it came from, its 整改前 photo) and the campaign totals
// the server serves. The real server with the demo street, Debian's Chromium on a profile on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, launch, chromiumArgs, waitForApp, frames, state, click, typeInto, waitForState, shot, signIn, findItem,
  makeJpeg, choosePhoto, reveal,
} from './harness.mjs';

const campaign = 'c2020a00000000000000000000005a01';  // 春季爱国卫生运动 of the demo street.

function openProfile(dir, viewport) {
  return chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs, viewport });
}

async function openPage(context, url) {
  const page = await context.newPage();
  await page.goto(url + '/');
  // A tab just closed may still hold the app's lock for a moment: the page then offers to take over
  // (在此标签页使用), as a person would click.
  const until = Date.now() + 60000;
  for (;;) {
    const st = await page.evaluate(() => ({ ready: !!(window.linliTest && window.linliTest.ready()),
                                            other: document.body.innerText.includes('在此标签页使用') }));
    if (st.ready) break;
    if (st.other) await page.getByText('在此标签页使用').click();
    if (Date.now() > until) break;
    await page.waitForTimeout(250);
  }
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

async function login(url, user) {
  const r = await fetch(url + '/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, password: 'linli-demo' }),
  });
  assert.equal(r.status, 200);
  return { Authorization: 'Bearer ' + (await r.json()).token };
}

async function totals(url, auth) {
  const r = await fetch(`${url}/api/v1/campaigns/${campaign}/totals`, { headers: auth });
  const body = await r.text();
  assert.equal(r.status, 200, body);
  return JSON.parse(body);
}

// Opens the 巡查 view on 河滨花园 (the community chooser lists the four demo communities).
async function openField(page) {
  await click(page, '巡查');
  await waitForState(page, (st) => st.view === 'field', 'the 巡查 view');
  await click(page, 'fw-community');
  await click(page, '河滨花园');
  await findItem(page, 'checked-HB-BB-01');
}

// Types into a count or note of the checklist and leaves it (Enter): the edit is saved then.
async function enter(page, label, text) {
  await typeInto(page, label, text);
  await page.keyboard.press('Enter');
  await frames(page, 4);
}

test('a field worker records a round item and a finding offline; after a closed tab and a reconnect the centre sees the ticket and the totals', { timeout: 420000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const profile = mkdtempSync(path.join(tmpdir(), 'linli-profile-'));
  let context = await openProfile(profile, { width: 1600, height: 900 });
  const browser = await launch();
  t.after(async () => {
    await context.close().catch(() => {});
    await browser.close().catch(() => {});
    await server.stop();
    rmSync(profile, { recursive: true, force: true });
  });
  const centreAuth = await login(server.url, 'zhang.bin');
  const before = await totals(server.url, centreAuth);
  assert.equal(before.name, '春季爱国卫生运动');
  assert.deepEqual([before.street.bait_boxes_set, before.street.sewers_dosed, before.street.rat_holes_filled,
                    before.street.rats_killed, before.street.wells_dosed, before.street.fly_cages_kept],
                   [175, 14, 8, 102, 1387, 124], 'the demo campaign holds the seed\'s totals');

  let page = await openPage(context, server.url);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, 'chuhai.chen');
  await waitForState(page, (st) => st.sync.caught_up && st.field.campaigns.length === 1 && st.field.facilities === 367,
                     'the campaign and its facilities pulled', 60000);
  await shellCached(page);
  await openField(page);
  await frames(page, 4);
  await shot(page, 'field-01-round-1600-zh');

  // No signal in the basement: the item is checked, baited, counted, noted and its finding opened.
  await context.setOffline(true);
  await click(page, 'checked-HB-BB-01');
  await click(page, 'treated-HB-BB-01');
  await enter(page, 'rats-HB-BB-01', '3');
  await enter(page, 'holes-HB-BB-01', '1');
  const note = '毒鼠盒盒盖破损，旁边有新鼠洞';
  await enter(page, 'note-HB-BB-01', note);
  let s = await waitForState(page, (st) => st.sync.unsent === 5 && st.pending_writes === 0, 'five item edits saved offline');
  await click(page, '开工单##finding-HB-BB-01');
  await findItem(page, '开工单##fw-finding-confirm');
  // The broken box photographed in the form, as a phone's camera gives it (4000×3000).
  const jpeg = await makeJpeg(page, 4000, 3000, 'bait box');
  await choosePhoto(page, '拍整改前照片##fw-finding-photo', jpeg, 'box.jpg');
  await findItem(page, '移除##fw-finding-photo-remove-0', 20000);
  await frames(page, 3);
  await shot(page, 'field-02-finding-confirm-1600-zh');
  // The tab closes with the form still open: the next start opens it again, photo included.
  await waitForState(page, (st) => st.pending_writes === 0, 'the form kept on the device');
  await page.close();
  page = await openPage(context, server.url);
  page.on('pageerror', (e) => errors.push(String(e)));
  await waitForState(page, (st) => st.signed_in && st.view === 'field', 'the reopened tab on 巡查');
  await findItem(page, '移除##fw-finding-photo-remove-0', 20000);
  await click(page, '开工单##fw-finding-confirm');
  s = await waitForState(page, (st) => st.pending_writes === 0 && st.tickets.some((x) => x.title === '巡查发现：毒鼠盒 HB-BB-01，毒鼠盒盒盖破损，旁边有新鼠洞') &&
                                      st.sync.photos_waiting === 1,
                         'the finding saved as a ticket, its photo waiting');
  const ticket = s.tickets.find((x) => x.title === '巡查发现：毒鼠盒 HB-BB-01，毒鼠盒盒盖破损，旁边有新鼠洞');
  assert.equal(ticket.community, '河滨花园');
  assert.equal(ticket.category, 'pest_control');
  assert.equal(s.sync.unsent, 8, 'create_ticket, its photo and the finding link, with the five item edits');
  assert.equal(Object.values(s.field.findings).filter((id) => id === ticket.id).length, 1, 'the round item names its ticket');
  await findItem(page, `${ticket.number}##ticket-HB-BB-01`);
  await frames(page, 3);
  await shot(page, 'field-03-item-with-ticket-1600-zh');
  // The ticket, from the round item: its 整改前 photo held on this device, waiting to upload.
  await click(page, `${ticket.number}##ticket-HB-BB-01`);
  s = await waitForState(page, (st) => st.selected === ticket.id && st.photos.held.length === 1, 'the ticket and its photo');
  assert.deepEqual(s.photos.ticket.map((p) => [p.phase, p.author]), [['before', 'chuhai.chen']]);
  const held = s.photos.held[0];
  assert.equal(held.state, 'waiting');
  assert.equal(held.stored_sha256, held.sha256, 'the stored bytes are the photo named');
  assert.equal(Math.max(held.width, held.height), 1600, 'scaled to 1600 px');

  // The tab is closed and opened again, still offline: everything is there, unsent.
  await page.close();
  page = await openPage(context, server.url);
  page.on('pageerror', (e) => errors.push(String(e)));
  s = await waitForState(page, (st) => st.signed_in && st.sync.unsent === 8 && st.sync.photos_waiting === 1 &&
                                      st.tickets.some((x) => x.id === ticket.id),
                         'the reopened tab holds the round item, the ticket and its photo');
  await openField(page);
  await findItem(page, `${ticket.number}##ticket-HB-BB-01`);

  // Back online: pushed, taken, numbered.
  await context.setOffline(false);
  s = await waitForState(page, (st) => st.sync.unsent === 0 && st.sync.caught_up && st.sync.photos_waiting === 0 &&
                                      st.tickets.some((x) => x.id === ticket.id && x.official !== ''),
                         'sent and numbered', 60000);
  assert.deepEqual(s.refused, [], 'the server took every change');

  // The server holds the very bytes the field worker's browser stored, under their hash.
  const blob = await fetch(`${server.url}/api/v1/blobs/${held.sha256}`, { headers: centreAuth });
  assert.equal(blob.status, 200);
  assert.equal(blob.headers.get('content-type'), 'image/jpeg');
  const bytes = Buffer.from(await blob.arrayBuffer());
  assert.equal(createHash('sha256').update(bytes).digest('hex'), held.stored_sha256, 'the server\'s bytes are the browser\'s');
  assert.equal(bytes.length, held.size);

  // The centre: the campaign totals the server serves moved by the worker's counts.
  const after = await totals(server.url, centreAuth);
  assert.equal(after.street.rats_killed, before.street.rats_killed + 3);
  assert.equal(after.street.rat_holes_filled, before.street.rat_holes_filled + 1);
  assert.equal(after.communities['河滨花园'].rats_killed, before.communities['河滨花园'].rats_killed + 3);
  assert.equal(after.street.bait_boxes_set, 175, 'a box baited again counts once');

  // ... and the new ticket, with where it came from, in the centre's own browser.
  const centre = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const desk = await centre.newPage();
  desk.on('pageerror', (e) => errors.push(String(e)));
  await desk.goto(server.url + '/');
  await waitForApp(desk);
  await signIn(desk, 'zhang.bin');
  s = await waitForState(desk, (st) => st.sync.caught_up && st.tickets.some((x) => x.id === ticket.id) &&
                                      Object.values(st.field.findings).includes(ticket.id),
                         'the centre holds the ticket and its finding link', 90000);
  const seen = s.tickets.find((x) => x.id === ticket.id);
  assert.equal(seen.status, 'received');
  await click(desk, seen.official);
  s = await waitForState(desk, (st) => st.selected === ticket.id && st.photos.held.length === 1, 'the ticket and its photo', 30000);
  assert.deepEqual(s.photos.ticket.map((p) => [p.phase, p.author]), [['before', 'chuhai.chen']]);
  assert.equal(s.photos.held[0].stored_sha256, held.stored_sha256, 'the centre fetched the same bytes');
  await frames(desk, 10);
  await shot(desk, 'field-04-centre-ticket-photo-1600-zh');
  await reveal(desk, '查看巡查项##fw-go-round');  // Below the photos.
  await frames(desk, 3);
  await shot(desk, 'field-04b-centre-ticket-origin-1600-zh');
  // From the ticket to the round item it came from; the totals there are the replica's own.
  await click(desk, '查看巡查项##fw-go-round');
  await waitForState(desk, (st) => st.view === 'field', 'the round item');
  await findItem(desk, `${seen.official}##ticket-HB-BB-01`);
  await click(desk, '统计汇总');
  s = await waitForState(desk, (st) => st.field.totals && st.field.totals.rats_killed === after.street.rats_killed,
                         'the centre\'s offline totals agree with the server');
  assert.equal(s.field.totals.wells_dosed, 1387);
  await frames(desk, 3);
  await shot(desk, 'field-05-totals-1600-zh');
  await centre.close();
  assert.deepEqual(errors, []);

  // The field worker's view at the other sizes and in English: the shots the UI is judged by.
  await click(page, '巡查清单');
  await frames(page, 3);
  await page.setViewportSize({ width: 1024, height: 700 });
  await frames(page, 5);
  await shot(page, 'field-06-round-1024-zh');
  // On a phone the checklist is a card a facility: the boxes, the counts and the note all within
  // the screen, and a count typed there reaches the server's totals like one typed at a desk.
  // The phone's layout is for fingers (taller rows): the second card is scrolled into view first.
  await page.setViewportSize({ width: 412, height: 860 });
  await frames(page, 5);
  await reveal(page, 'note-HB-BB-02', '##fw-body');
  const width = await page.evaluate(() => window.innerWidth);
  for (const label of ['checked-HB-BB-02', 'treated-HB-BB-02', 'rats-HB-BB-02', 'holes-HB-BB-02', 'note-HB-BB-02',
                       '开工单##finding-HB-BB-02']) {
    const it = await findItem(page, label);
    assert.ok(it.x >= 0 && it.x + it.w <= width, `${label} lies within the phone's screen (${it.x}+${it.w} of ${width})`);
  }
  await click(page, 'checked-HB-BB-02');
  await enter(page, 'rats-HB-BB-02', '4');
  await shot(page, 'field-06b-round-phone-zh');
  await waitForState(page, (st) => st.sync.unsent === 0 && st.sync.caught_up && st.pending_writes === 0,
                     'the phone\'s edits sent', 30000);
  const phone = await totals(server.url, centreAuth);
  assert.equal(phone.street.rats_killed, after.street.rats_killed + 4, 'the count typed on the phone is counted');
  await page.setViewportSize({ width: 1024, height: 700 });
  await frames(page, 5);
  await click(page, '设施');
  await frames(page, 3);
  await shot(page, 'field-07-facilities-1024-zh');
  await click(page, '统计汇总');
  await frames(page, 3);
  await shot(page, 'field-08-totals-1024-zh');
  await click(page, '语言 / Language');
  await click(page, 'English');
  await waitForState(page, (st) => st.lang === 'en', 'English');
  await click(page, 'Checklist');
  await frames(page, 4);
  await shot(page, 'field-09-round-1024-en');
  await click(page, 'Totals');
  await frames(page, 3);
  await shot(page, 'field-10-totals-1024-en');
  await page.setViewportSize({ width: 1600, height: 900 });
  await click(page, 'Checklist');
  await frames(page, 5);
  await shot(page, 'field-11-round-1600-en');
  await click(page, 'Facilities');
  await frames(page, 3);
  await shot(page, 'field-12-facilities-1600-en');
  await click(page, 'Language / 语言');
  await click(page, '中文');
  await waitForState(page, (st) => st.lang === 'zh', 'Chinese');
  assert.deepEqual(errors, []);
});
