// Drives aether-scope's page in headless Debian chromium (playwright-core)
// while the synthetic stream is played into the file aether-scope follows,
// one part at a time (tests/tools/test_aether_scope_page.py runs this).
//
//   node scope_page.cjs URL LIVE_FILE PART1 PART2 PART3 SCREENSHOT USER_DATA_DIR
//
// Prints one JSON object (what it saw) on stdout; exits 1 with the reason
// on stderr when the page does not show what it should.
'use strict';
const fs = require('fs');

const { launch, tableRows, run } = require('./launch.cjs');

const [url, live, part1, part2, part3, shot, userData] = process.argv.slice(2);
const WAIT = { timeout: 20000, polling: 100 };

const consoleState = (state) => `(() => {
  const g = document.querySelector('#nodes g.node[data-name="console"]');
  return g && g.getAttribute('data-state') === ${JSON.stringify(state)};
})()`;

async function main() {
  const seen = { errors: [] };
  const { ctx, page } = await launch(userData, seen.errors);
  try {
    page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
    await page.goto(url);
    // Every state the console node shows, in order, as the page changes it.
    await page.evaluate(() => {
      window.__consoleStates = [];
      const note = () => {
        const g = document.querySelector('#nodes g.node[data-name="console"]');
        const s = g && g.getAttribute('data-state');
        const a = window.__consoleStates;
        if (s && a[a.length - 1] !== s) a.push(s);
      };
      new MutationObserver(note).observe(document.getElementById('nodes'),
        { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      note();
    });

    fs.appendFileSync(live, fs.readFileSync(part1));
    await page.waitForFunction(() => ['init', 'console', 'vfs', 'shell'].every(
      (n) => document.querySelector(`#nodes g.node[data-name="${n}"]`)), null, WAIT);
    await page.waitForFunction(consoleState('running'), null, WAIT);
    await page.waitForFunction(() => [...document.querySelectorAll('#edges g.edge')]
      .some((e) => parseFloat(e.getAttribute('data-rate')) > 0), null, WAIT);

    fs.appendFileSync(live, fs.readFileSync(part2));
    await page.waitForFunction(consoleState('restarting'), null, WAIT);

    fs.appendFileSync(live, fs.readFileSync(part3));
    await page.waitForFunction(`(() => {
      const g = document.querySelector('#nodes g.node[data-name="console"]');
      return g && g.getAttribute('data-state') === 'running' && g.getAttribute('data-pid') === '5';
    })()`, null, WAIT);
    // Rates of the last part, and the last snapshot's bars.
    await page.waitForFunction(() => document.querySelectorAll('#edges g.edge[data-active="true"]')
      .length === 3, null, WAIT);

    // Click shell: its recent IPC and its handles show.
    await page.click('#nodes g.node[data-name="shell"]');
    await page.waitForFunction(() => {
      const d = document.getElementById('node-detail');
      return !d.hidden && d.dataset.name === 'shell' &&
        document.querySelectorAll('#node-ipc tbody tr.ipc-row').length > 0 &&
        document.querySelectorAll('#node-handles tbody tr.handle-row').length > 0;
    }, null, WAIT);
    await page.waitForTimeout(1500);         // let the layout settle for the picture

    Object.assign(seen, await page.evaluate(() => ({
      consoleStates: window.__consoleStates,
      nodes: [...document.querySelectorAll('#nodes g.node')].map((g) => ({
        name: g.dataset.name, state: g.dataset.state, pid: g.dataset.pid,
      })),
      edges: [...document.querySelectorAll('#edges g.edge')].map((g) => ({
        src: g.dataset.src, dst: g.dataset.dst, rate: parseFloat(g.dataset.rate),
        count: parseInt(g.dataset.count, 10), label: g.querySelector('text').textContent,
        width: parseFloat(g.querySelector('path').getAttribute('stroke-width')),
      })),
      rows: [...document.querySelectorAll('#vnode-list .vnode-row')].map((r) => ({
        name: r.dataset.name, state: r.dataset.state,
        cpu: parseFloat(r.querySelector('.cpu-bar').dataset.cpu),
        used: parseInt(r.querySelector('.mem-bar').dataset.used, 10),
        quota: parseInt(r.querySelector('.mem-bar').dataset.quota, 10),
      })),
      timeline: [...document.querySelectorAll('#timeline li.event')].map((li) => li.dataset.type),
      detailRows: document.querySelectorAll('#node-ipc tbody tr.ipc-row').length,
      detailPeers: [...new Set([...document.querySelectorAll('#node-ipc tbody tr.ipc-row')]
        .map((r) => r.dataset.peer))].sort(),
      handlesNote: document.getElementById('detail-handles-note').textContent,
      status: document.getElementById('status').textContent,
    })));
    seen.handles = await tableRows(page, '#node-handles tbody tr.handle-row');
    await page.screenshot({ path: shot, fullPage: true });
  } finally {
    await ctx.close();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

run('scope_page', main);
