"""Helpers shared by the benchmark table scripts: a Gatling report's statistics table, Prometheus
scrapes and their differences, number formatting. Imported by the scripts next to it."""

import html
import re


def report_rows(index_html, columns):
    """Per request name, the numbers of the report's statistics table; `columns` maps a column
    index of the table to the name the script uses for it."""
    text = open(index_html, encoding="utf-8").read()
    rows = {}
    for row in re.findall(r'<tr id="(?:req_[^"]*|ROOT)"[^>]*>(.*?)</tr>', text, re.S):
        name = re.search(r'class="ellipsed-name">([^<]*)</span>', row)
        if not name:
            continue
        values = {}
        for col, value in re.findall(r'<td class="value [^"]*col-(\d+)">([^<]*)</td>', row):
            col = int(col)
            if col in columns:
                value = value.replace(",", "").strip()
                values[columns[col]] = float(value) if value not in ("", "-") else None
        rows[html.unescape(name.group(1))] = values
    return rows


def metrics(path):
    """Prometheus text as {(name, frozenset(labels)): value}; None when the file is missing."""
    out = {}
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        return None
    for line in lines:
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)", line)
        if not m:
            continue
        labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        try:
            out[(m.group(1), labels)] = float(m.group(3))
        except ValueError:
            pass
    return out


def delta(before, after, name, match):
    """Sum over series of `name` whose labels satisfy `match`, after minus before."""
    total = 0.0
    for (n, labels), value in after.items():
        if n == name and match(dict(labels)):
            total += value - before.get((n, labels), 0.0)
    return total
