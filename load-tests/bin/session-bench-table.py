#!/usr/bin/env python3
"""Prints the table of ./cadenza bench session (Markdown) from one SessionSimulation run.

Reads the results the simulation wrote (transfer times from the command sent until every device of
the user had the new state, per transfer; sockets connected; the nodes' heap after a full GC with
none and with all of the benchmark's devices connected; errors) and, when given, the Gatling report
(its own figures for the WebSocket handshakes, the hellos and the commands' acks, whole ms). Exits 1
when the run is not a valid measurement: no transfer measured, failed transfers or connections, or
no heap figures when they were asked for.
"""

import argparse
import re
import json
import sys

from gatling_tables import report_rows

TARGET_P99_MS = {1: 25, 2: 50}
TARGET_KB_PER_DEVICE = 20.0

COLUMNS = {2: "total", 3: "ok", 4: "ko", 8: "p50", 10: "p95", 11: "p99", 12: "max"}


def ratio(value, base):
    if value is None or not base:
        return "n/a"
    return f"{value / base:.1f}×"


def fmt(value, digits=0):
    if value is None:
        return "n/a"
    if isinstance(value, (int, float)) and digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True, help="the JSON the simulation wrote")
    parser.add_argument("--report", help="the Gatling report folder")
    parser.add_argument("--load", help="load average lines (uptime) before and after")
    parser.add_argument("--command", help="the command line, for the heading")
    parser.add_argument("--metrics", action="append", default=[],
                        help="a node's Prometheus scrape taken after the run (repeatable)")
    parser.add_argument("--metrics-start", action="append", default=[],
                        help="a node's scrape taken when the transfers began (repeatable): the node's "
                             "histograms are then told for the transfers alone")
    parser.add_argument("--safepoints", action="append", default=[], metavar="NAME=LOG",
                        help="a JVM's safepoint log (-Xlog:safepoint with timemillis): its stops "
                             "during the transfers are shown (repeatable)")
    parser.add_argument("--transfers", help="the transfers.csv the simulation wrote")
    args = parser.parse_args()

    with open(args.results, encoding="utf-8") as f:
        run = json.load(f)
    s = run["settings"]
    nodes = s["nodes"]
    sockets = s["users"] * s["devices"]
    problems = []

    if args.command:
        print(f"`{args.command}`")
        print()
    where = (
        "one node"
        if nodes == 1
        else f"two nodes (devices 1–{s['devices'] // 2} of each user on the first, the rest on the second)"
    )
    print(
        f"{s['users']:,} users × {s['devices']} devices = {sockets:,} sockets on {where}, connected over "
        f"{s['ramp']} s; then per user one `play` and {s.get('warmup', 0)} warm-up transfers; once all "
        f"users have, {s['transfers']} measured transfers per user, {s['pause']:g} s apart "
        f"on average; a transfer counts once every device of the user has its new state "
        f"(time-out {s['timeout']} s)."
    )
    if args.load:
        try:
            for line in open(args.load, encoding="utf-8").read().splitlines():
                if line.strip():
                    print(line.strip() + "  ")
        except OSError:
            pass
    print()

    print("| Notified (command sent → state on every device) | count | p50 ms | p95 ms | p99 ms | max ms | mean ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows = [
        ("**transfer → all devices of the user**", run["transfer"]),
        ("transfer → first device", run["transfer_first_device"]),
        ("play → all devices", run["play"]),
        (f"warm-up transfers ({s.get('warmup', 0)} per user, before the measured ones) → all devices",
         run.get("warmup_transfer", {"count": 0, "p50": None, "p95": None, "p99": None, "max": None,
                                     "mean": None})),
        ("command → its ack (state durable)", run["ack"]),
    ]
    # Split at the server time the session made the new state (the state's `timestamp`).
    if run.get("transfer_to_session", {}).get("count"):
        rows += [
            ("transfer: sent → the session made the state", run["transfer_to_session"]),
            ("transfer: state made → on every device", run["transfer_from_session"]),
        ]
    # The baseline: a time_sync frame's round trip through the same sockets and event loops, answered
    # without the session (between each user's measured transfers, on a device they left alone).
    sync = run.get("time_sync", {})
    if sync.get("count"):
        rows += [
            ("baseline: time_sync round trip (no session, no store), measured alongside", sync),
            ("baseline: time_sync sent → read by the node's event loop", run["time_sync_to_node"]),
        ]
    for label, r in rows:
        print(
            f"| {label} | {fmt(r['count'])} | {fmt(r['p50'])} | {fmt(r['p95'])} | {fmt(r['p99'])} | "
            f"{fmt(r['max'])} | {fmt(r['mean'], 1)} |"
        )
    if sync.get("count") and run["transfer"]["count"] and sync.get("p99"):
        print()
        print(
            f"Transfer against the baseline in the same run: mean {ratio(run['transfer']['mean'], sync['mean'])}, "
            f"p95 {ratio(run['transfer']['p95'], sync['p95'])}, p99 {ratio(run['transfer']['p99'], sync['p99'])} "
            "(the baseline is what any frame's round trip costs on this machine under this load)."
        )
    window = run.get("transfer_window_s") or 0
    if window > 0:
        print()
        print(f"Transfers went on for {window:.0f} s: {run['transfer']['count'] / window:,.0f} transfers/s.")
    print()

    errors = run.get("errors", {})
    failed = sum(errors.values())
    print("| Sockets | asked | connected (most at once) | users with all devices | connected in | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| {nodes} node{'s' if nodes > 1 else ''} | {sockets:,} | {run['devices_connected_max']:,} | "
        f"{run['users_connected']:,} of {s['users']:,} | {run['connect_s']:.0f} s | {failed:,} |"
    )
    print()

    heap = run.get("heap", {})
    kb_per_device = None
    if "without" in heap and "with" in heap:
        without, with_ = heap["without"], heap["with"]
        devices = with_.get("devices") or 0
        if devices:
            kb_per_device = (with_["heap_used_kb"] - without["heap_used_kb"]) / devices
            rss_per_device = (with_["rss_kb"] - without["rss_kb"]) / devices
        print("| Heap after a full GC | devices connected | heap used | resident (RSS) |")
        print("|---|---:|---:|---:|")
        print(f"| before connecting | 0 | {without['heap_used_kb'] / 1024:,.1f} MB | {without['rss_kb'] / 1024:,.0f} MB |")
        print(f"| all connected | {devices:,} | {with_['heap_used_kb'] / 1024:,.1f} MB | {with_['rss_kb'] / 1024:,.0f} MB |")
        if kb_per_device is not None:
            print(f"| **per device** | | **{kb_per_device:.1f} KB** | {rss_per_device:.1f} KB |")
        print()
    elif "error" in heap:
        problems.append(f"the heap was not measured: {heap['error']}")
    else:
        print("Heap: not measured (no -Dnode.pids).")
        print()

    if args.report:
        try:
            report = report_rows(f"{args.report}/index.html", COLUMNS)
        except OSError:
            report = {}
        names = [n for n in report if n != "All Requests"]
        if names:
            print("Gatling's own figures (whole ms; `connect` is the WebSocket handshake, `welcome` the hello until the welcome):")
            print()
            print("| Request (Gatling) | count | KO | p50 ms | p95 ms | p99 ms | max ms |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for name in names:
                r = report[name]
                print(
                    f"| {name} | {fmt(r.get('total'))} | {fmt(r.get('ko'))} | {fmt(r.get('p50'))} | "
                    f"{fmt(r.get('p95'))} | {fmt(r.get('p99'))} | {fmt(r.get('max'))} |"
                )
            print()

    if args.metrics:
        print_node_side(args.metrics, args.metrics_start)

    if args.safepoints and args.transfers:
        print_stops(args.safepoints, args.transfers)

    if errors:
        print("| Error | count |")
        print("|---|---:|")
        for name, count in sorted(errors.items()):
            print(f"| {name} | {count:,} |")
        print()

    target = TARGET_P99_MS.get(nodes, 50)
    p99 = run["transfer"]["p99"] if run["transfer"]["count"] else None
    print("| Target | measured | met |")
    print("|---|---:|---|")
    place = "same node" if nodes == 1 else "across nodes"
    print(f"| transfer p99 ≤ {target} ms ({place}) | {fmt(p99)} ms | {'yes' if p99 is not None and p99 <= target else 'no'} |")
    if sync.get("count") and sync.get("p99") is not None:
        below = "no" if sync["p99"] > target else "yes"
        print(f"| (the baseline's p99 ≤ {target} ms: is the target above this machine's floor?) | {fmt(sync['p99'])} ms | {below} |")
    if kb_per_device is not None:
        met = "yes" if kb_per_device <= TARGET_KB_PER_DEVICE else "no"
        print(f"| heap ≤ {TARGET_KB_PER_DEVICE:.0f} KB per connected device | {kb_per_device:.1f} KB | {met} |")
    else:
        print(f"| heap ≤ {TARGET_KB_PER_DEVICE:.0f} KB per connected device | n/a | not measured |")

    if not run["transfer"]["count"] and s["transfers"] > 0:
        problems.append("no transfer was measured")
    if failed:
        problems.append(f"{failed} errors (see the table)")
    if run["users_connected"] < s["users"]:
        problems.append(f"only {run['users_connected']} of {s['users']} users connected all their devices")
    if problems:
        print()
        print("Not a valid measurement: " + "; ".join(problems) + ".")
        return 1
    return 0


# The node's own histograms: over its whole life, or (with the scrapes taken when the transfers
# began) over the transfers and the closes after them.
NODE_SIDE = [
    ("transfer: the session's answer (edge → entity → durable write → answer)",
     "cadenza_session_commands_seconds", {"command": "Transfer", "outcome": "accepted"}),
    ("report: the session's answer", "cadenza_session_commands_seconds",
     {"command": "Report", "outcome": "accepted"}),
    ("heartbeat: the session's answer (no write)", "cadenza_session_commands_seconds",
     {"command": "Heartbeat", "outcome": "accepted"}),
    ("the session store's write (Cassandra)", "cadenza_session_store_seconds",
     {"operation": "save", "outcome": "ok"}),
    ("event loop delay (a timer every 100 ms, all edge event loops)", "cadenza_eventloop_delay_seconds", {}),
]


def histogram(lines, name, labels):
    """Cumulative bucket counts (upper bound in s → count) of the series matching labels, summed."""
    buckets = {}
    pattern = re.compile(r'^' + re.escape(name) + r'_bucket\{(.*)\} (\S+)$')
    for line in lines:
        m = pattern.match(line)
        if not m:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if any(found.get(k) != v for k, v in labels.items()):
            continue
        le = float("inf") if found["le"] == "+Inf" else float(found["le"])
        buckets[le] = buckets.get(le, 0) + float(m.group(2))
    return sorted(buckets.items())


def bucket_quantile(buckets, q):
    """The upper bound of the bucket holding quantile q (so "≤ that")."""
    total = buckets[-1][1]
    for le, count in buckets:
        if count >= q * total:
            return le
    return buckets[-1][0]


def read_lines(files):
    lines = []
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                lines.extend(f.read().splitlines())
        except OSError:
            return None
    return lines


def print_node_side(files, start_files):
    lines = read_lines(files) or []
    # Split only with a start scrape of every node: a sum over nodes of which some are split and some
    # not would be neither.
    start = read_lines(start_files) if start_files and len(start_files) == len(files) else None
    rows = []
    for label, name, labels in NODE_SIDE:
        b = histogram(lines, name, labels)
        if start is not None:
            before = dict(histogram(start, name, labels))
            b = [(le, count - before.get(le, 0)) for le, count in b]
        if b and b[-1][1] > 0:
            rows.append((label, int(b[-1][1]), *(bucket_quantile(b, q) for q in (0.5, 0.9, 0.99, 0.999))))
    if not rows:
        return
    span = ("from the measured transfers to the end of the run" if start is not None
            else "over the node's whole life")
    print(f"The node's own histograms {span} (Prometheus buckets: each figure is the bucket's upper bound):")
    print()
    print("| Node side | count | p50 ≤ ms | p90 ≤ ms | p99 ≤ ms | p99.9 ≤ ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, count, *qs in rows:
        cells = " | ".join("∞" if q == float("inf") else fmt(q * 1000) for q in qs)
        print(f"| {label} | {count:,} | {cells} |")
    print()


SAFEPOINT = re.compile(r'^\[(\d+)ms\].*Safepoint "(\w+)".*Total: (\d+) ns')


def transfer_window(path):
    """(first command sent, last state received) in epoch ms, from transfers.csv."""
    first, last = None, None
    try:
        with open(path, encoding="utf-8") as f:
            next(f, None)
            for line in f:
                cells = line.strip().split(",")
                if len(cells) < 4:
                    continue
                sent, done = int(cells[0]), int(cells[3])
                first = sent if first is None else min(first, sent)
                last = done if last is None else max(last, done)
    except (OSError, ValueError):
        return None
    return (first, last) if first is not None else None


def print_stops(logs, transfers):
    """Each JVM's stops (safepoints: GC pauses and the rest) while the transfers went on."""
    window = transfer_window(transfers)
    if window is None:
        return
    rows = []
    for spec in logs:
        name, _, path = spec.partition("=")
        stops = []
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = SAFEPOINT.match(line)
                    # A stop logged at its end: it overlaps the window if it ended after its start.
                    if m and window[0] <= int(m.group(1)) <= window[1] + int(m.group(3)) // 1_000_000:
                        stops.append(int(m.group(3)) / 1e6)
        except OSError:
            continue
        stops.sort()
        if stops:
            total = sum(stops)
            longer = sum(1 for s in stops if s > 10)
            rows.append((name, len(stops), longer, stops[len(stops) // 2], stops[-1], total))
    if not rows:
        return
    seconds = (window[1] - window[0]) / 1000
    print(f"JVM stops (safepoints: GC pauses and the rest) during the {seconds:.0f} s of transfers; while a "
          "JVM is stopped, what it sends or receives waits:")
    print()
    print("| JVM | stops | over 10 ms | median ms | longest ms | stopped in all |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, longer, median, longest, total in rows:
        print(f"| {name} | {count:,} | {longer:,} | {median:.1f} | {longest:.1f} | "
              f"{total:,.0f} ms ({100 * total / 1000 / seconds:.1f} %) |")
    print()


if __name__ == "__main__":
    sys.exit(main())
