#!/usr/bin/env python3
"""Cross-checks the CLI on a real public order log: CDNOW (69,659 purchases
of 23,570 customers, 1997-01 to 1998-06), shipped in the PyPI package
`lifetimes` (lifetimes/datasets/CDNOW_master.txt).

The log is converted to a CSV (Customer ID, Order Date, Total), the decile
table is computed here independently with exact decimals, and compared with
`ltv-lens analyze --json` for several settings. The CSV is also written for
the end-to-end test, which checks that the browser shows the same numbers.

    python3 tests/crosscheck/cdnow.py --cli target/release/ltv-lens --out-csv PATH
"""

import argparse
import datetime as dt
import glob
import json
import os
import subprocess
import sys
import zipfile
from collections import defaultdict
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WHEEL_DIR = os.path.join(ROOT, ".tools", "pypi")
PACKAGE = "lifetimes==0.11.3"


def cdnow_lines():
    wheels = glob.glob(os.path.join(WHEEL_DIR, "[Ll]ifetimes-0.11.3-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", WHEEL_DIR, PACKAGE],
            check=True,
        )
        wheels = glob.glob(os.path.join(WHEEL_DIR, "[Ll]ifetimes-0.11.3-*.whl"))
    with zipfile.ZipFile(wheels[0]) as z:
        text = z.read("lifetimes/datasets/CDNOW_master.txt").decode("ascii")
    rows = []
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 4:
            rows.append((parts[0], parts[1], parts[3]))
    return rows


def add_months(d, months):
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise ValueError(d)


def deciles(orders, start, end):
    """The decile table as DOMAIN.md defines it, in exact decimals."""
    spend = defaultdict(Decimal)
    count = defaultdict(int)
    for cust, day, amount in orders:
        if start <= day <= end:
            spend[cust] += amount
            count[cust] += 1
    ranked = sorted(spend, key=lambda c: (-spend[c], c))
    n = len(ranked)
    total = sum(spend.values(), Decimal(0))
    out, i, cum = [], 0, Decimal(0)
    for d in range(10):
        size = n // 10 + (1 if d < n % 10 else 0)
        group = ranked[i : i + size]
        i += size
        rev = sum((spend[c] for c in group), Decimal(0))
        cum += rev
        out.append(
            {
                "decile": d + 1,
                "customers": size,
                "revenue": rev,
                "share": rev / total if total else Decimal(0),
                "cumulative_share": cum / total if total else Decimal(0),
                "min_spend": spend[group[-1]] if group else Decimal(0),
                "max_spend": spend[group[0]] if group else Decimal(0),
                "orders_per_customer": Decimal(sum(count[c] for c in group)) / size if size else 0,
            }
        )
    return n, total, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "ltv-lens"))
    ap.add_argument("--out-csv", required=True)
    args = ap.parse_args()

    rows = cdnow_lines()
    os.makedirs(os.path.dirname(os.path.abspath(args.out_csv)), exist_ok=True)
    with open(args.out_csv, "w", newline="") as f:
        f.write("Customer ID,Order Date,Total\n")
        for cust, day, amount in rows:
            f.write(f"{cust},{day},{amount}\n")
    orders = [(c, dt.datetime.strptime(d, "%Y%m%d").date(), Decimal(a)) for c, d, a in rows]
    last = max(o[1] for o in orders)

    cases = [
        ("default window (12 months to the last order)", [], add_months(last, -12) + dt.timedelta(days=1), last),
        ("as of 1997-12-31", ["--as-of", "1997-12-31"], dt.date(1997, 1, 1), dt.date(1997, 12, 31)),
        ("explicit window 1997-03-01..1997-03-31", ["--from", "1997-03-01", "--to", "1997-03-31"], dt.date(1997, 3, 1), dt.date(1997, 3, 31)),
    ]
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"MISMATCH: {what}", file=sys.stderr)

    for name, flags, start, end in cases:
        res = subprocess.run([args.cli, "analyze", args.out_csv, "--json", *flags], capture_output=True, text=True)
        if res.returncode != 0:
            check(False, f"{name}: CLI failed: {res.stderr}")
            continue
        got = json.loads(res.stdout)
        n, total, want = deciles(orders, start, end)
        s = got["summary"]
        check(s["rows"] == len(rows), f"{name}: rows {s['rows']} != {len(rows)}")
        check(s["orders"] == len(rows), f"{name}: orders {s['orders']} != {len(rows)}")
        check(s["customers"] == len({o[0] for o in orders}), f"{name}: customers")
        check(Decimal(str(s["revenue"])) == sum((o[2] for o in orders), Decimal(0)), f"{name}: revenue {s['revenue']}")
        w = got["decile_window"]
        check((w["from"], w["to"]) == (start.isoformat(), end.isoformat()), f"{name}: window {w['from']}..{w['to']}")
        check(w["customers"] == n, f"{name}: window customers {w['customers']} != {n}")
        for g, e in zip(got["deciles"], want):
            k = f"{name}: D{e['decile']}"
            check(g["customers"] == e["customers"], f"{k} customers {g['customers']} != {e['customers']}")
            for col in ("revenue", "min_spend", "max_spend"):
                check(Decimal(str(g[col])) == e[col], f"{k} {col} {g[col]} != {e[col]}")
            for col in ("share", "cumulative_share", "orders_per_customer"):
                check(abs(Decimal(repr(g[col])) - Decimal(e[col])) < Decimal("1e-12"), f"{k} {col} {g[col]} != {e[col]}")
        print(f"cdnow {name}: {n} customers, D1 revenue {want[0]['revenue']}, share {float(want[0]['share']):.4f}")
    print(f"crosscheck: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
