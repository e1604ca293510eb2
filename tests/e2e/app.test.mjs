// End-to-end: the real server on 127.0.0.1 and Debian's Chromium. A ticket typed in Chinese
// survives a reload, and the app starts and keeps it with the server stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, waitForApp, frames, state, click, typeInto, composeInto, pasteInto, waitForState, shot,
  findItem, signIn, demoStreet, typeFocused } from './harness.mjs';

test('a ticket registered in Chinese survives a reload and a server outage', { timeout: 240000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(server.url + '/');
  await waitForApp(page);
  const m = await page.evaluate(() => window.linliTest.metrics());
  t.diagnostic(`page load to first frame with the CJK font: ${m.firstFrameMs.toFixed(0)} ms ` +
              `(font fetched ${m.fontMs.toFixed(0)} ms, storage loaded ${m.storageLoadMs.toFixed(0)} ms, main ${m.mainMs.toFixed(0)} ms)`);
  assert.equal((await state(page)).lang, 'zh', 'Chinese is the default');
  await shot(page, '00-sign-in-zh');

  // A wrong password is said so, and nothing else happens.
  await typeInto(page, '用户名', 'zhang.bin');
  await typeInto(page, '密码', 'wrong');
  await click(page, '登录');
  await waitForState(page, (st) => st.sign_in_message !== '', 'the refusal');
  assert.match((await state(page)).sign_in_message, /user name or password/);
  await shot(page, '00b-sign-in-refused-zh');
  await page.reload();
  await waitForApp(page);
  await signIn(page, 'zhang.bin');
  await waitForState(page, (st) => st.sync.link === 'online' && st.sync.caught_up, 'the first sync');
  assert.equal((await state(page)).tickets.length, 0);
  await shot(page, '01-empty-zh');

  // The service worker takes control, so the app shell is cached for offline starts.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 }).catch(async () => {
    await page.reload();
    await waitForApp(page);
  });

  // An empty form is refused field by field, and nothing is stored.
  await click(page, '受理登记');
  await waitForState(page, (s) => s.view === 'intake', 'the intake form');
  await click(page, '保存');
  const refused = await waitForState(page, (s) => s.problems.length > 0, 'validation problems');
  const fields = refused.problems.map((p) => p.field).sort();
  assert.deepEqual(fields, ['address', 'citizen_name', 'citizen_phone', 'community', 'title']);
  assert.equal(refused.tickets.length, 0);
  await shot(page, '02-intake-refused-zh');

  // Fill it in through the IME path, as a Chinese input method would.
  await typeInto(page, '市民姓名', '王女士');
  assert.ok(!(await state(page)).problems.some((p) => p.field === 'citizen_name'), 'a fixed field loses its mark');
  await typeInto(page, '联系电话', '13917261234');
  await composeInto(page, '小区', ['h', 'he', 'heb', 'hebin', 'hebinhuayuan'], '河滨花园');
  assert.equal((await state(page)).draft.community, '河滨花园', 'only the committed characters arrive');
  await typeInto(page, '地址', '河滨花园3号楼');
  await pasteInto(page, '标题', '大门处设置快递代收点');
  // A description longer than its box wraps on screen (ImGui's input would scroll it sideways); what
  // is kept is what was typed, without the wraps, Backspace and all.
  const description = '小区只保留一道门进出，大门处不代收快递，快递员把包裹堆在门岗旁的人行道上，' +
                      '老人取件要排队，下雨天包裹被淋湿，居民希望在大门旁另设代收点。';
  await typeInto(page, '问题描述', description);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
  await typeFocused(page, '取件点。');
  const typed = description.slice(0, -3) + '取件点。';
  const draft = (await waitForState(page, (st) => st.draft.description.endsWith('取件点。'), 'the description retyped')).draft;
  assert.equal(draft.description, typed, 'the description as typed, no line breaks added');
  // Ctrl+Z takes back the last run of typing and Ctrl+Y brings it again, whatever the wraps did
  // (ImGui's own undo, on the wrapped text, deleted the wrong characters once the text wrapped again).
  await new Promise((r) => setTimeout(r, 1200));
  await typeFocused(page, '请尽快处理，谢谢！');
  await waitForState(page, (st) => st.draft.description === typed + '请尽快处理，谢谢！', 'more typed after a pause');
  await page.keyboard.press('Control+Z');
  await waitForState(page, (st) => st.draft.description === typed, 'Ctrl+Z takes back the last typing, wraps and all');
  await page.keyboard.press('Control+Y');
  await waitForState(page, (st) => st.draft.description === typed + '请尽快处理，谢谢！', 'Ctrl+Y brings it again');
  await page.keyboard.press('Control+Z');
  await waitForState(page, (st) => st.draft.description === typed, 'and Ctrl+Z again');
  assert.equal(draft.title, '大门处设置快递代收点', 'pasted text arrives once');
  assert.equal(draft.address, '河滨花园3号楼');
  assert.equal(draft.citizen_name, '王女士');
  await shot(page, '03-intake-filled-zh');
  // Closed before 保存 (a reload, a crash): the half-typed form was kept on the device and comes back.
  await new Promise((r) => setTimeout(r, 1200));
  await waitForState(page, (st) => st.pending_writes === 0, 'the draft written');
  await page.reload();
  await waitForApp(page);
  const back = await waitForState(page, (st) => st.view === 'intake' && st.draft.title === '大门处设置快递代收点',
                                  'the draft back after a reload');
  assert.equal(back.draft.citizen_name, '王女士');
  assert.equal(back.draft.address, '河滨花园3号楼');
  assert.equal(back.draft.community, '河滨花园');
  assert.equal(back.draft.description, typed);
  await shot(page, '03b-intake-restored-zh');
  await click(page, '保存');
  let s = await waitForState(page, (st) => st.tickets.length === 1 && st.pending_writes === 0, 'the saved ticket');
  const persisted = await page.evaluate(() => window.linliTest.metrics().persistMs);
  assert.ok(persisted.length > 0, 'the commit was confirmed by IndexedDB');
  t.diagnostic(`IndexedDB commits of the new ticket: ${persisted.map((x) => x.toFixed(1)).join(', ')} ms`);
  assert.equal(s.tickets[0].address, '河滨花园3号楼');
  assert.match(s.tickets[0].number, /^临-\d{4}-[A-Z2-9]{3}-001$/);
  assert.equal(s.view, 'tickets');
  // The sync loop pushes it and the server's official number comes back.
  s = await waitForState(page, (st) => st.sync.unsent === 0 && st.tickets[0].official !== '', 'the ticket synced');
  assert.match(s.tickets[0].official, /^\d{4}-\d{2}-\d{4}$|\S+/);
  assert.match(s.tickets[0].number, /^临-\d{4}-[A-Z2-9]{3}-001$/, 'the provisional number is kept beside it');
  await shot(page, '04-list-zh');

  // Reload: the ticket comes back from IndexedDB.
  await page.reload();
  await waitForApp(page);
  s = await waitForState(page, (st) => st.tickets.length === 1, 'the ticket after reload');
  assert.equal(s.tickets[0].address, '河滨花园3号楼');
  assert.equal(s.tickets[0].title, '大门处设置快递代收点');

  // Server down: the service worker starts the app, and the ticket is still there.
  assert.equal(await server.stop(), 0, 'the server stops cleanly on SIGTERM');
  await page.reload();
  await waitForApp(page);
  s = await waitForState(page, (st) => st.tickets.length === 1 && st.sync.link === 'offline',
                         'the ticket, and the status bar saying offline, with the server stopped');
  assert.equal(s.signed_in, true, 'still signed in with no server');
  assert.equal(s.tickets[0].address, '河滨花园3号楼');
  await findItem(page, '工单列表');
  await shot(page, '05-offline-zh');
  assert.deepEqual(errors, []);
});

test('the English switch and a small window', { timeout: 180000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(server.url + '/');
  await waitForApp(page);
  await signIn(page, 'zhang.bin');
  let s = await waitForState(page, (st) => st.tickets.length === demoStreet.tickets && st.sync.caught_up, 'the demo street synced');
  await shot(page, '10-demo-zh');
  // No debug menu before users; a developer opens ImGui's Metrics window with Ctrl+Alt+D.
  assert.ok(!(await page.evaluate(() => window.linliTest.items())).some((it) => it.label === '调试'), 'no 调试 menu');
  await page.keyboard.press('Control+Alt+KeyD');
  await findItem(page, 'Dear ImGui Metrics/Debugger');
  await shot(page, '10b-metrics');
  await page.keyboard.press('Control+Alt+KeyD');
  await frames(page, 3);
  assert.ok(!(await page.evaluate(() => window.linliTest.items())).some((it) => it.label === 'Dear ImGui Metrics/Debugger'),
            'Ctrl+Alt+D again closes it');

  await click(page, '语言 / Language');
  await click(page, 'English');
  s = await waitForState(page, (st) => st.lang === 'en', 'English');
  await findItem(page, 'Tickets');
  await shot(page, '11-demo-en');
  await click(page, 'New ticket');
  await waitForState(page, (st) => st.view === 'intake', 'the intake form in English');
  await shot(page, '12-intake-en');

  await page.setViewportSize({ width: 400, height: 720 });
  await frames(page, 5);
  await shot(page, '13-intake-en-small');
  // Too narrow for the tabs' whole English names: their short ones, every tab in view.
  const tabs = (await page.evaluate(() => window.linliTest.items())).filter((it) => (it.id || '').includes('###tab-'));
  assert.deepEqual(tabs.map((it) => it.label), ['List', 'New', 'Hot', 'Stats', 'Rounds', 'Outbox']);
  assert.ok(tabs.every((it) => it.x + it.w <= 400), 'every tab in view: ' + JSON.stringify(tabs));
  await click(page, 'List');
  await frames(page, 3);
  await shot(page, '14-list-en-small');

  // The language choice is kept across reloads.
  await page.reload();
  await waitForApp(page);
  assert.equal((await state(page)).lang, 'en');
  await click(page, 'Language / 语言');
  await click(page, '中文');
  await waitForState(page, (st) => st.lang === 'zh', 'Chinese again');
  await frames(page, 3);
  await shot(page, '15-list-zh-small');
});

test('a HiDPI screen gets a sharp font and clicks land where they look', { timeout: 180000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await (await browser.newContext({ viewport: { width: 900, height: 640 }, deviceScaleFactor: 2 })).newPage();
  await page.goto(server.url + '/');
  await waitForApp(page);
  const canvas = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight };
  });
  assert.equal(canvas.w, canvas.cssW * 2, 'the drawing buffer has device pixels');
  assert.equal(canvas.h, canvas.cssH * 2);
  await signIn(page, 'hebin.li');
  await frames(page, 5);
  const tab = await findItem(page, '受理登记');
  assert.ok(tab.y < 60 && tab.h > 15 && tab.h < 40, `items are reported in CSS pixels: ${JSON.stringify(tab)}`);
  await click(page, '受理登记');
  await typeInto(page, '地址', '中华新路927弄');
  assert.equal((await state(page)).draft.address, '中华新路927弄');
  await shot(page, '20-intake-zh-hidpi');
});

// A frame that would show what the canvas already shows is made (ImGui sees the input) but not
// drawn: the canvas keeps its picture and the browser composites nothing new. A change on screen
// is drawn at once.
test('a frame that shows nothing new is not drawn, and one that does is', { timeout: 120000 }, async (t) => {
  const server = await startServer({ demoUsers: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await (await browser.newContext({ viewport: { width: 900, height: 640 } })).newPage();
  await page.goto(server.url + '/');
  await waitForApp(page);
  await waitForState(page, (st) => st.needs_sign_in, 'the sign-in screen');
  const user = await findItem(page, '用户名');
  // Still, away from every item: the mouse moves over the sign-in screen's empty left margin.
  await page.mouse.move(10, user.y);
  await frames(page, 10);
  const before = await page.screenshot();
  const from = await page.evaluate(() => performance.now());
  for (let i = 0; i < 8; i++) {
    await page.mouse.move(10 + 4 * i, user.y + 2 * i);
    await frames(page, 2);
  }
  const still = await page.evaluate((t0) => Linli.metrics.frames.filter((f) => f[0] > t0), from);
  assert.ok(still.length >= 8, `each move makes a frame: ${still.length}`);
  assert.deepEqual(still.filter((f) => f[3]), [], 'none of them is drawn');
  assert.ok((await page.screenshot()).equals(before), 'the canvas keeps its picture');

  // Onto the sign-in button: it lights up, in a frame drawn.
  const button = await findItem(page, '登录');
  const onto = await page.evaluate(() => performance.now());
  await page.mouse.move(button.x + button.w / 2, button.y + button.h / 2);
  await frames(page, 3);
  const hover = await page.evaluate((t0) => Linli.metrics.frames.filter((f) => f[0] > t0), onto);
  assert.ok(hover.some((f) => f[3]), 'the hover is drawn');
  assert.ok(!(await page.screenshot()).equals(before), 'and shows');
});
