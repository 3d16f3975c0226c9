#!/usr/bin/env python3
"""Browser test of aether-scope's page: headless Debian chromium, driven
by playwright-core (tests/tools/browser/scope_page.cjs), watches the page
while the synthetic stream is appended to the file aether-scope follows,
one part at a time. It checks the four V-Nodes appear with IPC edges
weighted by rate, that console goes running -> restarting -> running (as
pid 5), and that clicking a V-Node shows its IPC. The screenshot is kept
in build/test-logs/tools/aether-scope.png.

Needs /usr/bin/chromium and node (scripts/deps.sh) and playwright-core in
build/npm (make installs it: `make tool-test`).

Run alone:  python3 tests/tools/test_aether_scope_page.py -v
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scope_util import ROOT, Server, make_stream  # noqa: E402

CHROMIUM = '/usr/bin/chromium'
NPM = os.environ.get('AETHER_NPM', os.path.join(ROOT, 'build', 'npm'))
DRIVER = os.path.join(ROOT, 'tests', 'tools', 'browser', 'scope_page.cjs')
SHOT = os.path.join(ROOT, 'build', 'test-logs', 'tools', 'aether-scope.png')


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Missing tools are a failure, not a skip: make installs them.
        missing = [p for p in (CHROMIUM, shutil.which('node') or 'node',
                               os.path.join(NPM, 'node_modules', 'playwright-core'))
                   if not os.path.exists(p)]
        if missing:
            raise AssertionError(f'missing {missing}: run `make tool-test` (scripts/deps.sh '
                                 'installs chromium and node, make installs playwright-core)')
        cls.dir = tempfile.mkdtemp(prefix='aether-scope-page-')
        cls.stream, cls.parts, cls.expect = make_stream(cls.dir)
        live = os.path.join(cls.dir, 'live.bin')
        open(live, 'wb').close()
        cls.srv = Server('--input', live, '--follow')
        os.makedirs(os.path.dirname(SHOT), exist_ok=True)
        if os.path.exists(SHOT):
            os.remove(SHOT)
        env = dict(os.environ, AETHER_NPM=NPM)
        p = subprocess.run(['node', DRIVER, cls.srv.url, live, *cls.parts, SHOT,
                            os.path.join(cls.dir, 'chromium-profile')],
                           capture_output=True, text=True, timeout=120, env=env)
        cls.stderr = p.stderr
        cls.seen = json.loads(p.stdout) if p.returncode == 0 else None
        cls.final = cls.srv.json('/api/state')

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, 'srv', None):
            cls.srv.stop()
        if getattr(cls, 'dir', None):
            shutil.rmtree(cls.dir)

    def setUp(self):
        if self.seen is None:
            self.fail(f'the browser run failed:\n{self.stderr}')

    def test_nodes_shown(self):
        nodes = {n['name']: n for n in self.seen['nodes']}
        self.assertEqual(sorted(nodes), ['console', 'init', 'shell', 'vfs'])
        self.assertEqual(nodes['console']['pid'], '5')
        rows = {r['name']: r for r in self.seen['rows']}
        self.assertEqual(sorted(rows), ['console', 'init', 'shell', 'vfs'])
        self.assertEqual((rows['shell']['used'], rows['shell']['quota']), (120, 512))
        self.assertGreater(rows['vfs']['cpu'], 0)

    def test_edges_weighted_by_rate(self):
        edges = {f"{e['src']}->{e['dst']}": e for e in self.seen['edges']}
        self.assertEqual(sorted(edges), sorted(self.expect['edges']))
        for e in edges.values():
            self.assertGreater(e['rate'], 0, e)
            self.assertTrue(e['label'].endswith('/s'), e)
        # a busier edge is drawn wider
        self.assertGreater(edges['shell->vfs']['width'], edges['shell->console']['width'])

    def test_console_restart_seen(self):
        states = self.seen['consoleStates']
        i = states.index('running')
        j = states.index('restarting', i)
        self.assertIn('running', states[j:], states)

    def test_node_click_shows_ipc_and_handles(self):
        self.assertGreater(self.seen['detailRows'], 0)
        self.assertEqual(self.seen['detailPeers'], ['console', 'vfs'])
        self.assertEqual(self.seen['handles'], self.expect['handles']['shell'])
        self.assertIn('14 handles as pid 4', self.seen['handlesNote'])

    def test_timeline_and_no_page_errors(self):
        for t in ('proc_fault', 'proc_restart', 'state', 'proc_spawn'):
            self.assertIn(t, self.seen['timeline'])
        self.assertEqual(self.seen['errors'], [])
        self.assertTrue(os.path.getsize(SHOT) > 10000)
        self.assertEqual(self.final['stream']['records'], self.expect['records'])


if __name__ == '__main__':
    unittest.main()
