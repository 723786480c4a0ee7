"""`zonewatch plan` builds an inspection plan from a run; `zonewatch outcome` records, exports."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import click

from zonewatch.inspections.design import Design
from zonewatch.inspections.outcomes import export_outcomes, record_outcome, store_run_checks
from zonewatch.inspections.planner import Capacity, build_plan, plan_to_csv
from zonewatch.inspections.settings import DEFAULTS, HELP
from zonewatch.store import audit as audit_chain
from zonewatch.store.commands import store_option
from zonewatch.store.db import Store, StoreError
from zonewatch.store.errors import Conflict, Invalid, NotFound


def _session_run(store_url: str, action):  # noqa: ANN001, ANN202
    try:
        with Store(store_url).session() as session:
            return action(session)
    except (Invalid, NotFound, Conflict, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc


def _inspectors(values: tuple[str, ...]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for item in values:
        team, _, name = item.partition(":")
        if not team.isdigit() or not name:
            raise click.BadParameter(f"{item!r} is not TEAM:USERNAME", param_hint="--inspector")
        out.setdefault(int(team), []).append(name)
    return out


def _print_plan(result: dict, teams: int, days: int) -> None:
    visits = result["visits"]
    explore = [v for v in visits if v["selection"] == "explore"]
    click.echo(
        f"plan {result['plan_id']}: {len(visits)} visits of capacity "
        f"{result['capacity']} from {result['start_on']} ({len(visits) - len(explore)} target, "
        f"{len(explore)} explore)"
    )
    for team in range(1, teams + 1):
        for day in range(1, days + 1):
            mine = [v for v in visits if v["team"] == team and v["day"] == day]
            if mine:
                districts = sorted({str(v["district"]) for v in mine})
                click.echo(
                    f"  team {team} day {day} ({mine[0]['visit_on']}, "
                    f"{'/'.join(districts)}): " + " ".join(v["property_id"] for v in mine)
                )


@click.command(epilog="Example: zonewatch plan runs/2026-11 --teams 10 --days 5 "
               "--visits-per-day 8 --start 2026-12-07 --out plan.csv")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--teams", type=click.IntRange(min=1), required=True, help="Inspection teams.")
@click.option("--days", type=click.IntRange(min=1), required=True, help="Working days.")
@click.option(
    "--visits-per-day",
    type=click.IntRange(min=1),
    required=True,
    help="Visits one team makes in a day.",
)
@click.option(
    "--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (default: today)."
)
@click.option("--weekends", is_flag=True, help="Also visit on Saturdays and Sundays.")
@click.option(
    "--min-score",
    type=float,
    default=0.0,
    show_default=True,
    help="Only properties scoring above this become targets.",
)
@click.option("--explore-share", type=click.FloatRange(0, 1), show_default=True,
              default=DEFAULTS["explore_share"], help=HELP["explore_share"])
@click.option("--band-width", type=click.FloatRange(min=0), show_default=True,
              default=DEFAULTS["band_width"], help=HELP["band_width"])
@click.option("--skip-days", type=click.IntRange(min=0), show_default=True,
              default=DEFAULTS["skip_days"], help=HELP["skip_days"])
@click.option("--revisit", is_flag=True,
              help="Do not skip planned or recently inspected properties (same as --skip-days 0).")
@click.option("--inspections", "inspection_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Inspections files whose recent outcomes are skipped too (repeatable).")
@click.option("--seed", type=int, default=None, help="Seed of the exploration draw.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the plan to this CSV only (no store, no server needed).")
@click.option(
    "--inspector",
    "inspectors",
    multiple=True,
    metavar="TEAM:USERNAME",
    help="Put a user on a team (repeatable; stored plans only).",
)
@click.option("--who", default=lambda: getpass.getuser(), show_default="current OS user",
              help="Who makes the plan (stored plans).")
@store_option
def plan(
    run_dir: Path,
    teams: int,
    days: int,
    visits_per_day: int,
    start,  # noqa: ANN001
    weekends: bool,
    min_score: float,
    explore_share: float,
    band_width: float,
    skip_days: int,
    revisit: bool,
    inspection_files: tuple[Path, ...],
    seed: int | None,
    out: Path | None,
    inspectors: tuple[str, ...],
    who: str,
    store_url: str,
) -> None:
    """Plan inspections of RUN_DIR within capacity, with exploration visits.

    The most suspicious properties, plus a share drawn at random with known probabilities
    (exploration), skipping properties already planned or inspected recently. Stored in the
    store, or written to --out.

    \b
    Example:
      zonewatch plan demo/run --teams 4 --days 5 --visits-per-day 8 --out plan.csv
    """
    try:
        capacity = Capacity(teams, days, visits_per_day)
        design = Design(explore_share=explore_share, band_width=band_width)
    except (Invalid, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    first = start.date() if start else date.today()
    skip = 0 if revisit else skip_days
    if out is not None:
        if inspectors:
            raise click.UsageError("--inspector needs a stored plan; drop --out")
        try:
            result = plan_to_csv(run_dir, capacity, first, out, weekends=weekends,
                                 min_score=min_score, design=design, skip_days=skip,
                                 inspections=inspection_files, seed=seed)
        except (Invalid, NotFound) as exc:
            raise click.ClickException(str(exc)) from exc
        _print_plan(result, teams, days)
        click.echo(f"wrote {len(result['visits'])} visits to {out} "
                   f"({result['skipped']} properties skipped as recently inspected)")
        return
    result = _session_run(
        store_url,
        lambda s: build_plan(
            s,
            run_dir,
            capacity,
            first,
            who,
            weekends=weekends,
            inspectors=_inspectors(inspectors),
            min_score=min_score,
            design=design,
            skip_days=skip,
            seed=seed,
            extra_inspections=inspection_files,
        ),
    )
    _print_plan(result, teams, days)


@click.group()
def outcome() -> None:
    """Record inspection outcomes and export them for `zonewatch analyze --inspections`.

    \b
    Example:
      zonewatch outcome record --visit 12 --on 2026-12-03 --outcome violation --persons-found 2
      zonewatch outcome export --out inspections.csv
    """


@outcome.command("record")
@click.option("--property", "property_id", default=None, help="Property inspected.")
@click.option("--visit", "visit_id", type=int, default=None, help="Planned visit id.")
@click.option("--on", "inspected_on", required=True, help="Date of the inspection, YYYY-MM-DD.")
@click.option(
    "--outcome",
    "result",
    required=True,
    type=click.Choice(["violation", "no_violation", "no_access"]),
)
@click.option("--persons-found", type=click.IntRange(min=0), default=None)
@click.option("--fictitious", "fictitious_count", type=click.IntRange(min=0), default=None)
@click.option("--brokering/--no-brokering", default=None, help="Paid registration confirmed.")
@click.option("--notes", default=None)
@click.option("--id", "inspection_id", default=None, help="Inspection id (default: generated).")
@click.option(
    "--run",
    "run_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Run whose properties --property must be among (default: newest registered run).",
)
@click.option("--who", default=lambda: getpass.getuser(), show_default="current OS user")
@store_option
def record_cmd(
    property_id,
    visit_id,
    inspected_on,
    result,
    persons_found,  # noqa: ANN001
    fictitious_count,
    brokering,
    notes,
    inspection_id,
    run_dir,
    who,
    store_url,
) -> None:  # noqa: ANN001
    """Record what one inspection found (refused: unknown property or visit, a second outcome
    for a visit, a date in the future or before the visit's plan).

    \b
    Example:
      zonewatch outcome record --run demo/run --property H00000022 --on 2026-12-03 \
        --outcome no_access
    """

    def checks(s) -> dict:  # noqa: ANN001
        found = store_run_checks(s, run_dir)
        if not found and visit_id is None:
            raise Invalid("--property needs a run to check it against: give --run RUN_DIR "
                          "(no analysis run is registered in the store)")
        return found

    def save(s) -> dict:  # noqa: ANN001
        done = record_outcome(
            s,
            who,
            **checks(s),
            property_id=property_id,
            inspected_on=inspected_on,
            outcome=result,
            visit_id=visit_id,
            persons_found=persons_found,
            fictitious_count=fictitious_count,
            brokering=brokering,
            notes=notes,
            inspection_id=inspection_id,
        )
        audit_chain.append(s, username=who, role="cli", action="create",
                           target_type="inspection_outcome", target_id=done["inspection_id"],
                           detail={"property_id": done["property_id"],
                                   "outcome": done["outcome"], "via": "cli"})
        return done

    row = _session_run(store_url, save)
    click.echo(f"recorded {row['inspection_id']}: {row['property_id']} {row['outcome']}")


@outcome.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@store_option
def export_cmd(out: Path, store_url: str) -> None:
    """Write all outcomes as the data contract's inspections CSV.

    \b
    Example:
      zonewatch outcome export --out demo/inspections.csv
    """
    n = _session_run(store_url, lambda s: export_outcomes(s, out))
    click.echo(f"wrote {n} inspections to {out}")
