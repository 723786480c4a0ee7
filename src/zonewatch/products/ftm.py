"""FollowTheMoney entities of the flagged properties and everyone linked to them, for Aleph.

One JSON object per line (the `.ftm.json` / entities stream `ftm` and `alephclient
write-entities` read): `RealEstate` per flagged property, `Person` per registrant, owner and
official, `Organization` per organization owner, `PublicBody` per office; `Ownership`
(owner -> property), `UnknownLink` with role "registered (permanent|temporary)" (person ->
property: FtM has no residence-registration schema), `Membership` (official -> office),
`UnknownLink` "approved registrations" (official -> property) and `Family` for declared
relatives among them. Ids are FtM's hashed ids of ("zonewatch", kind, source id), so two
exports of one extract give the same ids. With a `Masker`, persons carry their pseudonym as
name and no IIN, names or birth date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from zonewatch.products.source import IN_LIST, clean, flagged_properties, rows
from zonewatch.rundir import RunDir
from zonewatch.service.masking import Masker

DATASET = "zonewatch"
ISO3_TO_2 = {"KAZ": "kz", "RUS": "ru", "UZB": "uz", "KGZ": "kg", "TJK": "tj", "TKM": "tm",
             "CHN": "cn", "TUR": "tr", "AZE": "az", "ARM": "am", "GEO": "ge", "BLR": "by",
             "UKR": "ua", "MNG": "mn", "AFG": "af", "IND": "in", "PAK": "pk", "KOR": "kr",
             "DEU": "de", "USA": "us"}


def _entity(schema: str, *key: Any, **props: Any) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.make_id(DATASET, schema, *map(str, key))
    for name, value in props.items():
        value = clean(value)
        if value not in (None, ""):
            entity.add(name, str(value))
    return entity


def entities(run: RunDir, masker: Masker | None = None) -> Iterator[dict[str, Any]]:
    """Every entity of the export as an FtM dict (`{"id", "schema", "properties"}`)."""
    props = flagged_properties(run)
    ids = [str(p) for p in props["property_id"]] if not props.empty else []
    estate: dict[str, str] = {}
    for row in props.to_dict("records"):
        e = _entity("RealEstate", row["property_id"], name=row["property_id"],
                    registrationNumber=row["property_id"], address=row.get("address"),
                    latitude=row.get("lat"), longitude=row.get("lon"),
                    area=row.get("area_m2"), propertyType=row.get("kind"), country="kz",
                    summary=row.get("explanation"))
        e.add("notes", f"zonewatch rank {clean(row['rank'])}, score {clean(row['score'])}, "
                       f"indicators {row.get('indicators')}")
        estate[row["property_id"]] = e.id
        yield e.to_dict()
    if not ids:
        return
    owners = rows(run, "ownerships", f"SELECT * FROM ownerships WHERE property_id {IN_LIST} "
                  "ORDER BY property_id, owner_id", [ids])
    regs = rows(run, "registrations", "SELECT registration_id, person_id, property_id, kind, "
                "start_date, end_date, official_id, office_id FROM registrations WHERE "
                f"property_id {IN_LIST} ORDER BY registration_id", [ids])
    person_ids = sorted({r["person_id"] for r in regs}
                        | {o["owner_id"] for o in owners if o["owner_type"] == "person"})
    people = {}
    for p in rows(run, "persons", f"SELECT * FROM persons WHERE person_id {IN_LIST}",
                  [person_ids]):
        e = _person(p, masker)
        people[p["person_id"]] = e.id
        yield e.to_dict()
    orgs = {}
    org_ids = sorted({o["owner_id"] for o in owners if o["owner_type"] != "person"})
    for o in rows(run, "organizations", "SELECT * FROM organizations WHERE "
                  f"org_id {IN_LIST}", [org_ids]):
        e = _entity("Organization", o["org_id"], name=o.get("name") or o["org_id"],
                    registrationNumber=o.get("bin"), country="kz", legalForm=o.get("kind"))
        orgs[o["org_id"]] = e.id
        yield e.to_dict()
    for o in owners:
        owner = people.get(o["owner_id"]) or orgs.get(o["owner_id"])
        if owner:
            share = clean(o.get("share"))
            yield _entity("Ownership", o["property_id"], o["owner_id"], o.get("start_date"),
                          owner=owner, asset=estate[o["property_id"]],
                          percentage=None if share is None else round(share * 100, 2),
                          startDate=o.get("start_date"), endDate=o.get("end_date")).to_dict()
    for r in regs:
        if r["person_id"] in people:
            yield _entity("UnknownLink", r["registration_id"], subject=people[r["person_id"]],
                          object=estate[r["property_id"]], role=f"registered ({r['kind']})",
                          startDate=r.get("start_date"), endDate=r.get("end_date"),
                          recordId=r["registration_id"]).to_dict()
    yield from _officials(run, regs, estate)
    yield from _family(run, people)


def _person(p: dict[str, Any], masker: Masker | None) -> EntityProxy:
    if masker is not None:
        shown = masker.pseudonym(p["person_id"])
        return _entity("Person", shown, name=shown, nationality=ISO3_TO_2.get(
            str(p.get("citizenship")), None))
    name = " ".join(x for x in (p.get("last_name"), p.get("first_name"), p.get("patronymic"))
                    if x)
    return _entity("Person", p["person_id"], name=name or p["person_id"],
                   lastName=p.get("last_name"), firstName=p.get("first_name"),
                   fatherName=p.get("patronymic"), idNumber=p.get("iin"),
                   birthDate=p.get("birth_date"), gender={"M": "male", "F": "female"}.get(
                       p.get("sex")), nationality=ISO3_TO_2.get(str(p.get("citizenship"))))


def _officials(run: RunDir, regs: list[dict], estate: dict[str, str]
               ) -> Iterator[dict[str, Any]]:
    approvals: dict[tuple[str, str], int] = {}
    for r in regs:
        if r.get("official_id"):
            key = (r["official_id"], r["property_id"])
            approvals[key] = approvals.get(key, 0) + 1
    official_ids = sorted({o for o, _ in approvals})
    if not official_ids:
        return
    officials = rows(run, "officials", f"SELECT * FROM officials WHERE official_id {IN_LIST}",
                     [official_ids])
    office_ids = sorted({o["office_id"] for o in officials if o.get("office_id")})
    offices = {}
    for o in rows(run, "offices", f"SELECT * FROM offices WHERE office_id {IN_LIST}",
                  [office_ids]):
        e = _entity("PublicBody", o["office_id"], name=o.get("name") or o["office_id"],
                    registrationNumber=o["office_id"], country="kz",
                    classification=o.get("kind"))
        offices[o["office_id"]] = e.id
        yield e.to_dict()
    shown = {}
    for o in officials:
        e = _entity("Person", "official", o["official_id"],
                    name=o.get("name") or o["official_id"], position="registration official",
                    idNumber=o["official_id"])
        shown[o["official_id"]] = e.id
        yield e.to_dict()
        if o.get("office_id") in offices:
            yield _entity("Membership", o["official_id"], o["office_id"], member=e.id,
                          organization=offices[o["office_id"]],
                          role="registration official").to_dict()
    for (official, prop), count in sorted(approvals.items()):
        if official in shown:
            yield _entity("UnknownLink", "approved", official, prop, subject=shown[official],
                          object=estate[prop], role="approved registrations",
                          description=f"{count} registration(s) approved").to_dict()


def _family(run: RunDir, people: dict[str, str]) -> Iterator[dict[str, Any]]:
    ids = sorted(people)
    for r in rows(run, "relations", f"SELECT * FROM relations WHERE person_id {IN_LIST} "
                  f"AND relative_id {IN_LIST}", [ids, ids]):
        yield _entity("Family", r["person_id"], r["relative_id"], person=people[r["person_id"]],
                      relative=people[r["relative_id"]], relationship=r.get("relation")
                      ).to_dict()


def lines(run: RunDir, masker: Masker | None = None) -> Iterator[bytes]:
    """The export as JSON lines."""
    for entity in entities(run, masker):
        yield (json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
