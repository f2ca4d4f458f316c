"""The site register as spreadsheet tables: the sites sheet (also a CSV or XLSX file of its own,
`facilities import sites`), and the ownership history and pipeline sheets of the register
workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from facilities.core.files import (
    MAX_ROWS,
    FileProblem,
    check_rows,
    check_upload,
    uninert,
    write_file,
)
from facilities.core.parsing import cell_text
from facilities.core.sheets import (
    Field,
    Sheet,
    closed,
    dated,
    flag,
    number,
    pattern,
    text,
    whole,
)
from facilities.sites.rules import (
    LAT_RANGE,
    LON_RANGE,
    MAX_FLOOR_AREA_M2,
    MAX_TEXT,
    MAX_TEXT_ZH,
    REQUIRED_COLUMNS,
    SITE_CODE_PATTERN,
    SITE_COLUMNS,
    Ownership,
    Provenance,
    SiteType,
    Stage,
)


@dataclass(frozen=True)
class ParsedSites:
    """A file's rows as typed fields (each with its file line under "_line"), and every problem
    found in them, as (line, problem)."""

    name: str
    rows: list[dict[str, Any]]
    problems: list[tuple[int, str]]


TAIWAN = "Taiwan, Penghu, Kinmen and Matsu"
CODE_HINT = "2 to 32 upper-case letters, digits or '-', e.g. KHH-SS1"
site_code = pattern(SITE_CODE_PATTERN, CODE_HINT)
OWNERSHIP_ZH = {o.value: o.zh for o in Ownership}
SITE_TYPE_ZH = {t.value: t.zh for t in SiteType}
PROVENANCE_ABOUT = (
    "Where the row comes from: budget_fy2014 (a budget document) or illustrative (made up to "
    "show the product)"
)


def provenance() -> Field:
    return closed("provenance", "資料來源", list(Provenance), PROVENANCE_ABOUT, "illustrative")


def county(about: str = "The county or city, by its English or Chinese name") -> Field:
    return Field("county", "縣市", text(MAX_TEXT), about, True, 16)


SITES = Sheet(
    "sites", "據點",
    "Every site the agency holds or has held: one row a site, by its code.",
    (
        Field("code", "代碼", site_code, f"The site's code: {CODE_HINT}", True),
        Field("name", "英文名稱", text(MAX_TEXT), "The site's name in English", True, 40),
        Field("name_zh", "中文名稱", text(MAX_TEXT_ZH), "The site's name in Chinese", True, 24),
        county(),
        closed("site_type", "類型", list(SiteType), "What the site is", labels=SITE_TYPE_ZH),
        closed("ownership", "權屬", list(Ownership),
               "How it is held now: owned 自有, borrowed 無償借用, leased 有償租用",
               labels=OWNERSHIP_ZH),
        dated("ownership_since", "權屬起日",
              "The day the current ownership began (a change of ownership takes effect then)"),
        Field("address_zh", "地址", text(MAX_TEXT), "The address in Chinese", False, 36,
              default=""),
        Field("lat", "緯度", number(*LAT_RANGE, TAIWAN), "Latitude (WGS 84)", True, 10),
        Field("lon", "經度", number(*LON_RANGE, TAIWAN), "Longitude (WGS 84)", True, 10),
        Field("floor_area_m2", "樓地板面積(平方公尺)",
              whole(1, MAX_FLOOR_AREA_M2, "square metres"), "Floor area in square metres",
              True, 12),
        Field("lending_agency", "出借機關", text(MAX_TEXT),
              "Who lends a borrowed site (borrowed sites only)", False, 20),
        dated("loan_end_date", "借用期滿日", "When the loan ends (borrowed sites only)", False),
        Field("state_land_obtained", "已取得國有土地", flag,
              "true when state land for the agency's own building is in hand", False, 10,
              choices=("true", "false"), default=False),
        dated("closed_on", "裁撤日", "The day the site closed, if it has", False),
        provenance(),
    ),
    key=("code",),
    example={
        "code": "TPE-HQ", "name": "Taipei Headquarters", "name_zh": "臺北總部",
        "county": "Taipei City", "site_type": "headquarters", "ownership": "leased",
        "ownership_since": date(2012, 1, 1), "address_zh": "臺北市中正區範例路1號",
        "lat": 25.04, "lon": 121.51, "floor_area_m2": 1200, "state_land_obtained": False,
        "provenance": "illustrative",
    },
)  # fmt: skip
assert SITES.names == SITE_COLUMNS and SITES.required == REQUIRED_COLUMNS

HISTORY = Sheet(
    "ownership_history", "權屬沿革",
    "How each site has been held: a row from each day its ownership changed. The current "
    "ownership comes from the sites sheet; rows before it record how the site was held earlier.",
    (
        Field("site_code", "據點代碼", site_code, "The site, by its code", True),
        dated("effective_date", "生效日", "From this day on the site is held as ownership"),
        closed("ownership", "權屬", list(Ownership), "How the site is held from that day",
               labels=OWNERSHIP_ZH),
        Field("note", "說明", text(500), "Why it changed", False, 40, default=""),
    ),
    key=("site_code", "effective_date"),
    refers={"sites": ("site_code",)},
    example={"site_code": "TPE-HQ", "effective_date": date(2005, 1, 1), "ownership": "borrowed",
             "note": "借用市政府辦公室 Borrowed from the city"},
)  # fmt: skip


PIPELINE = Sheet(
    "pipeline", "自有化進程",
    "Each county's road to owning its sites, move by move: from `reached_on` on, the track "
    "stands at `stage`. The county's own track has no site code; a site with a track of its "
    "own names it. Moves are read in order; a move back to an earlier stage needs a reason.",
    (
        county("The county or city whose road it is, by its English or Chinese name"),
        Field("site_code", "據點代碼", site_code, "A site with a track of its own (blank: the "
              "county's own track)", False, 12),
        closed("stage", "階段", list(Stage), "The stage reached", labels={s.value: s.zh
                                                                          for s in Stage}),
        dated("reached_on", "日期", "The day the track reached the stage"),
        Field("project_code", "工程代碼", text(32), "The project that carries the track, if any",
              False, 12),
        Field("note", "說明", text(500), "What happened", False, 40, default=""),
        Field("reason", "退回原因", text(500), "Why the track moved back (a move back only)",
              False, 30, default=""),
        provenance(),
    ),
    key=("county", "site_code", "stage", "reached_on"),
    refers={"sites": ("site_code",)},
    example={"county": "Taipei City", "stage": "land_sought", "reached_on": date(2013, 1, 2),
             "note": "覓地中 Looking for state land"},
)  # fmt: skip


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as stripped text; raises FileProblem with a reason a person can act on."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".csv"):
        check_upload(path)
    try:
        if suffix == ".xlsx":
            # cells as typed: a date cell is read as its date, not as text with a time
            frame = pd.read_excel(path, dtype=object, keep_default_na=False, nrows=MAX_ROWS + 1)
            frame = frame.map(cell_text)
        elif suffix == ".csv":
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                skip_blank_lines=False, nrows=MAX_ROWS + 1,
            )  # fmt: skip
        else:
            raise FileProblem(f"{path.name}: use a .csv or .xlsx file, not '{suffix or 'none'}'")
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"{path.name} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
            f"{exc.start}; Big5 perhaps): save it as 'CSV UTF-8' and import it again"
        ) from None
    except pd.errors.EmptyDataError:
        raise FileProblem(
            f"{path.name} is empty: it needs a header row ({', '.join(SITE_COLUMNS)}) and rows"
        ) from None
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        raise FileProblem(f"{path.name} cannot be read as {suffix[1:].upper()}: {exc}") from None
    check_rows(frame, path.name)
    return frame.map(lambda v: uninert(v.strip()) if isinstance(v, str) else v)


def read_sites(path: Path) -> ParsedSites:
    parsed = SITES.parse(read_table(path), path.name)
    if not parsed.rows and not parsed.problems:
        raise FileProblem(f"{path.name} has a header but no rows: nothing to import")
    return ParsedSites(path.name, parsed.rows, parsed.problems)


def write_sites(records: list[dict[str, Any]], path: Path) -> None:
    """The register in the columns import reads, to a .csv or .xlsx file."""
    write_file(SITES.table(records), path)
