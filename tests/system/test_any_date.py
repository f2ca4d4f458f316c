"""Every GET route and page, on any product date and any `as_of` from 1990 to 2100 (today's
real date among them, and dates far outside the data), on the seeded database and on one with
random valid monthly progress: never a 5xx, and every JSON answer keeps its schema."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from construction.services import add_progress, get_project
from facilities.app import create_app
from facilities.core.db import Database
from facilities.core.settings import EARLIEST, LATEST, SEED_DATA_DATE, Settings
from tests.factories import auth_headers

DATES = st.one_of(
    st.dates(EARLIEST, LATEST), st.just(date.today()), st.just(SEED_DATA_DATE),
    st.sampled_from([EARLIEST, LATEST, date(2021, 12, 31), date(2013, 5, 1)]),
)  # fmt: skip
PATH_VALUES = {"code": "SDC-KHH", "lease_id": "1", "milestone_id": "4", "name": "none.xlsx"}
PAGES = ["/dashboard", "/maps/projects", "/login"]
SETTINGS = hypothesis_settings(
    max_examples=12, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


def get_operations(schema) -> list:
    return [
        op for op in (result.ok() for result in schema.get_all_operations())
        if op.method.upper() == "GET"
    ]  # fmt: skip


def query_for(operation, as_of: date) -> dict[str, Any]:
    names = {p.name for p in operation.query}
    since = as_of - timedelta(days=400)
    values = {"as_of": as_of.isoformat(), "fiscal_year": as_of.year,
              "from": since.isoformat(), "to": as_of.isoformat()}  # fmt: skip
    return {k: v for k, v in values.items() if k in names}


def path_for(operation) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], operation.path)


def check_every_route(settings, schema, headers, product: date, as_of: date) -> None:
    with TestClient(create_app(replace(settings, as_of=product))) as client:
        client.headers.update(headers)
        for operation in get_operations(schema):
            response = client.get(path_for(operation), params=query_for(operation, as_of))
            where = (operation.path, product, as_of, response.text[:300])
            assert response.status_code < 500, where
            if response.status_code == 200 and "json" in response.headers["content-type"]:
                operation.validate_response(response)
        for page in [*PAGES, f"/maps/ownership?as_of={as_of}"]:
            response = client.get(page, headers={"accept": "text/html"})
            assert response.status_code in (200, 400), (page, product, as_of, response.text[:300])


def test_every_route_on_any_date(settings):
    headers = auth_headers(settings, "admin")
    with TestClient(create_app(settings)) as client:
        client.headers.update(headers)
        schema = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())

    @given(product=DATES, as_of=DATES)
    @SETTINGS
    def check(product, as_of):
        check_every_route(settings, schema, headers, product, as_of)

    check()


REPORTS = st.lists(
    st.tuples(st.sampled_from(["SDC-KHH", "MSC-ILA", "MSC-TPE"]), st.integers(1, 400),
              st.floats(0, 30), st.integers(0, 60_000_000), st.booleans()),
    max_size=6,
)  # fmt: skip
"""Monthly reports to file after the seed's: the project, days after its last report, and how
much work and spending they add; whether to give a reason."""


def file_reports(settings, reports) -> date:
    """File the reports through the same service the API uses, each valid on its own date;
    those a rule refuses (a window passed, an appropriation exceeded) are left out. Returns
    the last date filed."""
    db, last = Database(settings), SEED_DATA_DATE
    for code, days, more_work, more_spent, _reason in reports:
        with db.session(write=True) as session:
            project = get_project(session, code)
            previous = project.progress[-1]
            day = previous.data_date + timedelta(days=days)
            body = {"data_date": day, "reason": "hypothesis",
                    "percent_complete": min(100.0, previous.percent_complete + round(more_work, 1)),
                    "spent_to_date_ntd": previous.spent_to_date_ntd + more_spent,
                    "override_appropriation": True, "override_reason": "hypothesis"}  # fmt: skip
            try:
                add_progress(session, code, body, actor="test", today=day)
            except Exception as exc:  # a refusal by the rules is a 422, and fine here
                assert getattr(exc, "status_code", None) == 422, exc
                session.rollback()
                continue
            last = max(last, day)
    db.dispose()
    return last


def test_every_route_on_any_date_with_random_progress(backend, tmp_path):
    base = None

    @given(reports=REPORTS, product=DATES, as_of=DATES)
    @SETTINGS
    def check(reports, product, as_of):
        nonlocal base
        url = backend.new_url()
        try:
            settings = Settings(data_dir=tmp_path, database_url=url, as_of=SEED_DATA_DATE)
            file_reports(settings, reports)
            headers = auth_headers(settings, "admin")
            if base is None:
                with TestClient(create_app(settings)) as client:
                    client.headers.update(headers)
                    base = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())
            check_every_route(settings, base, headers, product, as_of)
        finally:
            backend.drop(url)

    check()
