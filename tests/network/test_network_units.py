"""Unit tests of the network room's kernels: shrinkage, graph clustering, ties."""

from __future__ import annotations

import numpy as np
import pandas as pd
from nw_city import AS_OF, City, day
from scipy import sparse

from zonewatch.indicators.names import normalise, patronymic_stem, surname_stem
from zonewatch.network import rank_people
from zonewatch.network.graph import clusters, shared_persons
from zonewatch.network.shrink import binom_pvalue, prior_strength, shrunk_rate


def test_names_that_are_not_text_have_no_stem() -> None:
    assert patronymic_stem(None) == "" and patronymic_stem(float("nan")) == ""
    assert surname_stem(float("nan")) == ""


def test_shrinkage_pulls_small_samples_to_the_peers() -> None:
    k = np.array([2, 60, 5, 6, 4, 5])
    n = np.array([3, 100, 100, 110, 90, 95])
    m = prior_strength(k, n, (5, 2000))
    post = shrunk_rate(k, n, np.full(6, 0.05), m)
    assert 5 <= m <= 2000
    assert post[0] < post[1]  # 2 of 3 is less convincing than 60 of 100
    assert abs(post[2] - 0.05) < 0.01
    pv = binom_pvalue(k, n, np.full(6, 0.05))
    assert pv[1] < 1e-10 < pv[0]


def test_shared_persons_links_flats_only_through_movers() -> None:
    persons = np.array([0, 0, 1, 1, 2, 3, 3])
    props = np.array([0, 1, 0, 1, 2, 2, 3])
    adj = shared_persons(persons, props, 4, minimum=2)
    adj = adj + adj.T
    assert adj[0, 1] == 2 and adj[1, 0] == 2
    assert adj[2, 3] == 0  # one shared person is below the minimum
    assert adj.diagonal().sum() == 0
    # string ids and a person with three flats give the same links as integer codes
    three = shared_persons(np.array(["a", "a", "a", "b", "b", "b"]),
                           np.array([0, 1, 2, 0, 1, 2]), 3, minimum=2)
    assert sorted(zip(*three.nonzero(), strict=True)) == [(0, 1), (0, 2), (1, 2)]
    assert three.sum() == 6


def test_large_component_is_split_by_leiden() -> None:
    # two cliques of 6 joined by one edge: one component, two communities
    edges = [(i, j) for block in (range(6), range(6, 12)) for i in block for j in block if i < j]
    edges.append((5, 6))
    a, b = np.array(edges).T
    adj = sparse.csr_matrix((np.ones(len(a)), (a, b)), shape=(12, 12))
    whole = clusters(adj, max_size=100, resolution=1.0)
    assert len(set(whole)) == 1
    split = clusters(adj, max_size=8, resolution=1.0)
    assert len(set(split[:6])) == 1 and len(set(split[6:])) == 1 and split[0] != split[6]


def test_a_common_surname_alone_does_not_tie_owners() -> None:
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    c.rows["officials"].append({"official_id": "F2", "office_id": "O1", "name": None})
    for i, first in enumerate(["Ержан", "Марат"]):
        owner = c.person(f"A{i}", "Ахметов", first, "Болатович" if i else "Канатович")
        prop = c.flat(f"P{i}", owner, score=9.0)
        for j in range(5):
            c.register(c.person(f"X{i}_{j}", f"Other{i}{j}", "N"), prop, day(100 + 9 * j + i))
    for i in range(10):
        c.flat(f"Q{i}", c.person(f"QO{i}", f"Q{i}", "N"), score=0.1)
    result = rank_people(c.connect(), AS_OF, {"flag_quantile": 0.8})
    assert "owner_nominee" not in ";".join(result.owners["indicators"])
    assert result.networks.empty or not any(
        {"A0", "A1"} <= set(m.split(";")) for m in result.networks["members"]
    )


def test_declared_relation_and_shared_registrants_tie_owners() -> None:
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    c.rows["officials"].append({"official_id": "F2", "office_id": "O1", "name": None})
    boss = c.person("B", "Smith", "John")
    front = c.person("S", "Jones", "Mary", sex="F")
    flats = [c.flat("P0", boss, score=5.0), c.flat("P1", front, score=9.0),
             c.flat("P2", front, score=8.0)]
    for j in range(6):  # the same six people pass through all three flats
        pid = c.person(f"X{j}", f"Mover{j}", "N")
        for k, flat in enumerate(flats):
            c.register(pid, flat, day(300 - 100 * k), day(200 - 100 * k) if k < 2 else None)
    for i in range(12):
        c.flat(f"Q{i}", c.person(f"QO{i}", f"Q{i}", "N"), score=0.1)
    con = c.connect()
    con.execute("CREATE TABLE relations (person_id VARCHAR, relative_id VARCHAR, "
                "relation VARCHAR)")
    con.execute("INSERT INTO relations VALUES ('B', 'S', 'spouse')")
    result = rank_people(con, AS_OF, {"flag_quantile": 0.8})
    owners = result.owners.set_index("owner_id")
    # B owns less but is the declared spouse: the group's controller is chosen by ties
    assert "spouse (declared)" in owners.at["S", "explanation"] + owners.at["B", "explanation"]
    assert {"owner_nominee_controller"} & set(owners.at["B", "indicators"].split(";")) or \
        {"owner_nominee_controller"} & set(owners.at["S", "indicators"].split(";"))
    top = result.networks.iloc[0]
    assert {"B", "S", "P0", "P1", "P2"} <= set(top["members"].split(";"))
    assert "3 flats" in top["explanation"]
    assert "6 of their 6 registrants moved between these flats" in top["explanation"]


def test_a_captured_office_does_not_hide_its_officials() -> None:
    """Both officials of O1 (F8, F9) push registrations into rubber flats: each is judged against
    the lower of its office peers' rate and the other offices' rate."""
    c = City()
    for office, officials in (("O1", ("F8", "F9")), ("O2", ("F3", "F4", "F5"))):
        c.rows["offices"].append({"office_id": office, "name": office, "district": "D1",
                                  "kind": "psc"})
        for f in officials:
            c.rows["officials"].append({"official_id": f, "office_id": office, "name": None})
    rubber = [c.flat(f"R{i}", c.person(f"RO{i}", f"Rowner{i}", "N"), score=9.0 + i / 10)
              for i in range(4)]
    normal = [c.flat(f"N{i}", c.person(f"NO{i}", f"Nowner{i}", "N"), score=(i % 9) / 10)
              for i in range(60)]
    person = 0
    for official, office, to_rubber, to_normal in (
        ("F8", "O1", 40, 8), ("F9", "O1", 35, 10),
        ("F3", "O2", 1, 50), ("F4", "O2", 1, 45), ("F5", "O2", 0, 40),
    ):
        for n in range(to_rubber + to_normal):
            flat = rubber[n % 4] if n < to_rubber else normal[n % 60]
            c.register(c.person(f"X{person}", f"Client{person}", "N"), flat, day(30 + n),
                       official=official, office=office)
            person += 1
    result = rank_people(c.connect(), AS_OF, {"flag_quantile": 0.9})
    top = result.officials["official_id"].head(2).tolist()
    assert sorted(top) == ["F8", "F9"]  # ids sort last: only the scores put them first
    f1 = result.officials.set_index("official_id").at["F8", "explanation"]
    assert "in other offices" in f1
    assert result.offices.iloc[0]["office_id"] == "O1"


def test_controller_with_a_clean_flat_anchors_declared_siblings() -> None:
    """K's own flat is not flagged, but it exchanged people with his three brothers'
    flagged flats and the civil registry declares K as their sibling: K controls the group."""
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    c.rows["officials"].append({"official_id": "F2", "office_id": "O1", "name": None})
    k = c.person("K", "Сейтов", "Марат", "Бериккызы")  # odd patronymic: no name tie
    s1 = c.person("S1", "Сейтов", "Ерлан", "Нурланович")
    s2 = c.person("S2", "Сейтов", "Азат", "Нурланович")
    s3 = c.person("S3", "Сейтов", "Бекзат", "Нурланович")
    home = c.flat("KF", k, score=0.2)
    flats = [c.flat("S1F", s1, score=9.0), c.flat("S2F", s2, score=8.5),
             c.flat("S3F", s3, score=8.0), home]
    for j in range(9):  # strangers pass through the brothers' flats and K's own
        pid = c.person(f"X{j}", f"Mover{j}", "N")
        c.register(pid, flats[j % 3], day(400 - j), day(200 - j))
        c.register(pid, home if j < 3 else flats[(j + 1) % 3], day(200 - j), None)
    for i in range(20):
        c.flat(f"Q{i}", c.person(f"QO{i}", f"Q{i}", "N"), score=1.0)
    con = c.connect()
    con.execute("CREATE TABLE relations (person_id VARCHAR, relative_id VARCHAR, "
                "relation VARCHAR)")
    con.execute("INSERT INTO relations VALUES ('K', 'S1', 'sibling'), ('K', 'S2', 'sibling'), "
                "('K', 'S3', 'sibling')")
    owners = rank_people(con, AS_OF, {"flag_quantile": 0.9}).owners.set_index("owner_id")
    assert "owner_nominee_controller" in owners.at["K", "indicators"]
    assert owners.at["K", "properties"] == 0
    assert owners.at["K", "rank"] == 1
    assert "likely nominee of K" in owners.at["S1", "explanation"]


def test_a_family_moving_together_does_not_tie_two_owners() -> None:
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    c.rows["officials"].append({"official_id": "F2", "office_id": "O1", "name": None})
    a = c.flat("PA", c.person("A", "Smith", "John"), score=9.0)
    b = c.flat("PB", c.person("B", "Brown", "Mary", sex="F"), score=8.0)
    for j in range(3):  # one household moving together from A's flat to B's
        pid = c.person(f"FAM{j}", "Green", f"Kid{j}")
        c.register(pid, a, day(500), day(100))
        c.register(pid, b, day(100), None)
    d = c.flat("PD", c.person("D", "Jones", "Ann", sex="F"), score=8.5)
    e = c.flat("PE", c.person("E", "White", "Tom"), score=8.2)
    for j in range(3):  # another household moving from D's flat to E's one by one
        pid = c.person(f"KIN{j}", "Кенжебаева" if j else "Кенжебаев", f"Kin{j}")
        c.register(pid, d, day(700 - 30 * j), day(300 - 30 * j))
        c.register(pid, e, day(300 - 30 * j), None)
    for i in range(20):
        c.flat(f"Q{i}", c.person(f"QO{i}", f"Q{i}", "N"), score=1.0)
    owners = rank_people(c.connect(), AS_OF, {"flag_quantile": 0.9}).owners
    assert "owner_nominee" not in ";".join(owners["indicators"])


def test_volume_jump_fires_for_a_lone_burst_not_for_a_seasonal_peak() -> None:
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    for f in ("F7", "F8", "F9"):
        c.rows["officials"].append({"official_id": f, "office_id": "O1", "name": None})
    flats = [c.flat(f"P{i}", c.person(f"O{i}", f"Owner{i}", "N"), score=1.0) for i in range(30)]
    n = 0
    for month in range(12):
        for official in ("F7", "F8", "F9"):
            count = 5
            if month == 3:  # September for everyone: a seasonal peak
                count = 20
            if month == 7 and official == "F9":  # F9 alone
                count = 40
            for k in range(count):
                start = day(30 * month + 5 + k % 20)
                c.register(c.person(f"X{n}", f"Client{n}", "N"), flats[n % 30], start,
                           official=official)
                n += 1
    con = c.connect()
    rank_people(con, AS_OF, {"flag_quantile": 0.99})
    hits = con.execute("SELECT * FROM indicator_hits "
                       "WHERE indicator_id = 'official_volume_jump'").df()
    assert hits["entity_id"].tolist() == ["F9"]
    assert "40 approvals in the month" in hits.iloc[0]["evidence"]


def _surname_city(official_of_ring: str) -> City:
    """Three owners named Муратов/Муратова own flagged flats filled with strangers; nobody
    moves between the flats. Officials: F1 and F2 approve ordinary flats."""
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    for f in ("F1", "F2", "F3"):
        c.rows["officials"].append({"official_id": f, "office_id": "O1", "name": None})
    ring = [c.flat(f"M{i}", c.person(f"MO{i}", "Муратова" if i % 2 else "Муратов", f"N{i}"),
                   score=9.0 - i / 10) for i in range(3)]
    n = 0
    for flat in ring:
        for _ in range(12):
            c.register(c.person(f"X{n}", f"Stranger{n}", "N"), flat, day(100 + n),
                       official=official_of_ring)
            n += 1
    for i in range(40):
        flat = c.flat(f"Q{i}", c.person(f"QO{i}", f"Q{i}", "N"), score=(i % 7) / 10)
        for k in range(2):
            c.register(c.person(f"Y{i}_{k}", f"Q{i}", f"K{k}"), flat, day(200 + i),
                       official=("F1", "F2", "F3")[(i + k) % 3])
    return c


def test_a_deviant_official_links_same_surname_flats_without_naming_a_controller() -> None:
    result = rank_people(_surname_city("F3").connect(), AS_OF, {"flag_quantile": 0.9})
    assert result.officials.iloc[0]["official_id"] == "F3"
    assert "official_flagged_share" in result.officials.iloc[0]["indicators"]
    assert any({"M0", "M1", "M2"} <= set(m.split(";")) for m in result.networks["members"])
    assert "owner_nominee" not in ";".join(result.owners["indicators"])


def test_the_same_honest_officials_do_not_link_same_surname_flats() -> None:
    c = _surname_city("F3")
    for row in c.rows["registrations"]:  # the strangers' approvals spread over everyone
        if row["property_id"].startswith("M"):
            row["official_id"] = ("F1", "F2", "F3")[int(row["person_id"][1:]) % 3]
    result = rank_people(c.connect(), AS_OF, {"flag_quantile": 0.9})
    assert not any({"M0", "M1"} <= set(m.split(";")) for m in result.networks["members"])


def test_names_that_disagree_with_birth_dates_are_no_family_tie() -> None:
    from zonewatch.network.settings import network_settings
    from zonewatch.network.ties import _name_pairs

    names = pd.DataFrame({  # as zw_person_stem folds them (indicators.kinship)
        "idx": [0, 1, 2],
        "stem": [surname_stem(x) for x in ("Ахметов", "Ахметова", "Ахметов")],
        "first": [normalise(x) for x in ("Серик", "Айгуль", "Ерлан")],
        "pat": [patronymic_stem(x) for x in ("Болатович", "Сериковна", "Сериковна")],
        "born": [1960.0, 1988.0, 1961.0],
    })
    pairs = {(i, j): reason for i, j, _w, reason, _p in _name_pairs(names, network_settings())}
    assert pairs[(0, 1)] == "parent and child by name (inferred)"  # 28 years apart
    assert pairs[(0, 2)] == "same surname (inferred)"  # a 'daughter' one year younger
    assert pairs[(1, 2)] == "same surname (inferred)"  # 'sisters' 27 years apart


def test_a_landlord_answers_for_the_rubber_flat_among_his_normal_ones() -> None:
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC", "district": "D1", "kind": "psc"})
    for official in ("F1", "F2"):
        c.rows["officials"].append({"official_id": official, "office_id": "O1", "name": None})
    landlord = c.person("L", "Landlordov", "Boris")
    for i in range(5):  # four normal rented flats and one full of strangers
        flat = c.flat(f"LF{i}", landlord, score=9.0 if i == 0 else 0.0)
        for j in range(12 if i == 0 else 2):
            c.register(c.person(f"T{i}_{j}", f"Tenant{i}{j}", "Name"), flat, day(400 + j))
    for i in range(40):
        flat = c.flat(f"Q{i}", c.person(f"QO{i}", f"Q{i}", "N"), score=(i % 7) / 10)
        for k in range(3):
            c.register(c.person(f"Y{i}_{k}", f"Q{i}", f"K{k}"), flat, day(200 + i), official="F1")
    result = rank_people(c.connect(), AS_OF, {"flag_quantile": 0.9})
    owners = result.owners.set_index("owner_id")
    assert owners.index[0] == "L" and owners.at["L", "properties"] == 1
    officials = result.officials.set_index("official_id")  # F2 approved the rubber flat
    assert "official_flagged_share" in officials.at["F2", "indicators"]
    assert "owns 1 flagged of 5 properties (LF0" in owners.at["L", "explanation"]
    members = ";".join(result.networks["members"]).split(";")
    assert not {"L", "LF1", "LF2"} & set(members)  # still a hub for the network graph
