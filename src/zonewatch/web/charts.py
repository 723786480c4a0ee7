"""Inline SVG charts drawn from page data: hexagon map, bars, registration timeline, trends.

No chart library and nothing from the internet: each function turns the JSON-able page data
into one accessible `<svg>` (with `<title>` tooltips) that templates embed as is.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f",
           "#718096"]
RELATION_COLOURS = {"owner": "#1a202c", "family": "#2f855a", "none": "#cbd5e0"}


def _svg(width: float, height: float, body: str, label: str, cls: str = "chart",
         natural: bool = False) -> Markup:
    """An <svg>; `natural` keeps its pixel size (text stays readable) up to the card width."""
    size = f' style="width:{width:.0f}px"' if natural else ""
    return Markup(
        f'<svg class="{cls}" viewBox="0 0 {width:.0f} {height:.0f}" role="img"{size} '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet">{body}</svg>')


def _fmt(value: float) -> str:
    """A figure for a chart label: whole numbers as such, others with two decimals."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _heat(share: float) -> str:
    """Light grey (nothing flagged) to deep red (all flagged)."""
    share = max(0.0, min(1.0, share))
    low, high = (237, 242, 247), (197, 48, 48)
    r, g, b = (round(lo + (hi - lo) * math.sqrt(share)) for lo, hi in zip(low, high,
                                                                          strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


MIN_HEX_PROPERTIES = 5  # a hexagon with fewer properties shows no rate (one flat is not a rate)
RATE_TICKS = (0.0, 0.05, 0.1, 0.25, 0.5)  # the legend's steps of the share flagged
# axial neighbour -> the two corners of the shared edge (pointy-top, corners at 60i - 30 deg)
NEIGHBOUR_EDGES = {(1, 0): (0, 1), (0, 1): (1, 2), (-1, 1): (2, 3), (-1, 0): (3, 4),
                   (0, -1): (4, 5), (1, -1): (5, 0)}


def hex_map(hexmap: dict[str, Any], label: str = "map",
            words: dict[str, str] | None = None) -> Markup:
    """Hexagons coloured by the share of flagged properties (hexagons with fewer than
    MIN_HEX_PROPERTIES properties hatched, not coloured), borders where the district a
    hexagon mostly holds changes, each district's name at its centre, and a legend.
    `words` gives the tooltip and legend texts (`properties`, `flagged`, `max_score`,
    `share_flagged`, `too_few`)."""
    words = {"properties": "properties", "flagged": "flagged", "max_score": "max score",
             "share_flagged": "share of properties flagged",
             "too_few": f"fewer than {MIN_HEX_PROPERTIES} properties"} | (words or {})
    size = hexmap.get("size") or 0
    if not hexmap.get("hexes"):
        return Markup("")
    corners = [(size * math.cos(math.radians(60 * i - 30)),
                size * math.sin(math.radians(60 * i - 30))) for i in range(6)]
    by_cell = {(h["q"], h["r"]): h for h in hexmap["hexes"]}
    parts = ['<defs><pattern id="few" width="4" height="4" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="4" height="4" fill="#f7fafc"/>'
             '<line x1="0" y1="0" x2="0" y2="4" stroke="#cbd5e0" stroke-width="1.5"/>'
             "</pattern></defs>"]
    borders = []
    for h in hexmap["hexes"]:
        enough = h["properties"] >= MIN_HEX_PROPERTIES
        share = h["flagged"] / h["properties"] if h["properties"] else 0
        fill = _heat(share / RATE_TICKS[-1]) if enough else "url(#few)"
        points = " ".join(f"{h['x'] + dx:.1f},{h['y'] + dy:.1f}" for dx, dy in corners)
        tip = (f"{h['top_district']}: {h['properties']} {words['properties']}, {h['flagged']} "
               f"{words['flagged']}" + (f" ({100 * share:.0f}%)" if enough else
                                         f" ({words['too_few']})")
               + f", {words['max_score']} {h['max_score']}")
        link = f"/inspection?district={quote(str(h['top_district']))}"
        parts.append(
            f'<a href="{escape(link)}"><polygon class="hex" points="{points}" '
            f'fill="{fill}" data-district="{escape(h["top_district"])}" '
            f'data-flagged="{h["flagged"]}" data-properties="{h["properties"]}">'
            f"<title>{escape(tip)}</title></polygon></a>")
        for (dq, dr), (a, b) in NEIGHBOUR_EDGES.items():
            other = by_cell.get((h["q"] + dq, h["r"] + dr))
            if other is not None and other["top_district"] != h["top_district"] and (
                    (h["q"], h["r"]) < (other["q"], other["r"])):
                borders.append(
                    f'<line class="district-border" x1="{h["x"] + corners[a][0]:.1f}" '
                    f'y1="{h["y"] + corners[a][1]:.1f}" x2="{h["x"] + corners[b][0]:.1f}" '
                    f'y2="{h["y"] + corners[b][1]:.1f}"/>')
    names = []
    for district in sorted({h["top_district"] for h in hexmap["hexes"]}):
        cells = [h for h in hexmap["hexes"] if h["top_district"] == district]
        x = sum(h["x"] for h in cells) / len(cells)
        y = sum(h["y"] for h in cells) / len(cells)
        names.append(f'<text class="district-label" x="{x:.1f}" y="{y + 4:.1f}" '
                     f'text-anchor="middle">{escape(district)}</text>')
    width, height = hexmap["width"], hexmap["height"]
    legend = [f'<text class="axis" x="0" y="{height + 16:.0f}">{escape(words["share_flagged"])}'
              "</text>"]
    for n, tick in enumerate(RATE_TICKS):
        x = n * 56
        legend.append(f'<rect x="{x}" y="{height + 22:.0f}" width="50" height="10" '
                      f'fill="{_heat(tick / RATE_TICKS[-1])}"/><text class="axis" x="{x}" '
                      f'y="{height + 44:.0f}">{"≥ " if n == len(RATE_TICKS) - 1 else ""}'
                      f"{100 * tick:.0f}%</text>")
    x = len(RATE_TICKS) * 56 + 10
    legend.append(f'<rect x="{x}" y="{height + 22:.0f}" width="22" height="10" '
                  f'fill="url(#few)" stroke="#cbd5e0"/><text class="axis" x="{x + 28}" '
                  f'y="{height + 31:.0f}">{escape(words["too_few"])}</text>')
    body = "".join(parts + borders + names + legend)
    return _svg(max(width, 420), height + 50, body, label, "chart map")


def bars(items: list[dict[str, Any]], label: str, value_key: str = "value",
         width: int = 560) -> Markup:
    """Horizontal bars: items carry `label`, a value under `value_key`, optional `highlight`
    and an optional second value `value2` drawn inside the first (e.g. flagged part)."""
    if not items:
        return Markup("")
    row, left, pad = 22, 150, 60
    top = max(float(i.get(value_key) or 0) for i in items) or 1.0
    scale = (width - left - pad) / top
    parts = []
    for n, item in enumerate(items):
        y = n * row
        value = float(item.get(value_key) or 0)
        cls = "bar highlight" if item.get("highlight") else "bar"
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" class="axis">'
            f"{escape(str(item['label']))[:24]}</text>"
            f'<rect class="{cls}" x="{left}" y="{y + 3}" width="{value * scale:.1f}" '
            f'height="{row - 6}"><title>{escape(str(item["label"]))}: {_fmt(value)}</title></rect>')
        if item.get("value2") is not None:
            parts.append(f'<rect class="bar2" x="{left}" y="{y + 3}" '
                         f'width="{float(item["value2"]) * scale:.1f}" height="{row - 6}"/>')
        parts.append(f'<text x="{left + value * scale + 4:.1f}" y="{y + 15}" class="axis">'
                     f"{_fmt(value)}</text>")
    return _svg(width, len(items) * row + 4, "".join(parts), label, natural=True)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def citizenship_colours(rows: list[dict[str, Any]]) -> dict[str, str]:
    """A stable colour per citizenship, most frequent first, the rest grey."""
    counts: dict[str, int] = {}
    for r in rows:
        key = r.get("citizenship") or "?"
        counts[key] = counts.get(key, 0) + 1
    order = sorted(counts, key=lambda k: (-counts[k], k))
    return {k: PALETTE[i] if i < len(PALETTE) - 1 else PALETTE[-1] for i, k in enumerate(order)}


def timeline(rows: list[dict[str, Any]], as_of: str | None, label: str,
             width: int = 900, words: dict[str, str] | None = None) -> Markup:
    """One bar per registration from start to end (or as-of), coloured by citizenship,
    with a marker at its start coloured by the person's relation to the owner; `words`
    translates the kind and relation values in the tooltips."""
    words = words or {}
    if not rows:
        return Markup("")
    end_default = _as_date(as_of) or max(_as_date(r["start_date"]) for r in rows)
    starts = [_as_date(r["start_date"]) for r in rows]
    ends = [_as_date(r.get("end_date")) or end_default for r in rows]
    lo, hi = min(starts), max(max(ends), end_default)
    span = max((hi - lo).days, 1)
    left, row, axis = 10, 7 if len(rows) > 60 else 12, 24
    scale = (width - 2 * left) / span
    colours = citizenship_colours(rows)
    parts = []
    for n, (r, s, e) in enumerate(zip(rows, starts, ends, strict=True)):
        x, y = left + (s - lo).days * scale, axis + n * row
        w = max((e - s).days * scale, 2)
        kind, relation = r.get("kind"), r.get("relation")
        tip = (f"{r['person_id']} · {r.get('citizenship') or '?'} · {words.get(kind, kind)} · "
               f"{s.isoformat()} → {r.get('end_date') or '…'} · "
               f"{words.get(relation, relation)}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 2}" rx="1.5" '
            f'fill="{colours[r.get("citizenship") or "?"]}" class="reg">'
            f"<title>{escape(tip)}</title></rect>")
        if r.get("relation") in ("owner", "family"):
            parts.append(f'<circle cx="{x:.1f}" cy="{y + (row - 2) / 2}" r="{row / 2}" '
                         f'fill="{RELATION_COLOURS[r["relation"]]}"/>')
    ticks = []
    months = (1,) if span > 3 * 365 else (1, 4, 7, 10) if span > 240 else tuple(range(1, 13))
    for year in range(lo.year, hi.year + 1):
        for month in months:
            tick = date(year, month, 1)
            if not lo <= tick <= hi:
                continue
            tx = left + (tick - lo).days * scale
            text = str(year) if month == 1 else f"{year}-{month:02d}"
            ticks.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="14" y2="{axis + len(rows) * row}"'
                         f' class="grid"/><text x="{tx + 3:.1f}" y="12" class="axis">{text}'
                         "</text>")
    as_x = left + (end_default - lo).days * scale
    ticks.append(f'<line x1="{as_x:.1f}" x2="{as_x:.1f}" y1="14" y2="{axis + len(rows) * row}" '
                 f'class="asof"/>')
    return _svg(width, axis + len(rows) * row + 4, "".join(ticks + parts), label)


TREND_LINES = len(PALETTE) - 1  # lines drawn one by one; the rest are summed as "other"


def trend_points(trends: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One point per as-of date (the run registered last wins), oldest first."""
    latest: dict[str, dict[str, Any]] = {}
    for t in trends:
        latest[str(t["as_of"])] = t
    return [latest[k] for k in sorted(latest)]


def trend_names(trends: list[dict[str, Any]]) -> list[str]:
    """The indicators drawn as their own lines: the largest in the last run (then by name),
    at most TREND_LINES; the others go into one "other" line."""
    points = trend_points(trends)
    if not points:
        return []
    last = points[-1].get("flag_counts") or {}
    names = {k for t in points for k in (t.get("flag_counts") or {})}
    return sorted(names, key=lambda k: (-int(last.get(k, 0)), k))[:TREND_LINES]


def trend_series(trends: list[dict[str, Any]], other: str = "other") -> dict[str, list[int]]:
    """Name -> flag count per as-of date, for the named lines and the summed rest."""
    points = trend_points(trends)
    names = trend_names(trends)
    series = {n: [int((t.get("flag_counts") or {}).get(n, 0)) for t in points] for n in names}
    rest = [sum(int(v) for k, v in (t.get("flag_counts") or {}).items() if k not in names)
            for t in points]
    if any(rest):
        series[other] = rest
    return series


def trend_lines(trends: list[dict[str, Any]], label: str, width: int = 560,
                height: int = 180, words: dict[str, str] | None = None) -> Markup:
    """Flagged entities per indicator across analysis runs (`as_of`, `flag_counts`): a y axis
    with its count, one tick per as-of date (duplicates dropped), a legend."""
    words = {"count": "flagged", "other": "other indicators"} | (words or {})
    points = trend_points(trends)
    if len(points) < 2:
        return Markup("")
    series = trend_series(trends, words["other"])
    top = max((v for values in series.values() for v in values), default=0) or 1
    left, bottom, plot_top = 44, 24, 12
    step = (width - left - 20) / (len(points) - 1)

    def y(v: float) -> float:
        return height - bottom - v / top * (height - bottom - plot_top)

    parts = [f'<line x1="{left}" x2="{left}" y1="{plot_top}" y2="{height - bottom}" '
             f'class="grid"/><line x1="{left}" x2="{width - 10}" y1="{height - bottom}" '
             f'y2="{height - bottom}" class="grid"/>']
    for tick in (0, top / 2, top):
        parts.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" class="axis" '
                     f'text-anchor="end">{_fmt(round(tick))}</text>')
    parts.append(f'<text x="{left + 4}" y="{plot_top - 2}" class="axis">'
                 f"{escape(words['count'])}</text>")
    for i, (name, values) in enumerate(series.items()):
        colour = PALETTE[i] if name != words["other"] else PALETTE[-1]
        coords = " ".join(f"{left + n * step:.1f},{y(v):.1f}" for n, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{coords}" data-name="{escape(name)}"><title>{escape(name)}: '
                     f"{', '.join(map(str, values))}</title></polyline>")
    for n, t in enumerate(points):
        anchor = "end" if n == len(points) - 1 else "start" if n == 0 else "middle"
        parts.append(f'<text x="{left + n * step:.1f}" y="{height - 6}" class="axis" '
                     f'text-anchor="{anchor}">{escape(str(t["as_of"]))}</text>')
    return _svg(width, height, "".join(parts), label) + trend_legend(series, words["other"])


def trend_legend(series: dict[str, list[int]], other: str) -> Markup:
    """The legend of `trend_lines`: a colour per line and its latest count."""
    items = "".join(
        f'<span><i style="background:{PALETTE[i] if name != other else PALETTE[-1]}"></i>'
        f"{escape(name)} ({values[-1]})</span>" for i, (name, values) in enumerate(series.items()))
    return Markup(f'<div class="legend trend-legend">{items}</div>')


def dict_bar(row: dict[str, Any], label_key: str, value_key: str) -> dict[str, Any]:
    """A Jinja filter: one row of a table as a bar of `bars`."""
    return {"label": row.get(label_key), "value": row.get(value_key)}


def peer_bar(row: dict[str, Any]) -> dict[str, Any]:
    """A Jinja filter: one office peer as a bar (approvals, flagged part, this official)."""
    return {"label": row.get("official_id"), "value": row.get("approvals"),
            "value2": row.get("flagged_approvals"), "highlight": row.get("is_self")}


def trend_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Jinja filter: a register evidence trend point in the shape `trend_lines` draws."""
    return {"as_of": row.get("as_of"), "flag_counts": row.get("flags") or {}}


def before_after(flagged: dict[str, float], overall: dict[str, float], flagged_label: str,
                 overall_label: str, width: int = 360) -> Markup:
    """Two pairs of bars: a rate before and after a measure, at flagged properties and overall."""
    top = max(flagged["before"], flagged["after"], overall["before"], overall["after"], 1e-9)
    parts = []
    for n, (label, pair) in enumerate(((flagged_label, flagged), (overall_label, overall))):
        y = n * 46
        parts.append(f'<text x="0" y="{y + 10}" class="axis">{escape(label)}</text>')
        for k, key in enumerate(("before", "after")):
            w = (width - 100) * pair[key] / top
            cls = "bar" if key == "before" else "bar highlight"
            parts.append(f'<rect class="{cls}" x="40" y="{y + 14 + k * 14}" width="{w:.1f}" '
                         f'height="11"/><text x="0" y="{y + 23 + k * 14}" class="axis">{key}'
                         f'</text><text x="{44 + w:.1f}" y="{y + 23 + k * 14}" class="axis">'
                         f"{pair[key]:g}</text>")
    return _svg(width, 92, "".join(parts), f"{flagged_label}; {overall_label}", natural=True)


def partial_months(rows: list[dict[str, Any]], as_of: str | None, days: int) -> set[str]:
    """The months (YYYY-MM) of `rows` the window of `days` up to `as_of` covers only in part:
    the first unless the window starts on the 1st, the last unless as-of is a month's end."""
    end = _as_date(as_of)
    if end is None or not rows:
        return set()
    start = end - timedelta(days=days - 1)
    partial = set()
    if start.day != 1:
        partial.add(start.strftime("%Y-%m"))
    if (end + timedelta(days=1)).day != 1:
        partial.add(end.strftime("%Y-%m"))
    return partial & {r["month"] for r in rows}


def monthly_lines(rows: list[dict[str, Any]], label: str, as_of: str | None = None,
                  days: int = 730, words: dict[str, str] | None = None, width: int = 560,
                  height: int = 180) -> Markup:
    """This official's approvals per month (red) against the mean office peer (grey), with a
    count axis; months the window covers only in part are drawn dashed and hollow, not as a
    drop (`words`: `axis`, `partial`)."""
    words = {"axis": "approvals per month", "partial": "partial month"} | (words or {})
    if len(rows) < 2:
        return Markup("")
    partial = partial_months(rows, as_of, days)
    top = max(max(r["own"], r["peer_mean"]) for r in rows) or 1
    left, bottom, plot_top = 40, 24, 14
    step = (width - left - 20) / (len(rows) - 1)

    def xy(n: int, v: float) -> tuple[float, float]:
        return left + n * step, height - bottom - v / top * (height - bottom - plot_top)

    def line(key: str, cls: str) -> str:
        out = []
        for n in range(len(rows) - 1):
            (x1, y1), (x2, y2) = xy(n, rows[n][key]), xy(n + 1, rows[n + 1][key])
            cut = {rows[n]["month"], rows[n + 1]["month"]} & partial
            dash = ' stroke-dasharray="4 3"' if cut else ""
            out.append(f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                       f'y2="{y2:.1f}" stroke-width="2"{dash}/>')
        for n, r in enumerate(rows):
            x, y = xy(n, r[key])
            hollow = r["month"] in partial
            out.append(f'<circle class="{cls}{" partial" if hollow else ""}" cx="{x:.1f}" '
                       f'cy="{y:.1f}" r="{3 if hollow else 2}"><title>{escape(r["month"])}: '
                       f'{_fmt(r[key])}{" (" + escape(words["partial"]) + ")" if hollow else ""}'
                       "</title></circle>")
        return "".join(out)

    ticks = "".join(
        f'<text x="{xy(n, 0)[0]:.1f}" y="{height - 6}" class="axis" text-anchor="middle">'
        f"{escape(r['month'])}{'*' if r['month'] in partial else ''}</text>"
        for n, r in enumerate(rows) if n % 3 == 0 or n == len(rows) - 1)
    axis = "".join(f'<text x="{left - 4}" y="{xy(0, v)[1] + 4:.1f}" class="axis" '
                   f'text-anchor="end">{_fmt(round(v, 1))}</text>' for v in (0, top / 2, top))
    axis += (f'<line x1="{left}" x2="{width - 10}" y1="{height - bottom}" '
             f'y2="{height - bottom}" class="grid"/><line x1="{left}" x2="{left}" '
             f'y1="{plot_top}" y2="{height - bottom}" class="grid"/>'
             f'<text x="{left + 4}" y="{plot_top - 3}" class="axis">{escape(words["axis"])}'
             f'{" · * " + escape(words["partial"]) if partial else ""}</text>')
    return _svg(width, height, axis + line("peer_mean", "peer") + line("own", "own") + ticks,
                label)
