"""The ground truth written beside (never inside) the extract: labels/*.csv."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from zonewatch.generate.state import FRAUD_KINDS, LOOKALIKES, City
from zonewatch.generate.writer import fmt_ids, owner_ids

PATTERN = "brokered_approvals"


def _join(ids: pa.Array) -> str:
    return ";".join(ids.to_pylist())


def label_tables(city: City, props: dict[str, np.ndarray]) -> dict[str, pa.Table]:
    """property_labels, owner_labels, official_labels and rings as Arrow tables."""
    flagged = np.flatnonzero((props["fraud"] > 0) | (props["lookalike"] > 0))
    fraud = props["fraud"][flagged]
    ring = props["ring"][flagged]
    property_labels = pa.table({
        "property_id": fmt_ids(flagged, "property"),
        "is_fraud": pa.array(fraud > 0),
        "fraud_kind": pa.array([FRAUD_KINDS[k] or None for k in fraud], pa.string()),
        "ring_id": fmt_ids(np.where(fraud > 0, ring, -1), "ring"),
        "lookalike": pa.array([LOOKALIKES[k] or None for k in props["lookalike"][flagged]],
                              pa.string()),
    })
    ol = city.owner_labels.columns()
    oid = owner_ids(ol["owner"], ol["is_org"]).to_numpy(zero_copy_only=False)
    _, first = np.unique(oid, return_index=True)
    first = np.sort(first)
    owner_labels = pa.table({
        "owner_id": pa.array(oid[first]),
        "owner_type": pa.array(np.where(ol["is_org"][first], "organization", "person")),
        "role": pa.array(list(ol["role"][first])),
        "ring_id": fmt_ids(ol["ring"][first], "ring"),
        "fraud_kind": pa.array(list(ol["kind"][first])),
    })
    corrupt = np.flatnonzero(city.officials["corrupt"])
    official_labels = pa.table({
        "official_id": fmt_ids(corrupt, "official"),
        "office_id": fmt_ids(city.officials["office"][corrupt], "office"),
        "pattern": pa.array([PATTERN] * len(corrupt), pa.string()),
    })
    rings = pa.table({
        "ring_id": fmt_ids(np.array([r["ring"] for r in city.rings], np.int64), "ring"),
        "controller_id": fmt_ids(np.array([r["controller"] for r in city.rings], np.int64),
                                 "person"),
        "owner_ids": pa.array([_join(fmt_ids(r["owners"], "person")) for r in city.rings],
                              pa.string()),
        "property_ids": pa.array([_join(fmt_ids(r["props"], "property")) for r in city.rings],
                                 pa.string()),
        "official_ids": pa.array([_join(fmt_ids(r["officials"], "official"))
                                  for r in city.rings], pa.string()),
    })
    return {"property_labels": property_labels, "owner_labels": owner_labels,
            "official_labels": official_labels, "rings": rings}
