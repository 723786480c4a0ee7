"""The in-memory city under construction: column pools that generator steps append to.

Every table is kept as chunks of numpy columns (integer codes, datetime64 days) and joined
once at the end, so each step can add whole groups of rows without a loop per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from zonewatch.generate.names import NameBank

NAT = np.datetime64("NaT", "D")

PROPERTY_KINDS = [
    "apartment", "house", "dormitory", "hostel", "social_institution", "commercial", "other",
]
FRAUD_KINDS = ["", "mass_registration", "nominee_ring", "conveyor", "commercial",
               "services_elsewhere"]
LOOKALIKES = ["", "dormitory", "hostel", "nursing_home", "large_family", "landlord",
              "new_building"]
CITIZENSHIPS = ["KAZ", "UZB", "KGZ", "TJK", "RUS", "CHN"]
ORG_KINDS = ["company", "university", "state_body", "ngo", "other"]
RELATIONS = ["spouse", "child", "parent", "sibling", "other"]

# registration regimes decide channel, official and consent later (offices.assign_processing)
OWN_FAMILY, LEGIT, FOREIGN, FRAUD = 0, 1, 2, 3


class Chunks:
    """Append-only columns: add(col=array, ...) many times, then columns() once."""

    def __init__(self) -> None:
        self._parts: list[dict[str, np.ndarray]] = []
        self.count = 0

    def add(self, **cols: np.ndarray) -> np.ndarray:
        """Append rows; returns the new rows' positions."""
        n = len(next(iter(cols.values())))
        if any(len(v) != n for v in cols.values()):
            raise ValueError(f"columns of unequal length: { {k: len(v) for k, v in cols.items()} }")
        self._parts.append(cols)
        start = self.count
        self.count += n
        return np.arange(start, self.count)

    def take(self) -> dict[str, np.ndarray]:
        """columns(), then free the chunks (no more rows may be added)."""
        cols = self.columns()
        self._parts = []
        return cols

    def columns(self) -> dict[str, np.ndarray]:
        names = list(dict.fromkeys(k for part in self._parts for k in part))
        return {
            name: np.concatenate([p[name] for p in self._parts if name in p])
            for name in names
        }


@dataclass
class City:
    """All state of one generation run."""

    rng: np.random.Generator
    as_of: np.datetime64
    n_persons: int
    names: NameBank
    start: np.datetime64 = NAT  # first day of the ten-year history
    district_names: list[str] = field(default_factory=list)
    district_centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    district_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    persons: Chunks = field(default_factory=Chunks)
    properties: Chunks = field(default_factory=Chunks)
    ownerships: Chunks = field(default_factory=Chunks)
    organizations: Chunks = field(default_factory=Chunks)
    relations: Chunks = field(default_factory=Chunks)
    registrations: Chunks = field(default_factory=Chunks)
    offices: dict[str, np.ndarray] = field(default_factory=dict)
    officials: dict[str, np.ndarray] = field(default_factory=dict)
    owner_labels: Chunks = field(default_factory=Chunks)
    rings: list[dict[str, np.ndarray]] = field(default_factory=list)
    final: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.start = self.as_of - np.timedelta64(3652, "D")

    def days(self, lo: np.datetime64, hi: np.datetime64, n: int) -> np.ndarray:
        """n uniform dates in [lo, hi)."""
        span = max(int((hi - lo).astype(np.int64)), 1)
        return lo + self.rng.integers(0, span, n).astype("timedelta64[D]")

    def add_properties(self, kind: int | np.ndarray, district: np.ndarray, area: np.ndarray,
                       rooms: np.ndarray, fraud: int = 0, lookalike: int | np.ndarray = 0,
                       building: np.ndarray | None = None, ring: int = -1) -> np.ndarray:
        """New properties; building -1 means 'assign to an ordinary building later'."""
        n = len(district)
        return self.properties.add(
            kind=np.broadcast_to(np.asarray(kind, np.int8), (n,)).copy(),
            district=district.astype(np.int16),
            area=area.astype(np.float64),
            rooms=rooms.astype(np.int16),
            fraud=np.full(n, fraud, np.int8),
            lookalike=np.broadcast_to(np.asarray(lookalike, np.int8), (n,)).copy(),
            ring=np.full(n, ring, np.int32),
            building=(np.full(n, -1, np.int64) if building is None else building),
        )

    def add_persons(self, *, male: np.ndarray, birth: np.ndarray, surname: np.ndarray,
                    first: np.ndarray, patronymic: np.ndarray, citizenship: np.ndarray,
                    home: np.ndarray) -> np.ndarray:
        """New persons (name codes into names.vocab; home = the district they really live in)."""
        return self.persons.add(
            male=male.astype(bool), birth=birth.astype("datetime64[D]"),
            surname=surname.astype(np.int32), first=first.astype(np.int32),
            patronymic=patronymic.astype(np.int32), citizenship=citizenship.astype(np.int8),
            home=home.astype(np.int16),
        )

    def add_registrations(self, *, person: np.ndarray, prop: np.ndarray, temporary: np.ndarray,
                          start: np.ndarray, end: np.ndarray, regime: np.ndarray | int,
                          hint: np.ndarray | None = None) -> None:
        n = len(person)
        regime_col = np.broadcast_to(np.asarray(regime, dtype=np.int8), (n,)).copy()
        self.registrations.add(
            person=person.astype(np.int64), prop=prop.astype(np.int64),
            temporary=np.broadcast_to(temporary, (n,)).astype(bool),
            start=start.astype("datetime64[D]"), end=end.astype("datetime64[D]"),
            regime=regime_col,
            official_hint=(np.full(n, -1, np.int64) if hint is None else hint.astype(np.int64)),
        )

    def add_ownerships(self, *, prop: np.ndarray, owner: np.ndarray, is_org: np.ndarray | bool,
                       share: np.ndarray | float, start: np.ndarray,
                       end: np.ndarray | None = None) -> None:
        n = len(prop)
        self.ownerships.add(
            prop=prop.astype(np.int64), owner=owner.astype(np.int64),
            is_org=np.broadcast_to(is_org, (n,)).astype(bool),
            share=np.broadcast_to(share, (n,)).astype(np.float64),
            start=start.astype("datetime64[D]"),
            end=(np.full(n, NAT) if end is None else end.astype("datetime64[D]")),
        )

    def add_relations(self, a: np.ndarray, b: np.ndarray, relation: int | np.ndarray) -> None:
        n = len(a)
        self.relations.add(
            person=a.astype(np.int64), relative=b.astype(np.int64),
            relation=np.broadcast_to(np.asarray(relation, np.int8), (n,)).copy(),
        )

    def person_columns(self, *names: str) -> dict[str, np.ndarray]:
        """Selected person columns over all chunks so far (global row order)."""
        return {k: np.concatenate([p[k] for p in self.persons._parts]) for k in names}

    def add_owner_labels(self, owner: np.ndarray, is_org: bool, role: str, kind: str,
                         ring: int = -1) -> None:
        n = len(owner)
        self.owner_labels.add(owner=owner.astype(np.int64), is_org=np.full(n, is_org),
                              role=np.full(n, role, dtype=object),
                              kind=np.full(n, kind, dtype=object), ring=np.full(n, ring))

    def add_orgs(self, kind: int, n: int) -> np.ndarray:
        return self.organizations.add(kind=np.full(n, kind, np.int8))
