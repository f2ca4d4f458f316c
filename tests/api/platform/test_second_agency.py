"""Any agency, from one workbook: a second agency's register (tests/api/platform/second_agency.py)
imported into an empty install; its ownership summary, its rent-reduction report and a project's
burn against figures computed here from the rows written; its name, not the NIA's, on every
page, report and file."""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import openpyxl
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from facilities.app import create_app
from facilities.cli import main
from tests.api.platform import second_agency as wda
from tests.factories import auth_headers, cli_env

NIA_NAMES = ("內政部入出國及移民署", "移民署", "National Immigration Agency")


def half_up(value: Fraction | float | int, places: int = 1) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(
        value, Fraction) else Decimal(value)  # fmt: skip
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@pytest.fixture
def imported(blank_settings, tmp_path):
    """An empty install (`facilities init --empty`) with the second agency's workbook imported
    (`facilities import workbook`), on the agency's product date."""
    settings = replace(blank_settings, as_of=wda.AS_OF)
    env = cli_env(settings)
    init = CliRunner().invoke(main, ["init", "--empty"], env=env)
    assert init.exit_code == 0, init.output
    assert "seed counties: 22 counties" in init.output and "seed sites: left empty" in init.output
    sheets = wda.register()
    path = wda.write_workbook(sheets, tmp_path / "wda.xlsx")
    result = CliRunner().invoke(main, ["import", "workbook", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert f"sites: {wda.SITES} created, 0 updated, 0 unchanged" in result.output
    assert f"rents: {len(sheets['rents'])} created" in result.output
    return settings, sheets


@pytest.fixture
def admin(imported):
    settings, _ = imported
    with TestClient(create_app(settings)) as client:
        client.headers.update(auth_headers(settings, "admin"))
        yield client


def held_on(sheets, day: date) -> dict[str, tuple[str, str]]:
    """(county, ownership) of every site open on `day`, from the rows written."""
    earlier = {(h["site_code"], h["effective_date"]): h["ownership"]
               for h in sheets["ownership_history"]}  # fmt: skip
    held = {}
    for s in sheets["sites"]:
        if s.get("closed_on") and s["closed_on"] <= day:
            continue
        spans = sorted([(d, o) for (code, d), o in earlier.items() if code == s["code"]]
                       + [(s["ownership_since"], s["ownership"])])  # fmt: skip
        started = [o for d, o in spans if d <= day]
        if started:
            held[s["code"]] = (s["county"], started[-1])
    return held


@pytest.mark.parametrize("day", [wda.AS_OF, date(2015, 6, 30)])
def test_the_ownership_summary_is_the_agencys_own(admin, imported, day):
    _, sheets = imported
    held = held_on(sheets, day)
    counts = Counter(o for _, o in held.values())
    body = admin.get("/api/v1/ownership/summary", params={"as_of": day.isoformat()}).json()
    assert body["basis"] == "recorded" and body["total"] == len(held)
    for kind in ("owned", "borrowed", "leased"):
        share = body["ownership"][kind]
        assert share["count"] == counts[kind]
        assert share["share_pct"] == half_up(Fraction(counts[kind] * 100, len(held)))
    hualien = next(c for c in body["counties"] if c["county"] == "Hualien County")
    in_hualien = Counter(o for county, o in held.values() if county == "Hualien County")
    assert {k: v["count"] for k, v in hualien["ownership"].items()} == {
        k: in_hualien[k] for k in ("owned", "borrowed", "leased")}  # fmt: skip
    assert {c["county"] for c in body["counties"]} == set(wda.COUNTIES)


def test_its_closed_sites_and_earlier_holdings_count_as_the_rows_say(imported):
    _, sheets = imported
    now, then = held_on(sheets, wda.AS_OF), held_on(sheets, date(2015, 6, 30))
    assert len(now) == wda.SITES - 3  # three owned sites closed in 2018
    assert Counter(o for _, o in then.values())["leased"] > Counter(
        o for _, o in now.values())["leased"]  # fmt: skip


def test_its_rent_reduction_report_by_its_own_rule(admin, imported):
    _, sheets = imported
    rents: dict[str, Counter] = {}
    for r in sheets["rents"]:
        rents.setdefault(r["site_code"], Counter())[r["fiscal_year"]] += r["rent_ntd"]
    body = admin.get("/api/v1/reports/rent-reduction",
                     params={"fiscal_year": wda.REPORT_YEAR}).json()  # fmt: skip
    assert body["rule"]["mode"] == "one_off" and body["rule"]["rate_pct"] == wda.RATE
    assert body["rule"]["baseline_fiscal_year"] == wda.BASELINE
    assert body["rent_column"]["basis"] == "paid"  # FY2018 is closed on 2019-06-30
    expected = {}
    for code, by_year in rents.items():
        baseline, paid = by_year[wda.BASELINE], by_year[wda.REPORT_YEAR]
        target = baseline * (100 - wda.RATE) // 100
        expected[code] = (baseline, target, paid, "met" if paid <= target else "not_met")
    rows = {r["site_code"]: r for r in body["rows"]}
    assert set(rows) == set(expected)
    for code, (baseline, target, paid, status) in expected.items():
        row = rows[code]
        assert (row["baseline_rent_ntd"], row["target_rent_ntd"], row["actual_rent_ntd"],
                row["status"]) == (baseline, target, paid, status), code  # fmt: skip
    met = sum(1 for *_, status in expected.values() if status == "met")
    totals = body["totals"]
    assert totals["offices"] == totals["assessed"] == len(expected) == 150
    assert (totals["met"], totals["not_met"]) == (met, len(expected) - met) and 0 < met < 150
    assert totals["baseline_rent_ntd"] == sum(v[0] for v in expected.values())
    assert totals["target_rent_ntd"] == sum(v[1] for v in expected.values())
    assert totals["actual_rent_ntd"] == sum(v[2] for v in expected.values())
    assert totals["share_met_pct"] == half_up(Fraction(met * 100, len(expected)))


def test_a_projects_burn_from_its_own_figures(admin):
    code = "WDA-HLN"
    _county, bac, start, finish = wda.PROJECTS[code]
    day, done, spent = wda.PROGRESS[code][-1]
    burn = admin.get(f"/api/v1/projects/{code}/burn", params={"as_of": day.isoformat()}).json()
    total, elapsed = (finish - start).days + 1, (day - start).days + 1
    planned = (1 - math.cos(math.pi * elapsed / total)) / 2
    appropriated = sum(a for year, a in wda.APPROPRIATED[code].items() if year <= day.year)
    assert (burn["days_total"], burn["days_elapsed"]) == (total, elapsed) == (1461, 911)
    assert burn["schedule_used_pct"] == half_up(Fraction(elapsed * 100, total))
    assert burn["planned_pct"] == half_up(planned * 100)
    assert (burn["work_done_pct"], burn["spent_ntd"]) == (done, spent)
    assert burn["budget_burn_pct"] == half_up(Fraction(spent * 100, bac)) == 48.3
    assert burn["appropriated_to_date_ntd"] == appropriated == 140_000_000
    assert burn["appropriation_burn_pct"] == half_up(Fraction(spent * 100, appropriated))
    ev = burn["earned_value"]
    assert ev["ev"] == round(bac * done / 100) and ev["ac"] == spent
    assert ev["cpi"] == half_up(Fraction(ev["ev"], spent), 3)


def test_its_name_not_the_nias_on_every_page_report_and_file(admin, imported):
    settings, _ = imported
    pages = ["/dashboard", "/maps/ownership", "/maps/projects", "/admin/import",
             f"/reports/rent-reduction?fiscal_year={wda.REPORT_YEAR}",
             f"/reports/relocation-savings?fiscal_year={wda.REPORT_YEAR}"]  # fmt: skip
    with TestClient(create_app(settings)) as anonymous:
        pages_text = {"/login": anonymous.get("/login").text}
    for path in pages:
        response = admin.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        pages_text[path] = response.text
    files = {
        "rent CSV": admin.get(f"/api/v1/reports/rent-reduction?fiscal_year={wda.REPORT_YEAR}"
                              "&format=csv").content.decode("utf-8-sig"),
        "rent XLSX": xlsx_text(admin.get(f"/api/v1/reports/rent-reduction?fiscal_year="
                                         f"{wda.REPORT_YEAR}&format=xlsx").content),
        "relocation XLSX": xlsx_text(admin.get(
            f"/api/v1/reports/relocation-savings?fiscal_year={wda.REPORT_YEAR}&format=xlsx"
        ).content),
        "template": xlsx_text(admin.get("/templates/register.xlsx").content),
    }  # fmt: skip
    for where, text in {**pages_text, **files}.items():
        assert wda.AGENCY["name_zh"] in text or wda.AGENCY["short_name_zh"] in text, where
        for name in NIA_NAMES:
            assert name not in text, (where, name)
    assert f"{wda.AGENCY['short_name_zh']}營舍管理" in pages_text["/login"]
    assert wda.AGENCY["name"] in pages_text["/dashboard"]


def xlsx_text(content: bytes) -> str:
    """Every cell, page header and footer of a workbook, as one text."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    parts = []
    for sheet in book.worksheets:
        parts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
        parts += [sheet.oddHeader.left.text or "", sheet.oddFooter.left.text or ""]
    return "\n".join(parts)


def test_the_agency_is_named_and_renamed_from_the_command_line(blank_settings):
    env = cli_env(blank_settings)
    assert CliRunner().invoke(main, ["init", "--empty"], env=env).exit_code == 0
    shown = CliRunner().invoke(main, ["agency", "show"], env=env)
    assert "name_zh: 未設定機關" in shown.output
    half = CliRunner().invoke(main, ["agency", "set", "--name-zh", "勞動部"], env=env)
    assert half.exit_code == 1 and "name is missing" in half.output
    assert "Traceback" not in half.output
    named = CliRunner().invoke(main, [
        "agency", "set", "--name-zh", "勞動部", "--name", "Ministry of Labor",
        "--short-name-zh", "勞動部", "--short-name", "MOL"], env=env)  # fmt: skip
    assert named.exit_code == 0, named.output
    assert "agency: 勞動部 Ministry of Labor (勞動部, MOL)" in named.output
    again = CliRunner().invoke(main, ["agency", "set", "--short-name", "MOL"], env=env)
    assert "names unchanged" in again.output
    unknown = CliRunner().invoke(main, ["agency", "set", "--default-rule", "no such"], env=env)
    assert unknown.exit_code == 1 and "No mandate rule is named 'no such'" in unknown.output
    with TestClient(create_app(blank_settings)) as client:
        assert "勞動部營舍管理" in client.get("/login").text
    later = CliRunner().invoke(main, ["init"], env=env)
    assert "seed sites: left empty (facilities init --empty)" in later.output
