#!/usr/bin/python3
"""pandas side of the framework benchmarks (same semantics as exo's):
  W1 parse the file; W2 BUCKETIZE mean into 60 s buckets (right-closed,
  labelled by their end, empty buckets dropped); W3 MAP mean over the
  current point and the 4 before; W4 REDUCE sum by label dc at equal ticks;
  W5 MAP delta (v[i] - v[i-1], 0 for the first point).

usage: peer_pandas.py W FILE   ->  one JSON line {parse_s, op_s, n, check}
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def parse(path):
    # '/' as a thousands separator reads "1500000000000000//" as an int64
    return pd.read_csv(path, sep=" ", header=None, names=["ts", "cls", "v"], thousands="/",
                       dtype={"cls": "category"}, engine="c")


def run(w, df):
    v = df["v"].to_numpy()
    if w == "W2":
        s = pd.Series(v, index=pd.to_datetime(df["ts"].to_numpy(), unit="us"))
        r = s.resample("60s", closed="right", label="right").mean().dropna()
        return len(r), float(r.sum())
    if w == "W3":
        r = pd.Series(v).rolling(5, min_periods=1).mean()
        return len(r), float(r.sum())
    if w == "W5":
        d = pd.Series(v).diff().fillna(0.0)
        return len(d), float((d * d).sum())
    if w == "W4":
        # the label from each distinct class string once, then by category code
        cls = df["cls"]
        dc_of_cat = pd.Categorical(pd.Series(cls.cat.categories).str.extract(r"[{,]dc=([^,}]*)")[0])
        dc = pd.Categorical.from_codes(dc_of_cat.codes[cls.cat.codes.to_numpy()], categories=dc_of_cat.categories)
        r = pd.DataFrame({"dc": dc, "ts": df["ts"].to_numpy(), "v": v}).groupby(["dc", "ts"], observed=True)["v"].sum()
        rv = r.to_numpy().astype(np.float64)
        return len(r), float(np.dot(rv, rv))
    return len(v), 0.0


def main():
    w, path = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = parse(path)
    t1 = time.perf_counter()
    n, check = run(w, df)
    t2 = time.perf_counter()
    print(json.dumps({"parse_s": t1 - t0, "op_s": t2 - t1, "n": n, "check": check}))


if __name__ == "__main__":
    main()
