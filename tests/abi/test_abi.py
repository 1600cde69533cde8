#!/usr/bin/env python3
"""test_abi.py - every symbol libdmaengine.so exports is a dmaengine API name
(dma_*, dmaengine_*, async_*, vchan_*, sg_*, __dma_*) or carries the dmae_
prefix; the kernel's generic names (complete, request_irq, readl, ...) must be
static inlines or macros in the headers, never exported, so that an
application defining its own complete() neither clashes with nor interposes on
the library.

Usage: test_abi.py LIBRARY
"""
import re
import subprocess
import sys

ALLOWED = re.compile(r'^(dma_|dmaengine_|async_|vchan_|sg_|__dma_|dmae_)')
# Names the kernel defines that start like the API but are generic helpers:
# these would clash all the same, so they must stay out of the ABI too.
GENERIC = {'dma_free', 'sg_init'}


def exported(lib):
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in 'TtDdBbRrWwVvi':
            yield parts[2].split('@')[0]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    names = sorted(set(exported(sys.argv[1])))
    if len(names) < 100:
        print(f'test_abi: only {len(names)} symbols in {sys.argv[1]}: not the library?')
        return 1
    bad = [n for n in names if not ALLOWED.match(n) or n in GENERIC]
    for n in bad:
        print(f'test_abi: {n} is exported but has no project prefix and is no dmaengine API name')
    print(f'test_abi: {len(names)} exported symbols, {len(bad)} outside the rule')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
