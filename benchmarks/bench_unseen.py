"""An independent "unseen city" check: zonewatch on real Moscow buildings with our own fraud.

Usage: python benchmarks/bench_unseen.py [--seeds 1,2] [--persons 200000] [--workdir DIR]
                                         [--fill-patronymic] [--skip-occupancy]
                                         [--without relations,service_events,...]
                                         [--fraud-scale 1.0] [--parquet] [--broken]
                                         [--diagnose]
For each seed: build a city on the real buildings (benchmarks/unseen/, written without
looking at zonewatch.generate), run `zonewatch analyze` as a child process (no --as-of, as
outside evaluators do), score it against the labels and the police baseline (most registrants
first), and print one table. Then run `import-reformagkh` + `analyze` on the occupancy-only
extract of the whole real register and check the output is complete and sensible.
`--fill-patronymic` writes every person's patronymic (null is allowed by the contract) to
measure the owner/official rooms when they fail on null patronymics; `--without` leaves
optional tables out (as a poorer source would); both analyze a copy beside the built extract.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from unseen import diagnose  # noqa: E402
from unseen.broken import add_broken, compare  # noqa: E402
from unseen.build import build  # noqa: E402
from unseen.buildings import SOURCE  # noqa: E402
from unseen.city import AS_OF  # noqa: E402
from unseen.people import MALE, patronymic_of  # noqa: E402
from unseen.score import contract_problems, police_ranking, score_run  # noqa: E402

ZW = str(Path(sys.executable).parent / "zonewatch")
KINDS = ["small_rubber", "big_rubber", "relatives_ring", "conveyor", "commercial",
         "services_elsewhere", "hijacked"]


def analyze(extract: Path, run: Path) -> tuple[float, str]:
    """Run `zonewatch analyze`; return (seconds, stderr+stdout tail)."""
    started = time.perf_counter()
    proc = subprocess.run([ZW, "analyze", str(extract), "--out", str(run)],
                          capture_output=True, text=True)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"analyze failed ({proc.returncode}) on {extract}:\n{proc.stderr}")
    return took, proc.stderr


def to_parquet(csv: Path, dest: Path) -> None:
    """One table as typed Parquet (dates as dates, identifiers as strings)."""
    df = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])
    for col in df.columns:
        if col.endswith("_date") or col in ("inspected_on", "as_of"):
            df[col] = pd.to_datetime(df[col]).dt.date
        elif col == "processed_at":
            df[col] = pd.to_datetime(df[col])
        elif col in ("area_m2", "lat", "lon", "share"):
            df[col] = pd.to_numeric(df[col])
        elif col in ("rooms", "persons_found", "fictitious_count", "registered"):
            df[col] = pd.to_numeric(df[col]).astype("Int64")
        elif col == "brokering":
            df[col] = df[col].map({"True": True, "False": False})
    df.to_parquet(dest / f"{csv.stem}.parquet", index=False)


def variant(out: Path, fill: bool, without: list[str], parquet: bool = False,
            broken: bool = False) -> Path:
    """The extract to analyze: the built one, or a copy with patronymics filled, some
    optional tables left out, rows breaking the contract added and/or written as Parquet."""
    if not fill and not without and not parquet and not broken:
        return out / "extract"
    ext = out / ("extract" + ("_filled" if fill else "") + "".join(f"_no_{t}" for t in without)
                 + ("_broken" if broken else "") + ("_parquet" if parquet else ""))
    ext.mkdir(exist_ok=True)
    for f in (out / "extract").glob("*.csv"):
        if f.stem not in without:
            shutil.copyfile(f, ext / f.name)
    if broken:
        (ext.parent / f"{ext.name}.expected.json").write_text(json.dumps(add_broken(ext)))
    if fill:
        persons = pd.read_csv(ext / "persons.csv", dtype=str, keep_default_na=False,
                              na_values=[""])
        rng = random.Random(0)  # varied, so the fill itself suggests no kinship
        fill = [patronymic_of(rng.choice(MALE), sex) for sex in persons["sex"]]
        persons["patronymic"] = persons["patronymic"].fillna(pd.Series(fill,
                                                                       index=persons.index))
        persons.to_csv(ext / "persons.csv", index=False)
    if parquet:
        for f in list(ext.glob("*.csv")):
            to_parquet(f, ext)
            f.unlink()
    return ext


def counts_only(out: Path) -> dict:
    """The same city as counts only (properties + occupancy on the as-of day), analyzed and
    scored against the same labels: what a public occupancy source would let us find."""
    ext, run = out / "occupancy" / "extract", out / "occupancy" / "run"
    ext.mkdir(parents=True, exist_ok=True)
    props = pd.read_csv(out / "extract" / "properties.csv", dtype=str, keep_default_na=False,
                        na_values=[""])
    props.to_csv(ext / "properties.csv", index=False)
    regs = pd.read_csv(out / "extract" / "registrations.csv", dtype=str,
                       keep_default_na=False, na_values=[""])
    day = AS_OF.isoformat()
    active = regs[(regs["start_date"] <= day) & (regs["end_date"].isna()
                                                 | (regs["end_date"] > day))]
    n = active.groupby("property_id").size()
    pd.DataFrame({"property_id": props["property_id"], "as_of": day,
                  "registered": props["property_id"].map(n).fillna(0).astype(int),
                  "source": "unseen"}).to_csv(ext / "occupancy.csv", index=False)
    took, _ = analyze(ext, run)
    fig = score_run(run, out / "extract", out / "labels", AS_OF, police=n.sort_values(
        ascending=False).index.tolist())
    return {"seconds": took, **fig}


def one_city(workdir: Path, persons: int, seed: int, fill: bool, without: list[str],
             fraud_scale: float = 1.0, parquet: bool = False, broken: bool = False) -> dict:
    """Build (or reuse), analyze and score one city."""
    out = workdir / (f"p{persons}_s{seed}" + (f"_f{fraud_scale:g}" if fraud_scale != 1 else ""))
    if not (out / "labels" / "summary.json").is_file():
        started = time.perf_counter()
        build(out, persons, seed, fraud_scale)
        print(f"built {out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    ext = variant(out, fill, without, parquet, broken)
    run = out / ("run" + ext.name.removeprefix("extract"))
    took, log = analyze(ext, run)
    run_meta = json.loads((run / "run.json").read_text())
    fig = score_run(run, out / "extract", out / "labels", AS_OF,
                    police=police_ranking(out / "extract", AS_OF))
    fig.update(seed=seed, variant=ext.name, seconds=took, out=str(out), run=str(run),
               as_of=run_meta.get("as_of"),
               skipped=run_meta.get("people_skipped") or [],
               persons=json.loads((out / "labels" / "summary.json").read_text())["rows"]
               ["persons"])
    expected = ext.parent / f"{ext.name}.expected.json"
    if broken and expected.is_file():
        report = json.loads((run / "ingest_report.json").read_text())
        fig["problems"] += compare(report, json.loads(expected.read_text()))
    fig["counts_only"] = counts_only(out)
    if fig["as_of"] != AS_OF.isoformat():
        fig["problems"].append(f"as-of derived {fig['as_of']}, expected {AS_OF}")
    return fig


def table(figs: list[dict]) -> str:
    """One row per seed and method."""
    looks = sorted({k for f in figs for k in f["zonewatch"]["lookalikes"]})
    head = (f"{'seed':>4} {'method':<9}{'k':>5}{'P@k':>7}" + "".join(f"{k[:9]:>10}" for k in KINDS)
            + " | FP " + "".join(f"{k[:9]:>10}" for k in looks))
    lines = ["recall within top k per fraud kind | look-alikes within top k", head]
    for f in figs:
        rows = [("zonewatch", f["zonewatch"]), ("police", f["police"])]
        if "counts_only" in f:
            rows.append(("counts", f["counts_only"]["zonewatch"]))
        for method, m in rows:
            lines.append(f"{f['seed']:>4} {method:<9}{m['k']:>5}{m['precision_at_k']:>7.3f}"
                         + "".join(f"{m['recall'].get(k, 0):>10.2f}" for k in KINDS)
                         + " |    " + "".join(f"{m['lookalikes'].get(k, 0):>10d}" for k in looks))
    lines.append("")
    for f in figs:
        lines.append(f"seed {f['seed']} ({f['variant']}): {f['persons']} persons, "
                     f"analyze {f['seconds']:.1f} s; "
                     f"owners P@k {f['owners']['precision_at_k']:.3f} (k={f['owners']['k']}), "
                     f"officials P@k {f['officials']['precision_at_k']:.3f} "
                     f"(k={f['officials']['k']}); rings mostly in one network "
                     f"{f['rings']:.0%}; as-of {f['as_of']}")
        extra = [f"counts-only run: {p}" for p in f.get("counts_only", {}).get("problems", [])]
        for p in f["problems"] + extra + [f"run.json people_skipped: {s}"
                                          for s in f["skipped"]]:
            lines.append(f"  PROBLEM: {p}")
    return "\n".join(lines)


def occupancy_check(workdir: Path) -> str:
    """import-reformagkh the whole register, analyze it, and describe the result."""
    ext, run = workdir / "reformagkh" / "extract", workdir / "reformagkh" / "run"
    subprocess.run([ZW, "import-reformagkh", str(SOURCE), "--out", str(ext),
                    "--unknown-kind", "other"], check=True, capture_output=True)
    took, _ = analyze(ext, run)
    ranked = pd.read_csv(run / "properties_ranked.csv", dtype=str, keep_default_na=False)
    meta = json.loads((run / "run.json").read_text())
    props = pd.read_csv(ext / "properties.csv", dtype=str, keep_default_na=False)
    kinds = dict(zip(props["property_id"], props["kind"], strict=True))
    flagged = ranked[ranked["indicators"] != ""]
    lines = [f"occupancy-only (whole register): {len(props)} properties, analyze {took:.1f} s, "
             f"{len(flagged)} flagged; indicators run {meta.get('indicators_run')}; skipped "
             f"{sorted(meta.get('indicators_skipped', {}))}",
             "  flagged by kind: " + json.dumps(flagged["property_id"].map(kinds)
                                                 .value_counts().to_dict(), ensure_ascii=False)]
    lines += [f"  PROBLEM: {p}" for p in contract_problems(run, ext)]
    for r in ranked.head(5).itertuples():
        lines.append(f"  {r.rank} {r.property_id} ({kinds.get(r.property_id)}): "
                     f"{r.explanation[:200]}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/zw_unseen"))
    ap.add_argument("--fill-patronymic", action="store_true")
    ap.add_argument("--skip-occupancy", action="store_true")
    ap.add_argument("--parquet", action="store_true",
                    help="analyze a typed Parquet copy of the extract")
    ap.add_argument("--broken", action="store_true",
                    help="add rows breaking the contract; check ingest quarantines each")
    ap.add_argument("--diagnose", action="store_true",
                    help="print missed fraud and false positives with their explanations")
    ap.add_argument("--fraud-scale", type=float, default=1.0,
                    help="multiply every planted fraud count (1 = about 0.8%% of flats)")
    ap.add_argument("--without", default="",
                    help="optional tables to leave out, e.g. relations,service_events")
    args = ap.parse_args()
    without = [t for t in args.without.split(",") if t]
    figs = [one_city(args.workdir, args.persons, int(s), args.fill_patronymic, without,
                     args.fraud_scale, args.parquet, args.broken)
            for s in args.seeds.split(",")]
    print(f"unseen cities on real Moscow buildings, {dt.date.today()}")
    print(table(figs))
    (args.workdir / "figures.json").write_text(json.dumps(figs, indent=1, default=str))
    if args.diagnose:
        for f in figs:
            out = Path(f["out"])
            print(f"\ndiagnosis of seed {f['seed']} ({f['variant']})")
            print("\n".join(diagnose.properties(Path(f["run"]), out / "labels")
                            + diagnose.owners(Path(f["run"]), out / "extract", out / "labels")))
    if not args.skip_occupancy:
        print(occupancy_check(args.workdir))


if __name__ == "__main__":
    main()
