"""Inline SVG charts drawn from page data: hexagon map, bars, registration timeline, trends.

No chart library and nothing from the internet: each function turns the JSON-able page data
into one accessible `<svg>` (with `<title>` tooltips) that templates embed as is.
"""

from __future__ import annotations

import math
from datetime import date
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


def hex_map(hexmap: dict[str, Any], label: str = "map") -> Markup:
    """Hexagons coloured by the share of flagged properties in each."""
    size = hexmap.get("size") or 0
    if not hexmap.get("hexes"):
        return Markup("")
    corners = [(size * math.cos(math.radians(60 * i - 30)),
                size * math.sin(math.radians(60 * i - 30))) for i in range(6)]
    parts = []
    for h in hexmap["hexes"]:
        share = h["flagged"] / h["properties"] if h["properties"] else 0
        points = " ".join(f"{h['x'] + dx:.1f},{h['y'] + dy:.1f}" for dx, dy in corners)
        tip = (f"{h['top_district']}: {h['properties']} properties, {h['flagged']} flagged, "
               f"max score {h['max_score']}")
        link = f"/inspection?district={quote(str(h['top_district']))}"
        parts.append(
            f'<a href="{escape(link)}"><polygon class="hex" points="{points}" '
            f'fill="{_heat(share)}" data-district="{escape(h["top_district"])}" '
            f'data-flagged="{h["flagged"]}"><title>{escape(tip)}</title></polygon></a>')
    return _svg(hexmap["width"], hexmap["height"], "".join(parts), label, "chart map")


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


def trend_lines(trends: list[dict[str, Any]], label: str, width: int = 560,
                height: int = 180) -> Markup:
    """Flag counts per indicator across analysis runs (`as_of`, `flag_counts`)."""
    if len(trends) < 2:
        return Markup("")
    names = trend_names(trends)
    top = max((v for t in trends for v in (t.get("flag_counts") or {}).values()), default=1)
    step = (width - 60) / (len(trends) - 1)
    parts = []
    for i, name in enumerate(names):
        points = " ".join(
            f"{30 + n * step:.1f},{height - 20 - (t['flag_counts'].get(name, 0) / top) * (height - 40):.1f}"  # noqa: E501
            for n, t in enumerate(trends))
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{points}"><title>{escape(name)}</title></polyline>')
    for n, t in enumerate(trends):
        parts.append(f'<text x="{30 + n * step:.1f}" y="{height - 4}" class="axis" '
                     f'text-anchor="middle">{escape(str(t["as_of"]))}</text>')
    return _svg(width, height, "".join(parts), label)


def trend_names(trends: list[dict[str, Any]]) -> list[str]:
    """The indicators present in any run, in the order the trend lines are coloured."""
    return sorted({k for t in trends for k in (t.get("flag_counts") or {})})


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


def monthly_lines(rows: list[dict[str, Any]], label: str, width: int = 560,
                  height: int = 170) -> Markup:
    """This official's approvals per month (red) against the mean office peer (grey)."""
    if len(rows) < 2:
        return Markup("")
    top = max(max(r["own"], r["peer_mean"]) for r in rows) or 1
    step = (width - 50) / (len(rows) - 1)

    def line(key: str, cls: str) -> str:
        points = " ".join(f"{30 + n * step:.1f},{height - 22 - r[key] / top * (height - 40):.1f}"
                          for n, r in enumerate(rows))
        return f'<polyline class="{cls}" fill="none" stroke-width="2" points="{points}"/>'

    ticks = "".join(
        f'<text x="{30 + n * step:.1f}" y="{height - 6}" class="axis" text-anchor="middle">'
        f"{escape(r['month'])}</text>" for n, r in enumerate(rows) if n % 3 == 0)
    scale = (f'<text x="2" y="14" class="axis">{top:g}</text>'
             f'<line x1="30" x2="{width - 20}" y1="{height - 22}" y2="{height - 22}" '
             'class="grid"/>')
    return _svg(width, height, scale + line("peer_mean", "peer") + line("own", "own") + ticks,
                label)
