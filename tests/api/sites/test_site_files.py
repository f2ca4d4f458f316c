"""`facilities import sites` and `facilities export sites`: the register as a spreadsheet."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from facilities.audit.models import AuditEntry
from facilities.cli import main
from facilities.core.files import MAX_FILE_BYTES, MAX_ROWS
from facilities.sites.models import Site
from tests.factories import everything


@pytest.fixture
def cli(settings):
    env = {
        "DATABASE_URL": settings.sqlalchemy_url,
        "FACILITIES_AS_OF": "2014-06-30",
        "FACILITIES_DATA_DIR": str(settings.data_dir),
    }

    def run(*args):
        return CliRunner().invoke(main, list(args), env=env)

    return run


def register(db) -> dict[str, dict]:
    with db.session() as session:
        return {
            s.code: {
                "name": s.name,
                "ownership": s.ownership,
                "lat": s.lat,
                "updated_at": s.updated_at,
            }
            for s in session.scalars(select(Site))
        }


def audit_rows(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_unchanged_changes_nothing(cli, db, tmp_path, suffix):
    path = tmp_path / f"sites.{suffix}"
    result = cli("export", "sites", str(path))
    assert result.exit_code == 0, result.output
    assert "65 sites written" in result.output
    before, audits = register(db), audit_rows(db)
    result = cli("import", "sites", str(path))
    assert result.exit_code == 0, result.output
    assert "0 sites updated, 0 created, 65 unchanged." in result.output
    assert register(db) == before and audit_rows(db) == audits


def test_the_officers_journey_three_corrections_and_a_typo(cli, db, tmp_path):
    path = tmp_path / "sites.xlsx"
    assert cli("export", "sites", str(path)).exit_code == 0
    frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    code, ownership = frame["代碼 code"], "權屬 ownership"
    frame.loc[code == "KHH-SS1", "英文名稱 name"] = "Kaohsiung City First Service Station (Lingya)"
    frame.loc[code == "KHH-SOT", "樓地板面積(平方公尺) floor_area_m2"] = "455"
    frame.loc[code == "PIF-SS", "地址 address_zh"] = "屏東縣屏東市自由路527號"
    frame.loc[12, ownership] = "leesed"  # the 13th data row: line 14 of the sheet
    typo_code = frame.loc[12, "代碼 code"]
    frame.to_excel(path, index=False)

    before = register(db)
    result = cli("import", "sites", str(path))
    assert result.exit_code != 0
    assert "line 14: ownership 'leesed' is not one of owned, borrowed, leased" in result.output
    assert "Nothing was imported" in result.output
    assert register(db) == before

    frame.loc[12, ownership] = before[typo_code]["ownership"]
    frame.to_excel(path, index=False)
    result = cli("import", "sites", str(path))
    assert result.exit_code == 0, result.output
    assert "3 sites updated, 0 created, 62 unchanged." in result.output
    assert "updated KHH-SOT: floor_area_m2" in result.output
    after = register(db)
    assert after["KHH-SS1"]["name"] == "Kaohsiung City First Service Station (Lingya)"
    assert {c for c in after if after[c] != before[c]} == {"KHH-SS1", "KHH-SOT", "PIF-SS"}


def write_csv(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


HEADER = (
    "code,name,name_zh,county,site_type,ownership,ownership_since,address_zh,lat,lon,"
    "floor_area_m2,lending_agency,loan_end_date,state_land_obtained,closed_on,provenance\n"
)
GOOD = (
    "NEW-SS1,New Station,新服務站,Taichung City,service_station,leased,2013-01-01,,"
    "24.15,120.67,300,,,false,,illustrative\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER + GOOD.replace(",leased,", ",leesed,"),
            "line 2: ownership 'leesed' is not one of owned, borrowed, leased",
        ),
        (HEADER + GOOD.replace("NEW-SS1,", ",", 1), "line 2: code is missing"),
        (
            HEADER + GOOD + GOOD.replace("New Station", "Again"),
            "line 3: code 'NEW-SS1' appears again (first on line 2)",
        ),
        (
            HEADER + GOOD.replace(",24.15,", ",95,"),
            "line 2: lat 95 is outside 21.0 to 27.0 (Taiwan, Penghu, Kinmen and Matsu)",
        ),
        (HEADER + GOOD.replace(",24.15,", ",north,"), "line 2: lat 'north' is not a number"),
        (
            HEADER + GOOD.replace("2013-01-01", "01/07/2012"),
            "line 2: ownership_since '01/07/2012' is not a date: write it as 2014-06-30, "
            "2014/7/1, 103/06/30, 103.6.30 or 民國103年6月30日",
        ),
        (
            HEADER + GOOD.replace("2013-01-01", "101/02/30"),
            "line 2: ownership_since '101/02/30' is not a date: February 2012 has days 1 to 29",
        ),
        (
            HEADER + GOOD.replace("Taichung City", "Taichung"),
            "line 2: county 'Taichung' is not a county",
        ),
        (
            HEADER + GOOD.replace(",leased,", ",borrowed,"),
            "line 2: lending_agency is required for a borrowed site",
        ),
        (
            HEADER + GOOD.replace("NEW-SS1", "TPE-HQ").replace(",leased,", ",owned,"),
            "line 2: ownership_since changes only with a change of ownership",
        ),
        (
            HEADER.replace("lat,", "latitude,") + GOOD,
            "unknown column(s) latitude; missing column(s) lat",
        ),
        (
            HEADER.replace("lon,", "緯度,") + GOOD,
            "missing column(s) lon; column(s) given twice: lat",
        ),
        ("", "is empty: it needs a header row"),
        (HEADER, "has a header but no rows"),
        (
            HEADER + GOOD + "\n" + GOOD.replace("NEW-SS1", "NEW-SS2").replace(",300,", ",-3,"),
            "line 4: floor_area_m2 '-3' is not a whole number",
        ),
    ],
)
def test_bad_files_import_nothing_and_say_why(cli, db, tmp_path, text, expected):
    before, audits = register(db), audit_rows(db)
    result = cli("import", "sites", write_csv(tmp_path / "in.csv", text))
    assert result.exit_code != 0
    assert expected in result.output
    assert register(db) == before and audit_rows(db) == audits


def test_a_file_that_is_not_utf8_is_refused(cli, db, tmp_path):
    path = write_csv(tmp_path / "big5.csv", HEADER + GOOD, encoding="big5")
    result = cli("import", "sites", path)
    assert result.exit_code != 0
    assert "big5.csv is not UTF-8 text" in result.output and "CSV UTF-8" in result.output
    assert len(register(db)) == 65


def test_one_bad_row_among_good_ones_imports_nothing(cli, db, tmp_path):
    rows = [GOOD.replace("NEW-SS1", f"NEW-SS{i}") for i in range(1, 6)]
    rows[3] = rows[3].replace(",24.15,", ",-24.15,")
    result = cli("import", "sites", write_csv(tmp_path / "in.csv", HEADER + "".join(rows)))
    assert result.exit_code != 0
    assert "line 5: lat -24.15 is outside" in result.output
    assert "line 2" not in result.output
    assert len(register(db)) == 65


def test_good_rows_create_and_update(cli, db, tmp_path):
    text = HEADER + GOOD + GOOD.replace("NEW-SS1", "NEW-SS2")
    result = cli("import", "sites", write_csv(tmp_path / "in.csv", text))
    assert result.exit_code == 0, result.output
    assert (
        "created NEW-SS1" in result.output
        and "0 sites updated, 2 created, 0 unchanged." in result.output
    )
    assert len(register(db)) == 67


def test_an_ownership_change_by_file_is_kept_in_the_history(cli, client, tmp_path):
    path = tmp_path / "sites.csv"
    cli("export", "sites", str(path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = ["權屬 ownership", "權屬起日 ownership_since"]
    frame.loc[frame["代碼 code"] == "CHA-SS", changed] = ["owned", "2014-03-01"]
    frame.to_csv(path, index=False)
    result = cli("import", "sites", str(path))
    assert result.exit_code == 0, result.output
    assert "updated CHA-SS: ownership, ownership_since" in result.output
    site = client.get("/api/v1/sites/CHA-SS").json()
    assert [h["ownership"] for h in site["history"]] == ["leased", "owned"]
    summary = client.get("/api/v1/ownership/summary", params={"as_of": "2014-02-28"}).json()
    assert summary["ownership"]["owned"]["count"] == 14


def test_unknown_file_type_is_refused(cli, tmp_path):
    result = cli("import", "sites", write_csv(tmp_path / "sites.txt", HEADER + GOOD))
    assert result.exit_code != 0 and "use a .csv or .xlsx file" in result.output
    result = cli("export", "sites", str(tmp_path / "sites.json"))
    assert result.exit_code != 0 and "export to a .csv or .xlsx file" in result.output


def ownership_since(db, code: str):
    with db.session() as session:
        return session.scalar(select(Site.ownership_since).where(Site.code == code))


@pytest.mark.parametrize(
    "written", ["2012-07-01", "2012/7/1", "101/07/01", "101.7.1", "民國101年7月1日"]
)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_dates_are_read_as_taiwanese_staff_write_them(cli, db, tmp_path, written, suffix):
    frame = pd.read_csv(io.StringIO(HEADER + GOOD), dtype=str, keep_default_na=False)
    frame["ownership_since"] = written
    path = tmp_path / f"in.{suffix}"
    frame.to_csv(path, index=False) if suffix == "csv" else frame.to_excel(path, index=False)
    result = cli("import", "sites", str(path))
    assert result.exit_code == 0, result.output
    assert "0 sites updated, 1 created, 0 unchanged." in result.output
    assert ownership_since(db, "NEW-SS1") == date(2012, 7, 1)


def test_a_date_cell_of_a_workbook_and_an_area_with_separators(cli, db, tmp_path):
    path = tmp_path / "in.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    row = GOOD.strip().split(",")
    row[6] = datetime(2012, 7, 1)  # ownership_since, a cell Excel shows as a date
    row[10] = "1,234"  # floor_area_m2
    sheet.append(row)
    book.save(path)
    result = cli("import", "sites", str(path))
    assert result.exit_code == 0, result.output
    assert ownership_since(db, "NEW-SS1") == date(2012, 7, 1)
    with db.session() as session:
        assert session.scalar(select(Site.floor_area_m2).where(Site.code == "NEW-SS1")) == 1234


EXPORT_HEADINGS = [
    "代碼 code", "英文名稱 name", "中文名稱 name_zh", "縣市 county", "類型 site_type",
    "權屬 ownership", "權屬起日 ownership_since", "地址 address_zh", "緯度 lat", "經度 lon",
    "樓地板面積(平方公尺) floor_area_m2", "出借機關 lending_agency",
    "借用期滿日 loan_end_date", "已取得國有土地 state_land_obtained", "裁撤日 closed_on",
    "資料來源 provenance",
]  # fmt: skip


def test_the_export_is_headed_in_both_languages_with_its_header_row_frozen(cli, tmp_path):
    assert cli("export", "sites", str(tmp_path / "sites.xlsx")).exit_code == 0
    assert cli("export", "sites", str(tmp_path / "sites.csv")).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "sites.xlsx").active
    assert [c.value for c in sheet[1]] == EXPORT_HEADINGS
    assert sheet.freeze_panes == "B2"  # the header row, and the code beside every row
    assert sheet["G2"].is_date and sheet["G2"].number_format == "yyyy-mm-dd"
    with (tmp_path / "sites.csv").open(encoding="utf-8-sig") as csv_file:
        header, first = csv_file.readline().strip(), csv_file.readline()
    assert header == ",".join(EXPORT_HEADINGS)
    assert re.search(r",\d{4}-\d{2}-\d{2},", first)  # dates stay ISO


def test_a_file_headed_in_chinese_is_read(cli, db, tmp_path):
    chinese = ",".join(h.split(" ")[0] for h in EXPORT_HEADINGS) + "\n"
    result = cli("import", "sites", write_csv(tmp_path / "in.csv", chinese + GOOD))
    assert result.exit_code == 0, result.output
    assert ownership_since(db, "NEW-SS1") == date(2013, 1, 1)


def not_a_zip(path):
    path.write_bytes(b"PK but not really a workbook" * 50)


def zip_bomb(path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 2**20))


def too_big(path):
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)


CASES = {
    "not-a-zip.xlsx": (not_a_zip, "is not an Excel workbook"),
    "bomb.xlsx": (zip_bomb, "refused as no register is that large"),
    "huge.csv": (too_big, f"a file to import is at most {MAX_FILE_BYTES // 2**20} MB"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_file_is_refused_before_it_is_parsed(cli, db, tmp_path, name):
    make, words = CASES[name]
    make(tmp_path / name)
    before = everything(db)
    result = cli("import", "sites", str(tmp_path / name))
    assert result.exit_code == 1 and words in result.output, result.output
    assert "Traceback" not in result.output
    assert everything(db) == before


def test_too_many_rows_are_refused(cli, db, tmp_path):
    rows = "".join(GOOD.replace("NEW-SS1", f"N-{i}") for i in range(MAX_ROWS + 1))
    before = everything(db)
    result = cli("import", "sites", write_csv(tmp_path / "many.csv", HEADER + rows))
    assert result.exit_code == 1 and f"more than {MAX_ROWS:,} rows" in result.output
    assert everything(db) == before
