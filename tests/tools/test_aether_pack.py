#!/usr/bin/env python3
"""End-to-end tests of build/tools/aether-pack (docs/BUNDLE.md): every
command run as a user would, in a temporary directory, checking exit
statuses (0 ok, 1 refused, 2 usage) and the one-line reasons.

Run alone:  python3 tests/tools/test_aether_pack.py -v
(AETHER_PACK=PATH picks another binary; `make tool-test` builds and runs it.)
"""
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.environ.get('AETHER_PACK', os.path.join(ROOT, 'build', 'tools', 'aether-pack'))

HEADER = 4096


def manifest(name='demo', version='0.1.0', binary='demo.elf'):
    return (f'# test V-Node\nname = {name}\nversion = {version}\n'
            f'binary = {binary}\nmemory = 1M\n')


class AetherPack(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='aether-pack-test-')
        self.keys = {}

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def run_tool(self, *args, expect=0):
        p = subprocess.run([TOOL, *args], cwd=self.dir, capture_output=True, text=True,
                           timeout=60)
        if expect is not None and p.returncode != expect:
            self.fail(f'aether-pack {" ".join(args)}: exit {p.returncode}, expected {expect}\n'
                      f'stdout: {p.stdout}\nstderr: {p.stderr}')
        return p

    def key(self, name):
        if name not in self.keys:
            self.run_tool('keygen', name)
            self.keys[name] = name
        return name

    def root(self, out, k, *names, version=None, signers=()):
        pubs = [self.key(n) + '.pub' for n in names]
        args = ['trust', 'new', '-k', str(k), '-o', out]
        if version is not None:
            args += ['--version', str(version)]
        self.run_tool(*args, *pubs)
        for s in signers:
            self.run_tool('trust', 'sign', '-k', self.key(s) + '.key', out)
        return out

    def vnode_dir(self, name='demo', version='0.1.0', extra=None):
        d = self.path(f'{name}-{version}')
        os.makedirs(d)
        with open(os.path.join(d, 'manifest'), 'w') as f:
            f.write(manifest(name, version))
        with open(os.path.join(d, f'{name}.elf'), 'wb') as f:
            f.write(b'\x7fELF' + os.urandom(9000))
        for fname, data in (extra or {}).items():
            with open(os.path.join(d, fname), 'wb') as f:
                f.write(data)
        return d

    def bundle(self, out='demo.vnode', version='0.1.0', signers=('a', 'b')):
        src = self.vnode_dir(version=version)
        self.run_tool('pack', '-o', out, src)
        for s in signers:
            self.run_tool('sign', '-k', self.key(s) + '.key', out)
        return out

    def trust_2of3(self):
        return self.root('trust.root', 2, 'a', 'b', 'c')

    def refused(self, *args, says):
        p = self.run_tool(*args, expect=1)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(says, lines[0])
        return lines[0]

    # ---- keys ----------------------------------------------------------------

    def test_keygen(self):
        self.run_tool('keygen', 'k')
        st = os.stat(self.path('k.key'))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(st.st_size, 72)
        with open(self.path('k.key'), 'rb') as f:
            self.assertEqual(f.read(8), b'AESECKEY')
        self.assertEqual(os.path.getsize(self.path('k.pub')), 32)
        with open(self.path('k.pub'), 'rb') as f:
            pub = f.read()
        self.refused('keygen', 'k', says='not replacing a key')
        with open(self.path('k.pub'), 'rb') as f:
            self.assertEqual(f.read(), pub)

    def test_usage(self):
        for args in ([], ['frobnicate'], ['pack'], ['pack', 'dir'], ['sign', 'x.vnode'],
                     ['verify', 'x.vnode'], ['trust'], ['trust', 'new', '-o', 'r', 'a.pub'],
                     ['trust', 'new', '-k', '0', '-o', 'r', 'a.pub'],
                     ['trust', 'verify', 'next.root'], ['keygen'], ['keygen', 'a', 'b'],
                     ['verify', '--trust', 'r', '--trust', 'r', 'x.vnode']):
            p = self.run_tool(*args, expect=2)
            self.assertIn('usage:', p.stderr)

    # ---- bundles -------------------------------------------------------------

    def test_pack_sign_verify(self):
        trust = self.trust_2of3()
        b = self.bundle()
        p = self.run_tool('verify', '--trust', trust, b)
        self.assertIn('ok', p.stdout)
        self.assertIn('demo 0.1.0', p.stdout)
        with open(self.path(b), 'rb') as f:
            data = f.read()
        self.assertEqual(data[:8], b'AEBUNDLE')
        self.assertEqual(int.from_bytes(data[96:100], 'little'), 2)

    def test_pack_is_deterministic_and_sign_keeps_identity(self):
        src = self.vnode_dir(extra={'data.bin': b'x' * 5000, 'zero': b''})
        self.run_tool('pack', '-o', 'one.vnode', src)
        self.run_tool('pack', '-o', 'two.vnode', src)
        with open(self.path('one.vnode'), 'rb') as f:
            one = f.read()
        with open(self.path('two.vnode'), 'rb') as f:
            self.assertEqual(one, f.read())
        self.run_tool('sign', '-k', self.key('a') + '.key', 'one.vnode')
        with open(self.path('one.vnode'), 'rb') as f:
            signed = f.read()
        self.assertEqual(signed[HEADER:], one[HEADER:])     # payload unchanged
        self.assertEqual(signed[64:96], one[64:96])         # root unchanged

    def test_one_signature_is_too_few(self):
        trust = self.trust_2of3()
        b = self.bundle(signers=('b',))
        line = self.refused('verify', '--trust', trust, b, says='too few signers (1 of 2)')
        self.assertTrue(line.startswith(f'verify: {b}: '), line)

    def test_flipped_payload_byte(self):
        trust = self.trust_2of3()
        b = self.bundle()
        with open(self.path(b), 'r+b') as f:
            f.seek(HEADER + 4096 + 100)
            c = f.read(1)
            f.seek(HEADER + 4096 + 100)
            f.write(bytes([c[0] ^ 0x40]))
        self.refused('verify', '--trust', trust, b, says='Merkle root')

    def test_flipped_header_bytes(self):
        trust = self.trust_2of3()
        b = self.bundle()
        with open(self.path(b), 'rb') as f:
            good = f.read()
        for at, says in ((16, 'bad signature'), (21, 'corrupt'), (48, 'bad signature'), (70, 'bad signature'),
                         (104, 'does not list'), (104 + 40, 'bad signature'),
                         (4000, 'corrupt')):
            with open(self.path(b), 'wb') as f:
                f.write(good[:at] + bytes([good[at] ^ 0x01]) + good[at + 1:])
            self.refused('verify', '--trust', trust, b, says=says)

    def test_unknown_key(self):
        trust = self.trust_2of3()
        b = self.bundle(signers=('a', 'stranger'))
        self.refused('verify', '--trust', trust, b,
                     says='signed by a key the trust root does not list (1 of 2)')

    def test_sign_refusals(self):
        b = self.bundle(signers=('a',))
        self.refused('sign', '-k', self.key('a') + '.key', b, says='already signed by this key')
        self.refused('sign', '-k', self.key('a') + '.pub', b, says='not an aether-pack secret key')
        with open(self.path(b), 'r+b') as f:
            f.seek(HEADER + 5000)
            f.write(b'!')
        self.refused('sign', '-k', self.key('b') + '.key', b, says='Merkle root')

    def test_sixteen_signatures_at_most(self):
        b = self.bundle(signers=())
        for i in range(16):
            self.run_tool('sign', '-k', self.key(f'k{i}') + '.key', b)
        self.refused('sign', '-k', self.key('k16') + '.key', b, says='16 signatures')

    def test_pack_refusals(self):
        d = self.vnode_dir()
        os.remove(os.path.join(d, 'demo.elf'))
        self.refused('pack', '-o', 'x.vnode', d, says='binary "demo.elf"')
        self.assertFalse(os.path.exists(self.path('x.vnode')))
        d = self.vnode_dir(version='0.2.0')
        os.remove(os.path.join(d, 'manifest'))
        self.refused('pack', '-o', 'x.vnode', d, says='no manifest')
        d = self.vnode_dir(version='0.3.0')
        os.makedirs(os.path.join(d, 'sub'))
        self.refused('pack', '-o', 'x.vnode', d, says='not a regular file')
        d = self.vnode_dir(version='0.4.0')
        with open(os.path.join(d, 'manifest'), 'a') as f:
            f.write('bogus = 1\n')
        self.refused('pack', '-o', 'x.vnode', d, says='unknown key')
        d = self.vnode_dir(version='0.5.0', extra={'.hidden': b''})
        self.refused('pack', '-o', 'x.vnode', d, says='bad file name')

    def test_manifest_must_match_header(self):
        # A header hand-edited to another version and re-signed: the
        # signatures hold, the manifest disagrees.
        trust = self.trust_2of3()
        b = self.bundle(signers=())
        with open(self.path(b), 'r+b') as f:
            f.seek(48)
            f.write((2 << 16).to_bytes(8, 'little'))     # 0.2.0
        for s in ('a', 'b'):
            self.run_tool('sign', '-k', self.key(s) + '.key', b)
        self.refused('verify', '--trust', trust, b, says='manifest says version 0.1.0')

    def test_inspect(self):
        trust = self.trust_2of3()
        b = self.bundle(signers=('a', 'stranger'))
        p = self.run_tool('inspect', '--trust', trust, b)
        out = p.stdout
        for want in ('name       demo', 'version    0.1.0', 'content    ok', 'demo.elf',
                     'manifest', 'binary = demo.elf', 'trusted (key 1 of the trust root)',
                     'not in the trust root', 'trust      signed by a key'):
            self.assertIn(want, out)
        with open(self.path(b), 'rb') as f:
            self.assertIn(f.read()[64:96].hex(), out)
        with open(self.path('a.pub'), 'rb') as f:
            self.assertIn(f.read().hex() + ' valid', out)
        p = self.run_tool('inspect', b)
        self.assertIn('valid', p.stdout)

    # ---- rollback ------------------------------------------------------------------

    def test_rollback_with_hwm(self):
        trust = self.trust_2of3()
        hwm = self.path('hwm')
        new = self.bundle('new.vnode', version='0.2.0')
        old = self.bundle('old.vnode', version='0.1.0')
        newer = self.bundle('newer.vnode', version='0.10.0')
        self.run_tool('verify', '--trust', trust, '--hwm', hwm, new)
        with open(hwm) as f:
            self.assertEqual(f.read(), 'demo 0.2.0\n')
        self.refused('verify', '--trust', trust, '--hwm', hwm, old, says='rollback')
        with open(hwm) as f:
            self.assertEqual(f.read(), 'demo 0.2.0\n')
        self.run_tool('verify', '--trust', trust, '--hwm', hwm, new)     # equal is fine
        self.run_tool('verify', '--trust', trust, old)                   # no --hwm: no check
        self.run_tool('verify', '--trust', trust, '--hwm', hwm, newer)
        with open(hwm) as f:
            self.assertEqual(f.read(), 'demo 0.10.0\n')
        self.refused('verify', '--trust', trust, '--hwm', hwm, new, says='rollback')
        with open(hwm, 'w') as f:
            f.write('demo 0.2\n')
        self.refused('verify', '--trust', trust, '--hwm', hwm, new, says='corrupt')

    def test_hwm_not_raised_by_invalid_bundle(self):
        trust = self.trust_2of3()
        hwm = self.path('hwm')
        b = self.bundle(version='0.9.0', signers=('a',))
        self.refused('verify', '--trust', trust, '--hwm', hwm, b, says='too few signers')
        self.assertFalse(os.path.exists(hwm))

    # ---- trust roots -----------------------------------------------------------

    def test_trust_new_and_inspect(self):
        r = self.root('r', 2, 'a', 'b', 'c', version=7, signers=('a',))
        p = self.run_tool('trust', 'inspect', r)
        self.assertIn('version    7', p.stdout)
        self.assertIn('threshold  2 of 3', p.stdout)
        self.assertIn('one of its keys', p.stdout)
        self.assertIn('own keys   1 of 2', p.stdout)
        self.assertEqual(os.path.getsize(self.path(r)), 32 + 3 * 32 + 96)
        self.refused('trust', 'sign', '-k', 'a.key', r, says='already signed by this key')
        self.refused('trust', 'new', '-k', '4', '-o', 'x', 'a.pub', 'b.pub', 'c.pub',
                     says='threshold 4')
        self.refused('trust', 'new', '-k', '1', '-o', 'x', 'a.pub', 'a.pub',
                     says='not distinct')

    def test_rotation_chain(self):
        v1 = self.root('v1.root', 2, 'a', 'b', 'c', signers=('a', 'b'))
        # v2 drops a, adds d: signed by 2 of v1 (a, b) and 2 of its own (b, c).
        v2 = self.root('v2.root', 2, 'b', 'c', 'd', version=2, signers=('a', 'b', 'c'))
        # v3: a new threshold, 3 of 4.
        v3 = self.root('v3.root', 3, 'd', 'e', 'f', 'g', version=3,
                       signers=('c', 'd', 'e', 'f'))
        p = self.run_tool('trust', 'verify', '--trust', v1, v2, v3)
        self.assertEqual(p.stdout.count(': ok:'), 2)
        self.run_tool('trust', 'verify', '--trust', v2, v3)
        # v3 straight after v1 skips the root that vouches for d, e, f.
        self.refused('trust', 'verify', '--trust', v1, v3, says='does not list')
        # Bundles signed with v3's keys: good under v3 only.
        b = self.bundle(signers=('e', 'f', 'g'))
        self.run_tool('verify', '--trust', v3, b)
        self.refused('verify', '--trust', v1, b, says='does not list')

    def test_forged_rotations(self):
        v1 = self.root('v1.root', 2, 'a', 'b', 'c')
        # Signed only by the new keys.
        f1 = self.root('f1.root', 2, 'x', 'y', 'z', version=2, signers=('x', 'y', 'z'))
        self.refused('trust', 'verify', '--trust', v1, f1,
                     says='does not list (by the current root, version 1: 0 of 2)')
        # Too few old keys: a is in both, signs alone.
        f2 = self.root('f2.root', 1, 'a', 'x', version=2, signers=('a',))
        self.refused('trust', 'verify', '--trust', v1, f2, says='too few signers')
        # The old root agrees but the new keys never signed.
        f3 = self.root('f3.root', 2, 'x', 'y', version=2, signers=('a', 'b'))
        self.refused('trust', 'verify', '--trust', v1, f3, says='by its own keys: 0 of 2')
        # Version not higher.
        f4 = self.root('f4.root', 2, 'a', 'b', 'c', version=1, signers=('a', 'b'))
        self.refused('trust', 'verify', '--trust', v1, f4, says='rollback')
        # A changed byte (the threshold) in an otherwise good successor.
        good = self.root('good.root', 1, 'b', 'c', version=2, signers=('b', 'c'))
        self.run_tool('trust', 'verify', '--trust', v1, good)
        with open(self.path(good), 'r+b') as f:
            f.seek(16)
            f.write((2).to_bytes(4, 'little'))
        self.refused('trust', 'verify', '--trust', v1, good, says='bad signature')
        # A bundle signature does not sign a trust root: graft a bundle's
        # signatures (by a, b) onto a root.
        b = self.bundle(signers=('a', 'b'))
        with open(self.path(b), 'rb') as f:
            sigs = f.read()[104:104 + 2 * 96]
        f5 = self.root('f5.root', 2, 'a', 'b', version=2)
        with open(self.path(f5), 'r+b') as f:
            data = bytearray(f.read())
            data[24:28] = (2).to_bytes(4, 'little')
            f.seek(0)
            f.write(bytes(data) + sigs)
        self.refused('trust', 'verify', '--trust', v1, f5, says='bad signature')


if __name__ == '__main__':
    unittest.main()
