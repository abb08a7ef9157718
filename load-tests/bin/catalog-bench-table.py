#!/usr/bin/env python3
"""Prints the table of ./cadenza bench catalog (Markdown) from one CatalogSimulation run.

Reads the Gatling HTML report's statistics table (per request name: counts and response-time
percentiles, whole milliseconds as Gatling measures them), the JSON the simulation wrote (settings,
sample sizes, status codes and response windows per request name, the node's own Lucene time per
search from its Server-Timing header, and the simulation's own wall-clock time per request at
sub-millisecond resolution), and the node's /metrics right before and right after the measured
lookup phase (the catalog caches' counters). The HTTP/Lucene ratios divide the wall-clock
percentiles by the Lucene percentiles of the same requests (Gatling's whole milliseconds are too
coarse next to a sub-millisecond index time). Exits 1 when the run is not a valid measurement:
failed requests, missing figures, or no Server-Timing header.
"""

import argparse
import datetime
import json
import sys

from gatling_tables import delta, metrics, report_rows

SEARCH_TARGET_MS = 20.0
LOOKUP_TARGET_MS = 5.0
KINDS = ("exact", "prefix", "typo", "filtered")

COLUMNS = {2: "total", 3: "ok", 4: "ko", 7: "min", 8: "p50", 10: "p95", 11: "p99", 12: "max"}








def fmt(value, digits=0):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def pct(part, whole):
    return f"{100.0 * part / whole:.1f} %" if whole else "n/a"


def span_seconds(run, name):
    spans = [
        (last - first) / 1000.0
        for key, (first, last) in run["windows"].items()
        if key.split("|", 1)[1] == name
    ]
    return sum(spans)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", required=True, help="the Gatling report folder")
    parser.add_argument("--results", required=True, help="the JSON the simulation wrote")
    parser.add_argument("--metrics-before", required=True, help="/metrics before the lookups")
    parser.add_argument("--metrics-after", required=True, help="/metrics after the lookups")
    parser.add_argument("--load", help="the load averages before and after (uptime lines)")
    args = parser.parse_args()

    rows = report_rows(f"{args.report}/index.html", COLUMNS)
    with open(args.results, encoding="utf-8") as f:
        run = json.load(f)
    settings, sample = run["settings"], run["sample"]
    lucene, wall = run.get("lucene", {}), run.get("wall", {})
    missing = run.get("lucene_missing", {})
    problems = []

    for name, codes in sorted(run["statuses"].items()):
        bad = {c: n for c, n in codes.items() if c != "200"}
        if bad:
            problems.append(f"'{name}': non-200 answers {bad} (0 = no answer)")
    shed = run.get("shed", {})
    for name, n in sorted(shed.items()):
        problems.append(
            f"{n} '{name}' arrivals were not sent: {settings.get('max_inflight')} requests were "
            "already waiting (the node could not keep up with the rate)"
        )
    for kind, examples in sorted(run.get("failed_queries", {}).items()):
        problems.append(f"failing {kind} queries, e.g. {examples}")

    print(f"### Catalog and search, {datetime.date.today().isoformat()}")
    print()
    print(
        f"Open model: search at {settings['search_rate']:g} req/s then lookups at "
        f"{settings['lookup_rate']:g} req/s, each {settings['warmup']} s warm-up (left out) + "
        f"{settings['seconds']} s measured; {sample['tracks']} tracks sampled from ScyllaDB "
        f"({sample['albums']} albums, {sample['artists']} artists), lookups Zipf "
        f"(s = {settings['zipf']:g}) over them by popularity. Gatling p50/p99: whole ms; "
        "wall p50/p99: the simulation's own clock around each request (ms); Lucene: the node's "
        "time inside the index (Server-Timing, ms); ratio = wall / Lucene. Filters "
        + (
            'quoted (artist:"A B").'
            if settings.get("quoted")
            else "one per word (artist:A artist:B), one-word genres."
        )
    )
    if args.load:
        try:
            with open(args.load, encoding="utf-8") as f:
                print()
                for line in f.read().splitlines():
                    print(line.strip() + "  ")
        except OSError:
            pass
    print()
    print(
        "| search | requests | failed | shed | req/s | Gatling p50 | Gatling p99 | wall p50 | wall p99 | "
        "Lucene p50 | Lucene p99 | ratio p50 | ratio p99 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = failed = shed_all = 0
    seconds_all = 0.0
    for kind in KINDS:
        name = "search " + kind
        row = rows.get(name)
        if not row or row.get("p99") is None:
            problems.append(f"no '{name}' row in the Gatling report")
            continue
        total += int(row["total"])
        failed += int(row["ko"])
        seconds = span_seconds(run, name)
        seconds_all = max(seconds_all, seconds)
        shed_all += shed.get(name, 0)
        w, luc = wall.get(name, {}), lucene.get(kind, {})
        print(
            f"| {kind} | {int(row['total'])} | {int(row['ko'])} | {shed.get(name, 0)} | "
            f"{fmt(row['total'] / seconds if seconds else None)} | {fmt(row['p50'])} | "
            f"{fmt(row['p99'])} | {fmt(w.get('p50'), 2)} | {fmt(w.get('p99'), 2)} | "
            f"{fmt(luc.get('p50'), 3)} | {fmt(luc.get('p99'), 3)} | "
            f"{fmt(ratio(w.get('p50'), luc.get('p50')), 1)} | "
            f"{fmt(ratio(w.get('p99'), luc.get('p99')), 1)} |"
        )
    w, luc = wall.get("search overall", {}), lucene.get("overall", {})
    print(
        f"| **all searches** | {total} | {failed} | {shed_all} | "
        f"{fmt(total / seconds_all if seconds_all else None)} | | | **{fmt(w.get('p50'), 2)}** | "
        f"**{fmt(w.get('p99'), 2)}** | {fmt(luc.get('p50'), 3)} | {fmt(luc.get('p99'), 3)} | "
        f"**{fmt(ratio(w.get('p50'), luc.get('p50')), 1)}** | "
        f"**{fmt(ratio(w.get('p99'), luc.get('p99')), 1)}** |"
    )
    lost = sum(missing.values())
    if lost:
        problems.append(f"{lost} search answers carried no Server-Timing lucene entry ({missing})")
    if not luc.get("count"):
        problems.append("no Lucene time was recorded (the node sent no Server-Timing header)")

    print()
    print(
        "| lookup `GET /v1/tracks/{id}` | requests | failed | shed | req/s | Gatling p50 | "
        "Gatling p99 | max | wall p50 | wall p99 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    lookup = rows.get("lookup")
    lw = wall.get("lookup", {})
    if not lookup or lookup.get("p99") is None:
        problems.append("no 'lookup' row in the Gatling report")
    else:
        seconds = span_seconds(run, "lookup")
        print(
            f"| warm, Zipf | {int(lookup['total'])} | {int(lookup['ko'])} | {shed.get('lookup', 0)} | "
            f"{fmt(lookup['total'] / seconds if seconds else None)} | {fmt(lookup['p50'])} | "
            f"{fmt(lookup['p99'])} | {fmt(lookup['max'])} | {fmt(lw.get('p50'), 2)} | "
            f"{fmt(lw.get('p99'), 2)} |"
        )

    before, after = metrics(args.metrics_before), metrics(args.metrics_after)
    print()
    if before is None or after is None:
        problems.append("the /metrics scrapes around the lookup phase are missing")
    else:
        counter = "cadenza_catalog_cache_requests_total"
        types = sorted(
            {dict(l).get("type", "") for (n, l) in after if n == counter} - {""}
        ) + [None]
        print(
            "| cache (measured lookups) | near hits | near misses | near hit ratio | Redis hits | "
            "Redis misses | Redis hit ratio of near misses | served from a cache |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for t in types:
            def count(cache, result, t=t):
                return int(
                    delta(
                        before,
                        after,
                        counter,
                        lambda l: l.get("cache") == cache
                        and l.get("result") == result
                        and (t is None or l.get("type") == t),
                    )
                )

            nh, nm = count("near", "hit"), count("near", "miss")
            rh, rm = count("redis", "hit"), count("redis", "miss")
            label = f"**all types**" if t is None else t
            print(
                f"| {label} | {nh} | {nm} | {pct(nh, nh + nm)} | {rh} | {rm} | {pct(rh, rh + rm)} | "
                f"{pct(nh + rh, nh + nm)} |"
            )
            if t is None and nh + nm == 0:
                problems.append("the catalog cache counters did not move during the lookups")

    print()
    search_p99 = wall.get("search overall", {}).get("p99")
    kind_p99 = [rows.get("search " + k, {}).get("p99") for k in KINDS]
    kind_p99 = [v for v in kind_p99 if v is not None]
    lookup_p99 = lookup.get("p99") if lookup else None
    if search_p99 is not None:
        verdict = "met" if search_p99 <= SEARCH_TARGET_MS else "**missed**"
        print(
            f"Search p99 = {search_p99:.2f} ms over all kinds (wall clock; Gatling's per kind: "
            f"{', '.join(fmt(v) for v in kind_p99)} ms); target <= {SEARCH_TARGET_MS:g} ms: "
            f"{verdict}."
        )
    if lookup_p99 is not None:
        verdict = "met" if lookup_p99 <= LOOKUP_TARGET_MS else "**missed**"
        print(
            f"Lookup p99 = {fmt(lookup_p99)} ms (Gatling; wall clock {fmt(lw.get('p99'), 2)} ms); "
            f"target <= {LOOKUP_TARGET_MS:g} ms: {verdict}."
        )
    if problems:
        print()
        print("NOT A VALID MEASUREMENT: " + "; ".join(problems) + ".")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
