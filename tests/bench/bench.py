#!/usr/bin/env python3
"""Peer benchmarks: runs exo and its peers on the same workload in one run
and prints each median wall time and the ratio exo/peer.

usage: bench.py vm EXO_BIN
       bench.py framework EXO_BIN [WORKDIR]   (data sets generated into WORKDIR)
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


def timed(cmd):
    """Runs cmd under /usr/bin/time: (wall seconds, peak RSS MB, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSSKB %M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr}")
    rss = [l for l in p.stderr.splitlines() if l.startswith("RSSKB ")]
    return wall, int(rss[-1].split()[1]) / 1024 if rss else 0.0, p.stdout


def ensure_data(gen_src, workdir):
    gen = os.path.join(workdir, "gen_data")
    if not os.path.exists(gen):
        subprocess.run(["cc", "-O2", "-o", gen, gen_src], check=True)
    paths = {}
    for name in ("A", "B"):
        path = os.path.join(workdir, f"{name.lower()}.gts")
        if not os.path.exists(path):
            print(f"generating data set {name} ({path})...", flush=True)
            subprocess.run([gen, name, path], check=True)
        paths[name] = path
    return paths


def bench_framework(exo, workdir):
    import json
    os.makedirs(workdir, exist_ok=True)
    data = ensure_data(os.path.join(HERE, "gen_data.c"), workdir)
    fw = os.path.join(HERE, "framework")
    peer = os.path.join(HERE, "peer_pandas.py")
    rows = []
    for w, ds in (("W1", "A"), ("W2", "A"), ("W3", "A"), ("W4", "B"), ("W5", "A")):
        wall, rss, out = timed([exo, "--json", "--data", data[ds], os.path.join(fw, w + ".mc2")])
        top = json.loads(out)[0]
        if w == "W1":
            exo_s, exo_check = wall, top
        else:
            exo_s, exo_check = top["op_us"] / 1e6, top["check"]
        pwall, prss, pout = timed(["/usr/bin/python3", peer, w, data[ds]])
        pj = json.loads(pout)
        peer_s = pj["parse_s"] if w == "W1" else pj["op_s"]
        rows.append((w, exo_s, peer_s, rss, prss, exo_check, pj["check"], pj["n"]))
    print(f"{'workload':<9} {'exo s':>8} {'pandas s':>9} {'exo/pandas':>10} {'exo MB':>8} {'pandas MB':>10}  check (exo / pandas)")
    for w, e, p, er, pr, ec, pc, n in rows:
        print(f"{w:<9} {e:8.3f} {p:9.3f} {e / p:10.2f} {er:8.0f} {pr:10.0f}  {ec} / {pc if w != 'W1' else n}")
    print("(in-process time of the operation, parse excluded, except W1 = exo's whole run with --data\n"
          " against pandas read_csv; peak RSS of each whole process)")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("vm", "framework"):
        sys.exit(__doc__)
    if sys.argv[1] == "vm":
        bench_vm(sys.argv[2])
    else:
        bench_framework(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "/tmp/exo-bench")
