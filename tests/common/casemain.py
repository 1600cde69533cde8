# SPDX-License-Identifier: MIT
"""casemain.py - the main() of the tests' Python drivers (test_dmactl.py,
test_dmatest.py, test_trace_dmatest.py, conf_faults.py).

A driver's cases are its functions case_NAME; a case fails by raising
AssertionError. The command line is the driver's options and arguments, then
the names of the cases to run (all of them when none is named); --list prints
the names instead. Each case prints "PASS NAME (time)" or "FAIL NAME: why".

A driver imports this module from its own location:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "common"))
"""
import argparse
import time


def cases_of(scope):
    """The cases of a driver whose globals() are @scope: name -> function."""
    return {name[5:]: fn for name, fn in scope.items() if name.startswith("case_")}


def parse(cases, options, arguments):
    """The command line: --OPTION VALUE for each of @options, the @arguments
    (required unless --list), --list, then case names."""
    ap = argparse.ArgumentParser()
    for option in options:
        ap.add_argument(option)
    for argument in arguments:
        ap.add_argument(argument, nargs="?")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*", metavar="CASE")
    args = ap.parse_args()
    for argument in arguments:
        if not args.list and getattr(args, argument) is None:
            ap.error("%s is needed (cases: %s)" % (argument, " ".join(cases)))
    return args


def run(cases, names):
    """Run the cases @names (all when empty). Returns the exit status: 0, or 1
    if one failed."""
    failed = 0
    for name in names or list(cases):
        t0 = time.monotonic()
        try:
            cases[name]()
            print("PASS %s (%.1f s)" % (name, time.monotonic() - t0))
        except AssertionError as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
    return 1 if failed else 0


def main(scope, options=(), arguments=()):
    """Parse the command line, store it as ARGS in @scope (the driver's
    globals()), and run the cases it names. Returns the exit status (argparse
    exits 2 on bad usage)."""
    cases = cases_of(scope)
    args = parse(cases, options, arguments)
    if args.list:
        print(" ".join(cases))
        return 0
    scope["ARGS"] = args
    return run(cases, args.cases)
