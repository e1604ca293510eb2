// End-to-end: the app as a replica. Two browsers against the real server with the demo street:
// a committee worker signs in, loses the signal, registers a ticket, closes and reopens the app
// with no network (still signed in, nothing lost), and when the signal returns the centre's
// browser receives the ticket with its official number. One tab owns the local store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, waitForApp, frames, state, click, typeInto, typeFocused, waitForState, shot, signIn, registerTicket, demoStreet, reveal, findItem } from './harness.mjs';

async function openApp(browser, url, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + '/');
  await waitForApp(page);
  return { context, page, errors };
}

// The real server with the demo street and one screen per demo user of `users` ([user, how many
// tickets its scope holds]), each signed in and caught up; all stopped when the test ends.
// Returns the screens ({ context, page, errors, state }) in the order given.
async function streetScreens(t, users) {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const screens = [];
  for (const [user] of users) {
    const screen = await openApp(browser, server.url);
    await signIn(screen.page, user);
    screens.push(screen);
  }
  for (let i = 0; i < users.length; i++) {
    const [user, tickets] = users[i];
    screens[i].state = await waitForState(screens[i].page, (st) => st.sync.caught_up && st.tickets.length === tickets,
                                          `${user} synced`, 60000);
  }
  return screens;
}

test('an edit made offline reaches the centre when the signal returns', { timeout: 300000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });

  const committee = await openApp(browser, server.url);
  const centre = await openApp(browser, server.url);
  const a = committee.page;
  const b = centre.page;

  await signIn(a, 'hebin.li');
  let s = await waitForState(a, (st) => st.sync.caught_up && st.tickets.length === demoStreet.hebin, "河滨花园's demo tickets");
  assert.ok(s.tickets.every((x) => x.community === '河滨花园'), 'a committee sees its own community only');
  assert.ok(s.tickets.every((x) => x.official !== ''), 'demo tickets come with official numbers');
  await shot(a, 'sync-01-committee-zh');
  await signIn(b, 'zhang.bin');
  await waitForState(b, (st) => st.sync.caught_up && st.tickets.length === demoStreet.tickets, 'the whole street at the centre');
  await shot(b, 'sync-02-centre-zh');

  // The service worker must hold the app shell before the app can start with no network.
  await a.evaluate(async () => { await navigator.serviceWorker.ready; });
  await a.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 }).catch(async () => {
    await a.reload();
    await waitForApp(a);
  });

  // The basement: no signal. The ticket is saved here and waits in the outbox.
  await committee.context.setOffline(true);
  const title = '地下车库积水，电瓶车无法停放';
  s = await registerTicket(a, { community: '河滨花园', address: '河滨花园5号楼地下车库', title });
  s = await waitForState(a, (st) => st.sync.unsent === 1 && st.sync.link === 'offline', 'offline with one unsent change');
  const mine = s.tickets.find((x) => x.title === title);
  assert.match(mine.number, /^临-\d{4}-[A-Z2-9]{3}-\d{3,}$/, 'a provisional number until the server gives one');
  assert.equal(mine.official, '');
  await shot(a, 'sync-03-offline-unsent-zh');
  await click(a, '发送队列');
  await waitForState(a, (st) => st.view === 'outbox', 'the outbox');
  await shot(a, 'sync-04-outbox-zh');

  // Closed and opened again with no network: still signed in, the ticket and its change still there.
  await a.reload();
  await waitForApp(a);
  s = await waitForState(a, (st) => st.signed_in && st.sync.unsent === 1 && st.tickets.some((x) => x.title === title),
                         'signed in offline after a restart, nothing lost');
  assert.equal(s.needs_sign_in, false);

  // The signal returns: the browser's online event sends it at once.
  await committee.context.setOffline(false);
  s = await waitForState(a, (st) => st.sync.unsent === 0 && st.tickets.find((x) => x.title === title).official !== '',
                         'pushed, and the official number back', 30000);
  const official = s.tickets.find((x) => x.title === title).official;
  assert.match(official, /^\d{4}-\d{2}-\d{4,}$/);
  await shot(a, 'sync-05-synced-zh');

  // The centre's long poll brings it in without a click.
  s = await waitForState(b, (st) => st.tickets.some((x) => x.title === title), 'the ticket at the centre', 40000);
  assert.equal(s.tickets.find((x) => x.title === title).official, official);
  assert.equal(s.tickets.length, demoStreet.tickets + 1);

  // Another community's ticket: the form says at once that the server would refuse it (the shared
  // write policy), and nothing is saved or queued. (A refusal the server gives, kept in the outbox
  // with its reason and redone or discarded there, is replica.test.mjs's.)
  await registerTicket(a, { community: '锦绣花园', address: '锦绣花园1号楼', title: '不属于本居委的工单' }, { expectSaved: false });
  s = await waitForState(a, (st) => st.problems.some((p) => p.code === 'out_of_scope'), 'the form refusing it');
  assert.equal(s.sync.unsent, 0);
  assert.ok(!s.tickets.some((x) => x.title === '不属于本居委的工单'), 'nothing saved');
  await shot(a, 'sync-06-out-of-scope-zh');

  assert.deepEqual(committee.errors, []);
  assert.deepEqual(centre.errors, []);
});

test('one tab owns the local store; a second one can take over', { timeout: 180000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const first = await openApp(browser, server.url);
  await signIn(first.page, 'hebin.li');

  const second = await first.context.newPage();
  await second.goto(server.url + '/');
  await second.waitForSelector('#elsewhere', { state: 'visible', timeout: 20000 });
  assert.match(await second.textContent('#elsewhere p'), /另一个标签页/);
  await shot(second, 'tabs-01-open-elsewhere');

  await second.click('#elsewhere button');
  await waitForApp(second);
  await waitForState(second, (st) => st.signed_in, 'the second tab signed in, from the same store');
  await first.page.waitForSelector('#elsewhere', { state: 'visible', timeout: 20000 });
  assert.match(await first.page.textContent('#elsewhere p'), /已停止/);
  await shot(first.page, 'tabs-02-first-stopped');

  // A third tab waits while the second holds the store, and goes on by itself once it is closed
  // (as when the app is opened again right after its tab was closed), without a click.
  const third = await first.context.newPage();
  await third.goto(server.url + '/');
  await third.waitForSelector('#elsewhere', { state: 'visible', timeout: 20000 });
  await second.close();
  await waitForApp(third);
  await waitForState(third, (st) => st.signed_in, 'the third tab signed in once the second closed');
  assert.equal(await third.isVisible('#elsewhere'), false);
});

test('signing out warns about unsent changes and can clear the device', { timeout: 180000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const { context, page } = await openApp(browser, server.url);
  await signIn(page, 'hebin.li');
  await waitForState(page, (st) => st.sync.caught_up, 'synced');
  await context.setOffline(true);
  await registerTicket(page, { community: '河滨花园', address: '河滨花园2号楼', title: '楼道灯不亮' });
  await waitForState(page, (st) => st.sync.unsent === 1, 'one unsent change');

  await click(page, '李主任（河滨花园居委）');
  await click(page, '退出登录');
  await frames(page, 3);
  await shot(page, 'signout-01-warning-zh');
  await click(page, '退出，保留本机数据');
  let s = await waitForState(page, (st) => st.needs_sign_in, 'the sign-in screen');
  await context.setOffline(false);

  // Signing in again (the same user) sends what waited.
  await signIn(page, 'hebin.li');
  s = await waitForState(page, (st) => st.sync.unsent === 0 && st.tickets.length === 1, 'the change sent after sign-in', 30000);

  // Signing out and clearing: the device holds nothing afterwards.
  await click(page, '李主任（河滨花园居委）');
  await click(page, '退出登录');
  await click(page, '退出并清除本机数据');
  await waitForApp(page);
  s = await waitForState(page, (st) => st.needs_sign_in && st.tickets.length === 0, 'a clean device');
  assert.equal(s.user, '');
});

// A protocol client of its own, written from docs/protocol.md: another device of the same user.
async function apiDevice(url, user) {
  const login = await fetch(url + '/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: 'linli-demo' }),
  }).then((r) => r.json());
  const hex = () => Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  const replica = hex();
  let counter = 0;
  const auth = { Authorization: 'Bearer ' + login.token };
  return {
    async setField(ticket, field, value, ms) {
      counter++;
      const body = { type: 'push', replica, schema: 1, client_time: ms, changes: [{
        id: { replica, counter }, hlc_ms: ms, hlc_counter: 0, ticket, user, role: login.user.role,
        kind: 'set_field', field, value }] };
      const r = await fetch(url + '/api/v1/sync/push', {
        method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(r.status, 200, await r.text());
    },
  };
}

test('two edits of one field that cross show a conflict, decided in one click', { timeout: 180000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const { page, errors } = await openApp(browser, server.url);
  await signIn(page, 'zhang.bin');
  let s = await waitForState(page, (st) => st.sync.caught_up && st.tickets.length === demoStreet.tickets, 'the street');
  const ticket = s.tickets.find((x) => x.title === '快递代收点晚上无人值守');
  assert.ok(ticket, 'the demo ticket of the delivery point');

  // Two devices retitle it without seeing each other's edit: the later stamp wins, the other is kept.
  const now = Date.now();
  const phone = await apiDevice(server.url, 'zhang.bin');
  const desk = await apiDevice(server.url, 'zhang.bin');
  await phone.setField(ticket.id, 'title', '快递代收点晚上无人值守，包裹堆在门口', now);
  await desk.setField(ticket.id, 'title', '快递代收点夜间无人看管', now + 1000);
  s = await waitForState(page, (st) => st.tickets.find((x) => x.id === ticket.id).title === '快递代收点夜间无人看管',
                         'the winning title, by long poll', 40000);

  await click(page, ticket.official);
  s = await waitForState(page, (st) => st.conflicts.some((c) => c.field === 'title' && c.open), 'the open conflict');
  assert.equal(s.conflicts[0].kept, '快递代收点晚上无人值守，包裹堆在门口');
  // Who wrote the value in force is said as well as who wrote the one kept.
  assert.equal(s.conflicts[0].winner_author, 'zhang.bin');
  assert.equal(s.conflicts[0].winner_at, now + 1000);
  await click(page, '有冲突');
  await frames(page, 3);
  await shot(page, 'conflict-01-dialog-zh');
  await click(page, '改用未采用的值');
  s = await waitForState(page, (st) => st.sync.unsent === 0 &&
                         st.tickets.find((x) => x.id === ticket.id).title === '快递代收点晚上无人值守，包裹堆在门口' &&
                         !st.conflicts.some((c) => c.open), 'the kept value taken, synced, the conflict closed', 30000);
  await shot(page, 'conflict-02-decided-zh');
  assert.deepEqual(errors, []);
});

// Selects a ticket in the list by its number and waits for its detail.
async function selectTicket(page, number, id) {
  await click(page, number);
  return waitForState(page, (st) => st.selected === id, `ticket ${number} selected`);
}

async function editField(page, field, value) {
  await reveal(page, '修改##edit-' + field);
  await click(page, '修改##edit-' + field);
  await frames(page, 3);
  await typeFocused(page, value);  // The whole old value is selected: typing replaces it.
  assert.equal(await page.evaluate(() => window.linliTest.state().error), '');
  await click(page, '保存修改##save-' + field);
}

test('the centre and an offline field team edit one ticket; both screens converge with the conflict and both edits', { timeout: 300000 }, async (t) => {
  const [centre, field] = await streetScreens(t, [['zhang.bin', demoStreet.tickets], ['chuhai.chen', demoStreet.chuhai]]);
  const c = centre.page;
  const f = field.page;
  let s = field.state;
  const T = s.tickets.find((x) => x.status === 'assigned' || x.status === 'in_progress');
  assert.ok(T, 'an open ticket of 除害站');
  const status = T.status;
  await selectTicket(f, T.official, T.id);
  await selectTicket(c, T.official, T.id);

  // The field team in a basement: edits the address and records the call with the citizen.
  await field.context.setOffline(true);
  await editField(f, 'address', '河滨花园3号楼北侧绿地（近垃圾房）');
  await reveal(f, '先行联系##kind-contact');  // Below the photos: the detail scrolls down to the entry form.
  await click(f, '先行联系##kind-contact');
  await typeInto(f, '##entry-text', '已电话联系居民，约定明早投药。');
  await click(f, '添加记录##add-entry');
  s = await waitForState(f, (st) => st.sync.unsent === 2, 'two changes waiting offline');
  await shot(f, 'field-01-offline-edits-zh');

  // Meanwhile the centre changes the address too and marks the ticket urgent. (It may not dispatch
  // it to 除害站 again: the ticket is with 除害站 already, and a 重派 goes to another department.)
  await editField(c, 'address', '河滨花园3号楼北侧');
  const reassign = (await c.evaluate(() => window.linliTest.items())).find((it) => it.id === '重派##act-assign');
  assert.ok(reassign && reassign.disabled, 'no 派单 to the department the ticket is with: ' + JSON.stringify(reassign));
  // The address edit scrolled the detail down, the urgency box under its top edge: back to the top.
  await c.mouse.move(1000, 400);
  await c.mouse.wheel(0, -4000);
  await frames(c, 4);
  await click(c, '##choice-urgency');
  await click(c, '紧急');
  await waitForState(c, (st) => st.sync.unsent === 0 && st.tickets.find((x) => x.id === T.id).urgency === 'urgent',
                     "the centre's edits sent");

  // The field team comes back: both screens converge within seconds.
  await field.context.setOffline(false);
  const settled = (st) => st.sync.unsent === 0 && st.conflicts.some((k) => k.field === 'address' && k.open) &&
                          st.timeline.some((e) => e.kind === 'contact' && e.text === '已电话联系居民，约定明早投药。') &&
                          st.tickets.find((x) => x.id === T.id).urgency === 'urgent';
  const sf = await waitForState(f, settled, 'the field screen converged', 40000);
  const sc = await waitForState(c, settled, 'the centre screen converged', 40000);
  const addr = (st) => st.tickets.find((x) => x.id === T.id).address;
  assert.equal(addr(sf), addr(sc), 'one address on both screens');
  assert.equal(sf.conflicts.find((k) => k.field === 'address').kept, sc.conflicts.find((k) => k.field === 'address').kept,
               'the same losing value kept on both');
  assert.equal(sc.tickets.find((x) => x.id === T.id).status, status);
  assert.equal(sf.tickets.find((x) => x.id === T.id).urgency, 'urgent', "the centre's urgency on the field screen");
  assert.equal(sf.lead_department, '除害站');
  t.diagnostic(`from ${status}: address "${addr(sc)}", kept "${sc.conflicts[0].kept}"`);
  await shot(f, 'field-02-converged-zh');
  await shot(c, 'field-03-centre-converged-zh');

  // English, and a small window.
  await click(c, '语言 / Language');
  await click(c, 'English');
  await waitForState(c, (st) => st.lang === 'en', 'English');
  await shot(c, 'field-04-centre-converged-en');
  await f.setViewportSize({ width: 420, height: 760 });
  await frames(f, 5);
  await shot(f, 'field-05-field-small-zh');

  // A step the field team may not take is not offered; one the server would refuse is kept with
  // its reason when it comes from elsewhere (see the refusal test above).
  const items = await f.evaluate(() => window.linliTest.items());
  assert.ok(!items.some((it) => it.id === '结案##act-close'), 'closing is the centre\'s alone, not offered to the field');
  // On a phone the ticket takes the whole screen, the way back to the list above it; the list keeps
  // its place.
  assert.ok(!items.some((it) => it.id === '##inbox-search'), 'the list gives way to the ticket on a phone');
  await click(f, '返回列表##back-to-list');
  await waitForState(f, (st) => st.selected === '', 'back to the list');
  await findItem(f, 'inbox-search');
  await selectTicket(f, T.official, T.id);
  await findItem(f, '返回列表##back-to-list');
  // A count in the status bar asks for the list it counts: the phone puts the ticket away for it.
  const overdue = (await f.evaluate(() => window.linliTest.items())).find((it) => (it.id || '').endsWith('##status-overdue'));
  assert.ok(overdue, 'the overdue count in the status bar');
  await click(f, overdue.id);
  await waitForState(f, (st) => st.selected === '' && st.inbox.filter_overdue, 'the overdue list on the phone');
  await findItem(f, 'inbox-search');
  await click(f, '清除筛选##filter-clear');
  await waitForState(f, (st) => !st.inbox.filter_overdue, 'every ticket again');
  await selectTicket(f, T.official, T.id);
  assert.deepEqual(centre.errors, []);
  assert.deepEqual(field.errors, []);
});

// 河滨花园, the demo's ticket 3 (visited; its number follows the date the demo is seeded on, so it is
// found by its title): the committee worker writes a handling note in a basement; the
// centre, not having seen it, closes the ticket. The note reaches the server after the close,
// and the ticket goes to review on both screens (merge rule R5), the band saying why, whichever
// device found its signal first.
test('a note written offline before the centre closed the ticket sends it to review on both screens', { timeout: 300000 }, async (t) => {
  const [committee, centre] = await streetScreens(t, [['hebin.li', demoStreet.hebin], ['zhang.bin', demoStreet.tickets]]);
  const a = committee.page;
  const c = centre.page;
  const T = committee.state.tickets.find((x) => x.title === '建议加强小区外来人员管理');
  assert.ok(T, 'the demo ticket 建议加强小区外来人员管理 in 河滨花园');
  assert.equal(T.status, 'visited');
  for (const p of [a, c]) {  // Finished, so far down the list: searched for by its number.
    await typeInto(p, 'inbox-search', T.official);
    await selectTicket(p, T.official, T.id);
  }

  await committee.context.setOffline(true);
  await reveal(a, '处置记录##kind-handling_note');
  await click(a, '处置记录##kind-handling_note');
  await typeInto(a, '##entry-text', '地下室信号差，补记：门岗已加派一人，外来人员登记。');
  await click(a, '添加记录##add-entry');
  await waitForState(a, (st) => st.sync.unsent === 1, 'the note waiting offline');

  await reveal(c, '结案##act-close');
  await click(c, '结案##act-close');
  await waitForState(c, (st) => st.sync.unsent === 0 && st.tickets.find((x) => x.id === T.id).status === 'closed',
                     'closed at the centre');

  await committee.context.setOffline(false);
  const inReview = (st) => st.sync.unsent === 0 && st.tickets.find((x) => x.id === T.id).status === 'review' &&
                           st.review && st.review.late_work && st.review.meant === 'closed' && st.review.by === 'hebin.li';
  await waitForState(a, inReview, 'review on the committee screen', 40000);
  await waitForState(c, inReview, 'review on the centre screen', 40000);
  await findItem(c, '结案##act-close');  // The centre may close it again once it has read the note.
  await reveal(c, '修改##edit-title');  // Back up to the status and its band.
  await reveal(a, '修改##edit-title');
  await shot(c, 'review-01-centre-zh');
  await shot(a, 'review-02-committee-zh');
  await click(c, '语言 / Language');
  await click(c, 'English');
  await waitForState(c, (st) => st.lang === 'en', 'English');
  await shot(c, 'review-03-centre-en');
  await a.setViewportSize({ width: 412, height: 860 });
  await frames(a, 5);
  await shot(a, 'review-04-committee-small-zh');
  assert.deepEqual(committee.errors, []);
  assert.deepEqual(centre.errors, []);
});
