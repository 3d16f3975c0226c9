// Watches aether-scope's page in headless Debian chromium (playwright-core)
// while AetherOS runs (tests/system/test_scope.py drives the guest).
//
//   node scope_live.cjs URL SCREENSHOT USER_DATA_DIR
//
// Talks to the test on stdout, one line each: "nodes" once init, console,
// vfs and shell are on the page; "edge" once an IPC edge shows a non-zero
// rate; "stopped" once vfs's node leaves the running state (the test
// stopped it); then, after vfs runs again under a new pid, one JSON line
// of what it saw, and exits 0. Exits 1 with the reason on stderr.
'use strict';
const path = require('path');
const { launch, tableRows, run } =
  require(path.join(__dirname, '..', '..', 'tools', 'browser', 'launch.cjs'));

const [url, shot, userData] = process.argv.slice(2);
const WAIT = { timeout: 240000, polling: 200 };

async function main() {
  const seen = { errors: [] };
  const { ctx, page } = await launch(userData, seen.errors);
  try {
    await page.goto(url);
    await page.waitForFunction(() => ['init', 'console', 'vfs', 'shell'].every(
      (n) => document.querySelector(`#nodes g.node[data-name="${n}"]`)), null, WAIT);
    process.stdout.write('nodes\n');
    await page.waitForFunction(() => [...document.querySelectorAll('#edges g.edge')]
      .some((e) => parseFloat(e.getAttribute('data-rate')) > 0), null, WAIT);
    seen.edges = await page.evaluate(() => [...document.querySelectorAll('#edges g.edge')]
      .map((g) => ({ src: g.dataset.src, dst: g.dataset.dst, rate: parseFloat(g.dataset.rate) })));
    process.stdout.write('edge\n');
    const vfs = () => page.evaluate(() => {
      const g = document.querySelector('#nodes g.node[data-name="vfs"]');
      return g && { state: g.dataset.state, pid: g.dataset.pid };
    });
    seen.vfsBefore = await vfs();
    await page.waitForFunction(() => {
      const g = document.querySelector('#nodes g.node[data-name="vfs"]');
      return g && g.dataset.state !== 'running' && g.dataset.state !== 'blocked';
    }, null, WAIT);
    seen.vfsStopped = await vfs();
    process.stdout.write('stopped\n');
    await page.waitForFunction((before) => {
      const g = document.querySelector('#nodes g.node[data-name="vfs"]');
      return g && (g.dataset.state === 'running' || g.dataset.state === 'blocked') &&
        g.dataset.pid !== before;
    }, seen.vfsBefore.pid, WAIT);
    seen.vfsAfter = await vfs();
    await page.click('#nodes g.node[data-name="shell"]');
    // Its handles, as scope lists them (a list a second when they change,
    // every 5 s anyway).
    await page.waitForFunction(() => document.getElementById('node-detail').dataset.name ===
      'shell' && document.querySelectorAll('#node-handles tbody tr.handle-row').length > 0,
    null, WAIT);
    seen.shellHandles = await tableRows(page, '#node-handles tbody tr.handle-row');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: shot, fullPage: true });
  } finally {
    await ctx.close();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

run('scope_live', main);
