"""schemathesis against /openapi.json, logged in as admin: no server error, only documented
status codes and content types, 405s that name every method of the path.

Domain rules beyond the schema (an unknown sort column, a register entry without a code,
an unknown property) answer 400/404/409 with a reason; positive-data acceptance counts them
as rejections. Logout is left out (it would end the session the run uses); login has its
own tests (rate limit, audit).
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from svc_helpers import build_service  # noqa: E402

pytestmark = pytest.mark.slow
DOMAIN_REJECTIONS = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    tmp = tmp_path_factory.mktemp("st")
    return build_service(f"sqlite:///{tmp / 'store.sqlite'}", Path(tmp))


@pytest.fixture(scope="module")
def api_schema(served: tuple):  # noqa: ANN201
    config = schemathesis.Config.from_dict({"checks": {
        "positive_data_acceptance": {"expected-statuses": DOMAIN_REJECTIONS}}})
    schema = schemathesis.openapi.from_asgi("/openapi.json", served[0].app, config=config)
    return schema.exclude(path_regex="^/api/auth/(login|logout)$")


def test_openapi_contract(api_schema, served: tuple) -> None:  # noqa: ANN001
    """Every operation, 25 generated cases each; failures collected per operation."""
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # noqa: ANN001
            case.call_and_validate(headers=served[1]["admin"])

        try:
            check()
        except BaseException as exc:  # noqa: BLE001 - report every operation, not the first
            if isinstance(exc, KeyboardInterrupt):
                raise
            lines = "".join(traceback.format_exception(exc)).splitlines()
            where = "\n".join(x for x in lines if "zonewatch/" in x or "Error" in x)[-3000:]
            failures.append(f"{operation.label}: {str(exc)[:1500]}\n{where}")
    assert operations > 30
    assert not failures, "\n\n".join(failures)
