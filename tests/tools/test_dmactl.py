#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_dmactl.py - run the dmactl program and check what it prints against
golden patterns of the kernel's formats: the debugfs dmaengine/summary
("dma%d (%s): number of channels: %u", " %-13s| %s", " (via router: %s)",
a blank line between devices), the sysfs channel attributes ("%lu\\n",
"%d\\n"), and dmactl's own list layout (docs/dmactl.md) and JSON.

Usage: test_dmactl.py --dmactl PATH --slave PATH CASE...   (--list: the cases)

--slave is dmactl_slave: dmactl with the slave DMA controller of slave_dma.c
registered as dma0 "48000000.dma-controller" ahead of the default platform.
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import casemain  # noqa: E402  (tests/common/casemain.py)

CHAN = r"dma\d+chan\d+"

# The debugfs summary (drivers/dma/dmaengine.c dmaengine_summary_show).
SUM_DEVICE = re.compile(r"^dma(\d+) \((.+)\): number of channels: (\d+)$")
SUM_CHAN = re.compile(r"^ (" + CHAN + r") *\| (.+?)(?: \(via router: (.+)\))?$")

# dmactl list: the lines of one device.
LIST_KEYS = ("driver", "capabilities", "max_xor", "max_pq", "copy_align", "xor_align",
             "pq_align", "fill_align", "descriptor_reuse", "residue_granularity",
             "metadata_modes", "dma_mask", "coherent_dma_mask", "max_segment_size",
             "segment_boundary_mask", "dma_coherent", "iommu", "slave_caps")
SLAVE_KEYS = ("directions", "src_addr_widths", "dst_addr_widths", "min_burst", "max_burst",
              "max_sg_burst", "cmd_pause", "cmd_resume", "cmd_terminate",
              "residue_granularity", "descriptor_reuse")
LIST_KEY = re.compile(r"^  (" + "|".join(LIST_KEYS) + r"):(?: (.*))?$")
SLAVE_KEY = re.compile(r"^    (" + "|".join(SLAVE_KEYS) + r"): (.+)$")
TABLE_HEAD = "  channel       memcpy_count bytes_transferred in_use  client"
TABLE_ROW = re.compile(r"^  (" + CHAN + r") +(\d+) +(\d+) +(\d+)  (.+?)"
                       r"(?: \(via router: (.+)\))?$")

CPU_CAPS = ["DMA_MEMCPY", "DMA_MEMCPY_SG", "DMA_XOR", "DMA_PQ", "DMA_XOR_VAL", "DMA_PQ_VAL",
            "DMA_MEMSET", "DMA_MEMSET_SG", "DMA_INTERRUPT", "DMA_ASYNC_TX", "DMA_INTERLEAVE",
            "DMA_REPEAT", "DMA_LOAD_EOT"]

ARGS = None


class Run:
    """One finished run: status, output, lines."""

    def __init__(self, argv, proc, env):
        self.argv = argv
        self.env = env
        self.status = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.lines = self.out.splitlines()

    def fail(self, why):
        raise AssertionError("%s\n  command: %s %s\n  status: %s\n--- stdout\n%s--- stderr\n%s"
                             % (why, " ".join("%s=%s" % kv for kv in self.env.items()),
                                " ".join(self.argv), self.status, self.out, self.err))

    def check(self, cond, why):
        if not cond:
            self.fail(why)


def clean_env(env=None):
    """The environment without DMAENGINE_* settings, plus @env."""
    full = dict((k, v) for k, v in os.environ.items() if not k.startswith("DMAENGINE_"))
    # Under TSan, do not sleep a second at exit for the library's idle threads.
    full["TSAN_OPTIONS"] = (full.get("TSAN_OPTIONS", "") + ":atexit_sleep_ms=0").lstrip(":")
    full.update(env or {})
    return full


def run(args, env=None, slave=False, expect=0, quiet=True):
    """Run dmactl (or dmactl_slave); check the exit status and, with @quiet, no stderr."""
    argv = [ARGS.slave if slave else ARGS.dmactl] + list(args)
    proc = subprocess.run(argv, env=clean_env(env), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    r = Run(argv, proc, env or {})
    if expect is not None:
        r.check(r.status == expect, "exit status %s, expected %s" % (r.status, expect))
    if quiet:
        r.check(r.err == "", "something on standard error")
    return r


# ------------------------------------------------------------------ parsers

def parse_summary(r):
    """The summary as [(dev_id, name, nchan, [(chan, client, router)])], checking
    every line's exact format and the blank lines between devices."""
    devs = []
    expect_device = True
    for i, line in enumerate(r.lines):
        if line == "":
            r.check(devs and i + 1 < len(r.lines), "blank line not between two devices")
            expect_device = True
            continue
        m = SUM_DEVICE.match(line)
        if m:
            r.check(expect_device, "device line without a blank line before it: %r" % line)
            devs.append((int(m.group(1)), m.group(2), int(m.group(3)), []))
            expect_device = False
            continue
        m = SUM_CHAN.match(line)
        r.check(m and devs and not expect_device, "not a summary line: %r" % line)
        chan, client, router = m.groups()
        exact = " %-13s| %s" % (chan, client) + (" (via router: %s)" % router if router else "")
        r.check(line == exact, "summary line %r, expected %r" % (line, exact))
        devs[-1][3].append((chan, client, router))
    r.check(r.out == "" or r.out.endswith("\n"), "summary does not end with a newline")
    return devs


def parse_list(r):
    """dmactl list text as a list of devices: {id, name, nchan, keys, slave, chans},
    checking that every line is one of the layout's and in its place."""
    devs, dev, where = [], None, "device"
    for line in r.lines:
        if line == "":
            r.check(dev is not None and dev["chans"] is not None, "blank line inside a device")
            where = "device"
            continue
        m = SUM_DEVICE.match(line)
        if m:
            r.check(where == "device", "device line in the middle of a device: %r" % line)
            dev = {"id": int(m.group(1)), "name": m.group(2), "nchan": int(m.group(3)),
                   "keys": {}, "slave": None, "chans": None}
            devs.append(dev)
            where = "keys"
            continue
        r.check(dev is not None, "line before the first device: %r" % line)
        m = LIST_KEY.match(line)
        if m and where == "keys":
            r.check(m.group(1) not in dev["keys"], "key twice: %r" % line)
            dev["keys"][m.group(1)] = m.group(2)
            if m.group(1) == "slave_caps" and m.group(2) is None:
                dev["slave"] = {}
                where = "slave"
            continue
        m = SLAVE_KEY.match(line)
        if m and where == "slave":
            dev["slave"][m.group(1)] = m.group(2)
            continue
        if line == TABLE_HEAD and where in ("keys", "slave"):
            r.check(list(dev["keys"]) == list(LIST_KEYS), "keys %s" % list(dev["keys"]))
            if dev["slave"] is not None:
                r.check(list(dev["slave"]) == list(SLAVE_KEYS), "slave keys %s" % dev["slave"])
            dev["chans"] = []
            where = "chans"
            continue
        m = TABLE_ROW.match(line)
        r.check(m and where == "chans", "not a list line here: %r" % line)
        dev["chans"].append({"name": m.group(1), "memcpy_count": int(m.group(2)),
                             "bytes_transferred": int(m.group(3)), "in_use": int(m.group(4)),
                             "client": m.group(5), "router": m.group(6)})
    for d in devs:
        r.check(d["chans"] is not None, "device without a channel table")
        r.check(len(d["chans"]) == d["nchan"], "%d channel rows, header says %d"
                % (len(d["chans"]), d["nchan"]))
        r.check([c["name"] for c in d["chans"]] ==
                ["dma%dchan%d" % (d["id"], i) for i in range(d["nchan"])], "channel names")
    return devs


def attr(args, chan, name, env=None, slave=False):
    r = run(args + ["attr", chan, name], env=env, slave=slave)
    r.check(re.match(r"^-?\d+\n$", r.out), "attribute %s is not a number and a newline" % name)
    return int(r.out)


def cpu_keys(r, d, channels=4):
    """The default cpu device as list shows it."""
    k = d["keys"]
    r.check(d["name"].startswith("cpu-dma.") and d["nchan"] == channels, "cpu device header")
    r.check(k["driver"] == "cpu-dma", "driver %r" % k["driver"])
    r.check(k["max_xor"] == "64" and k["max_pq"] == "64 (DMA_HAS_PQ_CONTINUE)", "max_xor/max_pq")
    for a in ("copy_align", "xor_align", "pq_align", "fill_align"):
        r.check(k[a] == "1 byte", "%s %r" % (a, k[a]))
    r.check(k["descriptor_reuse"] == "yes", "descriptor_reuse")
    r.check(k["residue_granularity"] == "DMA_RESIDUE_GRANULARITY_BURST", "residue")
    r.check(k["metadata_modes"] == "none", "metadata")
    r.check(k["dma_mask"] == "0xffffffffffffffff", "dma_mask")
    r.check(k["max_segment_size"].isdigit(), "max_segment_size")
    r.check(k["slave_caps"] == "n/a (memory to memory)" and d["slave"] is None, "slave caps")


# ------------------------------------------------------------------ cases

def case_list():
    """The default platform: one cpu device, its capabilities, idle channels; the
    variables that configure it; a device chosen by name; no device at all."""
    r = run([])
    devs = parse_list(r)
    r.check(len(devs) == 1 and devs[0]["id"] == 0 and devs[0]["name"] == "cpu-dma.0", "devices")
    cpu_keys(r, devs[0])
    r.check(devs[0]["keys"]["capabilities"] == " ".join(CPU_CAPS),
            "capabilities %r" % devs[0]["keys"]["capabilities"])
    r.check(devs[0]["keys"]["dma_coherent"] == "yes" and devs[0]["keys"]["iommu"] == "no", "iommu")
    for c in devs[0]["chans"]:
        r.check((c["memcpy_count"], c["bytes_transferred"], c["in_use"], c["client"], c["router"])
                == (0, 0, 0, "-", None), "idle channel %s" % c)
    r.check(run(["list"]).out == r.out, "list differs from the default command")
    r.check(run(["list", "dma0"]).out == r.out and run(["list", "cpu-dma.0"]).out == r.out,
            "list DEVICE differs")
    # The platform's variables.
    r = run([], env={"DMAENGINE_CPU_CHANNELS": "2", "DMAENGINE_CPU_ORDER": "any",
                     "DMAENGINE_CPU_IOMMU": "1"})
    d = parse_list(r)[0]
    cpu_keys(r, d, channels=2)
    caps = d["keys"]["capabilities"].split()
    r.check("DMA_COMPLETION_NO_ORDER" in caps and "DMA_REPEAT" not in caps, "out-of-order caps")
    r.check(d["keys"]["iommu"] == "yes", "DMAENGINE_CPU_IOMMU=1 not shown")
    r = run([], env={"DMAENGINE_CPU_CHANNELS": "12"})
    r.check([c["name"] for c in parse_list(r)[0]["chans"]][-1] == "dma0chan11", "12 channels")
    # No device: nothing on standard output, one line on standard error, success.
    r = run([], env={"DMAENGINE_PLATFORM": "none"}, quiet=False)
    r.check(r.out == "" and r.err == "dmactl: no DMA device registered\n", "empty platform")


def case_summary():
    """The debugfs summary: the header alone while nothing is held; one line per
    held channel, " %-13s| %s"; exactly what the library's dmaengine_summary() gives."""
    r = run(["summary"])
    r.check(r.out == "dma0 (cpu-dma.0): number of channels: 4\n", "idle summary %r" % r.out)
    r = run(["--demo", "summary"])
    devs = parse_summary(r)
    r.check(devs == [(0, "cpu-dma.0", 4, [("dma0chan%d" % i, "in-use", None) for i in range(4)])],
            "summary %s" % devs)
    r.check(r.lines[1] == " dma0chan0    | in-use", "line %r" % r.lines[1])
    r = run(["--demo=2", "--copies=1", "summary"], env={"DMAENGINE_CPU_CHANNELS": "12"})
    r.check(r.out == "dma0 (cpu-dma.0): number of channels: 12\n"
            " dma0chan0    | in-use\n dma0chan1    | in-use\n", "--demo=2 summary %r" % r.out)
    # Thirteen characters of name: the column still holds.
    r = run(["--demo", "--copies=0", "summary"], env={"DMAENGINE_CPU_CHANNELS": "12"})
    r.check(" dma0chan11   | in-use" in r.lines, "dma0chan11 line")
    parse_summary(r)
    r = run(["summary"], env={"DMAENGINE_PLATFORM": "none"})
    r.check(r.out == "", "summary of nothing %r" % r.out)


def case_attr():
    """Each attribute reads as the kernel's file: a number and a newline."""
    for name in ("memcpy_count", "bytes_transferred", "in_use"):
        r = run(["attr", "dma0chan0", name])
        r.check(r.out == "0\n", "%s reads %r" % (name, r.out))
    r = run(["attr", "dma0chan3"])
    r.check(r.out == "memcpy_count: 0\nbytes_transferred: 0\nin_use: 0\n", "all three %r" % r.out)
    demo = ["--demo=2", "--copies=5", "--size=1000"]
    r.check(attr(demo, "dma0chan0", "memcpy_count") == 5, "memcpy_count after 5 copies")
    r.check(attr(demo, "dma0chan1", "bytes_transferred") == 5000, "bytes after 5 copies")
    r.check(attr(demo, "dma0chan1", "in_use") == 1, "in_use of a held channel")
    r.check(attr(demo, "dma0chan2", "in_use") == 0, "in_use of a free channel")
    r.check(attr(demo, "dma0chan2", "memcpy_count") == 0, "memcpy_count of an unused channel")
    r = run(demo + ["attr", "dma0chan1"])
    r.check(r.out == "memcpy_count: 5\nbytes_transferred: 5000\nin_use: 1\n", "%r" % r.out)


def check_demo(r, copies, size, held, env=None):
    """After --demo: @held channels with @copies copies of @size bytes each."""
    devs = parse_list(r)
    chans = [c for d in devs for c in d["chans"]]
    busy = [c for c in chans if c["in_use"]]
    r.check(len(busy) == held, "%d channels held, expected %d" % (len(busy), held))
    for c in chans:
        want = (copies, copies * size, "in-use") if c["in_use"] else (0, 0, "-")
        r.check((c["memcpy_count"], c["bytes_transferred"], c["client"]) == want,
                "%s: %s, expected %s" % (c["name"], c, want))


def case_demo():
    """--demo copies on every held channel: counters, in any order, behind an IOMMU,
    under DMA-API debug, in windows smaller than the descriptor pool."""
    check_demo(run(["--demo"]), 16, 4096, 4)
    check_demo(run(["--demo=3", "--copies=7", "--size=1"]), 7, 1, 3)
    check_demo(run(["--demo", "--copies=0"]), 0, 0, 4)
    for env in ({"DMAENGINE_CPU_ORDER": "any"}, {"DMAENGINE_CPU_IOMMU": "1"},
                {"DMAENGINE_DMA_DEBUG": "1"}, {"DMAENGINE_CPU_DESCS": "16"},
                {"DMAENGINE_CPU_IOMMU": "1", "DMAENGINE_DMA_DEBUG": "1",
                 "DMAENGINE_CPU_ORDER": "any", "DMAENGINE_CPU_WORKERS": "1"}):
        check_demo(run(["--demo", "--copies=100", "--size=3000"], env=env), 100, 3000, 4, env)
    # The largest demo: 16 MiB per channel.
    check_demo(run(["--demo=1", "--copies=16", "--size=1048576"]), 16, 1 << 20, 1)
    # Nothing to hold.
    r = run(["--demo"], env={"DMAENGINE_PLATFORM": "none"}, expect=1, quiet=False)
    r.check(r.out == "" and r.err.startswith("dmactl: --demo: no channel to hold"), "no channel")


def case_json():
    """list --json parses, and says what the text says."""
    for args, env in (([], None), (["--demo=2", "--copies=3", "--size=10"], None),
                      ([], {"DMAENGINE_CPU_ORDER": "any", "DMAENGINE_CPU_IOMMU": "1"})):
        text = parse_list(run(args, env=env))
        r = run(args + ["list", "--json"], env=env)
        try:
            doc = json.loads(r.out)
        except ValueError as e:
            r.fail("not JSON: %s" % e)
        r.check(list(doc) == ["devices"] and len(doc["devices"]) == len(text), "devices")
        for d, t in zip(doc["devices"], text):
            r.check((d["name"], d["dev_id"], d["device"], d["number_of_channels"]) ==
                    ("dma%d" % t["id"], t["id"], t["name"], t["nchan"]), "device identity")
            r.check(d["capabilities"] == t["keys"]["capabilities"].split(), "capabilities")
            r.check(d["driver"] == "cpu-dma" and d["max_xor"] == 64 and d["max_pq"] == 64 and
                    d["pq_continue"] is True, "max_xor/max_pq")
            r.check(all(d[a] == 1 for a in ("copy_align", "xor_align", "pq_align",
                                             "fill_align")), "alignments")
            r.check(d["residue_granularity"] == "DMA_RESIDUE_GRANULARITY_BURST" and
                    d["descriptor_reuse"] is True and d["metadata_modes"] == [], "residue, reuse")
            r.check(d["dma_mask"] == "0xffffffffffffffff" and
                    d["iommu"] == (t["keys"]["iommu"] == "yes"), "mask, iommu")
            r.check(d["slave_caps"] is None, "slave caps of a memory-to-memory device")
            for c, tc in zip(d["channels"], t["chans"]):
                r.check(c["name"] == tc["name"] and
                        c["chan_id"] == int(tc["name"].split("chan")[1]), "channel name")
                for k in ("memcpy_count", "bytes_transferred", "in_use"):
                    r.check(c[k] == tc[k], "%s %s: %s vs %s" % (c["name"], k, c[k], tc[k]))
                r.check(c["client"] == (None if tc["client"] == "-" else tc["client"]) and
                        c["router"] is None, "client, router")
    r = run(["--demo=2", "--copies=3", "--size=10", "--json"])
    chans = json.loads(r.out)["devices"][0]["channels"]
    r.check([(c["memcpy_count"], c["bytes_transferred"], c["in_use"], c["client"])
             for c in chans] == [(3, 30, 1, "in-use")] * 2 + [(0, 0, 0, None)] * 2, "demo JSON")
    r = run(["--json"], env={"DMAENGINE_PLATFORM": "none"})
    r.check(json.loads(r.out) == {"devices": []}, "empty JSON %r" % r.out)
    r = run(["--json", "list", "dma0"], env={"DMAENGINE_CPU_CHANNELS": "1"})
    r.check(len(json.loads(r.out)["devices"][0]["channels"]) == 1, "list dma0 --json")


def case_add_cpu():
    """--add-cpu: more devices, a blank line between them in the summary and the
    list, capability limits, names; --demo across devices."""
    r = run(["--add-cpu=2", "summary"])
    r.check(r.out == "dma0 (cpu-dma.0): number of channels: 4\n\n"
            "dma1 (cpu-dma.1): number of channels: 2\n", "two devices %r" % r.out)
    r = run(["--add-cpu=channels=1,caps=memcpy+DMA_INTERRUPT,name=small-dma", "--add-cpu=3"])
    devs = parse_list(r)
    r.check([(d["id"], d["name"], d["nchan"]) for d in devs] ==
            [(0, "cpu-dma.0", 4), (1, "small-dma", 1), (2, "cpu-dma.1", 3)], "devices")
    r.check(devs[1]["keys"]["capabilities"] == "DMA_MEMCPY DMA_INTERRUPT", "limited caps %r"
            % devs[1]["keys"]["capabilities"])
    r.check(devs[2]["keys"]["capabilities"] == " ".join(CPU_CAPS), "full caps")
    r = run(["list", "small-dma", "--add-cpu=name=small-dma,channels=1,order=any,iommu=1"])
    devs = parse_list(r)
    r.check(len(devs) == 1 and devs[0]["name"] == "small-dma" and
            devs[0]["keys"]["iommu"] == "yes" and
            "DMA_COMPLETION_NO_ORDER" in devs[0]["keys"]["capabilities"], "list small-dma")
    # --demo holds and copies on the channels of every device.
    r = run(["--add-cpu=2", "--demo", "--copies=2", "--size=64"])
    check_demo(r, 2, 64, 6)
    r = run(["--add-cpu=2", "--demo", "summary"])
    devs = parse_summary(r)
    r.check([(d[0], len(d[3])) for d in devs] == [(0, 4), (1, 2)], "summary %s" % devs)
    r.check(r.lines[5] == "", "no blank line between devices")
    # Without the default platform.
    r = run(["--add-cpu=1", "summary"], env={"DMAENGINE_PLATFORM": "none"})
    r.check(r.out == "dma0 (cpu-dma.0): number of channels: 1\n", "only the added %r" % r.out)


def case_slave():
    """A slave controller: slave caps, slave-map clients named "<dev>:<name>" and a
    channel "via router", as in the kernel's summary."""
    r = run([], slave=True)
    devs = parse_list(r)
    r.check([(d["id"], d["name"]) for d in devs] ==
            [(0, "48000000.dma-controller"), (1, "cpu-dma.0")], "devices %s" % devs)
    k, s = devs[0]["keys"], devs[0]["slave"]
    r.check(k["driver"] == "slave-dma" and k["capabilities"] == "DMA_SLAVE DMA_CYCLIC",
            "slave device keys %s" % k)
    r.check(k["residue_granularity"] == "DMA_RESIDUE_GRANULARITY_SEGMENT" and
            k["descriptor_reuse"] == "no" and k["metadata_modes"] == "DESC_METADATA_CLIENT",
            "residue, reuse, metadata")
    r.check(s == {"directions": "DMA_MEM_TO_DEV DMA_DEV_TO_MEM",
                  "src_addr_widths": "1 2 4 (bytes)", "dst_addr_widths": "1 2 4 (bytes)",
                  "min_burst": "1", "max_burst": "16", "max_sg_burst": "4",
                  "cmd_pause": "yes", "cmd_resume": "no", "cmd_terminate": "yes",
                  "residue_granularity": "DMA_RESIDUE_GRANULARITY_SEGMENT",
                  "descriptor_reuse": "no"}, "slave caps %s" % s)
    cpu_keys(r, devs[1])
    # --demo: the peripherals' channels by name, the cpu channels by mask.
    r = run(["--demo", "--copies=1", "summary"], slave=True)
    r.check(r.out ==
            "dma0 (48000000.dma-controller): number of channels: 8\n"
            " dma0chan0    | 4000e000.serial:rx\n"
            " dma0chan1    | 4000e000.serial:tx\n"
            " dma0chan2    | 4000b000.audio-controller:tx (via router: 48002000.dma-router)\n"
            "\n"
            "dma1 (cpu-dma.0): number of channels: 4\n"
            " dma1chan0    | in-use\n dma1chan1    | in-use\n"
            " dma1chan2    | in-use\n dma1chan3    | in-use\n", "summary %r" % r.out)
    parse_summary(r)
    r = run(["--demo", "--copies=1"], slave=True)
    rows = parse_list(r)[0]["chans"]
    r.check([(c["in_use"], c["client"], c["router"]) for c in rows[:4]] ==
            [(1, "4000e000.serial:rx", None), (1, "4000e000.serial:tx", None),
             (1, "4000b000.audio-controller:tx", "48002000.dma-router"), (0, "-", None)],
            "rows %s" % rows[:4])
    r.check(attr(["--demo"], "dma0chan2", "in_use", slave=True) == 1, "in_use of a routed chan")
    r = run(["--demo", "--json"], slave=True)
    d = json.loads(r.out)["devices"][0]
    r.check(d["slave_caps"] == {"directions": ["DMA_MEM_TO_DEV", "DMA_DEV_TO_MEM"],
                                "src_addr_widths": [1, 2, 4], "dst_addr_widths": [1, 2, 4],
                                "min_burst": 1, "max_burst": 16, "max_sg_burst": 4,
                                "cmd_pause": True, "cmd_resume": False, "cmd_terminate": True,
                                "residue_granularity": "DMA_RESIDUE_GRANULARITY_SEGMENT",
                                "descriptor_reuse": False}, "JSON slave caps")
    r.check(d["metadata_modes"] == ["DESC_METADATA_CLIENT"], "JSON metadata modes")
    r.check([(c["client"], c["router"]) for c in d["channels"][1:3]] ==
            [("4000e000.serial:tx", None), ("4000b000.audio-controller:tx",
                                            "48002000.dma-router")], "JSON clients")


BAD = [
    (["frobnicate"], r"unknown command 'frobnicate' \(try dmactl --help\)$"),
    (["--frobnicate"], r"unknown option '--frobnicate' \(try dmactl --help\)$"),
    (["-x"], r"unknown option '-x'"),
    (["attr", "dma0chan9", "in_use"], r"dma0chan9: no such channel$"),
    (["attr", "dma9chan0"], r"dma9chan0: no such channel$"),
    (["attr", "nonsense", "memcpy_count"], r"nonsense: no such channel$"),
    (["attr", "dma0chan0", "foo"], r"dma0chan0: no such attribute 'foo' \(memcpy_count, "
                                   r"bytes_transferred, in_use\)$"),
    (["attr"], r"attr: missing CHANNEL"),
    (["attr", "dma0chan0", "in_use", "x"], r"attr: unexpected argument 'x'$"),
    (["summary", "x"], r"summary: unexpected argument 'x'$"),
    (["list", "dma7"], r"dma7: no such device$"),
    (["list", "a", "b"], r"list: unexpected argument 'b'$"),
    (["summary", "--json"], r"--json: only the list command"),
    (["--copies=3"], r"--copies needs --demo$"),
    (["--size=3"], r"--size needs --demo$"),
    (["--demo", "--copies=abc"], r"--copies=abc: expected a number in 0\.\.256$"),
    (["--demo", "--copies=257"], r"--copies=257: expected a number"),
    (["--demo", "--copies=-1"], r"--copies=-1: expected a number"),
    (["--demo", "--size=0"], r"--size=0: expected a number in 1\.\.1048576$"),
    (["--demo", "--size=99999999999999999999"], r"--size=9+: expected a number"),
    (["--demo=0"], r"--demo=0: expected a number in 1\.\.1024$"),
    (["--demo=", "list"], r"--demo=: expected a number"),
    (["--demo", "--copies=256", "--size=1048576"], r"more than 16777216 bytes per channel$"),
    (["--add-cpu=channels=0"], r"--add-cpu: channels=0: expected a number in 1\.\.256$"),
    (["--add-cpu=workers=1000"], r"--add-cpu: workers=1000: expected a number in 1\.\.64$"),
    (["--add-cpu=descs=15"], r"--add-cpu: descs=15: expected a number in 16\.\.65536$"),
    (["--add-cpu=257"], r"--add-cpu: channels=257: expected a number in 1\.\.256$"),
    (["--add-cpu="], r"--add-cpu=: expected N or key=value"),
    (["--add-cpu=x"], r"--add-cpu: channels=x: expected a number"),
    (["--add-cpu=foo=1"], r"--add-cpu: 'foo=1': expected channels=N"),
    (["--add-cpu=order=sideways"], r"'order=sideways': expected"),
    (["--add-cpu=caps=memcpy+bogus"], r"caps=memcpy\+bogus: unknown capability 'bogus'$"),
    (["--add-cpu=caps=+"], r"--add-cpu: caps=\+: no capability$"),
    (["--add-cpu=name=" + "x" * 70], r"'name=x+': expected"),
    (["--add-cpu=1"] * 9, r"--add-cpu: at most 8 devices$"),
]


def case_bad_input():
    """Each bad input: exit 2, one line on standard error, nothing on standard
    output, no crash; --help and help."""
    for args, why in BAD:
        r = run(args, expect=2, quiet=False)
        errs = r.err.splitlines()
        r.check(len(errs) == 1 and errs[0].startswith("dmactl: ") and re.search(why, errs[0]),
                "standard error is not one line matching %r" % why)
        r.check(r.out == "", "something on standard output")
    # The same through the slave build, and after --demo (channels held, then released).
    r = run(["--demo", "attr", "dma0chan8", "in_use"], slave=True, expect=2, quiet=False)
    r.check(r.err == "dmactl: dma0chan8: no such channel\n", "slave: %r" % r.err)
    for args in (["--help"], ["-h"], ["help"], ["frobnicate", "--help"]):
        r = run(args)
        r.check(r.lines[0].startswith("usage: dmactl"), "no usage line")
        for word in ("list", "summary", "attr", "--json", "--demo", "--copies", "--size",
                     "--add-cpu", "--board", "--help"):
            r.check(re.search(r"^  (-h, )?%s\b" % re.escape(word), r.out, re.M),
                    "--help lacks " + word)


# The board's routed clients: every dmas/dma-names entry of boards/stm32mp151-sim.dts
# whose controller has a driver, in tree order (the hash's is the MDMA's: none yet).
BOARD_CLIENTS = ["4000e000.serial:rx", "4000e000.serial:tx",
                 "4000b000.audio-controller:rx", "4000b000.audio-controller:tx",
                 "4400b004.audio-controller:tx", "4400b024.audio-controller:rx",
                 "44004000.spi:rx", "44004000.spi:tx"]


def case_board():
    """--board=stm32mp151: the two DMA controllers with the kernel's names, the
    routed clients of the tree 'via router: 48002000.dma-router', copies on the
    free streams; a bad --board is exit 2 with the library's line naming it."""
    r = run(["--board=stm32mp151", "--demo", "--copies=2", "--size=256", "summary"],
            quiet=False)
    devs = parse_summary(r)
    r.check([(d[0], d[1], d[2]) for d in devs] ==
            [(0, "48000000.dma-controller", 8), (1, "48001000.dma-controller", 8)],
            "devices %r" % [(d[0], d[1], d[2]) for d in devs])
    routed = [(c, cl) for c, cl, router in devs[0][3] if router]
    r.check(all(router == "48002000.dma-router" for _, _, router in devs[0][3] if router),
            "a router other than 48002000.dma-router")
    r.check([cl for _, cl in routed] == sorted(BOARD_CLIENTS, key=BOARD_CLIENTS.index),
            "routed clients %r" % routed)
    r.check([c for c, _ in routed] == ["dma0chan%d" % i for i in range(len(BOARD_CLIENTS))],
            "routed clients not on the first streams: %r" % routed)
    r.check(all(cl == "in-use" for _, cl, router in devs[1][3]) and len(devs[1][3]) == 8,
            "dma1: the demo's memcpy channels")
    r.check("54002000.hash:in: no channel (-EPROBE_DEFER" in r.err,
            "the hash's MDMA channel is not said to be deferred")
    # The attributes of a board channel after the demo's copies.
    r = run(["--board=stm32mp151", "--demo", "--copies=3", "--size=256", "attr", "dma1chan0"],
            quiet=False)
    r.check(r.lines == ["memcpy_count: 3", "bytes_transferred: 768", "in_use: 1"],
            "attr dma1chan0: %r" % r.lines)
    r = run(["--board=nosuchboard", "list"], expect=2, quiet=False)
    r.check(r.out == "" and "no board 'nosuchboard'" in r.err, "bad --board")


def main():
    return casemain.main(globals(), options=("--dmactl", "--slave"))


if __name__ == "__main__":
    sys.exit(main())
