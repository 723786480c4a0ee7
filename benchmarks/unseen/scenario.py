"""A scenario: every assumption of the unseen builder, as data, and a wide random draw of it.

`Scenario()` holds the builder's historical assumptions (the cities of `bench_unseen.py`,
byte for byte). `draw(seed, persons)` draws every assumption widely and reproducibly from one
seed: city size, rentals and how tenants move (chains of renters between let flats, student
flat-shares, seasonal workers), family sizes and how often ties are declared, service-event
coverage (none / partial / full), the mix and sizes of the fraud kinds, the corrupt officials'
share and habits, and the legitimate crowding look-alikes (dormitories, worker hostels,
nursing homes). `describe()` prints what was drawn.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field

# planted fraud properties per 75,000 flats, by kind (the historical mix: ~0.8% of flats)
SHARES = {"small_rubber": 180, "big_rubber": 30, "relatives_ring": 110, "conveyor": 70,
          "commercial": 40, "services_elsewhere": 110, "hijacked": 40}


@dataclass
class Scenario:
    """Every drawn assumption; the defaults are the historical unseen city."""

    name: str = "historical"
    persons: int = 0  # 0: the size given to build()
    # the city and its look-alikes
    dormitories: int = 12
    hostels: int = 0  # real small blocks turned into one worker hostel each
    nursing_homes: int = 0  # real small blocks turned into one nursing home each
    flat_sigma: float = 0.28  # log-normal spread of flat sizes in a building
    commercial_units: float = 0.125  # blocks with a ground-floor commercial unit
    # families
    crowding: float = 1.0  # multiplies each building's real residents
    empty: float = 0.04  # owned flats nobody is registered in
    spouse: float = 0.85
    grandparent: float = 0.4  # families of 5+ with a grandparent
    declared: float = 0.65  # owners' families whose ties are in `relations`
    declared_tenants: float = 0.6
    large_family: float = 0.002  # 8-13 people in 40-80 m²
    relatives_registered: float = 0.002  # a daughter's family in a grandmother's small flat
    student_away: float = 0.004
    # rentals and how tenants move
    rental: float = 0.056  # flats let by an owner living elsewhere
    flats_per_landlord: int = 60  # one landlord of 3-6 let flats per this many let flats
    mobile: float = 0.0  # share of let flats whose tenants come and go (the rest: one family)
    tenancy_months: tuple[int, int] = (8, 30)
    move_on: float = 0.0  # a leaving tenant household rents another let flat
    students: float = 0.0  # share of mobile flats let to student flat-shares
    seasonal: float = 0.0  # share of mobile flats let to seasonal workers
    history_years: int = 4
    # service events
    coverage: str = "historical"  # none / partial / full
    everyday: float = 0.2  # residents with service events where they live
    # fraud
    fraud_scale: float = 1.0
    shares: dict[str, int] = field(default_factory=lambda: dict(SHARES))
    min_per_kind: int = 2  # planted properties of each kind at least
    min_rings: int = 0  # relatives rings at least
    small_rubber: tuple[int, int] = (3, 5)
    small_rubber_months: tuple[int, int] = (4, 20)
    big_rubber: tuple[int, int] = (10, 60)
    ring_relatives: tuple[int, int] = (2, 4)
    ring_flats: tuple[int, int] = (3, 7)
    ring_people: tuple[int, int] = (4, 15)
    ring_declared: float = 0.5
    conveyor_slots: tuple[int, int] = (2, 5)
    conveyor_stay: tuple[int, int] = (20, 90)
    commercial: tuple[int, int] = (3, 25)
    services_group: tuple[int, int] = (2, 4)
    services_in_empty: float = 0.0  # services-elsewhere groups in an otherwise empty flat
    services_one_district: bool = False  # the group lives together in one other district
    group_coverage: float = 1.0  # ... and each of them has service events there
    hijacked: tuple[int, int] = (3, 6)
    fake_groups: tuple[int, ...] = (1, 1, 2, 3, 4)  # household sizes of fake registrants
    fake_declared: float = 0.5
    foreign: float = 0.25
    elsewhere: float = 0.3  # fake registrants with services in another district
    at_registration: float = 0.3  # ... or in the district of the registration
    # officials and police
    corrupt: int = 2  # corrupt officials (when corrupt_of_all is 0)
    corrupt_of_all: float = 0.0  # else: this share of all officials is corrupt
    corrupt_share: float = 0.25  # fraud registrations processed by a corrupt official
    after_hours: float = 0.25
    no_consent: float = 0.15
    slips: float = 0.003  # honest registrations with owner_consent = none
    raid_share: float = 0.008
    no_access: float = 0.12

    @property
    def legacy(self) -> bool:
        """True for the historical assumptions (the builder then behaves as it always did)."""
        return self.name == "historical"


def _span(rng: random.Random, lo: tuple[int, int], hi: tuple[int, int]) -> tuple[int, int]:
    """A (low, high) range: low drawn in lo, high drawn in hi, high >= low."""
    a = rng.randint(*lo)
    return a, max(a, rng.randint(*hi))


def _log(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def draw(seed: int, persons: int) -> Scenario:
    """Every assumption drawn at random (wide ranges) from one seed; persons: the typical
    city size (a scenario holds 0.6-1.5 times it)."""
    rng = random.Random(f"scenario-{seed}")
    u = rng.uniform
    mix = {k: max(0, round(v * _log(rng, 0.25, 4.0))) for k, v in SHARES.items()}
    total = sum(mix.values())
    fraud_share = _log(rng, 0.003, 0.025)  # share of flats planted with fraud
    scale = fraud_share * 75_000 / total
    coverage = rng.choices(["none", "partial", "full"], [0.2, 0.45, 0.35])[0]
    return Scenario(
        name=f"scenario-{seed}", persons=round(persons * _log(rng, 0.6, 1.5)),
        dormitories=rng.randint(0, 20), hostels=rng.randint(0, 8),
        nursing_homes=rng.randint(0, 8), flat_sigma=u(0.15, 0.45),
        commercial_units=u(0.03, 0.25),
        crowding=u(0.75, 1.3), empty=u(0.02, 0.1), spouse=u(0.55, 0.95),
        grandparent=u(0.1, 0.6), declared=u(0.0, 0.95), declared_tenants=u(0.0, 0.9),
        large_family=_log(rng, 0.0005, 0.006), relatives_registered=_log(rng, 0.001, 0.01),
        student_away=_log(rng, 0.001, 0.02),
        rental=u(0.03, 0.35), flats_per_landlord=rng.randint(15, 120), mobile=u(0.2, 1.0),
        tenancy_months=_span(rng, (3, 12), (12, 48)), move_on=u(0.1, 0.8),
        students=u(0.0, 0.25), seasonal=u(0.0, 0.12), history_years=rng.randint(3, 6),
        coverage=coverage,
        everyday={"none": 0.0, "partial": u(0.05, 0.4), "full": u(0.6, 0.95)}[coverage],
        fraud_scale=scale, shares=mix, min_per_kind=6, min_rings=4,
        small_rubber=_span(rng, (2, 3), (4, 7)), small_rubber_months=_span(rng, (1, 6),
                                                                          (8, 30)),
        big_rubber=_span(rng, (7, 15), (20, 80)), ring_relatives=_span(rng, (1, 2), (2, 5)),
        ring_flats=_span(rng, (2, 4), (4, 9)), ring_people=_span(rng, (2, 5), (6, 20)),
        ring_declared=u(0.0, 1.0), conveyor_slots=_span(rng, (1, 3), (2, 6)),
        conveyor_stay=_span(rng, (10, 30), (40, 120)), commercial=_span(rng, (2, 5), (6, 30)),
        services_group=_span(rng, (2, 3), (4, 6)), services_in_empty=u(0.0, 0.6),
        services_one_district=True,
        group_coverage={"none": 0.0, "partial": u(0.3, 0.9), "full": 1.0}[coverage],
        hijacked=_span(rng, (2, 3), (4, 7)),
        fake_groups=tuple(rng.choices([1, 2, 3, 4, 5], k=6)), fake_declared=u(0.0, 0.9),
        foreign=u(0.05, 0.6),
        elsewhere={"none": 0.0, "partial": u(0.1, 0.5), "full": u(0.3, 0.8)}[coverage],
        at_registration=u(0.0, 0.4),
        corrupt_of_all=u(0.005, 0.08), corrupt_share=u(0.05, 0.6), after_hours=u(0.0, 0.5),
        no_consent=u(0.0, 0.3), slips=_log(rng, 0.0005, 0.01), raid_share=u(0.0, 0.015),
        no_access=u(0.05, 0.3),
    )


def corrupt_count(sc: Scenario, officials: int) -> int:
    """How many corrupt officials: the fixed count, or the drawn share of all officials."""
    return max(1, round(sc.corrupt_of_all * officials)) if sc.corrupt_of_all else sc.corrupt


def describe(sc: Scenario) -> str:
    """The drawn parameters, a few per line."""
    d = asdict(sc)
    if sc.corrupt_of_all:
        del d["corrupt"]
    parts = [f"{k}={_fmt(v)}" for k, v in d.items() if k not in ("name", "shares")]
    parts.append(f"fraud~{sum(sc.shares.values()) * sc.fraud_scale / 750:.2f}%_of_flats")
    parts.append("shares=" + ",".join(f"{k}:{v}" for k, v in sc.shares.items()))
    lines, line = [], f"{sc.name}:"
    for p in parts:
        if len(line) + len(p) > 98:
            lines.append(line)
            line = " "
        line += " " + p
    return "\n".join([*lines, line])


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, (tuple, list)):
        return "-".join(str(x) for x in v) if len(v) == 2 else "/".join(str(x) for x in v)
    return str(v)


def to_json(sc: Scenario) -> str:
    return json.dumps(asdict(sc), ensure_ascii=False, indent=1)
