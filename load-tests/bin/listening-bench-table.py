#!/usr/bin/env python3
"""Prints the listening benchmark's table (markdown) from ListeningBench's results.json."""

import argparse
import json


def fmt(n, digits=0):
    if n is None:
        return "–"
    return f"{n:,.{digits}f}"


def at(samples, t):
    """The committed count of the last sample at or before t seconds."""
    best = None
    for s in samples:
        if s["t_s"] <= t:
            best = s
    return best


def analyse(run):
    samples = sorted(run["samples"], key=lambda s: s["t_s"])
    produce_s = run["produce_s"]
    events = run["events"]
    done = next((s for s in samples if s["committed"] >= events), None)
    # Steady state: from 10 % of the producing window (the sink has started) to its end.
    start = at(samples, produce_s * 0.1) or samples[0]
    end = at(samples, produce_s) or samples[-1]
    dt = end["t_s"] - start["t_s"]
    sustained = (end["committed"] - start["committed"]) / dt if dt > 0 else None
    during = [s for s in samples if s["t_s"] <= produce_s]
    lags = sorted(s["lag_s"] for s in during) or [0.0]
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
    return {
        "produced_per_s": events / produce_s if produce_s else None,
        "sustained": sustained,
        "overall": events / done["t_s"] if done else None,
        "lag_max_s": max(s["lag_s"] for s in samples),
        "lag_p99_s": p99,
        "lag_max_records": max(s["lag_records"] for s in samples),
        "drain_s": (done["t_s"] - produce_s) if done else None,
        "written": run["written"],
        "complete": run["written"] >= events,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--load")
    ap.add_argument("--label", default="./cadenza bench listening")
    a = ap.parse_args()
    r = json.load(open(a.results, encoding="utf-8"))
    print(f"`{a.label}`")
    print()
    print(
        f"Listening events of {r['record_bytes']} bytes (JSON, schema 1) keyed by user over "
        f"{r['users']:,} users, {r['partitions']} partitions; the sink is one process (SinkMain) with "
        f"{r['sinks']} consumer(s), writing each event to listening_log (and, for the ~80 % that count, "
        "to daily_plays) and committing offsets only after the writes. 19 in 20 events are live plays, "
        "ended at their send (as the node reports them), 1 in 20 offline plays of the two days before; "
        "event ids are time-ordered by the play's end, as the node makes them. Throughput and lag come from the "
        "sink group's committed offsets, sampled every 0.25 s; lag in seconds is the age of the oldest "
        "event not yet written."
    )
    warm = [r[n]["warmup"] for n in ("rate", "max") if r.get(n) and r[n].get("warmup", {}).get("events")]
    if warm:
        print()
        print(
            f"Each run (its sink a fresh JVM) is first warmed up: {warm[0]['events']:,} events at "
            f"{warm[0].get('rate', 0):,}/s, the same mix as the measured ones, all written"
            + (f", then {warm[0]['settle_s']} s of rest" if warm[0].get("settle_s") else "")
            + ", before the measured events are offered; they are not counted (warm-ups took "
            + ", ".join(f"{w['seconds']:.1f} s" for w in warm)
            + ")."
        )
    if a.load:
        print()
        for line in open(a.load, encoding="utf-8"):
            print(line.strip() + "  ")
    print()
    b = r.get("baseline")
    base = b["events_per_s"] if b else None
    print("| Run | events | offered /s | produced /s | written /s (steady) | written /s (to the last) | ratio to Kafka's producer | lag p99 / max | max lag (events) | drained after | all written |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    if b:
        print(
            f"| baseline: Kafka's ProducerPerformance (acks=all, idempotent, linger 5 ms) | {fmt(b['events'])} | max | "
            f"{fmt(base)} | – | – | 1.00 | p99 send latency {fmt(b.get('p99_latency_ms'))} ms | – | – | – |"
        )
    rows = {}
    for name, title in (("rate", "offered rate"), ("max", "as fast as the producer goes")):
        run = r.get(name)
        if not run:
            continue
        x = analyse(run)
        rows[name] = (run, x)
        offered = fmt(run["offered_per_s"]) if run["offered_per_s"] else "max"
        ratio = f"{x['sustained'] / base:.2f}" if x["sustained"] and base else "–"
        print(
            f"| {title} | {fmt(run['events'])} | {offered} | {fmt(x['produced_per_s'])} | {fmt(x['sustained'])} | "
            f"{fmt(x['overall'])} | {ratio} | {x['lag_p99_s']:.1f} s / {x['lag_max_s']:.1f} s | {fmt(x['lag_max_records'])} | "
            f"{fmt(x['drain_s'], 1)} s | {'yes' if x['complete'] else 'NO: ' + fmt(x['written'])} |"
        )
    print()
    print("| Target | measured | met |")
    print("|---|---:|---|")
    if "rate" in rows:
        run, x = rows["rate"]
        offered = run["offered_per_s"]
        met = (
            offered >= 20000
            and x["complete"]
            and x["sustained"] is not None
            and x["sustained"] >= 0.99 * offered
            and x["lag_max_s"] < 5
        )
        print(
            f"| ≥ 20,000 events/s sustained, lag < 5 s | {fmt(x['sustained'])}/s written at {fmt(offered)}/s offered, "
            f"max lag {x['lag_max_s']:.1f} s | {'yes' if met else 'no'} |"
        )
    if "max" in rows:
        run, x = rows["max"]
        cap = x["overall"]
        ratio = f" ({cap / base:.2f}× Kafka's producer)" if cap and base else ""
        print(f"| (capacity: the max run's events written per second, first send to last write) | {fmt(cap)}/s{ratio} | – |")

if __name__ == "__main__":
    main()
