#!/usr/bin/env python3
"""Prints the table of ./cadenza bench auth (Markdown) from one AuthOverheadSimulation run.

Reads the Gatling HTML report's statistics table (per request name: counts and response-time
percentiles, whole milliseconds as Gatling measures them), the status codes and response windows
the simulation wrote, and the node's /metrics before and after the run (server-side mean time per
route, rate-limit decisions). Exits 1 when the run is not a valid measurement: failed requests,
429s, unchecked (fail-open) rate limits, or missing figures.
"""

import argparse
import datetime
import json
import sys

from gatling_tables import delta, metrics, report_rows

TARGET_MS = 2.0

COLUMNS = {
    2: "total",
    3: "ok",
    4: "ko",
    7: "min",
    8: "p50",
    9: "p75",
    10: "p95",
    11: "p99",
    12: "max",
    13: "mean",
}








def server_mean_ms(before, after, route_match):
    def match(labels):
        return labels.get("code") == "404" and route_match(labels.get("route", ""))

    count = delta(before, after, "vertx_http_server_response_time_seconds_count", match)
    total = delta(before, after, "vertx_http_server_response_time_seconds_sum", match)
    return (total / count * 1000.0, int(count)) if count else (None, 0)


def fmt(value, digits=0):
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", required=True, help="the Gatling report folder")
    parser.add_argument("--statuses", required=True)
    parser.add_argument("--metrics-before", required=True)
    parser.add_argument("--metrics-after", required=True)
    parser.add_argument("--log", help="Gatling's console output, for its assertion lines")
    args = parser.parse_args()

    rows = report_rows(f"{args.report}/index.html", COLUMNS)
    with open(args.statuses, encoding="utf-8") as f:
        run = json.load(f)
    settings = run["settings"]
    before = metrics(args.metrics_before) or {}
    after = metrics(args.metrics_after) or {}
    problems = []

    kinds = ("baseline", "auth")
    stats = {}
    for kind in kinds:
        row = rows.get(kind)
        if not row or row.get("p99") is None:
            problems.append(f"no '{kind}' row in the Gatling report")
            continue
        codes = {int(k): v for k, v in run["statuses"].get(kind, {}).items()}
        # Throughput: the measured responses over the time their windows spanned (per stage).
        spans = [
            (last - first) / 1000.0
            for key, (first, last) in run["windows"].items()
            if key.split("|", 1)[1] == kind
        ]
        seconds = sum(spans)
        stats[kind] = dict(row)
        stats[kind]["codes"] = codes
        stats[kind]["rps"] = row["total"] / seconds if seconds > 0 else None
        stats[kind]["429"] = codes.get(429, 0)
        for name in (kind, "warm-up " + kind):
            refused = run["statuses"].get(name, {}).get("429", 0)
            if refused:
                problems.append(f"{refused} '{name}' requests were rate limited (429)")
        if row["ko"]:
            others = {c: n for c, n in codes.items() if c != 404}
            problems.append(f"{int(row['ko'])} '{kind}' requests failed (status codes: {others})")

    server = {
        "baseline": server_mean_ms(before, after, lambda r: not r.startswith("/v1")),
        "auth": server_mean_ms(before, after, lambda r: r.startswith("/v1")),
    }
    allowed = delta(
        before, after, "cadenza_rate_limit_decisions_total", lambda l: l.get("outcome") == "allowed"
    )
    limited = delta(
        before, after, "cadenza_rate_limit_decisions_total", lambda l: l.get("outcome") == "limited"
    )
    fail_open = delta(before, after, "cadenza_rate_limit_fail_open_total", lambda l: True)
    auth_sent = sum(
        sum(run["statuses"].get(name, {}).values()) for name in ("auth", "warm-up auth")
    )
    if fail_open:
        problems.append(f"{int(fail_open)} requests passed unchecked (Redis failed: fail-open)")
    if allowed < auth_sent:
        problems.append(f"only {int(allowed)} rate-limit checks for {auth_sent} auth requests")
    if limited:
        problems.append(f"the node refused {int(limited)} requests (rate limited)")

    rate = settings["rate"]
    per_kind_rate = rate if settings["mode"] == "alternate" else rate / 2
    print(f"### Auth + rate-limit overhead, {datetime.date.today().isoformat()}")
    print()
    print(
        f"Open model, {settings['mode']}: {rate:g} req/s "
        + (
            "per phase, baseline and auth phases taking turns"
            if settings["mode"] == "alternate"
            else "in all, baseline and auth interleaved (half each)"
        )
        + f", {settings['rounds']} round(s) of {settings['warmup']} s warm-up + "
        f"{settings['seconds']} s measured per kind; {settings['users']} users. "
        "Gatling times (ms, whole milliseconds); server = the node's own mean "
        "(warm-up included)."
    )
    print()
    print(
        "| kind | requests | failed | 429 | req/s (target) | p50 | p95 | p99 | max | mean | "
        "server mean |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    labels = {"baseline": "baseline `GET /no-such-path`", "auth": "auth `GET /v1/no-such-path`"}
    for kind in kinds:
        s = stats.get(kind)
        if not s:
            continue
        print(
            f"| {labels[kind]} | {int(s['total'])} | {int(s['ko'])} | {s['429']} | "
            f"{fmt(s['rps'])} ({per_kind_rate:g}) | {fmt(s['p50'])} | {fmt(s['p95'])} | "
            f"{fmt(s['p99'])} | {fmt(s['max'])} | {fmt(s['mean'])} | "
            f"{fmt(server[kind][0], 3)} |"
        )
    if len(stats) == 2:
        b, a = stats["baseline"], stats["auth"]
        d99 = a["p99"] - b["p99"]
        ratio = a["p99"] / b["p99"] if b["p99"] else None
        sb, sa = server["baseline"][0], server["auth"][0]
        print(
            f"| **added by auth** | | | | | {fmt(a['p50'] - b['p50'])} | "
            f"{fmt(a['p95'] - b['p95'])} | **{fmt(d99)}** | | {fmt(a['mean'] - b['mean'])} | "
            f"{fmt(sa - sb, 3) if sa is not None and sb is not None else 'n/a'} |"
        )
        print()
        verdict = "met" if d99 <= TARGET_MS else "NOT met"
        print(
            f"Added p99 = {fmt(d99)} ms (auth p99 / baseline p99 = "
            f"{fmt(ratio, 2) if ratio else 'n/a'}x); target <= {TARGET_MS:g} ms: {verdict}."
        )
    print(
        f"Rate-limit checks on the node: {int(allowed)} allowed (the set-up's sign-ups and "
        f"logins included), {int(limited)} limited, {int(fail_open)} unchecked (fail-open), "
        f"for {auth_sent} auth requests sent."
    )
    if problems:
        print()
        print("NOT A VALID MEASUREMENT: " + "; ".join(problems) + ".")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
