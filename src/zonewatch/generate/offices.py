"""Offices, officials, and how each registration was processed (channel, official, consent).

Channels follow the history of Kazakh public services: public service centres (PSC) first,
eGov (automatic, no office) taking over year by year, migration police for foreigners.
Consent moves from in-person/documents to SMS/EDS after ~2020. A few corrupt officials
process most brokered registrations, with consent `none` and some out-of-hours approvals;
ordinary people stay noisy (some `none`, some late approvals) so no single artefact betrays.
"""

from __future__ import annotations

import numpy as np

from zonewatch.generate.state import FOREIGN, FRAUD, OWN_FAMILY, City

OFFICE_KINDS = ["psc", "migration_police", "egov"]
CHANNELS = ["psc", "egov", "police"]
CONSENTS = ["sms", "eds", "in_person", "document", "none", "not_required"]
# consent mix for people who are not the owner's family, before and after 2020
CONSENT_EARLY = [0.0, 0.0, 0.6, 0.34, 0.06, 0.0]
CONSENT_LATE = [0.45, 0.33, 0.12, 0.06, 0.04, 0.0]


def make_offices(city: City) -> None:
    """One or more PSC and one migration police office per district, one eGov office."""
    rng, n = city.rng, city.n_persons
    nd = len(city.district_names)
    psc_per = 1 + n // 600_000
    kinds = np.concatenate([np.zeros(nd * psc_per), np.ones(nd), [2]]).astype(np.int8)
    district = np.concatenate([np.repeat(np.arange(nd), psc_per), np.arange(nd), [0]])
    staff = np.where(kinds == 0, min(40, max(3, n // 40_000)),
                     np.where(kinds == 1, min(15, max(2, n // 100_000)), 2))
    staff = np.maximum(1, staff + rng.integers(-1, 2, len(staff)))
    city.offices = {"kind": kinds, "district": district.astype(np.int16)}
    office = np.repeat(np.arange(len(kinds)), staff)
    m = len(office)
    bank = city.names
    pool = bank.pools["kk"]
    sur = rng.choice(pool.surname_m, m)
    first = rng.choice(pool.first_m, m)
    names = [f"{bank.vocab[s]} {bank.vocab[f][0]}." for s, f in zip(sur, first, strict=True)]
    eligible = np.flatnonzero(kinds[office] != 2)
    n_corrupt = max(3, round(0.03 * len(eligible)))
    corrupt = np.zeros(m, bool)
    corrupt[rng.choice(eligible, min(n_corrupt, len(eligible)), replace=False)] = True
    city.officials = {"office": office, "name": np.array(names, dtype=object), "corrupt": corrupt}


def corrupt_officials(city: City) -> np.ndarray:
    return np.flatnonzero(city.officials["corrupt"])


def _random_staff(city: City, office: np.ndarray) -> np.ndarray:
    """A random official of each given office."""
    off = city.officials["office"]
    order = np.argsort(off, kind="stable")
    counts = np.bincount(off, minlength=len(city.offices["kind"]))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pick = starts[office] + (city.rng.random(len(office)) * counts[office]).astype(np.int64)
    return order[pick]


def _office_of(city: City, district: np.ndarray, kind: int) -> np.ndarray:
    kinds, dist = city.offices["kind"], city.offices["district"]
    cand = np.flatnonzero(kinds == kind)
    per = np.bincount(dist[cand], minlength=len(city.district_names))
    order = cand[np.argsort(dist[cand], kind="stable")]
    starts = np.concatenate([[0], np.cumsum(per)[:-1]])
    return order[starts[district] + (city.rng.random(len(district)) * per[district]).astype(int)]


def assign_processing(city: City, reg: dict[str, np.ndarray], prop_district: np.ndarray) -> None:
    """Add channel, office, official, consent and processed_at columns to registrations."""
    rng = city.rng
    n = len(reg["person"])
    regime, hint = reg["regime"], reg["official_hint"]
    year = reg["start"].astype("datetime64[Y]").astype(np.int64) + 1970
    district = prop_district[reg["prop"]]
    p_egov = np.clip((year - 2015) * 0.08, 0.02, 0.75)
    channel = np.where(rng.random(n) < p_egov, 1, 0).astype(np.int8)
    foreign = regime == FOREIGN
    channel[foreign & (rng.random(n) < 0.7)] = 2
    brokered = (hint >= 0) & (rng.random(n) < 0.8)
    office = np.full(n, -1, np.int64)
    official = np.full(n, -1, np.int64)
    for ch, kind in ((0, 0), (2, 1)):
        m = (channel == ch) & ~brokered
        office[m] = _office_of(city, district[m], kind)
        official[m] = _random_staff(city, office[m])
    official[brokered] = hint[brokered]
    office[brokered] = city.officials["office"][hint[brokered]]
    channel[brokered] = np.where(city.offices["kind"][office[brokered]] == 1, 2, 0)

    late = year >= 2020
    consent = np.where(late, rng.choice(6, n, p=CONSENT_LATE), rng.choice(6, n, p=CONSENT_EARLY))
    egov_other = (channel == 1) & (regime != OWN_FAMILY)
    consent[egov_other] = rng.choice([0, 1], egov_other.sum(), p=[0.6, 0.4])
    own = regime == OWN_FAMILY
    consent[own] = np.where(rng.random(own.sum()) < 0.85, 5, 2)
    fraud_none = brokered & (regime == FRAUD) & (rng.random(n) < 0.7)
    consent[fraud_none] = 4
    fraud_other = (regime == FRAUD) & ~brokered & (channel != 1) & (rng.random(n) < 0.15)
    consent[fraud_other] = 4

    day = reg["start"] - rng.integers(0, 3, n).astype("timedelta64[D]")
    working = rng.integers(9 * 60, 18 * 60, n)
    odd = rng.choice(np.r_[np.arange(0, 7 * 60), np.arange(19 * 60 + 30, 24 * 60)], n)
    late_p = np.where(brokered, 0.25, 0.02)
    minute = np.where(rng.random(n) < late_p, odd, working)
    minute[channel == 1] = rng.integers(0, 24 * 60, (channel == 1).sum())
    processed = day.astype("datetime64[s]") + (minute * 60 + rng.integers(0, 60, n)).astype(
        "timedelta64[s]")
    processed[np.isnat(reg["start"])] = np.datetime64("NaT")
    reg.update(channel=channel, office=office, official=official, consent=consent.astype(np.int8),
               processed=processed)
