"""The register as one workbook: `facilities export workbook` then `import workbook` changes
nothing; the NIA seed exported and imported into an empty install is the same register, table
by table; one bad cell in any sheet imports nothing and names its sheet and row; the template;
the admin's import page."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import select

from construction.models import Milestone, Project, WorkPackage
from facilities.app import create_app
from facilities.cli import main
from facilities.core.db import Database
from facilities.sites.models import Site
from leases.models import LeaseRent
from tests.factories import auth_headers, cli_env, everything, register_content

SHEETS = ("agency", "sites", "ownership_history", "pipeline", "leases", "rents", "mandate",
          "centers", "projects", "budget_lines", "work_packages", "milestones",
          "progress")  # fmt: skip
"""In the order they are imported."""


def run(settings, *args: str):
    return CliRunner().invoke(main, list(args), env=cli_env(settings))


@pytest.fixture
def nia_workbook(settings, tmp_path) -> Path:
    """The NIA seed, exported as one workbook."""
    path = tmp_path / "nia.xlsx"
    result = run(settings, "export", "workbook", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def empty(blank_settings):
    """An empty install: migrated, Taiwan's counties, no seed."""
    result = run(blank_settings, "init", "--empty")
    assert result.exit_code == 0, result.output
    database = Database(blank_settings)
    yield blank_settings, database
    database.dispose()


def edit(path: Path, sheet: str, row: int, field: str, value) -> Path:
    """Write `value` into a sheet's column (by its field) on a row of the sheet (1: headings)."""
    book = openpyxl.load_workbook(path)
    tab = next(ws for ws in book.worksheets if ws.title.split(" ")[-1] == sheet)
    column = next(c.column for c in tab[1] if str(c.value).split(" ")[-1] == field)
    tab.cell(row=row, column=column).value = value
    book.save(path)
    return path


def test_export_then_import_changes_nothing(settings, db, nia_workbook):
    before = everything(db)
    result = run(settings, "import", "workbook", str(nia_workbook))
    assert result.exit_code == 0, result.output
    for line in ("agency: 0 created, 0 updated, 1 unchanged",
                 "sites: 0 created, 0 updated, 65 unchanged",
                 "rents: 0 created, 0 updated, 102 unchanged",
                 "progress: 0 created, 0 updated, 22 unchanged",
                 "nia.xlsx imported: 13 sheets, 0 rows created, 0 updated."):  # fmt: skip
        assert line in result.output
    assert everything(db) == before  # every table, every column: no row written, no audit


def test_the_nia_seed_into_an_empty_install_is_the_same_register(db, nia_workbook, empty):
    blank_settings, blank = empty
    result = run(blank_settings, "import", "workbook", str(nia_workbook))
    assert result.exit_code == 0, result.output
    assert "sites: 65 created" in result.output
    assert "ownership_history: 3 created, 0 updated, 65 unchanged" in result.output
    seeded, imported = register_content(db), register_content(blank)
    # seed_state differs by design: the seeded install loaded the seeds, the other left them out
    assert {name for name in seeded if seeded[name] != imported[name]} == {"seed_state"}
    assert sum(seeded["audit_log"].values()) == sum(imported["audit_log"].values()) > 400


@pytest.mark.parametrize(
    ("sheet", "row", "field", "value", "reason"),
    [
        ("agency", 2, "name_zh", "署" * 101, "name_zh is longer than 100 characters"),
        ("sites", 14, "ownership", "leesed",
         "ownership 'leesed' is not one of owned, borrowed, leased"),
        ("ownership_history", 3, "effective_date", "2014-02-30",
         "effective_date '2014-02-30' is not a date: February 2014 has days 1 to 28"),
        ("pipeline", 4, "stage", "paved", "stage 'paved' is not one of not_needed"),
        ("leases", 5, "end_date", date(2000, 1, 1), "end_date 2000-01-01 must be after start_date"),
        ("rents", 40, "rent_ntd", "12,3a", "rent_ntd '12,3a' is not an amount in NT$"),
        ("mandate", 2, "mode", "every_other_year",
         "mode 'every_other_year' is not one of one_off, year_on_year"),
        ("centers", 4, "county", "Atlantis", "unknown county 'Atlantis'"),
        ("projects", 3, "planned_finish", "民國90年1月1日", "planned_finish 2001-01-01 is before"),
        ("budget_lines", 7, "last_year", 1999, "last_year 1999 is before first_year"),
        ("work_packages", 9, "weight_pct", 0, "weight_pct 0 must be from 1 to 100"),
        ("milestones", 11, "actual_date", date(2014, 7, 1),
         "actual_date 2014-07-01 is after the product's date 2014-06-30"),
        ("progress", 20, "percent_complete", 150, "percent_complete 150 is outside 0 to 100"),
    ],
)  # fmt: skip
def test_one_bad_cell_in_any_sheet_imports_nothing(nia_workbook, empty, sheet, row, field, value,
                                                   reason):  # fmt: skip
    """The sheets before the bad one would import cleanly: all of them are rolled back."""
    blank_settings, blank = empty
    edit(nia_workbook, sheet, row, field, value)
    before = everything(blank)
    result = run(blank_settings, "import", "workbook", str(nia_workbook))
    assert result.exit_code == 1, result.output
    assert f"{sheet}!{row}: {reason}" in result.output
    assert [line for line in result.output.splitlines() if "!" in line] == [
        line for line in result.output.splitlines() if line.startswith(f"{sheet}!{row}: ")
    ]
    assert "Error: Nothing was imported: 1 problem(s) in nia.xlsx." in result.output
    assert "Traceback" not in result.output
    assert everything(blank) == before


def test_every_problem_of_every_sheet_is_listed_in_sheet_order(nia_workbook, empty):
    blank_settings, blank = empty
    edit(nia_workbook, "progress", 3, "spent_to_date_ntd", 1)
    edit(nia_workbook, "sites", 14, "lat", 95)
    edit(nia_workbook, "sites", 7, "county", "Taipei Cty")
    before = everything(blank)
    result = run(blank_settings, "import", "workbook", str(nia_workbook))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "!" in line]
    assert [line.split(":")[0] for line in lines] == ["sites!7", "sites!14", "progress!3"]
    assert "did you mean 'Taipei City'?" in lines[0]
    assert "spent to date NT$1 is less than" in lines[2]
    assert "3 problem(s)" in result.output and everything(blank) == before


def test_a_sheet_or_a_heading_not_the_registers(nia_workbook, empty):
    blank_settings, blank = empty
    book = openpyxl.load_workbook(nia_workbook)
    book["據點 sites"]["F1"] = "權屬 ownershp"
    book["權屬沿革 ownership_history"].title = "history"
    book.save(nia_workbook)
    result = run(blank_settings, "import", "workbook", str(nia_workbook))
    assert result.exit_code == 1
    assert "history!1: the sheet is not one of the register's: 機關 agency, 據點 sites" in (
        result.output)  # fmt: skip
    assert "sites!1: unknown column(s) 權屬 ownershp; missing column(s) ownership" in result.output
    assert len(everything(blank)["sites"]) == 0


def test_a_workbook_of_changes_says_what_changed_per_sheet(settings, db, nia_workbook):
    edit(nia_workbook, "sites", 2, "floor_area_m2", 999)
    edit(nia_workbook, "rents", 2, "rent_ntd", "NT$700,000")
    edit(nia_workbook, "milestones", 3, "forecast_date", "103/12/31")
    book = openpyxl.load_workbook(nia_workbook, read_only=True)
    code = book["據點 sites"]["A2"].value
    project, package, name = [c.value for c in book["里程碑 milestones"][3]][:3]
    result = run(settings, "import", "workbook", str(nia_workbook))
    assert result.exit_code == 0, result.output
    assert "sites: 0 created, 1 updated, 64 unchanged" in result.output
    assert f"  updated {code}: floor_area_m2" in result.output
    assert "rents: 0 created, 1 updated, 101 unchanged" in result.output
    assert f"  updated {project}/{package}/{name}: forecast_date" in result.output
    with db.session() as session:
        assert session.scalar(select(Site.floor_area_m2).where(Site.code == code)) == 999
        assert 700_000 in session.scalars(select(LeaseRent.rent_ntd)).all()
        moved = (select(Milestone.forecast_date).join(Milestone.package).join(WorkPackage.project)
                 .where(Project.code == project, WorkPackage.code == package,
                        Milestone.name == name))  # fmt: skip
        assert session.scalar(moved) == date(2014, 12, 31)


def test_the_template_is_the_workbook_to_fill_in(client, settings, tmp_path, empty):
    response = client.get("/templates/register.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    assert visible[0] == "說明 README" and [t.split(" ")[-1] for t in visible[1:]] == list(SHEETS)
    readme = [c for row in book["說明 README"].iter_rows(values_only=True) for c in row if c]
    title = "內政部入出國及移民署 National Immigration Agency · 營舍登錄簿 Register workbook"
    assert title in readme
    assert "權屬 ownership" in readme and "The site's name in Chinese" in readme
    sites = book["據點 sites"]
    assert [c.value for c in sites[1]][:3] == ["代碼 code", "英文名稱 name", "中文名稱 name_zh"]
    assert sites["A2"].value == "TPE-HQ" and sites.max_row == 2  # one row of example data
    assert sites["G2"].is_date and sites["G2"].number_format == "yyyy-mm-dd"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sites.data_validations.dataValidation}
    assert lists["F2"] == '"owned,borrowed,leased"' and "lists" in lists["D2"]  # the counties
    assert book["選單 lists"].sheet_state == "hidden"
    assert "Taipei City" in [c.value for c in book["選單 lists"]["A"]]
    rents = book["租金 rents"]
    assert rents["D2"].number_format == "#,##0"
    modes = {str(v.sqref).split(":")[0]: v.formula1
             for v in book["租金降低規則 mandate"].data_validations.dataValidation}  # fmt: skip
    assert '"one_off,year_on_year"' in modes.values()
    path = tmp_path / "template.xlsx"
    blank_settings, _ = empty
    assert run(blank_settings, "template", "workbook", str(path)).exit_code == 0
    imported = run(blank_settings, "import", "workbook", str(path))  # the examples fit together
    assert imported.exit_code == 0, imported.output
    assert "template.xlsx imported: 13 sheets, 13 rows created, 0 updated." in imported.output


def csrf(browser: TestClient) -> str:
    page = browser.get("/admin/import")
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def upload(browser: TestClient, path: Path):
    return browser.post("/admin/import", data={"_csrf_token": csrf(browser)},
                        files={"workbook": (path.name, path.read_bytes())})  # fmt: skip


def test_the_admin_imports_a_workbook_in_the_browser(client, db, nia_workbook):
    edit(nia_workbook, "sites", 14, "ownership", "leesed")
    before = everything(db)
    refused = upload(client, nia_workbook)
    assert refused.status_code == 422
    assert "未匯入 Nothing was imported" in refused.text
    problem = "sites!14: ownership &#39;leesed&#39; is not one of owned, borrowed, leased"
    assert f"<li>{problem}</li>" in refused.text
    assert everything(db) == before
    edit(nia_workbook, "sites", 14, "ownership", "leased")
    edit(nia_workbook, "sites", 2, "floor_area_m2", 999)
    done = upload(client, nia_workbook)
    assert done.status_code == 200, done.text[:500]
    assert "已匯入 Imported nia.xlsx" in done.text and "floor_area_m2" in done.text


def test_only_an_admin_imports_in_the_browser(settings, client_as):
    staff = client_as("staff")
    assert staff.get("/admin/import").status_code == 403
    assert client_as(None).get("/admin/import").status_code == 401


def test_a_file_that_is_not_a_workbook_is_refused_on_the_page(client, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("code,name\n")
    response = upload(client, path)
    assert response.status_code == 422
    assert "register.xlsx is not an Excel workbook" in response.text


def test_a_bearer_tokens_csrf_is_still_asked_for_on_the_page(settings, nia_workbook):
    with TestClient(create_app(settings)) as browser:
        browser.headers.update(auth_headers(settings, "admin"))
        upload = {"workbook": ("x.xlsx", nia_workbook.read_bytes())}
        response = browser.post("/admin/import", files=upload)
        assert response.status_code == 403
