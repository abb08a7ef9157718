#!/usr/bin/env python3
"""Prints the table of ./cadenza bench media (Markdown) from one MediaStartSimulation run.

Reads the JSON the simulation wrote: per start rate, the time-to-first-audio percentiles of the
successful starts (master playlist, first variant, init segment, first segment, measured in the
simulation around the Gatling group); per throughput phase, responses, bytes and the window in
which they arrived; failures per group or phase. MB/s is 10^6 bytes of bodies per second of that
window. With --report, the Gatling report's own group figures are shown as well: Gatling times a group as the
sum of its requests' response times (whole ms), without the time the load generator itself took
between them, so they are a lower bound of the wall-clock TTFA.
Exits 1 when the run is not a valid measurement (failures or missing figures).
"""

import argparse
import datetime
import html
import json
import re
import sys

TTFA_TARGET_MS = 50.0
TTFA_TARGET_RATE = 200
RATIO_TARGET = 0.8


def report_groups(index_html):
    """Per group name, count and percentiles of the Gatling report's statistics table."""
    text = open(index_html, encoding="utf-8").read()
    cols = {2: "count", 8: "p50", 10: "p95", 11: "p99", 12: "max"}
    groups = {}
    for row in re.findall(r'<tr id="group_[^"]*"[^>]*>(.*?)</tr>', text, re.S):
        name = re.search(r'class="ellipsed-name">([^<]*)</span>', row)
        if not name:
            continue
        values = {}
        for col, value in re.findall(r'<td class="value [^"]*col-(\d+)">([^<]*)</td>', row):
            value = value.replace(",", "").strip()
            if int(col) in cols and value not in ("", "-"):
                values[cols[int(col)]] = float(value)
        groups[html.unescape(name.group(1))] = values
    return groups


def fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--load", help="the load averages before and after (uptime lines)")
    parser.add_argument("--report", help="the Gatling report folder (for its group figures)")
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as f:
        run = json.load(f)
    settings, ttfa = run["settings"], run["ttfa"]
    transfers, failures = run["transfers"], run["failures"]
    valid = True
    print(f"### Media benchmark, {datetime.date.today().isoformat()}")
    print()
    print(
        f"{settings['tracks']} tracks x {settings['users']} users; starts fetch the first variant "
        f"the master lists; {settings['warmup']} s warm-up + {settings['seconds']} s measured per "
        f"rate."
    )
    if args.load:
        for line in open(args.load, encoding="utf-8").read().splitlines():
            print(f"{line.strip()}  ")
    print()
    print("| Time to first audio | starts | failed | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rates = sorted(
        {int(m.group(1)) for k in list(ttfa) + list(failures) for m in [re.match(r"ttfa (\d+)/s$", k)] if m}
    )
    if not rates and settings["rates"] != "[]":
        valid = False
    p99_at_target = None
    for rate in rates:
        name = f"ttfa {rate}/s"
        row = ttfa.get(name, {})
        failed = failures.get(name, 0)
        if failed or not row.get("count"):
            valid = False
        if rate == TTFA_TARGET_RATE:
            p99_at_target = row.get("p99")
        print(
            f"| {rate} starts/s | {row.get('count', 0):,} | {failed} | {fmt(row.get('p50'))} | "
            f"{fmt(row.get('p95'))} | {fmt(row.get('p99'))} | {fmt(row.get('p100'))} |"
        )
    groups = {}
    if args.report:
        try:
            groups = report_groups(args.report + "/index.html")
        except OSError:
            groups = {}
    if groups:
        print()
        print("Gatling's own group figures (sum of the 4 response times, whole ms):")
        print()
        print("| Group (Gatling) | starts | p50 ms | p95 ms | p99 ms | max ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for rate in rates:
            g = groups.get(f"ttfa {rate}/s", {})
            print(
                f"| {rate} starts/s | {fmt(g.get('count'), 0)} | {fmt(g.get('p50'), 0)} | "
                f"{fmt(g.get('p95'), 0)} | {fmt(g.get('p99'), 0)} | {fmt(g.get('max'), 0)} |"
            )
    print()
    print(
        f"Segment throughput: {settings['tput_users']} connections looping over "
        f"{settings['segments']} segments of {settings['variant']} for {settings['tput_seconds']} s "
        f"per phase, {settings['tput_rounds']} rounds in the order A B, B A, ...; left out: "
        f"{settings.get('tput_warmup', '?')} s warm-up per target first, "
        f"{settings.get('tput_settle', '?')} s before each phase."
    )
    print()
    print("| Segment throughput | responses | failed | MB/s | req/s |")
    print("|---|---:|---:|---:|---:|")
    per_target = {}
    for name in sorted(transfers, key=lambda k: (k.split()[-1], k)):
        if name.startswith("warm-up"):
            continue
        t = transfers[name]
        seconds = (t["last_ms"] - t["first_ms"]) / 1000
        mbs = t["bytes"] / 1e6 / seconds if seconds > 0 else None
        rps = t["responses"] / seconds if seconds > 0 else None
        failed = failures.get(name, 0)
        if failed or mbs is None:
            valid = False
        per_target.setdefault(name.split()[0], []).append((t["bytes"], seconds))
        print(f"| {name} | {t['responses']:,} | {failed} | {fmt(mbs)} | {fmt(rps, 0)} |")
    totals = {}
    for target, parts in per_target.items():
        total_s = sum(s for _, s in parts)
        totals[target] = sum(b for b, _ in parts) / 1e6 / total_s if total_s > 0 else None
        print(f"| **{target}, all rounds** | | | **{fmt(totals[target])}** | |")
    ratio = None
    if totals.get("cadenza") and totals.get("nginx"):
        ratio = totals["cadenza"] / totals["nginx"]
    else:
        valid = False
    print()
    print("| Target | measured | met |")
    print("|---|---:|---|")
    met = "not run" if TTFA_TARGET_RATE not in rates else "no"
    if p99_at_target is not None and p99_at_target <= TTFA_TARGET_MS:
        met = "yes"
    print(
        f"| TTFA p99 <= {TTFA_TARGET_MS:.0f} ms at {TTFA_TARGET_RATE} starts/s | {fmt(p99_at_target)} ms | "
        f"{met} |"
    )
    print(
        f"| Cadenza / nginx MB/s >= {RATIO_TARGET} | {fmt(ratio, 2)} | "
        f"{'yes' if ratio is not None and ratio >= RATIO_TARGET else 'no'} |"
    )
    other = {k: v for k, v in failures.items() if not k.startswith("warm-up")}
    warm = {k: v for k, v in failures.items() if k.startswith("warm-up")}
    if warm:
        print()
        print(f"Failures during warm-up (not in the figures): {warm}")
    if not valid:
        print()
        print(f"Not a valid measurement: failures {other or 'none'} or missing figures.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
