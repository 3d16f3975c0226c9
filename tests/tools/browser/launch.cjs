// Headless Debian chromium through playwright-core (installed by make into
// build/npm), started the one way every browser test here needs: no
// sandbox (root), no GPU, and none of the background traffic that this
// machine's closed network would refuse. Used by tests/tools/browser/
// scope_page.cjs and tests/system/browser/scope_live.cjs, with the two
// helpers they share.
'use strict';
const path = require('path');

const NPM = process.env.AETHER_NPM || path.join(__dirname, '..', '..', '..', 'build', 'npm');
const { chromium } = require(path.join(NPM, 'node_modules', 'playwright-core'));

// A persistent context in a fresh profile directory, and its first page
// with page errors collected into `errors`.
async function launch(userData, errors) {
  const ctx = await chromium.launchPersistentContext(userData, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  return { ctx, page };
}

// The text of each cell of each table row matching selector.
function tableRows(page, selector) {
  return page.evaluate((sel) => [...document.querySelectorAll(sel)]
    .map((r) => [...r.cells].map((c) => c.textContent)), selector);
}

// Runs main(); a failure is "name: reason" on stderr and exit status 1.
function run(name, main) {
  main().catch((e) => {
    process.stderr.write(`${name}: ${e.stack || e}\n`);
    process.exit(1);
  });
}

module.exports = { launch, tableRows, run };
