"""How the reformagkh housing register maps onto the zonewatch contract (declared as data).

The register is building-level: one row per building, no persons. We map each building to
one `property` (kind `apartment` for a block of flats: the building is the unit), keep the
number of dwellings (APTS) as `rooms` - the building-level analogue of rooms, so
"registered per room" reads "registered per dwelling" - and the resident count (PEOPLE) as
an `occupancy` row on the export date.
"""

from __future__ import annotations

import datetime as dt

SOURCE = "reformagkh housedata_msk_20140323"
AS_OF = dt.date(2014, 3, 23)

# HOUSE_TYPE -> contract kind. Unlisted values (`Нет данных`, ...) are written through
# unchanged, so ingest quarantines them as bad_enum, unless --unknown-kind says otherwise.
KINDS: dict[str, str] = {
    "Многоквартирный дом": "apartment",
    "Общежитие": "dormitory",
    "Объект индивидуального жилищного строительства": "house",
    "Жилой дом блокированной застройки": "house",
}

# Text the register uses for "no value" (compared case-insensitively, trimmed).
MISSING = ("нет данных", "не заполнено", "")

# contract column -> source column (first non-missing wins, in order)
PROPERTY_COLUMNS: dict[str, tuple[str, ...]] = {
    "property_id": ("HOUSE_ID",),
    "address": ("ADDRESS",),
    "district": ("LVL2_NAME",),
    "building_id": ("HOUSE_ID",),
    "area_m2": ("AREA_LIVE_TOTAL", "AREA"),
    "rooms": ("APTS",),
}

# Source columns kept as extra columns of properties.csv (ingest keeps them as VARCHAR).
EXTRA_COLUMNS: dict[str, str] = {
    "house_type": "HOUSE_TYPE",
    "apts": "APTS",
    "people": "PEOPLE",
    "area_total": "AREA",
    "area_live_total": "AREA_LIVE_TOTAL",
    "year": "YEAR",
    "levels": "LEVELS",
    "source_link": "HOUSE_LINK",
}

# Columns the contract lets be null: a missing value becomes an empty cell (counted).
NULLABLE = ("building_id", "area_m2", "rooms")
