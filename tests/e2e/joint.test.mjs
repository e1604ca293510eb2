// End-to-end: 联合处置 (joint handling). The centre gives the 河滨花园 delivery-point ticket, led by
// the committee, 管理办 as co-handler; the committee handles it and the ticket waits
// (已办结·待协办回复, the return visit disabled); 管理办 finds it in its inbox and replies; the centre
// does the return visit and closes. Screenshots zh and en, at a normal and a small window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, launch, waitForApp, frames, click, typeInto, waitForState, shot, signIn, items, state, reveal } from './harness.mjs';

async function openApp(browser, url, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + '/');
  await waitForApp(page);
  return { context, page, errors };
}

async function openTicket(page, number, id) {
  await typeInto(page, 'inbox-search', number);
  await waitForState(page, (st) => st.inbox.text === number && st.inbox.total === 1, `the search for ${number}`);
  await click(page, number);
  return waitForState(page, (st) => st.selected === id, `ticket ${number} selected`);
}

// The item whose id ends with this suffix ("##act-handle"), as drawn now.
async function byId(page, suffix) {
  const it = (await items(page)).find((x) => (x.id || '').endsWith(suffix) && (x.w > 0 || x.h > 0));
  assert.ok(it, `an item ${suffix} on screen`);
  return it.id;
}

test('the centre adds a co-handler, the lead handles, the co-handler replies, then return visit and close', { timeout: 300000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const centre = await openApp(browser, server.url);
  const committee = await openApp(browser, server.url);
  const dept = await openApp(browser, server.url);
  const c = centre.page, m = committee.page, d = dept.page;

  await signIn(c, 'zhang.bin');
  let s = await waitForState(c, (st) => st.sync.caught_up && st.inbox.total > 0, 'the street in the inbox');
  const T = s.tickets.find((x) => x.title === '快递代收点晚上无人值守');
  assert.ok(T, 'the delivery-point ticket of the demo street');
  s = await openTicket(c, T.official, T.id);
  assert.equal(s.lead_department, '河滨花园居委会');
  assert.deepEqual(s.co_handlers, []);
  // Nothing is chosen for the centre: 添加协办 waits until a department is picked.
  assert.ok((await items(c)).find((it) => it.id === '添加协办##co-add').disabled, '添加协办 with no department chosen');
  await click(c, 'co-add-to');
  await click(c, '管理办');
  await click(c, '添加协办##co-add');
  s = await waitForState(c, (st) => st.co_handlers.length === 1 && st.sync.unsent === 0, 'the co-handler added and sent');
  assert.equal(s.co_handlers[0].department, '管理办');
  assert.equal(s.co_handlers[0].state, 'pending');
  assert.ok(s.co_handlers[0].due_at > 0, 'a deadline from the calendar');
  await shot(c, 'joint-01-centre-added-zh');

  // The committee (lead) handles it: handled, waiting for 管理办.
  await signIn(m, 'hebin.li');
  await waitForState(m, (st) => st.sync.caught_up && st.tickets.some((x) => x.id === T.id), 'the committee has it');
  await openTicket(m, T.official, T.id);
  await waitForState(m, (st) => st.co_handlers.length === 1, 'the co-handler at the committee');
  // 办结 says what was done: the button waits for the words.
  await click(m, await byId(m, '##act-handle'));
  await frames(m, 4);
  s = await state(m);
  assert.ok(s.tickets.find((x) => x.id === T.id).status !== 'handled' && s.sync.unsent === 0, 'no 办结 without a result');
  await typeInto(m, 'handle-note', '快递点已移至小区北门外，居民已知晓');
  await frames(m, 3);
  await shot(m, 'joint-02a-committee-result-zh');
  await click(m, await byId(m, '##act-handle'));
  s = await waitForState(m, (st) => st.awaiting_co_handlers && st.sync.unsent === 0, 'handled, awaiting the co-handler');
  await shot(m, 'joint-02-committee-handled-zh');

  s = await waitForState(c, (st) => st.awaiting_co_handlers, 'the centre sees it waiting', 30000);
  await frames(c, 4);
  await shot(c, 'joint-03-centre-awaiting-zh');

  // 管理办 finds the ticket in its scope and replies.
  await signIn(d, 'guanli.wang');
  await waitForState(d, (st) => st.sync.caught_up && st.tickets.some((x) => x.id === T.id), '管理办 has the co-handled ticket', 30000);
  await openTicket(d, T.official, T.id);
  await waitForState(d, (st) => st.co_handlers.length === 1, 'its co-handling at 管理办');
  await typeInto(d, 'co-reply-text', '已协调快递公司，代收点晚间延长值守至21点。');
  await click(d, '提交回复##co-reply-send');
  s = await waitForState(d, (st) => st.co_handlers[0].state === 'replied' && st.sync.unsent === 0, 'the reply sent');
  await shot(d, 'joint-04-department-replied-zh');

  // The centre: return visit and close.
  s = await waitForState(c, (st) => !st.awaiting_co_handlers && st.co_handlers[0].state === 'replied', 'the reply at the centre', 30000);
  assert.equal(s.co_handlers[0].replies[0].text, '已协调快递公司，代收点晚间延长值守至21点。');
  await frames(c, 4);
  await shot(c, 'joint-05-centre-replied-zh');
  await click(c, 'satisfaction');
  await click(c, '满意');
  await reveal(c, '回访##act-return_visit');  // Under the satisfaction and the note, below the fold at 1280x800.
  await click(c, await byId(c, '##act-return_visit'));
  await waitForState(c, (st) => st.tickets.find((x) => x.id === T.id).status === 'visited', 'visited');

  // 管理办 sees the ticket visited but is offered no 结案 (the centre's alone); a close it forces
  // over the protocol is refused, forbidden, and the ticket stays open.
  await waitForState(d, (st) => st.tickets.find((x) => x.id === T.id).status === 'visited', '管理办 sees it visited', 30000);
  await frames(d, 4);
  assert.ok(!(await items(d)).some((x) => (x.id || '').endsWith('##act-close') && (x.w > 0 || x.h > 0)),
            'no close button for a department');
  const login = await (await fetch(server.url + '/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'guanli.wang', password: 'linli-demo' }),
  })).json();
  const replica = randomBytes(16).toString('hex');
  const forced = await fetch(server.url + '/api/v1/sync/push', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + login.token },
    body: JSON.stringify({ type: 'push', replica, schema: 1, client_time: Date.now(), changes: [{
      id: { replica, counter: 1 }, hlc_ms: Date.now(), hlc_counter: 0, ticket: T.id, user: 'guanli.wang', role: 'department',
      kind: 'transition', action: 'close', from: 'visited', to: 'closed', seen_work: 1 }] }),
  });
  const answer = await forced.json();
  assert.equal(forced.status, 403, JSON.stringify(answer));
  assert.equal(answer.results[0].code, 'forbidden', JSON.stringify(answer));
  s = await state(c);
  assert.equal(s.tickets.find((x) => x.id === T.id).status, 'visited', 'still open');
  await click(c, await byId(c, '##act-close'));
  s = await waitForState(c, (st) => st.tickets.find((x) => x.id === T.id).status === 'closed' && st.sync.unsent === 0, 'closed');
  assert.equal(s.refused.length, 0);

  // English, and a small window, on the department's screen (the reply) and the centre's.
  for (const p of [c, d]) {
    await click(p, '语言 / Language');
    await click(p, 'English');
    await waitForState(p, (st) => st.lang === 'en', 'English');
    await frames(p, 4);
  }
  await shot(c, 'joint-06-centre-closed-en');
  await shot(d, 'joint-07-department-en');
  await d.setViewportSize({ width: 800, height: 600 });
  await frames(d, 6);
  await shot(d, 'joint-08-department-small-en');
  await click(d, 'Language / 语言');
  await click(d, '中文');
  await waitForState(d, (st) => st.lang === 'zh', 'Chinese');
  await frames(d, 4);
  await shot(d, 'joint-09-department-small-zh');
  assert.deepEqual(centre.errors, []);
  assert.deepEqual(committee.errors, []);
  assert.deepEqual(dept.errors, []);
});
