#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""conf_faults.py - the conformance suite catches each fault the cpu provider
injects (DMAENGINE_CPU_FAULT, see dmaengine/cpu.h), and passes with delays
shorter than its time-outs.

Usage: conf_faults.py PATH-TO-test_conformance CASE...   (--list: the cases)

Each run picks a few tests of the suite with CONF_FILTER (cmocka wildcards)
and checks the exit status, the suite's last line, the test named as failed
and the line saying why. The same selection without a fault passes first, so
a failure is the fault's doing.
"""
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import casemain  # noqa: E402  (tests/common/casemain.py)

ARGS = None
MEMCPY = "cpu-inorder dma?chan0 DMA_MEMCPY callbacks"


class Run:
    def __init__(self, fault, filt):
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith("DMAENGINE_"))
        env.update({"CONF_FILTER": filt, "CMOCKA_MESSAGE_OUTPUT": "stdout"})
        env["TSAN_OPTIONS"] = (env.get("TSAN_OPTIONS", "") + ":atexit_sleep_ms=0").lstrip(":")
        if fault:
            env["DMAENGINE_CPU_FAULT"] = fault
        self.what = "DMAENGINE_CPU_FAULT=%s CONF_FILTER='%s'" % (fault, filt)
        t0 = time.monotonic()
        proc = subprocess.run([ARGS.suite], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, timeout=280)
        self.elapsed = time.monotonic() - t0
        self.status = proc.returncode
        self.out = proc.stdout
        self.lines = self.out.splitlines()

    def check(self, cond, why):
        if not cond:
            raise AssertionError("%s\n  run: %s\n  status: %s\n--- output\n%s"
                                 % (why, self.what, self.status, self.out))

    def has(self, pattern):
        return any(re.search(pattern, l) for l in self.lines)


def passes(fault, filt):
    r = Run(fault, filt)
    r.check(r.status == 0 and r.lines and r.lines[-1].startswith("conformance: passed"),
            "the suite did not pass")
    r.check(r.has(r"^\[==========\] Running [1-9]\d* test\(s\)\.$"), "no test ran")
    return r


def fails(fault, filt, test, why):
    """With @fault, the tests of @filt fail: @test is named, and a line matches @why."""
    passes(None, filt)
    r = Run(fault, filt)
    r.check(r.status == 1, "exit status %s, expected 1" % r.status)
    r.check(r.lines and r.lines[-1].startswith("conformance: FAILED"), "last line")
    r.check(r.has(r"^\[  (FAILED|ERROR)   ?\] %s$" % re.escape(test).replace(r"\?", r"\d")),
            "'%s' not reported as failed" % test)
    r.check(r.has(why), "no line matching %r" % why)
    r.check(r.has(r"^cpu-dma: conf-cpu-\w+: injecting "), "no 'injecting' line")
    return r


def case_fail():
    """READ and WRITE failures: the callbacks' results, DMA_TRANS_READ/WRITE_FAILED."""
    fails("read:1", MEMCPY, MEMCPY, r"callback of #\d+: result 1 residue \d+, expected NOERROR")
    fails("write:2", MEMCPY, MEMCPY, r"callback of #\d+: result 2 residue \d+, expected NOERROR")
    fails("read:1", "cpu-raid dma?chan0 DMA_XOR xor", "cpu-raid dma?chan0 DMA_XOR xor",
          r"callback of #\d+: result 1 residue \d+, expected NOERROR")


def case_corrupt():
    """Corruption: the copies, fills, 2-D copies and parity are checked; verdicts too."""
    byte = r"byte \d+ is 0x[0-9a-f]+, expected 0x[0-9a-f]+"
    for t in (MEMCPY, "cpu-inorder dma?chan0 DMA_MEMSET memset",
              "cpu-inorder dma?chan0 DMA_MEMCPY_SG memcpy_sg",
              "cpu-inorder dma?chan0 DMA_INTERLEAVE interleave", "cpu-raid dma?chan0 DMA_PQ pq"):
        fails("corrupt:1:offset=100", t, t, byte)
    for t in ("cpu-raid dma?chan0 DMA_XOR_VAL xor_val", "cpu-raid dma?chan0 DMA_PQ_VAL pq_val"):
        fails("corrupt:1", t, t, r"the verdict in the callback was 0x\d, expected 0x\d")


def case_hang():
    """A delay longer than the suite's 10 s time-out: the waits give up, the test fails."""
    r = fails("delay:1:11s", MEMCPY, MEMCPY, r"only \d of \d+ callbacks|returned NULL|timed? ?out")
    r.check(10 <= r.elapsed < 60, "took %.1f s" % r.elapsed)


def case_delays():
    """Short delays are only slowness: the suite passes, in and out of order."""
    for filt in ("cpu-inorder dma?chan0 *", "cpu-ooo dma?chan0 *"):
        r = passes("delay:3:200us", filt)
        r.check(r.has(r"^cpu-dma: conf-cpu-\w+: injecting delays of 200 us into one descriptor in 3 "),
                "no 'injecting delays' line")


def main():
    return casemain.main(globals(), arguments=("suite",))


if __name__ == "__main__":
    sys.exit(main())
