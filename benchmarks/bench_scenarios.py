"""Detection over a scenario family: cities whose every assumption is drawn at random.

Usage: python benchmarks/bench_scenarios.py [--scenarios 8] [--first 1] [--persons 100000]
                                            [--workdir DIR] [--json FILE]
(also `python benchmarks/bench_detection.py --scenarios 8 --persons 100000`).
Scenario i (seeds first .. first+N-1) draws every assumption of the independent unseen
builder (benchmarks/unseen/scenario.py: city size 0.6-1.5 x --persons, rentals and tenants
moving between let flats, students, seasonal workers, family sizes, declared ties, service
coverage none/partial/full, the fraud mix and sizes, corrupt officials, dormitories, hostels,
nursing homes), prints what it drew, builds the city on the real Moscow buildings (kept in the
workdir and reused while the builder's code and the draw are unchanged), runs
`zonewatch analyze EXTRACT --out RUN --as-of AS_OF` in a child process, scores it with
benchmarks/unseen/score.py and prints one row per scenario, then the MEAN and the WORST
(per column: the lowest figure, or the most look-alikes / slowest run) over the family.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_detection import CLI, run_child  # noqa: E402
from unseen.build import build  # noqa: E402
from unseen.city import AS_OF  # noqa: E402
from unseen.scenario import describe, draw, to_json  # noqa: E402
from unseen.score import score_run  # noqa: E402

KINDS = {"small_rubber": "small", "big_rubber": "big", "relatives_ring": "ring",
         "conveyor": "conv", "commercial": "comm", "services_elsewhere": "svc",
         "hijacked": "hijk"}
CROWD = ("dormitory", "hostel", "nursing_home")  # legitimate crowding: never in the top k
COLS = ["scen", "persons", "k", "P@k", "x pol", *KINDS.values(), "crowd", "owners", "offic",
        "rings", "own net", "an s", "MB"]
HIGHER_IS_WORSE = {"crowd", "an s", "MB"}


def builder_hash() -> str:
    """A hash of the builder's code, so a cached city is rebuilt when the builder changes."""
    h = hashlib.sha256()
    for f in sorted((HERE / "unseen").glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def city_for(seed: int, persons: int, workdir: Path) -> tuple[Path, dict]:
    """The scenario's city, built unless an identical one (same draw, same builder) exists."""
    sc = draw(seed, persons)
    out = workdir / f"s{seed}_p{persons}"
    stamp = to_json(sc) + builder_hash()
    lab = out / "labels"
    if not ((lab / "summary.json").is_file() and (lab / "stamp.txt").is_file()
            and (lab / "stamp.txt").read_text() == stamp):
        started = time.perf_counter()
        build(out, sc.persons, seed, scenario=sc)
        (lab / "stamp.txt").write_text(stamp)
        print(f"  built {out} in {time.perf_counter() - started:.0f} s", flush=True)
    return out, json.loads((lab / "summary.json").read_text())


def one(seed: int, persons: int, workdir: Path) -> dict:
    """Draw, build (or reuse), analyze and score one scenario."""
    print(describe(draw(seed, persons)), flush=True)
    out, summary = city_for(seed, persons, workdir)
    run = out / "run"
    row: dict = {"scen": seed, "persons": summary["rows"]["persons"], "summary": summary}
    try:
        seconds, peak = run_child([sys.executable, "-c", CLI, "analyze", str(out / "extract"),
                                   "--out", str(run), "--as-of", AS_OF.isoformat()])
    except SystemExit as failed:  # a scenario analyze cannot handle is a finding, not a stop
        print(f"  ANALYZE FAILED: {failed}", flush=True)
        return {**row, "failed": str(failed)[:500], "k": 0,
                **{c: 0.0 for c in COLS[3:]}, "crowd": 0, "an s": 0.0, "MB": 0.0}
    fig = score_run(run, out / "extract", out / "labels", AS_OF)
    report = json.loads((run / "ingest_report.json").read_text())
    for table_name, t in report.get("tables", {}).items():
        if t.get("quarantined_by_rule"):  # the builder must stay within the contract
            fig["problems"].append(f"builder wrote {table_name} rows the ingest quarantined: "
                                   f"{t['quarantined_by_rule']}")
    z, police = fig["zonewatch"], fig["police"]
    row.update({
        "k": z["k"], "P@k": z["precision_at_k"],
        "x pol": z["precision_at_k"] / police["precision_at_k"] if police["precision_at_k"]
        else math.inf,
        **{short: z["recall"].get(kind, math.nan) for kind, short in KINDS.items()},
        "crowd": sum(z["lookalikes"].get(k, 0) for k in CROWD),
        "owners": fig["owners"]["precision_at_k"], "offic": fig["officials"]["precision_at_k"],
        "rings": fig["rings"], "own net": fig["rings_own"], "an s": seconds, "MB": peak,
        "police P@k": police["precision_at_k"], "problems": fig["problems"],
        "lookalikes_in_top_k": {k: v for k, v in z["lookalikes"].items() if v},
    })
    return row


def cell(col: str, v: object) -> str:
    if col in ("scen", "persons", "k", "crowd"):
        return f"{v:>8}" if isinstance(v, str) else f"{v:>8.0f}"
    if col in ("an s", "MB", "x pol"):
        return f"{v:>8.1f}" if col != "x pol" else f"{v:>8.2f}"
    return f"{v:>8.3f}"


def line(row: dict) -> str:
    return "".join(cell(c, row[c]) for c in COLS)


def summarize(rows: list[dict]) -> tuple[dict, dict]:
    """The MEAN row and the WORST row (per column) over the scenarios."""
    mean: dict = {"scen": "MEAN", "persons": sum(r["persons"] for r in rows) / len(rows)}
    worst: dict = {"scen": "WORST", "persons": min(r["persons"] for r in rows)}
    for c in COLS[2:]:
        vals = [r[c] for r in rows if not (isinstance(r[c], float) and math.isnan(r[c]))]
        vals = vals or [math.nan]
        mean[c] = sum(vals) / len(vals)
        worst[c] = max(vals) if c in HIGHER_IS_WORSE else min(vals)
    return mean, worst


def table(rows: list[dict]) -> str:
    mean, worst = summarize(rows)
    by_p = min(rows, key=lambda r: r["P@k"])
    out = ["".join(f"{c:>8}" for c in COLS), *(line(r) for r in rows), line(mean), line(worst),
           f"worst scenario by P@k: {by_p['scen']} (P@k {by_p['P@k']:.3f}, police "
           f"{by_p.get('police P@k', 0):.3f})",
           "P@k: precision in the top k (k = planted fraud properties); x pol: P@k over the "
           "most-registrants baseline's; small..hijk: recall in the top k per fraud kind; "
           "crowd: dormitories, hostels and nursing homes in the top k; owners/offic: owners' "
           "and officials' P@k; rings: share of rings mostly in one network; own net: ... in "
           "one network that is mostly theirs; an s / MB: analyze seconds and peak memory"]
    for r in rows:
        extra = [f"  {r['scen']}: other look-alikes in the top k {r.get('lookalikes_in_top_k')}"]
        extra += [f"  {r['scen']}: PROBLEM {p}" for p in r.get("problems", [])]
        if r.get("failed"):
            extra.append(f"  {r['scen']}: ANALYZE FAILED {r['failed']}")
        out += extra
    return "\n".join(out)


def run_family(scenarios: int, first: int, persons: int, workdir: Path,
               json_out: Path | None = None) -> list[dict]:
    """Run the scenarios, print each row as it comes and the table at the end."""
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for seed in range(first, first + scenarios):
        rows.append(one(seed, persons, workdir))
        print("".join(f"{c:>8}" for c in COLS) + "\n" + line(rows[-1]), flush=True)
    print("\n" + table(rows), flush=True)
    if json_out:
        json_out.write_text(json.dumps(rows, indent=1, default=str, ensure_ascii=False))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=8)
    parser.add_argument("--first", type=int, default=1, help="seed of the first scenario")
    parser.add_argument("--persons", type=int, default=100000,
                        help="typical city size (each scenario draws 0.6-1.5 times it)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zw_bench_scenarios"))
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    run_family(args.scenarios, args.first, args.persons, args.workdir, args.json)


if __name__ == "__main__":
    main()
