// End-to-end: what the replica keeps when things break, what it shows while a first sync runs, and
// redoing a change the server refused. The real server, Debian's Chromium; a tab killed without
// unload (its renderer crashed) and a browser killed with SIGKILL on a profile kept on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, launch, chromiumArgs, waitForApp, frames, state, click, waitForState, shot, signIn, registerTicket, demoStreet,
  openHeld } from './harness.mjs';

// A protocol client of its own, written from docs/protocol.md: the centre at another desk.
async function centreDesk(url) {
  const login = await fetch(url + '/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'zhang.bin', password: 'linli-demo' }),
  }).then((r) => r.json());
  const hex = () => Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  const replica = hex();
  const auth = { Authorization: 'Bearer ' + login.token };
  let counter = 0;
  const envelope = (ticket, kind, extra, base) => {
    counter++;
    const c = { id: { replica, counter }, hlc_ms: Date.now(), hlc_counter: counter, ticket, user: 'zhang.bin',
                role: 'centre', kind, ...extra };
    if (base) c.base = base;
    return c;
  };
  const push = async (changes) => {
    const r = await fetch(url + '/api/v1/sync/push', {
      method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'push', replica, schema: 1, client_time: Date.now(), changes }) });
    assert.equal(r.status, 200, await r.text());
    return changes.map((c) => c.id);
  };
  return {
    async setField(ticket, field, value, base) {
      return (await push([envelope(ticket, 'set_field', { field, value }, base)]))[0];
    },
    // A new ticket and `notes` timeline entries on it, in pushes of 2,000.
    async ticketWithNotes(notes) {
      const ticket = hex();
      const all = [envelope(ticket, 'create_ticket', { new_ticket: {
        provisional_number: '', official_number: '', source: 'phone', received_at: Date.now() - 60000,
        citizen_name: '赵阿姨', citizen_phone: '13800001111', community: '河滨花园', address: '河滨花园1号楼',
        category: 'sanitation', urgency: 'normal', title: '垃圾房清运记录', description: '', created_at: Date.now(),
        updated_at: Date.now() } })];
      for (let i = 0; i < notes; i++) all.push(envelope(ticket, 'add_entry', { entry: { kind: 'comment', text: `第${i + 1}次清运` } }));
      for (let i = 0; i < all.length; i += 2000) await push(all.slice(i, i + 2000));
      return ticket;
    },
    // The server's whole log, pulled from cursor 0 as a new replica of the centre.
    async log() {
      const reader = hex();
      const out = [];
      let cursor = 0;
      for (;;) {
        const a = await fetch(`${url}/api/v1/sync/pull?replica=${reader}&cursor=${cursor}&took=0&limit=1000`, { headers: auth })
          .then((r) => r.json());
        out.push(...a.changes);
        cursor = a.next;
        if (!a.more) return out;
      }
    },
  };
}

// Each change of the log once (by id); the creates of tickets titled `title`.
function onceEach(log, title) {
  const ids = new Set();
  for (const c of log) {
    const key = c.id.replica + ':' + c.id.counter;
    assert.ok(!ids.has(key), `change ${key} twice in the server's log`);
    ids.add(key);
  }
  return log.filter((c) => c.kind === 'create_ticket' && c.new_ticket.title === title);
}

function openProfile(dir, viewport = { width: 1280, height: 800 }) {
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

// Saved (已保存): the change is in the outbox and no durable write is pending.
const saved = (title) => (st) => st.pending_writes === 0 && st.sync.unsent >= 1 && st.tickets.some((x) => x.title === title);

test('a tab killed right after 已保存, then the whole browser killed, loses nothing and sends each change once', { timeout: 300000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const profile = mkdtempSync(path.join(tmpdir(), 'linli-profile-'));
  let context = await openProfile(profile);
  t.after(async () => { await context.close().catch(() => {}); await server.stop(); rmSync(profile, { recursive: true, force: true }); });

  let page = await openPage(context, server.url);
  await signIn(page, 'hebin.li');
  await waitForState(page, (st) => st.sync.caught_up, 'synced');
  await shellCached(page);

  // Offline, a ticket is registered; the moment the screen says 已保存 the tab is killed: its
  // renderer crashes, no unload or pagehide runs.
  await context.setOffline(true);
  const first = '楼顶水箱漏水';
  await registerTicket(page, { community: '河滨花园', address: '河滨花园7号楼楼顶', title: first });
  await waitForState(page, saved(first), 'saved');
  const crashed = new Promise((resolve) => page.once('crash', resolve));
  const cdp = await context.newCDPSession(page);
  cdp.send('Page.crash').catch(() => {});
  await crashed;

  // A new tab on the same profile, still offline: signed in, the ticket and its change are there.
  page = await openPage(context, server.url);
  let s = await waitForState(page, (st) => st.signed_in && st.sync.unsent === 1 && st.tickets.some((x) => x.title === first),
                             'the killed tab\'s ticket in a new tab');
  await shot(page, 'replica-01-after-tab-killed-zh');

  // Another edit, saved, and then the browser process itself is killed (SIGKILL): nothing flushes.
  const second = '电梯按钮失灵';
  await registerTicket(page, { community: '河滨花园', address: '河滨花园8号楼', title: second });
  await waitForState(page, (st) => saved(second)(st) && st.sync.unsent === 2, 'the second saved');
  const browserCdp = await context.browser().newBrowserCDPSession();
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  const pid = processInfo.find((p) => p.type === 'browser').id;
  const closed = new Promise((resolve) => context.once('close', resolve));
  process.kill(pid, 'SIGKILL');
  await closed;

  // The profile opened again, online: both changes go, each once, and come back numbered.
  context = await openProfile(profile);
  page = await openPage(context, server.url);
  s = await waitForState(page, (st) => st.signed_in && st.sync.unsent === 0 && st.sync.caught_up &&
                         [first, second].every((title) => st.tickets.some((x) => x.title === title && x.official !== '')),
                         'both tickets sent and numbered', 40000);
  await shot(page, 'replica-02-after-browser-killed-zh');
  const log = await (await centreDesk(server.url)).log();
  assert.equal(onceEach(log, first).length, 1, 'the first ticket created once on the server');
  assert.equal(onceEach(log, second).length, 1, 'the second ticket created once on the server');
  assert.equal(s.tickets.length, 2);
});

test('a first sync shows how far it has come against the server\'s log, with a real bar', { timeout: 300000 }, async (t) => {
  // By pulls, whatever the log's length: a first sync as an image is image.test.mjs's.
  const server = await startServer({ seedDemo: true, env: { LINLI_IMAGE_FROM: '1000000' } });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const desk = await centreDesk(server.url);
  await desk.ticketWithNotes(11000);  // With the demo street, four answers of 5,000 (the app's pull size).
  const head = (await desk.log()).at(-1).seq;

  // Pull answers after the first are held until the screenshots are taken.
  const { context, page, errors, release } = await openHeld(browser, server.url, '**/api/v1/sync/pull*', 2);
  t.after(() => context.close());
  await signIn(page, 'zhang.bin');
  let s = await waitForState(page, (st) => st.sync.head > 0 && st.sync.pulled > 0 && !st.sync.caught_up, 'the first answer taken');
  assert.equal(s.sync.head, head, 'the answer says where the log ends');
  assert.equal(s.sync.cursor, 5000);
  await frames(page, 3);
  await shot(page, 'progress-01-1280-zh');
  await click(page, '语言 / Language');
  await click(page, 'English');
  await waitForState(page, (st) => st.lang === 'en', 'English');
  await frames(page, 3);
  await shot(page, 'progress-02-1280-en');
  await page.setViewportSize({ width: 800, height: 600 });
  await frames(page, 5);
  await shot(page, 'progress-03-800-en');
  await click(page, 'Language / 语言');
  await click(page, '中文');
  await waitForState(page, (st) => st.lang === 'zh', 'Chinese');
  await frames(page, 3);
  await shot(page, 'progress-04-800-zh');

  release();
  s = await waitForState(page, (st) => st.sync.caught_up && st.sync.cursor === head, 'caught up at the head', 60000);
  assert.equal(s.tickets.length, demoStreet.tickets + 1);
  assert.deepEqual(errors, []);
});

test('a refused field edit is redone from the outbox once the policy allows it again', { timeout: 300000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '/');
  await waitForApp(page);
  await signIn(page, 'hebin.li');
  let s = await waitForState(page, (st) => st.sync.caught_up && st.tickets.length === demoStreet.hebin, "河滨花园's tickets");
  const T = s.tickets[0];
  await click(page, T.official);
  await waitForState(page, (st) => st.selected === T.id, 'the ticket selected');

  // Offline, the committee retitles it; meanwhile the centre moves it to another community.
  await context.setOffline(true);
  const title = T.title + '（居委补充：已联系物业）';
  await click(page, '修改##edit-title');
  await frames(page, 3);
  await page.keyboard.insertText(title);
  await frames(page, 3);
  await click(page, '保存修改##save-title');
  await waitForState(page, (st) => st.sync.unsent === 1, 'the edit waits');
  const desk = await centreDesk(server.url);
  const moved = await desk.setField(T.id, 'community', '锦绣花园');
  await context.setOffline(false);
  // The status bar counts the store's refusals as the sync loop ends; the outbox's list is read when
  // the app next reloads, a frame or so later: wait for both.
  s = await waitForState(page, (st) => st.sync.refused === 1 && st.refused.length === 1 && st.sync.unsent === 0 &&
                                       !st.tickets.some((x) => x.id === T.id),
                         'refused, and the ticket gone from the scope', 40000);
  assert.equal(s.refused[0].code, 'out_of_scope');
  assert.equal(s.refused[0].redo, false);
  assert.match(s.refused[0].why_not_redo, /不在本机/);
  await click(page, '发送队列');
  await waitForState(page, (st) => st.view === 'outbox', 'the outbox');
  await frames(page, 3);
  await shot(page, 'redo-01-disabled-1280-zh');

  // The centre moves it back: redo is offered.
  await desk.setField(T.id, 'community', '河滨花园', moved);
  s = await waitForState(page, (st) => st.refused.length === 1 && st.refused[0].redo, 'redo offered', 40000);
  await frames(page, 3);
  await shot(page, 'redo-02-offered-1280-zh');
  await click(page, '语言 / Language');
  await click(page, 'English');
  s = await waitForState(page, (st) => st.lang === 'en', 'English');
  assert.equal(s.view, 'outbox', 'a change of language keeps the tab shown');
  await frames(page, 3);
  await shot(page, 'redo-03-offered-1280-en');
  await page.setViewportSize({ width: 800, height: 600 });
  await frames(page, 5);
  await shot(page, 'redo-04-offered-800-en');
  await click(page, 'Language / 语言');
  await click(page, '中文');
  await waitForState(page, (st) => st.lang === 'zh', 'Chinese');
  await frames(page, 3);
  await shot(page, 'redo-05-offered-800-zh');

  await click(page, '重做');
  s = await waitForState(page, (st) => st.sync.refused === 0 && st.sync.unsent === 0 &&
                         st.tickets.some((x) => x.id === T.id && x.title === title), 'redone and taken', 40000);
  const log = await desk.log();
  assert.equal(log.filter((c) => c.kind === 'set_field' && c.field === 'title' && c.value === title).length, 1,
               'the redo in the log once (a refused change is never in it)');
  await frames(page, 3);
  await shot(page, 'redo-06-done-800-zh');
  assert.deepEqual(errors, []);
});
