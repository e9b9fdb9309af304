#!/usr/bin/env python3
"""Cross-checks the CLI's cohort table, LTV, F2, order-count flow, repeat rate
and returning/new mix on the real CDNOW order log (69,659 purchases of 23,570
customers, 1997-01 to 1998-06; shipped in the PyPI package `lifetimes`, read
by `cdnow.py`'s `cdnow_lines()`), against an independent computation here in
plain Python with exact decimals, following DOMAIN.md's definitions:

- cohort = month (or quarter) of a customer's first order; period k observed
  when its calendar month ends on or before the as-of date;
- 12-month LTV = revenue of the cohorts with period 11 observed, through
  period 11, divided by their customers; AOV and orders per customer over the
  same orders;
- F2 = customers with a second order / customers (within N days: only
  customers whose first order is N days before the as-of date, second order
  at most N days after the first);
- repeat rate = customers with 2+ orders in the decile window / customers
  with an order in it.

    python3 tests/crosscheck/cdnow_cohorts.py --cli target/release/ltv-lens
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdnow import ROOT, add_months, cdnow_lines  # noqa: E402

TOL = Decimal("1e-9")


def month_no(d):
    return d.year * 12 + d.month - 1


def month_label(m):
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def quarter_no(d):
    return month_no(d) // 3


def quarter_label(q):
    return f"{q // 4:04d}-Q{q % 4 + 1}"


def month_end(m):
    y, mo = m // 12, m % 12 + 1
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def quarter_end(q):
    return month_end(q * 3 + 2)


def last_observed(as_of, period, end):
    p = period(as_of)
    return p if end(p) <= as_of else p - 1


class Expected:
    """Everything computed from the orders on or before `as_of`."""

    def __init__(self, orders, as_of, period=month_no, end=month_end, label=month_label):
        self.orders = [o for o in orders if o[1] <= as_of]
        self.as_of = as_of
        by_cust = defaultdict(list)
        for c, d, a in self.orders:
            by_cust[c].append((d, a))
        for v in by_cust.values():
            v.sort(key=lambda x: x[0])
        self.by_cust = by_cust
        self.first = {c: v[0][0] for c, v in by_cust.items()}
        self.period, self.end, self.label = period, end, label
        self.observed = last_observed(as_of, period, end)

    def cohorts(self):
        size = defaultdict(int)
        for c, f in self.first.items():
            size[self.period(f)] += 1
        cells = defaultdict(lambda: {"active": set(), "orders": 0, "revenue": Decimal(0)})
        for c, d, a in self.orders:
            cp = self.period(self.first[c])
            p = self.period(d)
            if p > self.observed:
                continue
            cell = cells[(cp, p - cp)]
            cell["active"].add(c)
            cell["orders"] += 1
            cell["revenue"] += a
        out = []
        for cp in sorted(size):
            n = size[cp]
            periods, cum, cum_orders = [], Decimal(0), 0
            for k in range(0, max(0, self.observed - cp + 1)):
                cell = cells.get((cp, k), {"active": set(), "orders": 0, "revenue": Decimal(0)})
                cum += cell["revenue"]
                cum_orders += cell["orders"]
                periods.append(
                    {
                        "period": k,
                        "active": len(cell["active"]),
                        "orders": cell["orders"],
                        "revenue": cell["revenue"],
                        "retention": Decimal(len(cell["active"])) / n,
                        "cumulative_revenue": cum,
                        "cumulative_orders": cum_orders,
                        "cumulative_revenue_per_customer": cum / n,
                    }
                )
            out.append({"cohort": self.label(cp), "customers": n, "periods": periods})
        return out

    def ltv(self, horizon):
        used = [c for c in self.cohorts() if len(c["periods"]) >= horizon]
        customers = sum(c["customers"] for c in used)
        revenue = sum((c["periods"][horizon - 1]["cumulative_revenue"] for c in used), Decimal(0))
        orders = sum(c["periods"][horizon - 1]["cumulative_orders"] for c in used)
        return {
            "cohorts_used": len(used),
            "customers_used": customers,
            "orders_used": orders,
            "revenue_used": revenue,
            "ltv": revenue / customers if customers else None,
            "aov": revenue / orders if orders else None,
            "orders_per_customer": Decimal(orders) / customers if customers else None,
            "first_cohort": used[0]["cohort"] if used else None,
        }

    def f2(self, within=None):
        total = conv = 0
        by = defaultdict(lambda: [0, 0])
        for c, v in self.by_cust.items():
            f = v[0][0]
            if within is not None and f + dt.timedelta(days=within) > self.as_of:
                continue
            ok = len(v) >= 2 and (within is None or (v[1][0] - f).days <= within)
            total += 1
            conv += ok
            b = by[self.label(self.period(f))]
            b[0] += 1
            b[1] += ok
        return total, conv, dict(by)

    def flow(self, steps=12):
        counts = [len(v) for v in self.by_cust.values()]
        reached = [sum(1 for k in counts if k >= n) for n in range(steps + 2)]
        return [(n, reached[n], reached[n + 1]) for n in range(1, steps + 1)]

    def repeat_rate(self, start, end):
        k = defaultdict(int)
        for c, d, a in self.orders:
            if start <= d <= end:
                k[c] += 1
        return len(k), sum(1 for v in k.values() if v >= 2)

    def returning_by_month(self):
        last = last_observed(self.as_of, month_no, month_end)
        buyers = defaultdict(set)
        for c, d, a in self.orders:
            m = month_no(d)
            if m <= last:
                buyers[m].add(c)
        first_m = min(month_no(f) for f in self.first.values())
        out = []
        for m in range(first_m, last + 1):
            b = buyers.get(m, set())
            ret = sum(1 for c in b if month_no(self.first[c]) < m)
            out.append((month_label(m), len(b), ret, len(b) - ret))
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "ltv-lens"))
    ap.add_argument("--csv", help="the CDNOW CSV (written by cdnow.py); made here if absent")
    args = ap.parse_args()

    rows = cdnow_lines()
    tmp = None
    path = args.csv
    if not path or not os.path.exists(path):
        tmp = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="")
        tmp.write("Customer ID,Order Date,Total\n")
        for cust, day, amount in rows:
            tmp.write(f"{cust},{day},{amount}\n")
        tmp.close()
        path = tmp.name
    orders = [(c, dt.datetime.strptime(d, "%Y%m%d").date(), Decimal(a)) for c, d, a in rows]
    last = max(o[1] for o in orders)

    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"MISMATCH: {what}", file=sys.stderr)

    def near(got, want):
        if want is None or got is None:
            return got is None and want is None
        return abs(Decimal(repr(got)) - Decimal(want)) <= TOL * max(Decimal(1), abs(Decimal(want)))

    def cli(*flags):
        res = subprocess.run([args.cli, "analyze", path, "--json", *flags], capture_output=True, text=True)
        if res.returncode != 0:
            check(False, f"CLI {flags} failed: {res.stderr}")
            return None
        return json.loads(res.stdout)

    def check_cohorts(name, got, want):
        check(len(got) == len(want), f"{name}: {len(got)} cohorts != {len(want)}")
        for g, w in zip(got, want):
            k = f"{name} {w['cohort']}"
            check(g["cohort"] == w["cohort"], f"{k}: label {g['cohort']}")
            check(g["customers"] == w["customers"], f"{k}: customers {g['customers']} != {w['customers']}")
            check(len(g["periods"]) == len(w["periods"]), f"{k}: {len(g['periods'])} periods != {len(w['periods'])}")
            for gp, wp in zip(g["periods"], w["periods"]):
                kk = f"{k} period {wp['period']}"
                check(gp["period"] == wp["period"], f"{kk}: period")
                check(gp["active"] == wp["active"], f"{kk}: active {gp['active']} != {wp['active']}")
                check(gp["orders"] == wp["orders"], f"{kk}: orders {gp['orders']} != {wp['orders']}")
                check(Decimal(str(gp["revenue"])) == wp["revenue"], f"{kk}: revenue {gp['revenue']} != {wp['revenue']}")
                check(near(gp["retention"], wp["retention"]), f"{kk}: retention {gp['retention']}")
                check(
                    near(gp["cumulative_revenue_per_customer"], wp["cumulative_revenue_per_customer"]),
                    f"{kk}: cumulative revenue per customer {gp['cumulative_revenue_per_customer']} != {wp['cumulative_revenue_per_customer']}",
                )

    summary = {}
    cases = [
        ("as of the last order", [], last),
        ("as of 1998-03-15 (inside a month)", ["--as-of", "1998-03-15"], dt.date(1998, 3, 15)),
    ]
    for name, flags, as_of in cases:
        exp = Expected(orders, as_of)
        got = cli(*flags)
        if got is None:
            continue
        check(got["cohort_granularity"] == "month", f"{name}: granularity")
        check_cohorts(f"{name}: monthly", got["cohorts"], exp.cohorts())

        # 12-month LTV and its decomposition.
        w, g = exp.ltv(12), got["ltv"]
        check(g["horizon_months"] == 12, f"{name}: horizon")
        for key in ("cohorts_used", "customers_used", "orders_used", "first_cohort"):
            check(g[key] == w[key], f"{name}: ltv {key} {g[key]} != {w[key]}")
        check(Decimal(str(g["revenue_used"])) == w["revenue_used"], f"{name}: ltv revenue_used")
        for key in ("ltv", "aov", "orders_per_customer"):
            check(near(g[key], w[key]), f"{name}: ltv {key} {g[key]} != {w[key]}")
        if g["ltv"] is not None:
            check(abs(g["ltv"] - g["aov"] * g["orders_per_customer"]) <= 1e-9 * g["ltv"], f"{name}: ltv != aov x opc")

        # F2 overall and per cohort.
        total, conv, by = exp.f2()
        f2 = got["repeat"]["f2"]
        check((f2["customers"], f2["converted"]) == (total, conv), f"{name}: f2 {f2['customers']}/{f2['converted']} != {total}/{conv}")
        check(near(f2["rate"], Decimal(conv) / total), f"{name}: f2 rate")
        check(len(f2["by_cohort"]) == len(by), f"{name}: f2 cohorts")
        for c in f2["by_cohort"]:
            check(by.get(c["cohort"]) == [c["customers"], c["converted"]], f"{name}: f2 {c['cohort']} {c}")

        # Order-count flow.
        flow = [(s["order"], s["customers"], s["next"]) for s in got["repeat"]["flow"]]
        check(flow == exp.flow(), f"{name}: flow {flow} != {exp.flow()}")

        # Repeat rate over the decile window (12 months to the as-of date).
        start = add_months(as_of, -12) + dt.timedelta(days=1)
        n, rep = exp.repeat_rate(start, as_of)
        rr = got["repeat"]["repeat_rate"]
        check((rr["from"], rr["to"]) == (start.isoformat(), as_of.isoformat()), f"{name}: repeat window")
        check((rr["customers"], rr["repeat_customers"]) == (n, rep), f"{name}: repeat rate {rr} != {n}/{rep}")
        check(near(rr["rate"], Decimal(rep) / n), f"{name}: repeat rate value")

        # Returning and new buyers by complete month.
        mix = [(m["month"], m["buyers"], m["returning"], m["new"]) for m in got["repeat"]["returning_by_month"]]
        check(mix == exp.returning_by_month(), f"{name}: returning/new by month")
        summary[name] = (w, conv / total, rep / n)

    # F2 within 90 days, and quarterly cohorts.
    exp = Expected(orders, last)
    got = cli("--f2-within", "90")
    if got is not None:
        total, conv, by = exp.f2(90)
        f2 = got["repeat"]["f2"]
        check(f2["within_days"] == 90, "f2 within: echo")
        check((f2["customers"], f2["converted"]) == (total, conv), f"f2 within 90: {f2['customers']}/{f2['converted']} != {total}/{conv}")
        for c in f2["by_cohort"]:
            check(by.get(c["cohort"]) == [c["customers"], c["converted"]], f"f2 within 90 {c['cohort']}")
        summary["f2 within 90 days"] = conv / total
    got = cli("--granularity", "quarter", "--horizon", "6")
    if got is not None:
        q = Expected(orders, last, quarter_no, quarter_end, quarter_label)
        check(got["cohort_granularity"] == "quarter", "quarter: granularity")
        check_cohorts("quarterly", got["cohorts"], q.cohorts())
        w, g = exp.ltv(6), got["ltv"]
        check(g["cohorts_used"] == w["cohorts_used"] and near(g["ltv"], w["ltv"]), f"6-month ltv {g['ltv']} != {w['ltv']}")

    for name, (w, f2, rr) in ((k, v) for k, v in summary.items() if isinstance(v, tuple)):
        ltv = f"{float(w['ltv']):.4f}" if w["ltv"] is not None else "n/a"
        print(
            f"cdnow {name}: 12-month LTV {ltv} over {w['cohorts_used']} cohorts / {w['customers_used']} customers"
            f" (AOV {float(w['aov'] or 0):.4f} x {float(w['orders_per_customer'] or 0):.4f}), F2 {f2:.4f}, repeat rate {rr:.4f}"
        )
    if "f2 within 90 days" in summary:
        print(f"cdnow F2 within 90 days: {summary['f2 within 90 days']:.4f}")
    if tmp:
        os.unlink(tmp.name)
    print(f"crosscheck: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
