"""`zonewatch plan` builds an inspection plan from a run; `zonewatch outcome` records, exports."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import click

from zonewatch.inspections.outcomes import export_outcomes, record_outcome
from zonewatch.inspections.planner import Capacity, build_plan
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


@click.command()
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
    help="Only properties scoring above this.",
)
@click.option(
    "--inspector",
    "inspectors",
    multiple=True,
    metavar="TEAM:USERNAME",
    help="Put a user on a team (repeatable).",
)
@click.option("--who", default=lambda: getpass.getuser(), show_default="current OS user")
@store_option
def plan(
    run_dir: Path,
    teams: int,
    days: int,
    visits_per_day: int,
    start,
    weekends: bool,  # noqa: ANN001
    min_score: float,
    inspectors: tuple[str, ...],
    who: str,
    store_url: str,
) -> None:
    """Plan inspections of the most suspicious properties of RUN_DIR within capacity.

    \b
    Example:
      zonewatch plan demo/run --teams 4 --days 5 --visits-per-day 8 --inspector 1:inspector
    """
    try:
        capacity = Capacity(teams, days, visits_per_day)
    except Invalid as exc:
        raise click.ClickException(str(exc)) from exc
    first = start.date() if start else date.today()
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
        ),
    )
    visits = result["visits"]
    click.echo(
        f"plan {result['plan_id']}: {len(visits)} visits of capacity "
        f"{result['capacity']} from {result['start_on']}"
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
    who,
    store_url,
) -> None:  # noqa: ANN001
    """Record what one inspection found.

    \b
    Example:
      zonewatch outcome record --property H00000022 --on 2026-12-03 --outcome no_access
    """
    row = _session_run(
        store_url,
        lambda s: record_outcome(
            s,
            who,
            property_id=property_id,
            inspected_on=inspected_on,
            outcome=result,
            visit_id=visit_id,
            persons_found=persons_found,
            fictitious_count=fictitious_count,
            brokering=brokering,
            notes=notes,
            inspection_id=inspection_id,
        ),
    )
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
