"""What the registry sees besides registrations: police inspections and service use.

Inspections are done the way police do them: each yearly raid checks the addresses with
the most registrants that day (plus a few tips), so outcomes are biased toward big counts;
outcomes agree with the truth. Service events show where people really live: residents use
clinics and schools in their own district, fictitious registrants elsewhere or nowhere.
"""

from __future__ import annotations

import numpy as np

from zonewatch.generate.housing import APARTMENT, HOUSE
from zonewatch.generate.state import FRAUD, City

DAY = np.timedelta64(1, "D")
OUTCOMES = ["violation", "no_violation", "no_access"]
SERVICES = ["clinic", "school", "kindergarten", "transport", "benefit", "other"]


def inspections(city: City, reg: dict[str, np.ndarray], props: dict[str, np.ndarray]) -> None:
    """Yearly raids on the most-registered addresses; adds city.final['inspections']."""
    rng = city.rng
    n_props = len(props["kind"])
    per_raid = max(5, round(n_props * 0.003))
    years = range(int(city.as_of.astype("datetime64[Y]").astype(int)) + 1970 - 3,
                  int(city.as_of.astype("datetime64[Y]").astype(int)) + 1970)
    fict = reg["regime"] == FRAUD
    out: dict[str, list[np.ndarray]] = {k: [] for k in
                                         ("prop", "date", "outcome", "found", "fict", "broker")}
    for year in years:
        day = np.datetime64(f"{year}-10-29") + int(rng.integers(0, 9)) * DAY
        on = (reg["start"] <= day) & (np.isnat(reg["end"]) | (reg["end"] > day))
        count = np.bincount(reg["prop"][on], minlength=n_props)
        fake = np.bincount(reg["prop"][on & fict], minlength=n_props)
        noisy = count * rng.uniform(0.8, 1.2, n_props)
        top = np.argsort(-noisy, kind="stable")[:per_raid]
        tips = rng.choice(n_props, max(1, per_raid // 10), replace=False)
        chosen = np.unique(np.r_[top, tips])
        chosen = chosen[count[chosen] > 0]
        f = fake[chosen]
        real = count[chosen] - f
        u = rng.random(len(chosen))
        outcome = np.where(f > 0, np.where(u < 0.86, 0, np.where(u < 0.95, 2, 1)),
                           np.where(u < 0.03, 0, np.where(u < 0.08, 2, 1)))
        found_fake = np.where(f > 0, rng.binomial(f, 0.9), rng.integers(1, 3, len(f)))
        found_fake = np.where(outcome == 0, np.maximum(found_fake, 1), 0)
        found = np.maximum(real + rng.integers(-1, 2, len(real)), 0)
        out["prop"].append(chosen)
        out["date"].append(np.full(len(chosen), day))
        out["outcome"].append(outcome)
        out["found"].append(np.where(outcome == 2, -1, found))
        out["fict"].append(np.where(outcome == 2, -1, found_fake))
        out["broker"].append(np.where(outcome == 0, (f > 3) & (rng.random(len(f)) < 0.5), False))
    city.final["inspections"] = {k: np.concatenate(v) for k, v in out.items()}


def service_events(city: City, persons: dict[str, np.ndarray], reg: dict[str, np.ndarray],
                   props: dict[str, np.ndarray]) -> None:
    """Service use in the district where each person really lives (home; -1 = outside city)."""
    rng = city.rng
    nd = len(city.district_names)
    n = len(persons["home"])
    active = np.isnat(reg["end"]) | (reg["end"] > city.as_of - 730 * DAY)
    registered = np.zeros(n, bool)
    registered[reg["person"][active]] = True
    home = persons["home"].astype(np.int64)
    # noise: some legitimate households moved away without re-registering (from dwellings:
    # a dormitory or nursing home does not empty itself into another district)
    moved_props = rng.random(reg["prop"].max() + 1) < 0.03
    moved_props &= np.isin(props["kind"][: len(moved_props)], (APARTMENT, HOUSE))
    stale = np.isnat(reg["end"]) & moved_props[reg["prop"]] & (reg["regime"] != FRAUD)
    movers = np.unique(reg["person"][stale])
    home[movers] = (home[movers] + 1 + (movers % (nd - 1))) % nd
    k = rng.poisson(1.6, n)
    k[~registered | (home < 0)] = 0
    k[(persons["home"] >= 0) & registered & (k == 0) & (rng.random(n) < 0.3)] = 1
    who = np.repeat(np.arange(n), k)
    age = ((city.as_of - persons["birth"][who]) / DAY / 365.25).astype(np.int64)
    service = np.where(age < 6, 2, np.where(age < 18, 1, np.where(age > 65, 4, 0)))
    service = np.where(rng.random(len(who)) < 0.35, 3, service)
    service[rng.random(len(who)) < 0.03] = 5
    district = home[who].copy()
    roam = (service == 3) & (rng.random(len(who)) < 0.4)
    district[roam] = rng.integers(0, nd, roam.sum())
    date = city.days(city.as_of - 730 * DAY, city.as_of + DAY, len(who))
    if len(date):
        date[-1] = city.as_of  # the extract's latest date is its as-of date
    city.final["service_events"] = {"person": who, "service": service, "district": district,
                                    "date": date}
