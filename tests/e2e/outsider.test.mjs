// A sync client written only from docs/protocol.md, as an integrator would write one: plain fetch,
// its own clock, its own counters, none of the project's C++ codec. Each check cites the part of the
// document it holds the server to. If one fails, either the server or the document is wrong; the
// document is the contract, so fix whichever disagrees with what an outsider would read there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startServer } from './harness.mjs';

const hex = (n) => randomBytes(n).toString('hex');

// "A client" per Conventions: a replica id made once, counters 1, 2, 3 … without holes, an HLC.
class Client {
  constructor(url, user) {
    this.url = url;
    this.user = user;
    this.replica = hex(16);
    this.counter = 0;
    this.hlcMs = 0;
    this.hlcCounter = 0;
    this.cursor = 0;
    this.took = 0;
    this.held = new Map();  // ticket id -> changes seen (by id key)
  }
  async signIn(password = 'linli-demo') {
    const r = await fetch(this.url + '/api/v1/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: this.user, password }),
    });
    const body = await r.json();
    assert.equal(r.status, 200, JSON.stringify(body));
    // Sign-in: 43 characters of URL-safe base64, an expiry, the user with role and scope.
    assert.match(body.token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Number.isInteger(body.expires_at) && body.expires_at > Date.now());
    this.token = body.token;
    this.role = body.user.role;
    this.scope = body.user.scope;
    return body;
  }
  headers(json = true) {
    const h = { Authorization: 'Bearer ' + this.token };
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }
  // Clocks: hlc_ms = max(now, largest seen); counter 0 when it moved forward, else + 1.
  stamp(now = Date.now()) {
    if (now > this.hlcMs) { this.hlcMs = now; this.hlcCounter = 0; } else this.hlcCounter += 1;
    return { hlc_ms: this.hlcMs, hlc_counter: this.hlcCounter };
  }
  change(ticket, kind, members, { now, base } = {}) {
    this.counter += 1;
    const c = { id: { replica: this.replica, counter: this.counter }, ...this.stamp(now), ticket,
      user: this.user, role: this.role, kind, ...members };
    if (base) c.base = base;
    return c;
  }
  async push(changes, extra = {}) {
    const r = await fetch(this.url + '/api/v1/sync/push', {
      method: 'POST', headers: this.headers(),
      body: JSON.stringify({ type: 'push', replica: this.replica, schema: 1, client_time: Date.now(), changes, ...extra }),
    });
    return { status: r.status, body: await r.json(), date: r.headers.get('date') };
  }
  async pull({ limit = 500, wait = 0 } = {}) {
    const q = `replica=${this.replica}&cursor=${this.cursor}&took=${this.took}&limit=${limit}&wait=${wait}`;
    const r = await fetch(this.url + '/api/v1/sync/pull?' + q, { headers: this.headers(false) });
    const body = await r.json();
    assert.equal(r.status, 200, JSON.stringify(body));
    return body;
  }
  // "The client's duties": take an answer only at the cursor and for the answer taken last, whole.
  take(answer) {
    assert.equal(answer.type, 'pull_result');
    for (const k of ['from', 'next', 'head', 'more', 'dropped', 'changes'])
      assert.ok(k in answer, `every pull answer has ${k}: ${JSON.stringify(answer).slice(0, 300)}`);
    if (answer.from !== this.cursor) return false;
    if ((answer.took ?? 0) !== this.took) return false;
    assert.ok(answer.next >= answer.from && answer.head >= answer.next, 'from <= next <= head');
    for (const c of answer.changes) {
      assert.ok(Number.isInteger(c.seq) && c.seq >= 1);
      if (!this.held.has(c.ticket)) this.held.set(c.ticket, new Map());
      this.held.get(c.ticket).set(`${c.id.replica}:${c.id.counter}`, c);
      if (c.hlc_ms > this.hlcMs) { this.hlcMs = c.hlc_ms; this.hlcCounter = c.hlc_counter; }
    }
    for (const t of answer.dropped) this.held.delete(t);
    this.cursor = answer.next;
    if (answer.answer) this.took = answer.answer;
    if (answer.start_over) { this.cursor = 0; this.took = 0; }
    return true;
  }
  async catchUp() {
    for (let i = 0; i < 100; i++) {
      const a = await this.pull();
      assert.ok(this.take(a), 'an answer to our own cursor is taken');
      if (!a.more && !a.start_over) return a;
    }
    throw new Error('never caught up');
  }
  changesOf(ticket) { return [...(this.held.get(ticket)?.values() ?? [])].sort((a, b) => a.seq - b.seq); }
}

function newTicket(community, over = {}) {
  const now = Date.now();
  return {
    provisional_number: '临-外部-0001', official_number: '', source: 'walk_in', received_at: now - 1000,
    citizen_name: '王先生', citizen_phone: '13812345678', community, address: community + '12号楼2单元',
    category: 'hoarding_refuse', urgency: 'normal', title: '楼道堆物影响通行', description: '',
    created_at: now, updated_at: now, ...over,
  };
}

test('a client written from docs/protocol.md alone works against the server', { timeout: 120000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  t.after(() => server.stop());
  const url = server.url;

  // Sign-in: a wrong password and an unknown user get the same 401 bad_credentials; a body without
  // string user and password is 400 bad_request.
  for (const body of [{ user: 'hebin.li', password: 'nope' }, { user: 'nobody', password: 'x' }]) {
    const r = await fetch(url + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.code, 'bad_credentials');
  }
  {
    const r = await fetch(url + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"user": 7}' });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, 'bad_request');
  }

  const committee = new Client(url, 'hebin.li');
  const centre = new Client(url, 'zhang.bin');
  const dept = new Client(url, 'guanli.wang');
  const field = new Client(url, 'chuhai.chen');
  for (const c of [committee, centre, dept, field]) await c.signIn();
  assert.deepEqual([committee.role, committee.scope], ['committee', '河滨花园']);
  assert.deepEqual([dept.role, dept.scope], ['department', '管理办']);
  {
    const me = await (await fetch(url + '/api/v1/me', { headers: committee.headers(false) })).json();
    assert.equal(me.user.name, 'hebin.li');
  }
  // Errors: no token is 401 unauthenticated; an unknown one 401 invalid_token.
  {
    const r = await fetch(url + `/api/v1/sync/pull?replica=${hex(16)}&cursor=0`);
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.code, 'unauthenticated');
    const r2 = await fetch(url + `/api/v1/sync/pull?replica=${hex(16)}&cursor=0`, { headers: { Authorization: 'Bearer ' + 'A'.repeat(43) } });
    assert.equal(r2.status, 401);
    assert.equal((await r2.json()).error.code, 'invalid_token');
  }

  // Push: a committee creates a ticket in its community; applied with seq and the stamp kept.
  const T = hex(16);
  const create = committee.change(T, 'create_ticket', { new_ticket: newTicket('河滨花园') });
  let p = await committee.push([create]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.type, 'push_result');
  assert.equal(p.body.results[0].status, 'applied');
  assert.ok(p.body.results[0].seq >= 1);
  assert.equal(p.body.results[0].skew_ms, 0);
  assert.ok(p.date, 'every answer carries an HTTP Date header');

  // Pull from 0: the create (ours) and the server's official number, author "server", role centre.
  await committee.catchUp();
  let log = committee.changesOf(T);
  assert.equal(log.length, 2, JSON.stringify(log));
  const number = log.find((c) => c.kind === 'set_field');
  assert.equal(number.user, 'server');
  assert.equal(number.role, 'centre');
  assert.equal(number.field, 'official_number');
  assert.match(number.value, /^\d{4}-\d{2}-\d{4,8}$/);
  assert.ok(number.seq > log.find((c) => c.kind === 'create_ticket').seq, 'sequenced right after the create');
  assert.ok(number.hlc_ms >= create.hlc_ms, 'the server stamps after what it follows');

  // Sending the same change again: duplicate with its seq.
  p = await committee.push([create]);
  assert.equal(p.status, 200);
  assert.equal(p.body.results[0].status, 'duplicate');
  assert.equal(p.body.results[0].seq, log.find((c) => c.kind === 'create_ticket').seq);

  // One bad change never blocks the others: a title of 81 code points is invalid (422), the note
  // after it applied, the error names the refusal by index, and the counter is consumed.
  const longTitle = committee.change(T, 'set_field', { field: 'title', value: '长'.repeat(81) });
  const note = committee.change(T, 'add_entry', { entry: { kind: 'handling_note', text: '已联系物业，明天上午清运。' } });
  p = await committee.push([longTitle, note]);
  assert.equal(p.status, 422, JSON.stringify(p.body));
  assert.equal(p.body.results[0].status, 'invalid');
  assert.equal(p.body.results[0].code, 'invalid');
  assert.equal(p.body.results[1].status, 'applied');
  assert.equal(p.body.error.change, 0);
  // The same refused change sent again: the same refusal, the same detail.
  const again = await committee.push([longTitle]);
  assert.equal(again.body.results[0].status, 'invalid');
  assert.equal(again.body.results[0].detail, p.body.results[0].detail);

  // The order of checks, whole-push refusals: a gap (409 with expected_counter and no results),
  // a forged author (403), a missing schema (426), a newer schema (422), not JSON (400).
  {
    const skip = { ...committee.change(T, 'add_entry', { entry: { kind: 'comment', text: 'x' } }) };
    skip.id = { replica: committee.replica, counter: committee.counter + 5 };
    const r = await committee.push([skip]);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'gap');
    assert.equal(r.body.error.expected_counter, committee.counter);
    assert.ok(!('results' in r.body));
    committee.counter -= 1;  // that change was never taken; its counter is still ours to use
  }
  {
    const forged = committee.change(T, 'add_entry', { entry: { kind: 'comment', text: '冒名' } });
    forged.user = 'zhang.bin'; forged.role = 'centre';
    const r = await committee.push([forged]);
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'forged_author');
    committee.counter -= 1;
  }
  for (const [schema, status, code] of [[undefined, 426, 'upgrade_required'], [99, 422, 'unsupported_schema']]) {
    const r = await fetch(url + '/api/v1/sync/push', { method: 'POST', headers: committee.headers(),
      body: JSON.stringify({ type: 'push', replica: committee.replica, schema, changes: [] }) });
    assert.equal(r.status, status);
    assert.equal((await r.json()).error.code, code);
  }
  {
    const r = await fetch(url + '/api/v1/sync/push', { method: 'POST', headers: committee.headers(), body: '{"type": "push",' });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, 'bad_json');
  }
  // Another user's replica id: 403 forged_replica, on push and on pull.
  {
    const r = await fetch(url + `/api/v1/sync/pull?replica=${committee.replica}&cursor=0&took=0`, { headers: dept.headers(false) });
    assert.equal(r.status, 403);
    assert.equal((await r.json()).error.code, 'forged_replica');
  }

  // Refusing one change, each code of the table, each with its status when alone.
  const refusals = [
    ['a change to a ticket the server has never seen', committee, () => committee.change(hex(16), 'add_entry', { entry: { kind: 'comment', text: '无' } }), 404, 'not_found'],
    ['a create for an id that exists', centre, () => centre.change(T, 'create_ticket', { new_ticket: newTicket('河滨花园') }), 409, 'already_exists'],
    ['a create outside the committee\'s community', committee, () => committee.change(hex(16), 'create_ticket', { new_ticket: newTicket('绿地小区') }), 403, 'out_of_scope'],
    ['a committee dispatching', committee, () => committee.change(T, 'set_field', { field: 'lead_department', value: '管理办' }), 403, 'forbidden'],
    ['a client writing the official number', centre, () => centre.change(T, 'set_field', { field: 'official_number', value: '2026-11-9999' }), 403, 'forbidden'],
    ['a create carrying an official number', committee, () => committee.change(hex(16), 'create_ticket', { new_ticket: newTicket('河滨花园', { official_number: '2026-11-0001' }) }), 403, 'forbidden'],
    ['a committee recording a return visit', committee, () => committee.change(T, 'add_entry', { entry: { kind: 'return_visit', text: '满意', satisfaction: 'satisfied' } }), 403, 'forbidden'],
    ['a committee closing', committee, () => committee.change(T, 'transition', { action: 'close', from: 'received', to: 'closed', seen_work: 1 }), 403, 'forbidden'],
    ['a department writing a ticket it does not lead', dept, () => dept.change(T, 'add_entry', { entry: { kind: 'comment', text: '越权' } }), 403, 'out_of_scope'],
    ['satisfaction on a note', committee, () => committee.change(T, 'add_entry', { entry: { kind: 'comment', text: 'x', satisfaction: 'satisfied' } }), 422, 'invalid'],
    ['an unknown category', committee, () => committee.change(T, 'set_field', { field: 'category', value: 'weather' }), 422, 'invalid'],
    ['a link to itself', committee, () => committee.change(T, 'link_tickets', { link: { other: T, kind: 'rebound' } }), 422, 'invalid'],
    ['a photo name that is not 64 hex digits', committee, () => committee.change(T, 'attach_photo', { photo: { sha256: 'abc', size: 10, type: 'image/jpeg' } }), 422, 'invalid'],
    ['an extension of 0 days', committee, () => committee.change(T, 'add_entry', { entry: { kind: 'extension_request', text: '延期', days: 0 } }), 422, 'invalid'],
    ['a decision by a committee', committee, () => committee.change(T, 'add_entry', { entry: { kind: 'decision', text: '同意', request: create.id, approved: true } }), 403, 'forbidden'],
    ['a float where an integer is read', committee, () => ({ ...committee.change(T, 'transition', { action: 'contact_citizen', from: 'received', to: 'contacted' }), seen_work: 1.5 }), 422, 'invalid'],
  ];
  for (const [what, who, make, status, code] of refusals) {
    const c = make();
    const r = await who.push([c]);
    assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.type, 'push_result', what);
    assert.equal(r.body.results[0].status, 'invalid', what);
    assert.equal(r.body.results[0].code, code, `${what}: ${r.body.results[0].detail}`);
    assert.equal(r.body.error.code, code, what);
    assert.equal(r.body.error.change, 0, what);
  }
  // The counters of the refused changes were consumed: the next change follows without a gap.
  p = await committee.push([committee.change(T, 'add_entry', { entry: { kind: 'contact', text: '已电话联系王先生。' } })]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  // A push with two refusals of different kinds: 403 names the first authorization refusal.
  {
    const bad = committee.change(T, 'set_field', { field: 'urgency', value: 'very' });
    const forbidden = committee.change(T, 'set_field', { field: 'community', value: '绿地小区' });
    const r = await committee.push([bad, forbidden]);
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.error.change, 1);
  }

  // Clocks: a stamp an hour ahead is clamped (R11): skew_ms says by how much, every replica uses
  // the stamp kept; the server's own changes after it are stamped after it.
  {
    const ahead = committee.change(T, 'add_entry', { entry: { kind: 'comment', text: '钟快一小时' } }, { now: Date.now() + 3600000 });
    const r = await committee.push([ahead]);
    assert.equal(r.status, 200);
    const res = r.body.results[0];
    assert.ok(res.skew_ms > 3500000, JSON.stringify(res));
    assert.ok(res.hlc_ms <= Date.now() + 61000, 'clamped to within 60 s of the server clock');
    committee.hlcMs = res.hlc_ms; committee.hlcCounter = res.hlc_counter;
  }

  // The centre sees everything; it assigns T to 管理办. The department's next pull brings T whole
  // (its whole history, older seqs included) with an answer id to name in the next pull.
  await centre.catchUp();
  assert.ok(centre.changesOf(T).length >= 5);
  const status = () => {
    // Computing base: the change that last set the status; none while as created.
    const moves = centre.changesOf(T).filter((c) => c.kind === 'transition');
    return moves.length ? moves[moves.length - 1] : null;
  };
  assert.equal(status(), null);
  const work = centre.changesOf(T).filter((c) => ['add_entry', 'attach_photo', 'link_tickets'].includes(c.kind)).length;
  const assign = [
    centre.change(T, 'set_field', { field: 'lead_department', value: '管理办' }),
    centre.change(T, 'transition', { action: 'assign', from: 'received', to: 'assigned', seen_work: work }),
  ];
  p = await centre.push(assign);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  await dept.catchUp();
  const deptLog = dept.changesOf(T);
  assert.ok(deptLog.some((c) => c.kind === 'create_ticket'), 'a ticket entering the scope arrives whole');
  assert.ok(dept.took > 0, 'a scoped answer that sent a ticket whole carries an answer id');

  // The department works it; the field team (除害站) does not see it.
  p = await dept.push([dept.change(T, 'transition', { action: 'start', from: 'assigned', to: 'in_progress', seen_work: work, base: assign[1].id })]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  await field.catchUp();
  assert.equal(field.changesOf(T).length, 0, 'outside the field team\'s scope');

  // "Roles and scopes": a field team opens a ticket for what it found on patrol in any community,
  // and keeps seeing it; the same ticket from another source is out of its scope.
  {
    const found = hex(16);
    const patrol = field.change(found, 'create_ticket', { new_ticket: newTicket('河滨花园', { source: 'patrol', title: '巡查发现：河滨花园5号楼鼠洞' }) });
    p = await field.push([patrol]);
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const walkIn = field.change(hex(16), 'create_ticket', { new_ticket: newTicket('河滨花园') });
    p = await field.push([walkIn]);
    assert.equal(p.status, 403, JSON.stringify(p.body));
    assert.equal(p.body.results[0].code, 'out_of_scope');
    await field.catchUp();
    assert.ok(field.changesOf(found).some((c) => c.kind === 'create_ticket'), 'the field team holds its patrol ticket');
    await committee.catchUp();
    assert.ok(committee.changesOf(found).length > 0, 'and the community\'s committee sees it');
  }

  // Long poll: held while there is nothing, answered when a push commits something in scope.
  {
    await dept.catchUp();  // its own change comes back to it too
    const t0 = Date.now();
    const idle = await dept.pull({ wait: 1 });
    assert.ok(Date.now() - t0 >= 900, 'held for the wait');
    assert.deepEqual(idle.changes, []);
    assert.ok(dept.take(idle));
    const t1 = Date.now();
    const polled = dept.pull({ wait: 20 });
    await new Promise((r) => setTimeout(r, 300));
    await centre.push([centre.change(T, 'add_entry', { entry: { kind: 'comment', text: '请尽快处理。' } })]);
    const woke = await polled;
    assert.ok(Date.now() - t1 < 15000, 'woken by the push, not the timeout');
    assert.equal(woke.changes.length, 1);
    assert.ok(dept.take(woke));
  }

  // Joint handling: the centre adds 除害站's department? No: co-handlers are departments; 管理办
  // leads, so a second ticket U led by 房管所 gets 管理办 as co-handler, who then sees it and replies.
  const U = hex(16);
  p = await centre.push([
    centre.change(U, 'create_ticket', { new_ticket: newTicket('河滨花园', { source: 'phone', title: '快递点占道' }) }),
    centre.change(U, 'set_field', { field: 'lead_department', value: '房管所' }),
  ]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const added = centre.change(U, 'add_entry', { entry: { kind: 'co_handler_added', text: '管理办' } });
  p = await centre.push([added]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  await dept.catchUp();
  assert.ok(dept.changesOf(U).some((c) => c.kind === 'create_ticket'), 'a co-handler pulls the ticket whole');
  // A co-handler may reply and note, not move or edit.
  p = await dept.push([dept.change(U, 'set_field', { field: 'title', value: '改标题' })]);
  assert.equal(p.status, 403);
  assert.equal(p.body.results[0].code, 'forbidden');
  p = await dept.push([dept.change(U, 'add_entry', { entry: { kind: 'co_reply', text: '已协调快递公司。', request: added.id } })]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  // Removing the co-handler drops U from the department's replica.
  p = await centre.push([centre.change(U, 'add_entry', { entry: { kind: 'co_handler_removed', text: '管理办', request: added.id } })]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const before = dept.took;
  await dept.catchUp();
  assert.ok(!dept.held.has(U), 'a removed co-handler hears the ticket dropped');
  assert.ok(dept.took !== before, 'the answer that dropped it has an id');

  // Moving T to another department drops it from 管理办.
  p = await centre.push([centre.change(T, 'set_field', { field: 'lead_department', value: '房管所', base: assign[0].id })]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  await dept.catchUp();
  assert.ok(!dept.held.has(T), 'dropped when it left the scope');

  // A pull parameter out of range is 400 bad_request; a pull naming an answer the server never
  // made is told to start over, with no changes; the client goes back to cursor 0 and keeps going.
  for (const q of ['limit=0', 'limit=10001', 'wait=61', 'cursor=-1', 'cursor=1.5']) {
    const r = await fetch(url + `/api/v1/sync/pull?replica=${dept.replica}&took=0&${q}`, { headers: dept.headers(false) });
    assert.equal(r.status, 400, q);
    assert.equal((await r.json()).error.code, 'bad_request', q);
  }
  {
    const real = dept.took;
    dept.took = real + 1000;
    const a = await dept.pull();
    assert.equal(a.start_over, true, JSON.stringify(a));
    assert.deepEqual(a.changes, []);
    dept.took = a.took ?? 0;  // take it: it answers the request we sent
    assert.ok(dept.take(a));
    assert.equal(dept.cursor, 0);
    dept.held.clear();
    await dept.catchUp();
    assert.ok(!dept.held.has(T) && !dept.held.has(U), 'neither ticket is 管理办\'s any more');
  }

  // Blobs: PUT (201, then 200), HEAD, GET with the same bytes; a wrong name is 422 hash_mismatch.
  {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000), Buffer.from([0xff, 0xd9])]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const put = (name) => fetch(url + '/api/v1/blobs/' + name, { method: 'PUT', headers: { ...committee.headers(false), 'Content-Type': 'image/jpeg' }, body: bytes });
    assert.equal((await put(sha)).status, 201);
    const second = await put(sha);
    assert.equal(second.status, 200);
    assert.deepEqual(await second.json(), { sha256: sha, size: bytes.length, type: 'image/jpeg' });
    const head = await fetch(url + '/api/v1/blobs/' + sha, { method: 'HEAD', headers: committee.headers(false) });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(bytes.length));
    const got = Buffer.from(await (await fetch(url + '/api/v1/blobs/' + sha, { headers: committee.headers(false) })).arrayBuffer());
    assert.ok(got.equals(bytes));
    const wrong = await put('0'.repeat(64));
    assert.equal(wrong.status, 422);
    assert.equal((await wrong.json()).error.code, 'hash_mismatch');
    // Then the change naming it.
    p = await committee.push([committee.change(T, 'attach_photo', { photo: { sha256: sha, size: bytes.length, type: 'image/jpeg' } })]);
    // T is no longer the committee's? It is: its community is still 河滨花园.
    assert.equal(p.status, 200, JSON.stringify(p.body));
  }

  // Calendar and health.
  {
    const cal = await (await fetch(url + '/api/v1/calendar')).json();
    for (const y of ['2020', '2025', '2026']) assert.ok(cal.years[y], 'calendar year ' + y);
    const h = await (await fetch(url + '/healthz')).json();
    assert.equal(h.status, 'ok');
    assert.ok(Number.isInteger(h.schema) && Number.isInteger(h.tickets));
  }

  // Every replica that took every answer holds the same changes of the tickets it may see.
  await committee.catchUp();
  await centre.catchUp();
  const ids = (c, t) => c.changesOf(t).map((x) => `${x.id.replica}:${x.id.counter}`).join(',');
  assert.equal(ids(committee, T), ids(centre, T));
  assert.equal(ids(committee, U), ids(centre, U));
});
