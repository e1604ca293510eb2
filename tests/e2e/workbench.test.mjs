// End-to-end: the dispatcher's workbench. The centre's inbox with time left, overdue and due-today
// counts and filters; a department asks for more time on a ticket it handles, the centre approves
// it in the detail panel, and the new deadline reaches the department. Screenshots zh and en, at a
// normal and a small window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, waitForApp, frames, state, click, typeInto, waitForState, shot, signIn, demoStreet } from './harness.mjs';

async function openApp(browser, url, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + '/');
  await waitForApp(page);
  return { context, page, errors };
}

// Finds a ticket by its number in the search box and opens it.
async function openTicket(page, number, id) {
  await typeInto(page, 'inbox-search', number);
  await waitForState(page, (st) => st.inbox.text === number && st.inbox.total === 1, `the search for ${number}`);
  await click(page, number);
  return waitForState(page, (st) => st.selected === id, `ticket ${number} selected`);
}

test('a department asks for more time, the centre approves, and the deadline moves on both screens', { timeout: 300000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const centre = await openApp(browser, server.url);
  const dept = await openApp(browser, server.url);
  const c = centre.page;
  const d = dept.page;

  await signIn(c, 'zhang.bin');
  let s = await waitForState(c, (st) => st.sync.caught_up && st.inbox.total === demoStreet.tickets, 'the street in the inbox');
  await shot(c, 'workbench-01-inbox-zh');
  assert.ok(s.inbox.rows.some((r) => r.due_at > 0), 'open tickets show their deadline: ' + JSON.stringify(s.inbox));

  await signIn(d, 'guanli.wang');
  s = await waitForState(d, (st) => st.sync.caught_up && st.inbox.total > 0, "管理办's tickets");
  const T = s.tickets.find((x) => x.status === 'assigned' || x.status === 'in_progress');
  assert.ok(T, 'a ticket 管理办 is working on');
  s = await openTicket(d, T.official, T.id);
  const dueBefore = s.deadline.handling_due;
  assert.ok(dueBefore > 0);
  await click(d, '申请延期##ask-extension');
  await typeInto(d, 'request-reason', '需协调产权单位，申请延期。');
  await click(d, '提交##request-submit');
  await waitForState(d, (st) => st.pending_requests === 1 && st.sync.unsent === 0, 'the request sent');
  await shot(d, 'workbench-02-department-request-zh');

  await waitForState(c, (st) => st.sync.caught_up, 'the centre caught up');
  s = await openTicket(c, T.official, T.id);
  await waitForState(c, (st) => st.pending_requests === 1, 'the request at the centre');
  await shot(c, 'workbench-03-centre-request-zh');
  await click(c, '同意##approve');
  s = await waitForState(c, (st) => st.pending_requests === 0 && st.deadline.extension_days === 3, 'approved');
  assert.ok(s.deadline.handling_due > dueBefore, 'the handling deadline moved');
  const dueAfter = s.deadline.handling_due;
  await shot(c, 'workbench-04-approved-zh');
  s = await waitForState(d, (st) => st.deadline && st.deadline.extension_days === 3 && st.pending_requests === 0,
                         'the decision at the department', 30000);
  assert.equal(s.deadline.handling_due, dueAfter);

  // The overdue chip filters the inbox to what its count says.
  await click(c, '清除筛选##filter-clear');
  s = await waitForState(c, (st) => st.inbox.total === demoStreet.tickets, 'every ticket again');
  const overdue = s.inbox.overdue;
  const chip = (await c.evaluate(() => window.linliTest.items())).find((it) => (it.id || '').endsWith('##filter-overdue'));
  assert.ok(chip, 'the overdue chip');
  await click(c, chip.id);
  s = await waitForState(c, (st) => st.inbox.filter_overdue, 'the overdue filter');
  assert.equal(s.inbox.total, overdue);
  await shot(c, 'workbench-05-overdue-zh');
  await click(c, '清除筛选##filter-clear');

  // English, and a small window.
  await click(c, '语言 / Language');
  await click(c, 'English');
  await waitForState(c, (st) => st.lang === 'en', 'English');
  await frames(c, 4);
  await shot(c, 'workbench-06-inbox-en');
  await c.setViewportSize({ width: 800, height: 600 });
  await frames(c, 6);
  await shot(c, 'workbench-07-small-en');
  await click(c, 'Language / 语言');
  await click(c, '中文');
  await waitForState(c, (st) => st.lang === 'zh', 'Chinese');
  await frames(c, 4);
  await shot(c, 'workbench-08-small-zh');
  assert.deepEqual(centre.errors, []);
  assert.deepEqual(dept.errors, []);
});
