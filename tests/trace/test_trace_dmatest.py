#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_trace_dmatest.py - the trace files of dmatest runs: trace=FILE and
DMAENGINE_TRACE=FILE (completed at exit), checked as Chrome trace-event JSON
and against the life of every descriptor.

Usage: test_trace_dmatest.py --dmatest PATH CASE...   (--list: the cases)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import casemain  # noqa: E402  (tests/common/casemain.py)

ARGS = None
PHASES = set("iXbeM")


def clean_env(env=None):
    """The environment without DMAENGINE_* settings, plus @env."""
    full = dict((k, v) for k, v in os.environ.items() if not k.startswith("DMAENGINE_"))
    full["TSAN_OPTIONS"] = (full.get("TSAN_OPTIONS", "") + ":atexit_sleep_ms=0").lstrip(":")
    full.update(env or {})
    return full


def dmatest(args, env=None, expect=0):
    argv = [ARGS.dmatest] + list(args)
    proc = subprocess.run(argv, env=clean_env(env), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=240)
    if proc.returncode != expect:
        raise AssertionError("%s: exit status %d, expected %d\n--- stdout\n%s--- stderr\n%s"
                             % (" ".join(argv), proc.returncode, expect, proc.stdout,
                                proc.stderr))
    return proc


def check(cond, why):
    if not cond:
        raise AssertionError(why)


def check_event(e):
    """What the Trace Event Format asks of each event this library writes."""
    check(isinstance(e, dict), "event is not an object: %r" % e)
    check(e.get("ph") in PHASES, "unknown phase: %r" % e)
    check(isinstance(e.get("name"), str) and isinstance(e.get("pid"), int), "no name/pid: %r" % e)
    if e["ph"] == "M":
        check(e["name"] in ("process_name", "process_sort_index", "thread_name",
                            "thread_sort_index"), "unknown metadata: %r" % e)
        return
    check(isinstance(e.get("ts"), (int, float)) and e["ts"] > 0, "bad ts: %r" % e)
    check(isinstance(e.get("tid"), int), "no tid: %r" % e)
    if e["ph"] == "i":
        check(e.get("s") in ("t", "p", "g"), "instant without scope: %r" % e)
    if e["ph"] == "X":
        check(isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0, "bad dur: %r" % e)
    if e["ph"] in "be":
        check(isinstance(e.get("id2", {}).get("local"), str), "async without id: %r" % e)


def load(path):
    """The trace: valid JSON, {"traceEvents": [...], "otherData": {...}}, every event valid."""
    with open(path) as f:
        doc = json.load(f)
    check(isinstance(doc.get("traceEvents"), list), "no traceEvents array")
    check(isinstance(doc.get("otherData"), dict), "no otherData")
    for e in doc["traceEvents"]:
        check_event(e)
    check(doc["otherData"]["dropped_events"] == 0, "events dropped: %r" % doc["otherData"])
    return doc


def names(doc):
    """{pid: process name}, {tid: thread name}."""
    procs, threads = {}, {}
    for e in doc["traceEvents"]:
        if e["ph"] == "M" and e["name"] == "process_name":
            procs[e["pid"]] = e["args"]["name"]
        if e["ph"] == "M" and e["name"] == "thread_name":
            threads[e["tid"]] = e["args"]["name"]
    return procs, threads


def channel(doc, tid):
    """The events of one channel's track, in time order."""
    return sorted((e for e in doc["traceEvents"] if e.get("tid") == tid and e["ph"] in "iX"),
                  key=lambda e: e["ts"])


def check_lives(doc, tid, callbacks):
    """Every submitted descriptor of the channel: prep <= submit <= start <= complete
    (<= callback when @callbacks), an issue before its start, its async slice from
    submit to complete. Returns the number of descriptors."""
    evs = channel(doc, tid)
    asyncs = [e for e in doc["traceEvents"] if e["ph"] in "be" and e["tid"] == tid]
    submits = [e for e in evs if e["name"] == "submit"]
    for s in submits:
        c, desc = s["args"]["cookie"], s["args"]["desc"]
        preps = [e for e in evs if e["name"] == "prep" and e["args"].get("desc") == desc
                 and e["ts"] <= s["ts"]]
        check(preps, "cookie %d: no prep" % c)
        start = [e for e in evs if e["name"] == "start" and e["args"]["cookie"] == c]
        comp = [e for e in evs if e["name"] == "complete" and e["args"]["cookie"] == c]
        check(len(start) == 1 and len(comp) == 1, "cookie %d: start %r complete %r"
              % (c, start, comp))
        start, comp = start[0], comp[0]
        check(comp["args"]["result"] == "noerror", "cookie %d: %r" % (c, comp))
        check(s["ts"] <= start["ts"] <= comp["ts"], "cookie %d: out of order" % c)
        check(any(e["name"] == "issue" and e["ts"] <= start["ts"] for e in evs),
              "cookie %d: started before any issue" % c)
        cbs = [e for e in evs if e["name"] == "callback" and e["args"]["desc"] == desc
               and e["ts"] >= comp["ts"]]
        if callbacks:
            check(cbs, "cookie %d: no callback after its completion" % c)
        check(any(a["ph"] == "b" and a["ts"] == s["ts"] and a["id2"]["local"] == desc
                  for a in asyncs), "cookie %d: no async begin" % c)
        check(any(a["ph"] == "e" and a["ts"] == comp["ts"] and a["id2"]["local"] == desc
                  for a in asyncs), "cookie %d: no async end" % c)
    cookies = [s["args"]["cookie"] for s in submits]
    check(len(set(cookies)) == len(cookies), "a cookie submitted twice")
    return len(submits)


def summaries(out):
    """{thread: tests} from the summary lines."""
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^dmatest: (\S+): summary (\d+) tests, 0 failures", out, re.M)}


def trace_file(name):
    return os.path.join(tempfile.gettempdir(), "dmae-trace-%d-%s.json" % (os.getpid(), name))


def case_param():
    """trace=FILE: each test of each thread is a descriptor with its whole life; names."""
    path = trace_file("param")
    proc = dmatest(["trace=" + path, "channel=dma0chan1", "iterations=25"])
    tests = sum(summaries(proc.stdout).values())
    check(tests == 75, "expected 3 threads of 25 tests: %r" % proc.stdout)
    doc = load(path)
    procs, threads = names(doc)
    check(procs == {1: "cpu-dma.0"}, "process names %r" % procs)
    check(threads == {1001: "dma0chan1"}, "thread names %r" % threads)
    check(check_lives(doc, 1001, True) == tests, "not one descriptor per test")
    evs = channel(doc, 1001)
    check(sum(e["name"] == "callback" for e in evs) == tests, "not one callback per test")
    check(any(e["name"] == "terminate" for e in evs), "no terminate at the end")
    check(doc["otherData"]["events"] >= 6 * tests, "counts: %r" % doc["otherData"])
    os.unlink(path)


def case_env():
    """DMAENGINE_TRACE=FILE: traced from load; the file is complete at exit; every channel."""
    path = trace_file("env")
    proc = dmatest(["iterations=10"], env={"DMAENGINE_TRACE": path})
    doc = load(path)
    procs, threads = names(doc)
    check(procs == {1: "cpu-dma.0"}, "process names %r" % procs)
    check(sorted(threads.values()) == ["dma0chan%d" % i for i in range(4)],
          "thread names %r" % threads)
    total = sum(check_lives(doc, tid, True) for tid in threads)
    check(total == sum(summaries(proc.stdout).values()), "not one descriptor per test")
    os.unlink(path)


def case_polled():
    """polled=1: no callbacks; each descriptor still prepped, submitted, started, completed."""
    path = trace_file("polled")
    proc = dmatest(["trace=" + path, "channel=dma0chan0", "iterations=20", "polled=1"])
    doc = load(path)
    n = check_lives(doc, 1000, False)
    check(n == sum(summaries(proc.stdout).values()), "not one descriptor per test")
    check(not any(e["name"] == "callback" for e in channel(doc, 1000)), "a callback in polled mode")
    os.unlink(path)


def case_bad_input():
    """trace= without a file, an unwritable file, trace= with DMAENGINE_TRACE: exit 2, one line."""
    r = dmatest(["trace="], expect=2)
    check("trace=: needs a file name" in r.stderr, r.stderr)
    r = dmatest(["trace=/nonexistent-dir/t.json"], expect=2)
    check("trace=/nonexistent-dir/t.json: No such file or directory" in r.stderr, r.stderr)
    path, path2 = trace_file("bad1"), trace_file("bad2")
    r = dmatest(["trace=" + path2, "iterations=1"], env={"DMAENGINE_TRACE": path}, expect=2)
    check("tracing is on already (DMAENGINE_TRACE)" in r.stderr, r.stderr)
    check(not os.path.exists(path2), "trace= file written anyway")
    load(path)  # the environment's file is still complete
    os.unlink(path)


def main():
    return casemain.main(globals(), options=("--dmatest",))


if __name__ == "__main__":
    sys.exit(main())
