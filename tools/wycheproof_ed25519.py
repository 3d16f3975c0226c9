#!/usr/bin/env python3
"""Converts Wycheproof's Ed25519 verification vectors (JSON, schema
eddsa_verify_schema_v1) into tests/unit/data/wycheproof_ed25519.txt, a
line-per-case file that the C unit test reads without a JSON parser.

  python3 tools/wycheproof_ed25519.py ed25519_test.json COMMIT > OUT.txt

Only the fields the test needs are read (each group's publicKey.pk and each
case's tcId, flags, msg, sig, result), so a copy reduced to those fields
converts to the same file.
"""
import json
import sys

SOURCE_REPO = 'C2SP/wycheproof'
SOURCE_PATH = 'testvectors_v1/ed25519_test.json'


def ranges(ids):
    """[1,2,3,7,9,10] -> '1-3 7 9-10'"""
    out, start, prev = [], None, None
    for i in sorted(ids):
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            out.append(f'{start}-{prev}' if prev != start else str(start))
            start = prev = i
    if start is not None:
        out.append(f'{start}-{prev}' if prev != start else str(start))
    return ' '.join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    commit = sys.argv[2]
    rows, flags = [], {}
    for group in doc['testGroups']:
        pk = group['publicKey']['pk']
        for t in group['tests']:
            if t['result'] not in ('valid', 'invalid', 'acceptable'):
                sys.exit(f"tcId {t['tcId']}: unknown result {t['result']}")
            for fl in t['flags']:
                flags.setdefault(fl, []).append(t['tcId'])
            rows.append((t['tcId'], t['result'], pk or '-', t['msg'] or '-', t['sig'] or '-'))
    if len(rows) != doc.get('numberOfTests', len(rows)):
        sys.exit(f"{len(rows)} cases, the file says {doc['numberOfTests']}")

    print(f'# Ed25519 verification vectors from Project Wycheproof:')
    print(f'#   repository {SOURCE_REPO}, file {SOURCE_PATH}')
    print(f'#   (commit {commit}).')
    print('# Project Wycheproof is distributed under the Apache License, Version 2.0')
    print('# (http://www.apache.org/licenses/LICENSE-2.0); this file is a derived copy')
    print('# of its data under that license.')
    print('# Converted by tools/wycheproof_ed25519.py: one line per case,')
    print('#   tcId result pk msg sig')
    print("# hex, '-' for an empty field; result is valid, invalid or acceptable.")
    print('# Signatures whose length is not 64 bytes (truncated, with garbage) are')
    print('# kept as they are: the test checks that length itself.')
    print('# Cases by Wycheproof flag:')
    for fl in sorted(flags):
        print(f'#   {fl}: {ranges(flags[fl])}')
    for r in rows:
        print(' '.join(str(x) for x in r))


if __name__ == '__main__':
    main()
