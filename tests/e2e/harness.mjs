// Helpers for the browser end-to-end tests: start the real linli-server on a free loopback port,
// launch Debian's Chromium through playwright-core, find ImGui widgets by label and click them.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const serverBin = process.env.LINLI_SERVER || path.join(repo, 'build/dev/sync-server/linli-server');
export const webDir = process.env.LINLI_WEB_DIR || path.join(repo, 'build/wasm/web');
export const shotDir = process.env.LINLI_SHOTS || path.join(repo, 'build/e2e-shots');
mkdirSync(shotDir, { recursive: true });

// The demo street (--seed-demo) as tests count it: every ticket, 河滨花园's, and 除害站's scope (those it leads,
// and the one ticket found on patrol: write policy P4).
// The same numbers are asserted in tests/core/demo_epidemic_test.cpp, so a change to the street
// shows there first.
export const demoStreet = { tickets: 643, hebin: 179, chuhai: 35 };

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

// Starts linli-server with --port 0 and resolves once it prints the address it listens on.
// seedDemo: the demo users and street; demoUsers: the demo users only (password linli-demo).
// db: a database file made beforehand (benchmarks), instead of a fresh one.
export async function startServer({ seedDemo = false, demoUsers = false, db = null, env = null } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'linli-e2e-'));
  const args = ['--host', '127.0.0.1', '--port', '0', '--db', db || path.join(dir, 'server.db'), '--web', webDir];
  if (seedDemo) args.push('--seed-demo');
  else if (demoUsers) args.push('--demo-users');
  const proc = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  let out = '';  // Its log lines (stdout), all of them: output() below.
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start: ' + log)), 30000);  // Seeding the demo street on a busy machine.
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${log}`)); });
  });
  proc.stdout.resume();
  const stop = async () => {
    if (proc.exitCode !== null) return proc.exitCode;
    const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10000))]);
    if (code === 'timeout') { proc.kill('SIGKILL'); await exited; }
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  return { url, stop, proc, output: () => out };
}

export async function launch() {
  // LINLI_CHROMIUM_FLAGS: more flags for an experiment (e.g. V8's through --js-flags=...).
  const extra = (process.env.LINLI_CHROMIUM_FLAGS || '').split(/\s+/).filter(Boolean);
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...chromiumArgs, ...extra] });
}

// Waits until the app has drawn a frame with its CJK font.
export async function waitForApp(page, timeout = 60000) {
  await page.waitForFunction(() => window.linliTest && window.linliTest.ready(), null, { timeout, polling: 100 });
}

export async function frames(page, n = 3) {
  await page.evaluate((count) => new Promise((resolve) => {
    let left = count;
    const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), n);
}

export const state = (page) => page.evaluate(() => window.linliTest.state());
export const items = (page) => page.evaluate(() => window.linliTest.items());

// Finds a labelled item of the last frame (visible label, or the id after "##" when unlabelled).
export async function findItem(page, label, timeout = 10000) {
  const until = Date.now() + timeout;
  // The items are the last drawn frame's, and an idle app draws a change up to 100 ms after it
  // (app/main.cpp): a state just waited for may not be on screen yet (a search's one row where the
  // unfiltered list was). Wait, a second at most, for a frame drawn since the app last changed.
  for (const settle = Date.now() + 1000; Date.now() < settle;) {
    const s = await state(page).catch(() => null);
    if (!s || s.frame_current !== false) break;
    await frames(page, 2);
  }
  for (;;) {
    const found = (await items(page)).find((it) => (it.w > 0 || it.h > 0) &&
                                                   (it.label === label || it.id === label ||
                                                    (it.label === '' && it.id === '##' + label)));
    if (found) return found;
    if (Date.now() > until) {
      const seen = (await items(page)).map((it) => it.label || it.id).join(' | ');
      throw new Error(`no item labelled "${label}" on screen; seen: ${seen}`);
    }
    await frames(page, 2);
  }
}

// Scrolls a panel (the ticket detail by default) with the mouse wheel until the labelled item is
// drawn whole inside it, not cut by its top or bottom edge, as a person scrolls down to a form
// below the fold; returns the item.
export async function reveal(page, label, panel = '##detail') {
  const matches = (it) => (it.w > 0 || it.h > 0) &&
                          (it.label === label || it.id === label || (it.label === '' && it.id === '##' + label));
  const wheel = async (box, dy) => {
    await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2);
    await page.mouse.wheel(0, dy);
    await frames(page, 4);
  };
  // Down first (forms sit below the fold), then back up past where it started.
  for (let i = 0; i < 30; i++) {
    const all = await items(page);
    if (all.some(matches)) break;
    const box = all.find((it) => it.id.split('/').pop().startsWith(panel));
    if (!box) break;
    await wheel(box, i < 10 ? 150 : -150);
  }
  for (let i = 0; i < 10; i++) {  // Then a little more, until no edge cuts it.
    const all = await items(page);
    const it = all.find(matches);
    const box = all.find((b) => b.id.split('/').pop().startsWith(panel));
    if (!it || !box) break;
    const dy = it.y < box.y + it.h ? -60 : it.y + it.h > box.y + box.h - it.h ? 60 : 0;
    if (dy === 0) break;
    await wheel(box, dy);
  }
  return findItem(page, label);
}

// Moves to the item, lets a frame see the hover (ImGui's tabs and overlapping items need it, as a
// person's hand gives it), then presses and releases on separate frames.
export async function click(page, label) {
  const it = await findItem(page, label);
  await page.mouse.move(it.x + Math.min(it.w / 2, 40), it.y + it.h / 2);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  await page.mouse.up();
  // A click may reload the page (signing out and clearing the device does): then the frames to wait
  // for are the new page's, which the caller waits for (waitForApp).
  await frames(page, 3).catch((e) => {
    if (!/Execution context was destroyed|navigation/.test(String(e))) throw e;
  });
  return it;
}

// Clicks a text field by label and types into it through the IME textarea, as an input method does.
export async function typeInto(page, label, text) {
  await click(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime', null, { timeout: 5000 });
  await page.keyboard.insertText(text);
  await frames(page, 3);
}

// Composes text the way an input method does (CDP Input.imeSetComposition with the pinyin shown,
// then the chosen characters committed): only the committed text may reach the field.
export async function composeInto(page, label, steps, committed) {
  await click(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime', null, { timeout: 5000 });
  const cdp = await page.context().newCDPSession(page);
  for (const s of steps) {
    await cdp.send('Input.imeSetComposition', { text: s, selectionStart: s.length, selectionEnd: s.length });
    await frames(page, 2);
  }
  await cdp.send('Input.insertText', { text: committed });
  await frames(page, 3);
  await cdp.detach();
}

// Pastes text into a field as the browser does on Ctrl+V: a paste event with clipboard data.
export async function pasteInto(page, label, text) {
  await click(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime', null, { timeout: 5000 });
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
  await frames(page, 3);
}

export async function waitForState(page, predicate, description, timeout = 15000) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await state(page);
    } catch (e) {
      // The page reloads itself at times (a takeover, a cleared device): ask the new one.
      if (!/Execution context was destroyed|window\.linliTest is undefined|Cannot read properties of undefined/.test(String(e))) throw e;
      if (Date.now() > until) throw e;
      await page.waitForTimeout(200);
      continue;
    }
    if (predicate(last)) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for ${description}; state: ${JSON.stringify(last)}`);
    await frames(page, 2);
  }
}

export async function shot(page, name) {
  const file = path.join(shotDir, name + '.png');
  await page.screenshot({ path: file });
  return file;
}

// A page of the app in a context of its own whose requests matching `pattern` are held, from the
// `from`-th on, until release() (the service worker is blocked, so every request passes the route):
// a test looks at the screen while an answer is on its way. asked() counts the requests matched.
export async function openHeld(browser, url, pattern, from = 1) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let count = 0;
  await context.route(pattern, async (route) => {
    if (++count >= from) await gate;
    await route.continue();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + '/');
  await waitForApp(page);
  return { context, page, errors, release, asked: () => count };
}

// Switches the language from the menu ('en' or 'zh') and waits until the app says so.
export async function setLanguage(page, lang) {
  if (lang === 'en') {
    await click(page, '语言 / Language');
    await click(page, 'English');
  } else {
    await click(page, 'Language / 语言');
    await click(page, '中文');
  }
  return waitForState(page, (st) => st.lang === lang, lang === 'en' ? 'English' : 'Chinese');
}

// Signs in on the sign-in screen (Chinese labels) and waits until the session is in place.
export async function signIn(page, user, password = 'linli-demo') {
  const before = await waitForState(page, (st) => st.needs_sign_in, 'the sign-in screen');
  if (before.sign_in_user !== user) {
    assert(before.sign_in_user === '', `the form holds another user name: ${before.sign_in_user}`);
    await typeInto(page, '用户名', user);
  }
  await typeInto(page, '密码', password);
  await click(page, '登录');
  return waitForState(page, (st) => st.signed_in && !st.needs_sign_in, `${user} signed in`);
}

// Fills the intake form (受理登记) field by field through the IME path and saves it.
// expectSaved false: the form is expected to refuse it (returns the state after the click).
export async function registerTicket(page, t, { expectSaved = true } = {}) {
  await click(page, '受理登记');
  await waitForState(page, (st) => st.view === 'intake', 'the intake form');
  await typeInto(page, '市民姓名', t.citizen || '王女士');
  await typeInto(page, '联系电话', t.phone || '13917261234');
  // A committee's form comes with its community filled in; another one replaces it.
  const prefilled = (await state(page)).draft.community;
  if (prefilled !== t.community) {
    await click(page, '小区');
    await page.keyboard.press('End');
    for (let i = 0; i < prefilled.length; i++) await page.keyboard.press('Backspace');
    await frames(page, 2);
    await typeInto(page, '小区', t.community);
    assert.equal((await state(page)).draft.community, t.community);
  }
  await typeInto(page, '地址', t.address);
  await typeInto(page, '标题', t.title);
  await typeInto(page, '问题描述', t.description || t.title);
  const before = (await state(page)).notice;
  await click(page, '保存');
  if (!expectSaved) {
    await frames(page, 2);
    return state(page);
  }
  // Saved: the list is back with the notice of a new number (the ticket may already be gone
  // again if the server refused it at once).
  return waitForState(page, (st) => st.view === 'tickets' && st.notice !== before && st.notice.startsWith('已登记工单'),
                      `the ticket "${t.title}" saved`);
}

// Types into the text field that has the keyboard focus already (an edit opened by a button).
export async function typeFocused(page, text) {
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime', null, { timeout: 5000 });
  await page.keyboard.insertText(text);
  await frames(page, 3);
}

// A JPEG of w×h made in the page (a gradient with text and noise, as a photo has detail).
export async function makeJpeg(page, w, h, label) {
  const b64 = await page.evaluate(async ([w, h, label]) => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, w, h);
    grad.addColorStop(0, label === 'before' ? '#8a5a2b' : '#3a7d44');
    grad.addColorStop(1, label === 'before' ? '#d9b38c' : '#cfe8d5');
    g.fillStyle = grad;
    g.fillRect(0, 0, w, h);
    for (let i = 0; i < 400; i++) {
      g.fillStyle = `rgba(${(i * 37) % 255},${(i * 91) % 255},${(i * 53) % 255},0.35)`;
      g.fillRect((i * 7919) % w, (i * 104729) % h, 20 + (i % 60), 20 + (i % 40));
    }
    g.fillStyle = '#fff';
    g.font = `${Math.round(h / 6)}px sans-serif`;
    g.fillText(label, w / 10, h / 2);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, [w, h, label]);
  return Buffer.from(b64, 'base64');
}

// Clicks a photo button and answers the file chooser the page opens with `jpeg`.
export async function choosePhoto(page, button, jpeg, name) {
  const chooser = page.waitForEvent('filechooser', { timeout: 10000 });
  await click(page, button);
  const fc = await chooser;
  assert.equal(fc.isMultiple(), false);
  await fc.setFiles({ name, mimeType: 'image/jpeg', buffer: jpeg });
}
