#!/usr/bin/env python3
"""Peer benchmarks: runs exo and its peers on the same workload in one run
and prints each median wall time and the ratio exo/peer.

usage: bench.py vm EXO_BIN
"""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "bench")


def wall(cmd, runs=7):
    times = []
    out = ""
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr}")
        out = p.stdout
    return statistics.median(times), out.strip()


def lua_script(name):
    here = os.path.join(HERE, name)
    return here if os.path.exists(here) else os.path.join(SHARED, "vm", name)


def bench_vm(exo):
    rows = [
        ("W6 loop 10M", [exo, "-e", open(os.path.join(HERE, "vm_loop.mc2")).read()],
         ["lua5.4", lua_script("w6.lua")], "49999995000000"),
        ("W7 fib(27)", [exo, os.path.join(HERE, "vm_fib.mc2")],
         ["lua5.4", lua_script("w7.lua")], "196418"),
    ]
    print(f"{'workload':<14} {'exo s':>8} {'lua5.4 s':>9} {'exo/lua':>8}  check")
    for name, ecmd, lcmd, want in rows:
        te, oute = wall(ecmd)
        tl, _ = wall(lcmd)
        ok = "ok" if oute.splitlines()[0] == want else f"WRONG ({oute[:40]})"
        print(f"{name:<14} {te:8.4f} {tl:9.4f} {te / tl:8.2f}  {ok}")
    print("(whole-process wall time, median of 7 runs, both sides)")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("vm",):
        sys.exit(__doc__)
    bench_vm(sys.argv[2])
