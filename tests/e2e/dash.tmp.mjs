import { startServer, launch, waitForApp, signIn, click, waitForState, frames, shot, items } from './harness.mjs';
const server = await startServer({ seedDemo: true });
const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const c = await ctx.newPage();
  await c.goto(server.url + '/'); await waitForApp(c); await signIn(c, 'zhang.bin');
  await waitForState(c, (s) => s.sync.caught_up, 'sync');
  await click(c, '统计'); await frames(c, 6);
  await shot(c, 'dash-zh');
  await c.mouse.move(640, 500); for (let i = 0; i < 10; i++) { await c.mouse.wheel(0, 400); await frames(c, 2); }
  await frames(c, 4); await shot(c, 'dash-zh-down');
} finally { await browser.close(); await server.stop(); }
