#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_dmatest.py - run the dmatest program and check every line it prints
against golden patterns of the kernel dmatest's log lines.

Usage: test_dmatest.py --dmatest PATH --faulty PATH CASE...   (--list: the cases)

Each case runs dmatest (or dmatest_faulty: dmatest with the broken provider
of faulty_dma.c, registered as dma0 "faulty-dma") with some parameters and
checks its exit status, that each line of its standard output is one the
kernel's module prints (or one the case expects from the library), and what
the lines say.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import casemain  # noqa: E402  (tests/common/casemain.py)

CHAN = r"dma\d+chan\d+"
THREAD = CHAN + r"-(?:copy|set|xor|pq)\d+"

# The kernel dmatest's lines (pr_fmt "dmatest: ").
PATTERNS = {
    "no_channels": re.compile(r"^dmatest: No channels configured, continue with any$"),
    "added": re.compile(r"^dmatest: Added (\d+) threads using (" + CHAN + r")$"),
    "started": re.compile(r"^dmatest: Started (\d+) threads using (" + CHAN + r")$"),
    "summary": re.compile(r"^dmatest: (" + THREAD + r"): summary (\d+) tests, (\d+) failures "
                          r"(\d+)\.(\d\d) iops (\d+) KB/s \((-?\d+)\)$"),
    "result": re.compile(r"^dmatest: (" + THREAD + r"): result #(\d+): '([a-z ]+)' with "
                         r"src_off=0x([0-9a-f]+) dst_off=0x([0-9a-f]+) len=0x([0-9a-f]+) "
                         r"\((-?\d+)\)$"),
    "mismatch": re.compile(r"^dmatest: (" + THREAD + r"): (srcbuf|dstbuf)\[0x([0-9a-f]+)\] "
                           r"(overwritten|not copied|was copied|mismatch)! "
                           r"Expected ([0-9a-f]{2}), got ([0-9a-f]{2})$"),
    "suppressed": re.compile(r"^dmatest: (" + THREAD + r"): (\d+) errors suppressed$"),
    "no_order": re.compile(r"^dmatest: DMA_COMPLETION_NO_ORDER, polled disabled$"),
}

RESULT_ERRORS = {"src mapping error", "dst mapping error", "prep error", "submit error",
                 "test timed out", "completion error status", "completion busy status",
                 "data error", "test passed"}

ARGS = None


class Run:
    """One finished run: status, lines, and the parsed kernel lines."""

    def __init__(self, argv, proc, elapsed):
        self.argv = argv
        self.status = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.elapsed = elapsed
        self.lines = self.out.splitlines()

    def fail(self, why):
        raise AssertionError("%s\n  command: %s\n  status: %s\n--- stdout\n%s--- stderr\n%s"
                             % (why, " ".join(self.argv), self.status, self.out, self.err))

    def check(self, cond, why):
        if not cond:
            self.fail(why)

    def parsed(self, kind):
        return [m for m in (PATTERNS[kind].match(l) for l in self.lines) if m]

    def summaries(self):
        return {m.group(1): m for m in self.parsed("summary")}

    def golden(self, extra=(), json_tail=False):
        """Every line is a kernel line (or matches one of @extra)."""
        lines = self.lines
        if json_tail:
            start = lines.index("{") if "{" in lines else len(lines)
            lines = lines[:start]
        extra = [re.compile(e) for e in extra]
        for line in lines:
            if not any(p.match(line) for p in PATTERNS.values()) and \
               not any(e.match(line) for e in extra):
                self.fail("line matches no golden pattern: %r" % line)
        for m in self.parsed("result"):
            self.check(m.group(3) in RESULT_ERRORS, "unknown result %r" % m.group(3))


def clean_env(env=None):
    """The environment without DMAENGINE_* / FAULTY_DMA_* settings, plus @env."""
    full = dict((k, v) for k, v in os.environ.items()
                if not k.startswith(("DMAENGINE_", "FAULTY_DMA_")))
    # Under TSan, do not sleep a second at exit for the library's idle threads.
    full["TSAN_OPTIONS"] = (full.get("TSAN_OPTIONS", "") + ":atexit_sleep_ms=0").lstrip(":")
    full.update(env or {})
    return full


def run(args, env=None, faulty=False, timeout=240, expect=None):
    exe = ARGS.faulty if faulty else ARGS.dmatest
    full = clean_env(env)
    argv = [exe] + list(args)
    t0 = time.monotonic()
    proc = subprocess.run(argv, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)
    r = Run(argv, proc, time.monotonic() - t0)
    if expect is not None:
        r.check(r.status == expect, "exit status %s, expected %s" % (r.status, expect))
    return r


def check_pass(r, threads, tests):
    """Exit 0; @threads (names) each with a summary of @tests tests, 0 failures, (0)."""
    r.check(r.status == 0, "exit status %s, expected 0" % r.status)
    sums = r.summaries()
    r.check(sorted(sums) == sorted(threads),
            "threads %s, expected %s" % (sorted(sums), sorted(threads)))
    for name, m in sums.items():
        r.check(int(m.group(2)) == tests, "%s ran %s tests, expected %s" % (name, m.group(2), tests))
        r.check(m.group(3) == "0" and m.group(7) == "0", "%s: failures or error" % name)
    r.check(not r.parsed("mismatch") and not r.parsed("suppressed"), "mismatch lines")
    r.check(all(m.group(3) == "test passed" for m in r.parsed("result")), "a failed result")


def check_channel_lines(r, channels, per_chan):
    """Added then Started lines, in channel order, each with @per_chan threads."""
    added = [(int(m.group(1)), m.group(2)) for m in r.parsed("added")]
    started = [(int(m.group(1)), m.group(2)) for m in r.parsed("started")]
    want = [(per_chan, c) for c in channels]
    r.check(added == want, "Added lines %s, expected %s" % (added, want))
    r.check(started == want, "Started lines %s, expected %s" % (started, want))
    last_added = max(i for i, l in enumerate(r.lines) if PATTERNS["added"].match(l))
    first_started = min(i for i, l in enumerate(r.lines) if PATTERNS["started"].match(l))
    r.check(last_added < first_started, "Started before every Added")


def threads_of(chan, ops):
    return ["%s-%s0" % (chan, op) for op in ops]


# ------------------------------------------------------------------ cases

def case_default():
    """No argument: 1000 iterations of copy, xor and pq on each of the 4 channels."""
    r = run([])
    r.golden()
    chans = ["dma0chan%d" % i for i in range(4)]
    check_pass(r, sum((threads_of(c, ["copy", "xor", "pq"]) for c in chans), []), 1000)
    r.check(r.lines[0] == "dmatest: No channels configured, continue with any", "first line")
    check_channel_lines(r, chans, 3)


def case_ops():
    """Each operation: dmatest=0 memcpy, 1 memset (each with xor and pq), 2 xor, 3 pq."""
    for sel, ops in (("0", ["copy", "xor", "pq"]), ("1", ["set", "xor", "pq"]),
                     ("2", ["xor"]), ("3", ["pq"])):
        r = run(["channel=dma0chan1", "iterations=100", "dmatest=" + sel])
        r.golden()
        check_pass(r, threads_of("dma0chan1", ops), 100)
        check_channel_lines(r, ["dma0chan1"], len(ops))
    # Several threads per channel, odd and even source counts, nobounce, the -- form.
    r = run(["--threads_per_chan=2", "--max_channels=1", "iterations=100", "xor_sources=4",
             "pq_sources=6", "--nobounce"])
    r.golden()
    check_pass(r, ["dma0chan0-%s%d" % (op, i) for op in ("copy", "xor", "pq") for i in (0, 1)],
               100)
    # dmatest.name=value, as on the kernel command line; a device filter.
    r = run(["dmatest.iterations=50", "dmatest.device=cpu-dma.0", "max_channels=2"])
    r.golden()
    check_pass(r, sum((threads_of("dma0chan%d" % i, ["copy", "xor", "pq"]) for i in (0, 1)), []),
               50)
    # run=0: the threads are added, nothing starts.
    r = run(["channel=dma0chan0", "run=0"], expect=0)
    r.golden()
    r.check(r.parsed("added") and not r.parsed("started") and not r.parsed("summary"),
            "run=0 started something")


def case_polled():
    """polled=1: dma_sync_wait instead of callbacks; disabled on an out-of-order device."""
    r = run(["polled=1", "iterations=200", "max_channels=2"])
    r.golden()
    check_pass(r, sum((threads_of("dma0chan%d" % i, ["copy", "xor", "pq"]) for i in (0, 1)), []),
               200)
    r = run(["polled=1", "dmatest=1", "threads_per_chan=2", "channel=dma0chan3", "iterations=100"])
    r.golden()
    check_pass(r, ["dma0chan3-%s%d" % (op, i) for op in ("set", "xor", "pq") for i in (0, 1)], 100)
    r = run(["polled=1", "channel=dma0chan0", "iterations=100"],
            env={"DMAENGINE_CPU_ORDER": "any"})
    r.golden()
    check_pass(r, threads_of("dma0chan0", ["copy", "xor", "pq"]), 100)
    r.check(len(r.parsed("no_order")) == 1, "no 'polled disabled' line")


def check_results(r, n, size, align=0, fixed_len=None, offsets_zero=False):
    """verbose=1 results: #1..#n per thread, lengths and offsets within the buffer."""
    by_thread = {}
    for m in r.parsed("result"):
        r.check(m.group(3) == "test passed", "result %r" % m.group(3))
        so, do, ln = int(m.group(4), 16), int(m.group(5), 16), int(m.group(6), 16)
        r.check(1 <= ln and so + ln <= size and do + ln <= size, "region out of the buffer")
        r.check(so % (1 << align) == 0 and do % (1 << align) == 0, "offset not aligned")
        if fixed_len is not None:
            r.check(ln == fixed_len, "len 0x%x, expected 0x%x" % (ln, fixed_len))
        else:
            r.check(ln % (1 << align) == 0, "len not aligned")
        if offsets_zero:
            r.check(so == 0 and do == 0, "offsets not 0")
        r.check(m.group(7) == "0", "data not 0")
        by_thread.setdefault(m.group(1), []).append(int(m.group(2)))
    for name, nums in by_thread.items():
        r.check(nums == list(range(1, n + 1)), "%s: results %s" % (name, nums))
    return by_thread


def case_lengths():
    """norandom, transfer_size, alignment, test_buf_size, noverify, verbose lines."""
    r = run(["channel=dma0chan0", "norandom=1", "verbose=1", "iterations=3"])
    r.golden()
    check_pass(r, threads_of("dma0chan0", ["copy", "xor", "pq"]), 3)
    r.check(len(check_results(r, 3, 16384, fixed_len=0x4000, offsets_zero=True)) == 3, "threads")
    r = run(["channel=dma0chan0", "transfer_size=100", "verbose=1", "iterations=20", "dmatest=1"])
    r.golden()
    check_results(r, 20, 16384, fixed_len=100)
    r = run(["channel=dma0chan0", "alignment=6", "verbose=1", "iterations=40", "test_buf_size=8192"])
    r.golden()
    check_results(r, 40, 8192, align=6)
    r = run(["channel=dma0chan0", "verbose=1", "iterations=60", "test_buf_size=333"])
    r.golden()
    results = check_results(r, 60, 333)
    lens = {int(m.group(6), 16) for m in r.parsed("result")}
    r.check(len(results) == 3 and len(lens) > 10, "lengths not random: %s" % sorted(lens))
    r = run(["channel=dma0chan0", "norandom=1", "transfer_size=4095", "test_buf_size=4096",
             "verbose=1", "iterations=2", "dmatest=2", "alignment=0"])
    r.golden()
    check_results(r, 2, 4096, fixed_len=4095, offsets_zero=True)
    r = run(["channel=dma0chan2", "noverify=1", "verbose=1", "iterations=30"])
    r.golden()
    check_pass(r, threads_of("dma0chan2", ["copy", "xor", "pq"]), 30)
    check_results(r, 30, 16384)
    # The same seed, the same lengths and offsets.
    a = run(["channel=dma0chan0", "dmatest=2", "verbose=1", "iterations=10", "--seed=7"])
    b = run(["channel=dma0chan0", "dmatest=2", "verbose=1", "iterations=10", "--seed=7"])
    key = lambda r: [m.group(2, 4, 5, 6) for m in r.parsed("result")]
    a.check(key(a) == key(b), "--seed=7 twice gave different tests")


BAD = [
    (["foo=1"], r"unknown parameter 'foo'"),
    (["--bar"], r"unknown parameter 'bar'"),
    (["iterations=abc"], r"'abc' invalid for parameter 'iterations'"),
    (["iterations=-1"], r"'-1' invalid for parameter 'iterations'"),
    (["iterations=99999999999"], r"invalid for parameter 'iterations'"),
    (["iterations"], r"'' invalid for parameter 'iterations'"),
    (["timeout=3s"], r"'3s' invalid for parameter 'timeout'"),
    (["noverify=maybe"], r"'maybe' invalid for parameter 'noverify'"),
    (["channel=dma9chan9"], r"channel=dma9chan9: no such channel"),
    (["channel=dma0chan0", "channel=dma0chan0"], r"channel=dma0chan0: channel busy"),
    (["channel=" + "x" * 20], r"channel: string doesn't fit in 19 chars\."),
    (["device=" + "x" * 32], r"device: string doesn't fit in 31 chars\."),
    (["device=nosuchdevice"], r"device=nosuchdevice: no such device"),
    (["channel=dma0chan1", "device=nosuchdevice"], r"channel=dma0chan1: not a channel of"),
    (["transfer_size=16384"], r"16384-byte transfer size must be lower than 16384-buffer size"),
    (["transfer_size=5000", "test_buf_size=4096"], r"5000-byte transfer size must be lower"),
    (["test_buf_size=0"], r"test_buf_size must be at least 1"),
    (["threads_per_chan=0"], r"threads_per_chan must be at least 1"),
    (["dmatest=4"], r"dmatest must be 0 \(memcpy\)"),
    (["xor_sources=1"], r"xor_sources must be at least 2"),
    (["alignment=-2"], r"alignment must be -1"),
    (["alignment=13", "test_buf_size=4096"], r"4096-byte buffer too small for 8192-byte alignment"),
    (["--json="], r"--json=: needs a file name"),
    (["--seed=x"], r"'x' invalid for option '--seed'"),
    (["dmatest=2", "device=faulty-dma"], r"no thread to run"),
    (["--json=/nonexistent-dir/x.json", "iterations=1", "max_channels=1"], r"/nonexistent-dir"),
]


def case_bad_input():
    """Each bad parameter: exit 2 (1 for an unwritable --json file), one line, no crash."""
    for args, why in BAD:
        r = run(args, faulty="device=faulty-dma" in args)
        want = 1 if any(a.startswith("--json=/") for a in args) else 2
        r.check(r.status == want, "exit status %s, expected %s" % (r.status, want))
        errs = r.err.splitlines()
        r.check(len(errs) == 1 and errs[0].startswith("dmatest: ") and re.search(why, errs[0]),
                "standard error is not one line matching %r" % why)
        r.golden()
    r = run([], env={"DMAENGINE_PLATFORM": "none"}, expect=2)
    r.check(r.err == "dmatest: no free DMA channel to test\n", "no channels: %r" % r.err)
    r = run(["--help"], expect=0)
    for name in ("nobounce", "test_buf_size", "device", "channel", "threads_per_chan",
                 "max_channels", "iterations", "dmatest", "xor_sources", "pq_sources", "timeout",
                 "noverify", "norandom", "verbose", "alignment", "transfer_size", "polled",
                 "--json", "--seed"):
        r.check(re.search(r"^  %s[ =]" % re.escape(name), r.out, re.M), "--help lacks " + name)


def json_doc(r):
    r.check("{" in r.lines, "no JSON after the log lines")
    return json.loads("\n".join(r.lines[r.lines.index("{"):]))


def check_json(r, doc, passed):
    sums = r.summaries()
    r.check(len(doc["threads"]) == len(sums) == doc["totals"]["threads"], "thread count")
    for t in doc["threads"]:
        m = sums[t["name"]]
        r.check(t["tests"] == int(m.group(2)) and t["failures"] == int(m.group(3)) and
                "%.2f" % t["iops"] == "%s.%s" % (m.group(4), m.group(5)) and
                t["kbps"] == int(m.group(6)) and t["ret"] == int(m.group(7)),
                "JSON of %s differs from its summary line" % t["name"])
        r.check(t["channel"] == t["name"].rsplit("-", 1)[0], "channel of " + t["name"])
    for key in ("tests", "failures"):
        r.check(doc["totals"][key] == sum(t[key] for t in doc["threads"]), "totals " + key)
    r.check(doc["passed"] is passed, "passed is %s" % doc["passed"])


def case_json():
    """--json: the summary parses and agrees with the summary lines; --json=FILE."""
    r = run(["iterations=30", "max_channels=2", "--json", "--seed=5"], expect=0)
    r.golden(json_tail=True)
    doc = json_doc(r)
    check_json(r, doc, True)
    r.check(doc["seed"] == 5 and doc["params"]["iterations"] == 30 and
            doc["params"]["max_channels"] == 2 and doc["totals"]["channels"] == 2, "params")
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "dmatest-%d.json" % os.getpid())
    try:
        r = run(["iterations=10", "channel=dma0chan1", "--json=" + path], expect=0)
        r.golden()
        with open(path) as f:
            check_json(r, json.load(f), True)
    finally:
        if os.path.exists(path):
            os.unlink(path)
    r = run(["device=faulty-dma", "channel=dma0chan0", "norandom=1", "transfer_size=64",
             "iterations=4", "--json"], env={"FAULTY_DMA_MODE": "short", "FAULTY_DMA_EVERY": "2"},
            faulty=True, expect=1)
    r.golden(json_tail=True)
    doc = json_doc(r)
    check_json(r, doc, False)
    r.check(doc["totals"]["failures"] == 2, "failures in JSON")


def case_iommu():
    """Behind the IOMMU (DMAENGINE_CPU_IOMMU=1): host pointers would fault; all pass."""
    env = {"DMAENGINE_CPU_IOMMU": "1"}
    r = run(["iterations=200"], env=env)
    r.golden()
    check_pass(r, sum((threads_of("dma0chan%d" % i, ["copy", "xor", "pq"]) for i in range(4)), []),
               200)
    r = run(["dmatest=1", "polled=1", "iterations=100", "max_channels=1"], env=env)
    r.golden()
    check_pass(r, threads_of("dma0chan0", ["set", "xor", "pq"]), 100)


def case_dma_debug():
    """Under DMA-API debug: every mapping checked and unmapped, no DMA-API line."""
    env = {"DMAENGINE_DMA_DEBUG": "1"}
    r = run(["iterations=100", "max_channels=2"], env=env)
    r.golden()
    check_pass(r, sum((threads_of("dma0chan%d" % i, ["copy", "xor", "pq"]) for i in (0, 1)), []),
               100)
    r = run(["iterations=50", "dmatest=1", "max_channels=1"],
            env=dict(env, DMAENGINE_CPU_IOMMU="1"))
    r.golden()
    check_pass(r, threads_of("dma0chan0", ["set", "xor", "pq"]), 50)
    # A bounced (non-coherent) device: right only if dmatest unmaps before it verifies.
    r = run(["device=faulty-dma", "iterations=100", "dmatest=1"], faulty=True,
            env=dict(env, FAULTY_DMA_COHERENT="0"))
    r.golden()
    check_pass(r, ["dma0chan0-set0", "dma0chan1-set0"], 100)


def case_interrupt():
    """iterations=0 runs until SIGINT; then every thread prints its summary; exit 0."""
    argv = [ARGS.dmatest, "iterations=0", "max_channels=1"]
    proc = subprocess.Popen(argv, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    out = []
    while True:
        line = proc.stdout.readline()
        if not line:
            break
        out.append(line)
        if line.startswith("dmatest: Started"):
            time.sleep(0.3)
            proc.send_signal(signal.SIGINT)
            break
    rest, err = proc.communicate(timeout=120)
    proc.stdout = "".join(out) + rest
    proc.stderr = err
    r = Run(argv, proc, 0)
    r.golden()
    sums = r.summaries()
    r.check(r.status == 0 and sorted(sums) == sorted(threads_of("dma0chan0", ["copy", "xor", "pq"])),
            "not stopped cleanly")
    r.check(all(int(m.group(2)) > 0 and m.group(3) == "0" for m in sums.values()), "no tests")


def expect_failures(r, thread, tests, failures, results):
    """Exit 1; @thread's summary; its result lines are @results [(n, error, data)]."""
    r.check(r.status == 1, "exit status %s, expected 1" % r.status)
    m = r.summaries().get(thread)
    r.check(m and int(m.group(2)) == tests and int(m.group(3)) == failures and m.group(7) == "0",
            "summary of %s" % thread)
    got = [(int(m.group(2)), m.group(3), int(m.group(7))) for m in r.parsed("result")
           if m.group(1) == thread]
    r.check(got == results, "results %s, expected %s" % (got, results))


def mismatches(r):
    return [m.group(2, 3, 4, 5, 6) for m in r.parsed("mismatch")]


FAULTY = ["device=faulty-dma", "channel=dma0chan0", "norandom=1", "transfer_size=4096"]


def case_faults():
    """A broken provider: each fault gives the kernel's lines and a failing exit."""
    T = "dma0chan0-copy0"
    # A correct run of the test provider first.
    r = run(FAULTY + ["iterations=5"], faulty=True, expect=0)
    r.golden()
    check_pass(r, [T], 5)
    # The last byte not written: one "not copied!" a test; expected c0 (SRC|COPY|~0xfff).
    r = run(FAULTY + ["iterations=2"], faulty=True, env={"FAULTY_DMA_MODE": "short"})
    r.golden()
    expect_failures(r, T, 2, 2, [(1, "data error", 1), (2, "data error", 1)])
    r.check(mismatches(r) == [("dstbuf", "fff", "not copied", "c0", "20")] * 2, "mismatch lines")
    # Nothing written: the first 32 lines, then the count of the others.
    r = run(FAULTY + ["iterations=1"], faulty=True, env={"FAULTY_DMA_MODE": "nothing"})
    r.golden()
    expect_failures(r, T, 1, 1, [(1, "data error", 4096)])
    mm = mismatches(r)
    r.check(len(mm) == 32 and all(x[2] == "not copied" for x in mm) and
            [int(x[1], 16) for x in mm] == list(range(32)), "32 not-copied lines")
    r.check([m.group(2) for m in r.parsed("suppressed")] == ["4064"], "errors suppressed")
    # A write past the region: "was copied!" (bit 7 where it must be clear).
    r = run(FAULTY + ["iterations=1"], faulty=True, env={"FAULTY_DMA_MODE": "overrun"})
    r.golden()
    expect_failures(r, T, 1, 1, [(1, "data error", 1)])
    r.check(mismatches(r) == [("dstbuf", "1000", "was copied", "1f", "9f")], "was copied")
    # A flipped bit in the region: "mismatch!".
    r = run(FAULTY + ["iterations=1"], faulty=True, env={"FAULTY_DMA_MODE": "flip"})
    r.golden()
    expect_failures(r, T, 1, 1, [(1, "data error", 1)])
    r.check(mismatches(r) == [("dstbuf", "0", "mismatch", "df", "de")], "mismatch")
    # The source written: "srcbuf ... overwritten!".
    r = run(FAULTY + ["iterations=1"], faulty=True, env={"FAULTY_DMA_MODE": "srcwrite"})
    r.golden()
    expect_failures(r, T, 1, 1, [(1, "data error", 1)])
    r.check(mismatches(r) == [("srcbuf", "0", "overwritten", "df", "5f")], "overwritten")
    # Every third descriptor only: tests 3 and 6 fail, the others pass.
    r = run(FAULTY + ["iterations=6"], faulty=True,
            env={"FAULTY_DMA_MODE": "short", "FAULTY_DMA_EVERY": "3"})
    r.golden()
    expect_failures(r, T, 6, 2, [(3, "data error", 1), (6, "data error", 1)])
    # memset: the pattern's index is 1 everywhere: expected de, got 3e.
    r = run(FAULTY + ["iterations=1", "dmatest=1"], faulty=True, env={"FAULTY_DMA_MODE": "short"})
    r.golden()
    expect_failures(r, "dma0chan0-set0", 1, 1, [(1, "data error", 1)])
    r.check(mismatches(r) == [("dstbuf", "fff", "not copied", "de", "3e")], "memset mismatch")
    # A failed transfer: the callback's WRITE_FAILED (2); polled, DMA_ERROR (0).
    r = run(FAULTY + ["iterations=2"], faulty=True, env={"FAULTY_DMA_MODE": "error"})
    r.golden()
    expect_failures(r, T, 2, 2, [(1, "completion error status", 2),
                                 (2, "completion error status", 2)])
    r = run(FAULTY + ["iterations=2", "polled=1"], faulty=True, env={"FAULTY_DMA_MODE": "error"})
    r.golden()
    expect_failures(r, T, 2, 2, [(1, "completion error status", 0),
                                 (2, "completion error status", 0)])
    # Failures on one channel do not fail the other.
    r = run(["device=faulty-dma", "iterations=4"], faulty=True,
            env={"FAULTY_DMA_MODE": "flip", "FAULTY_DMA_EVERY": "2"})
    r.golden()
    sums = r.summaries()
    r.check(r.status == 1 and sorted(sums) == ["dma0chan0-copy0", "dma0chan1-copy0"] and
            all(m.group(2, 3) == ("4", "2") for m in sums.values()), "two channels, 2 failures each")


def case_timeout():
    """A transfer that never completes: "test timed out" after timeout= ms, then the next."""
    T = "dma0chan0-copy0"
    r = run(FAULTY + ["iterations=3", "timeout=200"], faulty=True,
            env={"FAULTY_DMA_MODE": "hang", "FAULTY_DMA_EVERY": "2"})
    r.golden()
    expect_failures(r, T, 3, 1, [(2, "test timed out", 0)])
    r.check(r.elapsed >= 0.2, "did not wait for the timeout")
    # Polled: dma_sync_wait gives up after 5 s with its own line.
    r = run(FAULTY + ["iterations=1", "polled=1"], faulty=True, env={"FAULTY_DMA_MODE": "hang"})
    r.golden(extra=[r"^dma0chan0: timeout!$"])
    expect_failures(r, T, 1, 1, [(1, "test timed out", 0)])
    r.check("dma0chan0: timeout!" in r.lines, "no dma_sync_wait time-out line")


# Fault injection in the cpu provider (DMAENGINE_CPU_FAULT, dmaengine/cpu.h). The
# library's lines go where dmatest's go (as in the kernel log): the provider's
# one line saying what it injects comes first.
INJECTING = (r"^cpu-dma: cpu-dma\.0: injecting [a-z0-9 ]+ into [a-z0-9 ]+ on every channel, "
             r"no limit$")


def injected(r, what):
    """The cpu provider's first line says that it injects @what."""
    r.golden(extra=[INJECTING])
    r.check(re.match(r"cpu-dma: cpu-dma\.0: injecting %s( of \d+ us)? into " % what, r.lines[0]),
            "first line is not 'injecting %s'" % what)
    r.check(len([l for l in r.lines if l.startswith("cpu-dma:")]) == 1, "several cpu-dma lines")


def case_inject_fail():
    """DMAENGINE_CPU_FAULT=read/write: 'completion error status', a failing summary, exit 1."""
    r = run(["channel=dma0chan0", "dmatest=2", "norandom=1", "iterations=6"],
            env={"DMAENGINE_CPU_FAULT": "read:3"})
    injected(r, "read failures")
    # (1): DMA_TRANS_READ_FAILED, as the callback got it.
    expect_failures(r, "dma0chan0-xor0", 6, 2, [(3, "completion error status", 1),
                                                (6, "completion error status", 1)])
    # Polled: dma_sync_wait's DMA_ERROR, (0).
    r = run(["channel=dma0chan1", "dmatest=3", "polled=1", "iterations=4"],
            env={"DMAENGINE_CPU_FAULT": "write:2"})
    injected(r, "write failures")
    expect_failures(r, "dma0chan1-pq0", 4, 2, [(2, "completion error status", 0),
                                               (4, "completion error status", 0)])
    # Every 7th of the device, whichever thread: copy, xor and pq share the count.
    r = run(["channel=dma0chan0", "iterations=20"], env={"DMAENGINE_CPU_FAULT": "read:7"},
            expect=1)
    injected(r, "read failures")
    sums = r.summaries()
    r.check(sorted(sums) == sorted(threads_of("dma0chan0", ["copy", "xor", "pq"])) and
            all(m.group(2) == "20" and m.group(7) == "0" for m in sums.values()), "summaries")
    r.check(sum(int(m.group(3)) for m in sums.values()) == 60 // 7, "failures in total")
    res = r.parsed("result")
    r.check(len(res) == 60 // 7 and
            all(m.group(3, 7) == ("completion error status", "1") for m in res), "result lines")
    # count=1: one failure, then the channel works on.
    r = run(["channel=dma0chan0", "dmatest=2", "iterations=5"],
            env={"DMAENGINE_CPU_FAULT": "write:1:count=1"})
    r.golden(extra=[r"^cpu-dma: cpu-dma\.0: injecting write failures into every descriptor "
                    r"on every channel, at most 1$"])
    expect_failures(r, "dma0chan0-xor0", 5, 1, [(1, "completion error status", 2)])
    # A malformed value: one warning line, no fault.
    r = run(["channel=dma0chan0", "iterations=10"], env={"DMAENGINE_CPU_FAULT": "read:0"})
    r.golden(extra=[r"^cpu-dma: ignoring DMAENGINE_CPU_FAULT=read:0 \(every_nth must be .*\)$"])
    check_pass(r, threads_of("dma0chan0", ["copy", "xor", "pq"]), 10)
    r.check(r.lines[0].startswith("cpu-dma: ignoring") and
            not any(l.startswith("cpu-dma:") for l in r.lines[1:]), "one warning line")


def case_inject_corrupt():
    """DMAENGINE_CPU_FAULT=corrupt: the transfer succeeds, verification finds the byte."""
    # Offset 0, every bit flipped: the first byte of the region, c0|1f -> 20.
    r = run(["channel=dma0chan0", "dmatest=2", "norandom=1", "iterations=4"],
            env={"DMAENGINE_CPU_FAULT": "corrupt:2"})
    injected(r, "corruption")
    expect_failures(r, "dma0chan0-xor0", 4, 2, [(2, "data error", 1), (4, "data error", 1)])
    r.check(mismatches(r) == [("dstbuf", "0", "not copied", "df", "20")] * 2, "mismatch lines")
    # Byte 5, bit 6 (PATTERN_COPY) only: "not copied!" da -> 9a, in copy, xor and pq (P).
    r = run(["channel=dma0chan0", "norandom=1", "iterations=2"],
            env={"DMAENGINE_CPU_FAULT": "corrupt:1:offset=5:mask=0x40"})
    injected(r, "corruption")
    sums = r.summaries()
    r.check(r.status == 1 and len(sums) == 3 and
            all(m.group(2, 3) == ("2", "2") for m in sums.values()), "every test failed")
    r.check(all(m.group(3) == "data error" and m.group(7) == "1" for m in r.parsed("result")),
            "data errors of one byte")
    r.check(mismatches(r) == [("dstbuf", "5", "not copied", "da", "9a")] * 6, "mismatch lines")
    # memset: the one value de (index bits of 1), flipped to 21.
    r = run(["channel=dma0chan1", "dmatest=1", "norandom=1", "iterations=1"],
            env={"DMAENGINE_CPU_FAULT": "corrupt"})
    injected(r, "corruption")
    expect_failures(r, "dma0chan1-set0", 1, 1, [(1, "data error", 1)])
    r.check(("dstbuf", "0", "not copied", "de", "21") in mismatches(r), "memset mismatch")
    # Random lengths and offsets: each third test, the first byte of its region.
    r = run(["channel=dma0chan2", "iterations=30"], env={"DMAENGINE_CPU_FAULT": "corrupt:3"},
            expect=1)
    injected(r, "corruption")
    sums = r.summaries()
    r.check(sum(int(m.group(3)) for m in sums.values()) == 30, "30 failures of 90 tests")
    last = {}
    for line in r.lines:
        mm, res = PATTERNS["mismatch"].match(line), PATTERNS["result"].match(line)
        if mm:
            r.check(mm.group(1) not in last and mm.group(2, 4) == ("dstbuf", "not copied"),
                    "one 'not copied' line a test: %r" % line)
            last[mm.group(1)] = int(mm.group(3), 16)
        elif res:
            r.check(res.group(3, 7) == ("data error", "1") and
                    last.pop(res.group(1), None) == int(res.group(5), 16),
                    "the corrupted byte is not the first of the region: %r" % line)


def case_inject_delay():
    """DMAENGINE_CPU_FAULT=delay: past timeout=, 'test timed out'; below it, all pass."""
    r = run(["channel=dma0chan0", "dmatest=2", "iterations=3", "timeout=100"],
            env={"DMAENGINE_CPU_FAULT": "delay:2:2s"})
    injected(r, "delays")
    expect_failures(r, "dma0chan0-xor0", 3, 1, [(2, "test timed out", 0)])
    # Terminated after 100 ms: nothing waits for the rest of the 2 s.
    r.check(0.1 <= r.elapsed < 2.0, "took %.2f s" % r.elapsed)
    r = run(["channel=dma0chan0", "dmatest=2", "iterations=4", "timeout=3000"],
            env={"DMAENGINE_CPU_FAULT": "delay:1:40ms"})
    injected(r, "delays")
    check_pass(r, ["dma0chan0-xor0"], 4)
    r.check(r.elapsed >= 0.16, "4 tests delayed 40 ms each took %.2f s" % r.elapsed)


# The board's drivers at probe (the kernel's dev_info of stm32-dma.c).
BOARD_LINES = (r"^stm32-dma [0-9a-f]+\.dma-controller: STM32 DMA driver registered$",)


def case_board():
    """board=stm32mp151: the memcpy channels of both STM32 DMA controllers, every
    check of the kernel's dmatest (patterns, lengths and offsets at the device's
    32-byte alignment, polled); a bad board= is exit 2."""
    chans = ["dma%dchan%d" % (d, i) for d in (0, 1) for i in range(8)]
    # timeout= is host time: 16 streams on a sanitized build under load are slow.
    r = run(["board=stm32mp151", "iterations=20", "verbose=1", "timeout=60000"])
    r.golden(BOARD_LINES)
    check_pass(r, ["%s-copy0" % c for c in chans], 20)
    check_results(r, 20, 16384, align=5)
    r = run(["--board=stm32mp151", "polled=1", "channel=dma1chan3", "iterations=20",
             "test_buf_size=70000", "timeout=60000"])
    r.golden(BOARD_LINES)
    check_pass(r, ["dma1chan3-copy0"], 20)
    r = run(["board=nosuchboard"], expect=2)
    r.check(r.out == "" and "no board 'nosuchboard'" in r.err, "bad board=")


def main():
    return casemain.main(globals(), options=("--dmatest", "--faulty"))


if __name__ == "__main__":
    sys.exit(main())
