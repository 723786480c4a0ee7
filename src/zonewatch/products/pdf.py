"""PDF field sheets (one page per day and team of a plan) and property dossiers (fpdf2).

Text is set in DejaVu Sans (Debian's `fonts-dejavu-core`), which covers Cyrillic and the
Kazakh letters; labels come from `pdf_labels.yaml` in English, Russian or Kazakh. The
renderers take plain dicts (a plan as `inspections.planner.plan_dict` gives it, a dossier
as `products.dossier.dossier_data` gives it), so what is masked upstream stays masked.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
LANGUAGES = ("en", "ru", "kk")


class FontMissing(RuntimeError):
    """No Cyrillic-capable font found for the PDFs."""


@cache
def labels(lang: str) -> dict[str, str]:
    """The PDF labels of one language."""
    text = resources.files("zonewatch.products").joinpath("pdf_labels.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if lang not in data:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return {str(k): str(v) for k, v in data[lang].items()}


def _font_dir() -> Path:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").is_file() and (folder / "DejaVuSans-Bold.ttf").is_file():
            return folder
    raise FontMissing("DejaVu Sans is missing: install Debian's fonts-dejavu-core "
                      "(apt-get install -y fonts-dejavu-core)")


class _Doc(FPDF):
    def __init__(self, title: str, lang: str, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, format="A4")
        folder = _font_dir()
        self.add_font("dejavu", "", str(folder / "DejaVuSans.ttf"))
        self.add_font("dejavu", "B", str(folder / "DejaVuSans-Bold.ttf"))
        self.lb = labels(lang)
        self.doc_title = title
        self.set_title(title)
        self.set_creator("zonewatch")
        self.set_auto_page_break(True, margin=14)
        self.set_margins(10, 12, 10)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("dejavu", size=7)
        self.cell(0, 5, f"{self.lb['generated']} · {self.doc_title} · {self.lb['page']} "
                        f"{self.page_no()}", align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font("dejavu", "B", size)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("dejavu", size=8)

    def para(self, text: str) -> None:
        self.set_font("dejavu", size=8)
        self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def grid(self, header: list[str], rows: list[list[Any]], widths: tuple[float, ...]) -> None:
        self.set_font("dejavu", size=7.5)
        style = FontFace(emphasis="BOLD", fill_color=(225, 231, 240))
        with self.table(col_widths=widths, headings_style=style, line_height=4.2,
                        text_align="LEFT", padding=1) as table:
            table.row([str(h) for h in header])
            for row in rows:
                table.row(["—" if v is None or v == "" else str(v) for v in row])
        self.ln(3)


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def field_sheet(plan: dict[str, Any], lang: str = "en") -> bytes:
    """A plan's visits: one page per day and team with boxes to fill in the field.

    `plan` is `plan_dict` plus optional `addresses`/`reasons` keyed by property id."""
    doc = _Doc(f"{labels(lang)['plan']} #{plan['plan_id']}", lang, orientation="L")
    lb = doc.lb
    inspectors: dict[int, list[str]] = {}
    for a in plan.get("assignments", []):
        inspectors.setdefault(a["team"], []).append(a["username"])
    pages: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for visit in sorted(plan["visits"], key=lambda v: (v["visit_on"], v["team"], v["seq"])):
        pages.setdefault((visit["visit_on"], visit["team"]), []).append(visit)
    if not pages:
        doc.add_page()
        doc.heading(f"{lb['field_sheet']} · {lb['plan']} #{plan['plan_id']}")
    for (day, team), visits in pages.items():
        doc.add_page()
        who = ", ".join(inspectors.get(team, [])) or "—"
        doc.heading(f"{lb['field_sheet']} · {lb['plan']} #{plan['plan_id']}")
        doc.para(f"{lb['day']}: {day} · {lb['team']} {team} · {lb['inspector']}: {who}")
        rows = [[v["seq"], v["property_id"], v.get("address") or "", _num(v.get("score")),
                 (v.get("indicators") or "").replace(";", ", "), "☐  ☐  ☐", " ", " "]
                for v in visits]
        doc.grid([lb["num"], lb["property"], lb["address"], lb["score"], lb["why"], lb["outcome"],
                  lb["found"], lb["signature"]], rows, (8, 22, 62, 12, 55, 40, 22, 56))
    return bytes(doc.output())


def dossier(data: dict[str, Any], lang: str = "en") -> bytes:
    """One property: facts, score and explanation, evidence, owners, registrants, approving
    officials and inspections, as `products.dossier.dossier_data` gives them."""
    lb = labels(lang)
    doc = _Doc(f"{lb['dossier']} {data['property_id']}", lang)
    doc.add_page()
    doc.heading(f"{lb['dossier']} {data['property_id']}", 15)
    p = data.get("property") or {}
    r = data.get("ranked") or {}
    doc.para(f"{lb['address']}: {p.get('address') or '—'} · {lb['district']}: "
             f"{p.get('district') or '—'} · {lb['kind']}: {p.get('kind') or '—'} · {lb['area']}: "
             f"{_num(p.get('area_m2'), 1)} · {lb['as_of']}: {data.get('as_of') or '—'}")
    doc.para(f"{lb['rank']}: {r.get('rank', '—')} · {lb['score']}: {_num(r.get('score'))} · "
             f"{lb['registered']}: {r.get('registered', '—')}")
    if data.get("masked"):
        doc.para(lb["masked"])
    if r.get("explanation"):
        doc.heading(lb["explanation"], 11)
        doc.para(str(r["explanation"]))
    sections = [
        (lb["evidence"], [lb["indicator"], lb["evidence"], lb["value"], lb["threshold"]],
         [[e["indicator_id"], e.get("evidence"), _num(e.get("value")),
           _num(e.get("threshold"))] for e in data.get("evidence", [])], (30, 120, 20, 20)),
        (lb["owners"], [lb["owner"], lb["name"], lb["share"], lb["since"], lb["until"]],
         [[o["owner_id"], o.get("name"), _num(o.get("share")), o.get("start_date"),
           o.get("end_date")] for o in data.get("owners", [])], (30, 80, 20, 30, 30)),
        (lb["registrants"], [lb["person"], lb["name"], lb["iin"], lb["since"], lb["until"],
                            lb["official"]],
         [[g["person_id"], " ".join(x for x in (g.get("last_name"), g.get("first_name"),
                                                g.get("patronymic")) if x),
           g.get("iin"), g.get("start_date"), g.get("end_date"), g.get("official_id")]
          for g in data.get("registrations", [])], (28, 62, 26, 24, 24, 26)),
        (lb["officials"], [lb["official"], lb["approvals"]],
         [[o["official_id"], o["approvals"]] for o in data.get("officials", [])], (60, 30)),
        (lb["inspections"], [lb["date"], lb["result"], lb["found"]],
         [[x.get("inspected_on"), x.get("outcome"), x.get("persons_found")]
          for x in data.get("inspections", [])], (40, 40, 40)),
    ]
    for title, header, rows, widths in sections:
        if rows:
            doc.heading(title, 11)
            doc.grid(header, rows, widths)
    return bytes(doc.output())
