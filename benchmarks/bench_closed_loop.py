"""Closed loop: does the ranking learn from the inspections `zonewatch plan` chooses?

Usage: python benchmarks/bench_closed_loop.py [--persons 150000] [--seed 1] [--rounds 2]
           [--teams 10 --days 5 --visits-per-day 8] [--explore-share 0.15] [--workdir DIR]
           [--extract DIR --labels DIR]
Generate a city (or take an extract and its labels dir, e.g. an unseen city), then:
round 0 `zonewatch analyze`; each round r: `zonewatch plan RUN --out plan_r.csv` (400 visits
by default, skipping what earlier rounds inspected), answer every visit truthfully from the
labels (violation iff the property is labelled fraud; fictitious = registrants active on the
as-of day who do not own it, at fraud properties), `zonewatch analyze --inspections` with all
answers so far, and score P@k (k = labelled fraud properties) with zonewatch.evaluation.
Prints P@k per round and its change, what each plan found, and the Horvitz-Thompson estimate
of the share of properties with fictitious registrations (and of fictitious registrants)
against the truth over the plan's frame.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from zonewatch.evaluation import evaluate_run
from zonewatch.inspections.choose import read_inspections, recently_inspected, run_inspections
from zonewatch.inspections.design import Design
from zonewatch.inspections.labelled import answer, truth_table
from zonewatch.inspections.planner import Capacity, plan_to_csv
from zonewatch.inspections.settings import DEFAULTS
from zonewatch.rundir import RunDir
from zonewatch.scoring.estimate import estimate_from_inspections

CLI = "from zonewatch.cli import main; main()"


def zw(*args: str) -> float:
    """Run a zonewatch command in a child process; return its seconds."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"zonewatch {' '.join(args)} exited {proc.returncode}\n"
                         f"{proc.stdout[-1500:]}{proc.stderr[-1500:]}")
    return time.perf_counter() - started


def score(run: Path, labels: Path, extract: Path) -> dict:
    r = evaluate_run(run, labels, extract=extract)
    z = r["properties"]["zonewatch"]
    return {"k": r["k_properties"], "p_at_k": z["precision_at_k"], "ap": z["average_precision"]}


def interval(est: dict | None) -> str:
    if not est:
        return "n/a"
    lo, hi = est["ci95"]
    return f"{est['estimate']:.4f} [{lo:.4f}, {hi:.4f}]"


def skipped(run: Path, start: dt.date, answers: list[Path]) -> set[str]:
    """What `zonewatch plan` skipped: recent outcomes of the extract and of earlier rounds."""
    days = int(DEFAULTS["skip_days"])
    out = recently_inspected(run_inspections(RunDir(run)), start, days)
    return out | recently_inspected(read_inspections(answers), start, days)


def coverage(run: Path, truth: pd.DataFrame, args: argparse.Namespace, start: dt.date,
             draws: int, work: Path) -> dict[str, tuple[float, float]]:
    """Redraw the first round's plan `draws` times: share of intervals covering the truth
    and their mean width, per estimate (the plan's exploration is the only thing random)."""
    ranked = pd.read_csv(run / "properties_ranked.csv", dtype=str, keep_default_na=False)
    flagged = set(ranked.loc[ranked["indicators"] != "", "property_id"])
    registered = truth.set_index("property_id")["registered"]
    truth = truth[~truth["property_id"].isin(skipped(run, start, []))]  # the plan's frame
    target = {"share_of_flagged_with_fictitious":
              truth.loc[truth["property_id"].isin(flagged), "is_fraud"].mean(),
              "share_with_fictitious": truth["is_fraud"].mean(),
              "fictitious_share_of_registrants":
              truth["fictitious"].sum() / truth["registered"].sum()}
    hits = {k: [] for k in target}
    cap = Capacity(args.teams, args.days, args.visits_per_day)
    for seed in range(draws):
        plan_to_csv(run, cap, start, work / "redraw.csv", design=Design(args.explore_share),
                    seed=10_000 + seed)
        plan = pd.read_csv(work / "redraw.csv", dtype={"property_id": str, "plan_id": str})
        est = estimate_from_inspections(answer(plan, truth), len(ranked), registered, flagged)
        for k, t in target.items():
            lo, hi = est[k]["ci95"]
            hits[k].append((lo <= t <= hi, hi - lo))
    return {k: (sum(c for c, _ in v) / len(v), sum(w for _, w in v) / len(v))
            for k, v in hits.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=150_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--teams", type=int, default=10)
    ap.add_argument("--days", type=int, default=5)
    ap.add_argument("--visits-per-day", type=int, default=8)
    ap.add_argument("--explore-share", type=float, default=0.15)
    ap.add_argument("--plan-seed", type=int, default=1, help="seed of the exploration draws")
    ap.add_argument("--coverage-draws", type=int, default=40,
                    help="redraws of round 1's plan to measure interval coverage (0: skip)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/zw_closed_loop"))
    ap.add_argument("--extract", type=Path, default=None, help="an extract instead of generating")
    ap.add_argument("--labels", type=Path, default=None, help="its labels dir (with --extract)")
    args = ap.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    if args.extract:
        if not args.labels:
            raise SystemExit("--extract needs --labels")
        extract, labels = args.extract, args.labels
    else:
        city = work / f"city_{args.persons}_{args.seed}"
        if not (city / "labels" / "summary.json").is_file():
            zw("generate", "--out", str(city), "--persons", str(args.persons),
               "--seed", str(args.seed))
        extract, labels = city / "extract", city / "labels"

    runs = [work / "run_0"]
    seconds = [zw("analyze", str(extract), "--out", str(runs[0]))]
    as_of = dt.date.fromisoformat(json.loads((runs[0] / "run.json").read_text())["as_of"][:10])
    truth = truth_table(extract, labels, as_of)
    ranked = pd.read_csv(runs[0] / "properties_ranked.csv", dtype={"property_id": str})
    truth = truth[truth["property_id"].isin(set(ranked["property_id"]))]
    registered = truth.set_index("property_id")["registered"]
    scores = [score(runs[0], labels, extract)]
    answers: list[Path] = []
    rounds = []
    for r in range(1, args.rounds + 1):
        start = as_of + dt.timedelta(days=1 + 14 * (r - 1))
        plan_csv = work / f"plan_{r}.csv"
        skip = [a for p in answers for a in ("--inspections", str(p))]
        t_plan = zw("plan", str(runs[-1]), "--teams", str(args.teams), "--days", str(args.days),
                    "--visits-per-day", str(args.visits_per_day), "--start", start.isoformat(),
                    "--explore-share", str(args.explore_share), "--seed",
                    str(args.plan_seed + r), "--out", str(plan_csv), *skip)
        plan = pd.read_csv(plan_csv, dtype={"property_id": str, "plan_id": str})
        found = answer(plan, truth, prefix=f"R{r}")
        answers.append(work / f"answers_{r}.csv")
        found.to_csv(answers[-1], index=False)
        planned_from = pd.read_csv(runs[-1] / "properties_ranked.csv", dtype=str,
                                   keep_default_na=False)
        flagged = set(planned_from.loc[planned_from["indicators"] != "", "property_id"])
        est = estimate_from_inspections(found, len(ranked), registered=registered,
                                        flagged=flagged)
        frame = truth[~truth["property_id"].isin(skipped(runs[-1], start, answers[:-1]))]
        runs.append(work / f"run_{r}")
        seconds.append(zw("analyze", str(extract), "--out", str(runs[-1]),
                          *[a for p in answers for a in ("--inspections", str(p))]))
        scores.append(score(runs[-1], labels, extract))
        is_fraud = found["outcome"] == "violation"
        rounds.append({
            "round": r, "plan_s": t_plan, "visits": len(plan),
            "target_hits": int((is_fraud & (found["selection"] == "target")).sum()),
            "targets": int((found["selection"] == "target").sum()),
            "explore_hits": int((is_fraud & (found["selection"] == "explore")).sum()),
            "explores": int((found["selection"] == "explore").sum()),
            "estimate": est, "truth_share": float(frame["is_fraud"].mean()),
            "truth_fict": float(frame["fictitious"].sum() / max(frame["registered"].sum(), 1)),
            "frame": len(frame), "flagged": int(frame["property_id"].isin(flagged).sum()),
            "truth_flagged": float(frame.loc[frame["property_id"].isin(flagged),
                                             "is_fraud"].mean()),
        })

    visits = args.teams * args.days * args.visits_per_day
    print(f"extract {extract}  properties {len(ranked)}  labelled fraud "
          f"{int(truth['is_fraud'].sum())}  as of {as_of}  visits per round {visits}"
          f" (explore share {args.explore_share})")
    print(f"{'round':>5} {'P@k':>7} {'change':>8} {'vs prev':>8} {'AP':>7} {'analyze s':>10}")
    for i, s in enumerate(scores):
        change = s["p_at_k"] - scores[0]["p_at_k"]
        prev = s["p_at_k"] - scores[i - 1]["p_at_k"] if i else 0.0
        print(f"{i:>5} {s['p_at_k']:>7.3f} {change:>+8.3f} {prev:>+8.3f} {s['ap']:>7.3f} "
              f"{seconds[i]:>10.1f}")
    print(f"k = {scores[0]['k']}")
    for x in rounds:
        e = x["estimate"]
        print(f"round {x['round']}: plan {x['visits']} visits in {x['plan_s']:.1f} s; "
              f"targets {x['target_hits']}/{x['targets']} fraud, "
              f"exploration {x['explore_hits']}/{x['explores']} fraud")
        print(f"  share of the {x['flagged']} flagged properties with fictitious registrations: "
              f"estimate {interval(e.get('share_of_flagged_with_fictitious'))}, "
              f"truth {x['truth_flagged']:.4f}")
        print(f"  share of all {x['frame']} properties of the frame: estimate "
              f"{interval(e.get('share_with_fictitious'))}, truth {x['truth_share']:.4f}")
        print(f"  share of registrants who are fictitious: estimate "
              f"{interval(e.get('fictitious_share_of_registrants'))}, truth {x['truth_fict']:.4f}")
    if args.coverage_draws:
        t0 = time.perf_counter()
        cov = coverage(runs[0], truth, args, as_of + dt.timedelta(days=1), args.coverage_draws,
                       work)
        print(f"interval coverage over {args.coverage_draws} redraws of round 1's plan "
              f"({time.perf_counter() - t0:.0f} s):")
        for k, (share, width) in cov.items():
            print(f"  {k:<36} covers the truth {share:6.1%}, mean width {width:.4f}")


if __name__ == "__main__":
    main()
