"""The benchmark's synthetic registers, and what the product does with three times the agency:
the same number of SQL statements per request, and a dashboard that stays one screenful."""

from __future__ import annotations

import re
from collections import Counter

from bench.generate import grow_sites
from bench.run import STATEMENT_ENDPOINTS, statement_counts
from tests.factories import auth_headers, site_payload

SCALE = 3


def test_the_generator_clones_every_register_in_proportion(client, db):
    before = client.get("/api/v1/projects").json()["items"]
    assert grow_sites(db, SCALE) == 65 * SCALE
    summary = client.get("/api/v1/ownership/summary").json()["ownership"]
    assert {k: v["count"] for k, v in summary.items()} == {
        "owned": 14 * SCALE, "borrowed": 17 * SCALE, "leased": 34 * SCALE}  # fmt: skip
    report = client.get("/api/v1/reports/rent-reduction?fiscal_year=2014").json()
    assert len(report["rows"]) == 34 * SCALE
    projects = client.get("/api/v1/projects").json()["items"]
    assert len(projects) == len(before) * SCALE
    copy = next(p for p in projects if p["code"] == "SDC-KHH-Z002")
    original = next(p for p in before if p["code"] == "SDC-KHH")
    assert copy["budget_total_ntd"] == original["budget_total_ntd"] == 237_396_755
    assert copy["status"] == original["status"]
    milestones = client.get("/api/v1/projects/SDC-KHH-Z002/milestones").json()["items"]
    assert len(milestones) == len(client.get("/api/v1/projects/SDC-KHH/milestones").json()["items"])
    created = client.post("/api/v1/sites", json=site_payload(code="NEW-1", ownership="owned"))
    assert created.status_code == 201, created.text  # ids handed out after the explicit ones


def test_no_request_costs_more_statements_with_a_bigger_register(settings, db):
    token = auth_headers(settings, "admin")["Authorization"].removeprefix("Bearer ")
    small = statement_counts(settings, token)
    grow_sites(db, SCALE)
    assert statement_counts(settings, token) == small
    assert set(small) == set(STATEMENT_ENDPOINTS)


def test_the_dashboard_draws_the_worst_projects_and_counts_the_rest(client_as, db):
    grow_sites(db, SCALE)
    executive = client_as("executive")
    projects = executive.get("/api/v1/projects").json()["items"]
    html = executive.get("/dashboard").text
    curves = re.findall(r'aria-label="([\w-]+) 計畫與實際完成率', html)
    assert curves == [p["code"] for p in projects[:12]]
    rest = Counter(p["status"] for p in projects[12:])
    assert (f"另有 {len(projects) - 12} more projects: {rest['red']} red · {rest['amber']} amber"
            f" · {rest['green']} green") in html  # fmt: skip
    assert f"全部 All {9 * SCALE} centers" in html
