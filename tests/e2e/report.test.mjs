// End-to-end: the monthly report (统计) in the browser, offline-capable: the centre opens the
// dashboard, steps to March 2020 and sees its epidemic tickets (the count read from the server's
// report of the same data, not written here); the bars are drawn where the app says they are, in
// the chart's colour; the CSV downloads with a byte-order mark and the Chinese headers, byte for
// byte the server's; the print version opens in a new window with its stylesheet and no CSP
// violation. Screenshots zh and en, at a normal and a small window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { shotDir, startServer, launch, waitForApp, frames, click, findItem, reveal, items, waitForState, shot, signIn, demoStreet } from './harness.mjs';

const BAR = [37, 99, 235];  // chart::kBarColor (app/chart.h).

async function serverReport(url, format) {
  const login = await fetch(url + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                     body: JSON.stringify({ user: 'zhang.bin', password: 'linli-demo' }) });
  const { token } = await login.json();
  const res = await fetch(`${url}/api/v1/reports/monthly?month=2020-03&format=${format}`,
                          { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(res.status, 200);
  return format === 'json' ? res.json() : Buffer.from(await res.arrayBuffer());
}

// How many pixels of `rgb` (±12 per channel) a rectangle of the page's screenshot holds. The PNG
// is decoded in a blank page of its own (the app's policy allows no data: image).
async function colourPixels(page, decoder, rect, rgb) {
  const png = await page.screenshot({ clip: rect });
  return decoder.evaluate(async ({ b64, rgb }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - rgb[0]) <= 12 && Math.abs(d[i + 1] - rgb[1]) <= 12 && Math.abs(d[i + 2] - rgb[2]) <= 12) ++n;
    return { n, total: d.length / 4 };
  }, { b64: png.toString('base64'), rgb });
}

test('the centre sees March 2020 on the dashboard, downloads its CSV and opens the print version', { timeout: 300000 }, async (t) => {
  const server = await startServer({ seedDemo: true });
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.stop(); });
  const expected = await serverReport(server.url, 'json');
  const epidemic = expected.by.category.epidemic_control;
  assert.ok(epidemic >= 290 && epidemic <= 310, `the seed's "300余件" in March: ${epidemic}`);

  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const decoder = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.linliCsp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.linliCsp.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(server.url + '/');
  await waitForApp(page);
  await signIn(page, 'zhang.bin');
  await waitForState(page, (st) => st.sync.caught_up && st.tickets.length === demoStreet.tickets, 'the street synced');

  await click(page, '统计');
  let s = await waitForState(page, (st) => st.view === 'dashboard' && st.dashboard !== null, 'the dashboard');
  // From the current month back to March 2020: years, then months.
  const back = (s.dashboard.year - 2020) * 12 + (s.dashboard.month - 3);
  for (let i = 0; i < Math.floor(back / 12); ++i) await click(page, '上一年##dash-prev-year');
  for (let i = 0; i < back % 12; ++i) await click(page, 'dash-prev');
  s = await waitForState(page, (st) => st.dashboard.year === 2020 && st.dashboard.month === 3, 'March 2020');
  assert.equal(s.dashboard.received, expected.received);
  assert.equal(s.dashboard.by_category.epidemic_control, epidemic);
  await frames(page, 4);
  await shot(page, 'report-01-march-2020-zh');

  // The epidemic bar is on screen with its count, and drawn in the bars' colour.
  const bar = await findItem(page, `by-category/疫情防控=${epidemic}`);
  const inBar = await colourPixels(page, decoder, { x: bar.x, y: bar.y, width: Math.max(1, bar.w), height: Math.max(1, bar.h) }, BAR);
  assert.ok(inBar.n > inBar.total * 0.8, `the bar is blue: ${JSON.stringify(inBar)}`);
  const perDay = await findItem(page, 'per-day');
  const inChart = await colourPixels(page, decoder, { x: perDay.x, y: perDay.y, width: perDay.w, height: perDay.h }, BAR);
  assert.ok(inChart.n > 200, `the intake columns are drawn: ${JSON.stringify(inChart)}`);
  const busiest = expected.days.reduce((a, d) => (d.received > a.received ? d : a));
  await findItem(page, `per-day/${Number(busiest.day.slice(8))}日=${busiest.received}`);

  // By lead department as the server counts it, and the month's overdue tickets as the print version
  // lists them, each row opening its ticket in the list.
  const [dept, deptCount] = Object.entries(expected.by.department).filter(([d]) => d !== '').sort((a, b) => b[1] - a[1])[0];
  await reveal(page, `by-department/${dept}=${deptCount}`, '##dashboard');
  assert.ok(expected.overdue.length > 0, 'March 2020 has overdue tickets');
  const late = expected.overdue[0];
  await reveal(page, `${late.number}##overdue-${late.ticket}`, '##dashboard');
  await shot(page, 'report-01b-overdue-zh');
  await click(page, `${late.number}##overdue-${late.ticket}`);
  await waitForState(page, (st) => st.view === 'tickets' && st.selected === late.ticket, 'the overdue ticket opened');
  await click(page, '统计');
  await waitForState(page, (st) => st.view === 'dashboard' && st.dashboard.year === 2020 && st.dashboard.month === 3,
                     'back on March 2020');
  // The dashboard kept its scroll, down at the list: back up to the exports.
  const dashboard = (await items(page)).find((it) => it.id.split('/').pop().startsWith('##dashboard'));
  await page.mouse.move(dashboard.x + dashboard.w / 2, dashboard.y + dashboard.h / 2);
  for (let i = 0; i < 3; ++i) {
    await page.mouse.wheel(0, -5000);
    await frames(page, 4);
  }

  // The CSV: a download, UTF-8 with a BOM, the Chinese headers, the server's bytes.
  const [download] = await Promise.all([page.waitForEvent('download'), click(page, '下载 CSV##dash-csv')]);
  assert.equal(download.suggestedFilename(), 'linli-report-2020-03.csv');
  const csv = readFileSync(await download.path());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark');
  const rows = csv.subarray(3).toString('utf8').split('\r\n').map((line) => line.split(','));
  assert.deepEqual(rows[0], ['项目', '名称', '数量', '总数', '比率', '说明']);
  assert.deepEqual(rows.find((r) => r[0] === '类别' && r[1] === '疫情防控').slice(0, 3), ['类别', '疫情防控', String(epidemic)]);
  assert.equal(rows.find((r) => r[0] === '比率' && r[1] === '办结率')[3], String(expected.rates.handled.of));
  assert.ok(csv.equals(await serverReport(server.url, 'csv')), 'the browser\'s CSV is the server\'s');

  // The print version: a new window, fetched with the token in a header, styled, no violation.
  const [popup] = await Promise.all([context.waitForEvent('page'), click(page, '打印版##dash-print')]);
  await popup.waitForFunction(() => document.querySelector('h1') && document.querySelector('h1').textContent.includes('2020年3月'), null, { timeout: 15000 });
  await popup.waitForFunction(() => document.styleSheets.length > 0 && getComputedStyle(document.querySelector('th')).borderTopStyle === 'solid', null, { timeout: 15000 });
  const text = await popup.evaluate(() => document.body.innerText);
  assert.ok(text.includes(`疫情防控\t${epidemic}`) || text.includes(`疫情防控 ${epidemic}`), text.slice(0, 400));
  assert.ok(popup.url() === 'about:blank', 'the token is in no URL: ' + popup.url());
  // Its 打印 button prints (window.print, counted here) and is left out of the printed page.
  await popup.waitForSelector('#print', { timeout: 15000 });
  await popup.evaluate(() => { window.linliPrinted = 0; window.print = () => { window.linliPrinted += 1; }; });
  await popup.click('#print');
  assert.equal(await popup.evaluate(() => window.linliPrinted), 1, 'the button prints');
  await popup.emulateMedia({ media: 'print' });
  assert.equal(await popup.evaluate(() => getComputedStyle(document.querySelector('.print-bar')).display), 'none');
  await popup.emulateMedia({ media: 'screen' });
  await popup.setViewportSize({ width: 1000, height: 900 });
  await popup.screenshot({ path: path.join(shotDir, 'report-02-print-zh.png'), fullPage: true });
  await popup.close();
  await page.bringToFront();  // A background tab draws no frames.

  // English, then a small window in both languages.
  await click(page, '语言 / Language');
  await click(page, 'English');
  await waitForState(page, (st) => st.lang === 'en', 'English');
  await frames(page, 4);
  await shot(page, 'report-03-march-2020-en');
  await findItem(page, `by-category/Epidemic control=${epidemic}`);
  await page.setViewportSize({ width: 1024, height: 700 });
  await frames(page, 6);
  await shot(page, 'report-04-small-en');
  await click(page, 'Language / 语言');
  await click(page, '中文');
  await waitForState(page, (st) => st.lang === 'zh', 'Chinese');
  await frames(page, 4);
  await shot(page, 'report-05-small-zh');

  assert.deepEqual(await page.evaluate(() => window.linliCsp), [], 'no CSP violation');
  assert.deepEqual(errors, []);
});
