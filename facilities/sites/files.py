"""The site register as a spreadsheet (CSV or XLSX): read and check rows, write them out."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from facilities.core.files import (
    MAX_ROWS,
    Column,
    FileProblem,
    Table,
    check_rows,
    check_upload,
    uninert,
    write_file,
)
from facilities.core.parsing import (
    bilingual,
    cell_text,
    heading_fields,
    normalize,
    parse_date,
    parse_number,
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
    one_of,
)


@dataclass(frozen=True)
class ParsedSites:
    """A file's rows as typed fields (each with its file line under "_line"), and every problem
    found in them, as (line, problem)."""

    name: str
    rows: list[dict[str, Any]]
    problems: list[tuple[int, str]]


Parser = Callable[[str, str], Any]


def _text(column: str, raw: str, limit: int = MAX_TEXT) -> str:
    if len(raw) > limit:
        raise ValueError(f"{column} is longer than {limit} characters")
    return raw


def _text_zh(column: str, raw: str) -> str:
    return _text(column, raw, MAX_TEXT_ZH)


def _optional_text(column: str, raw: str) -> str | None:
    return _text(column, raw) if raw else None


def _code(column: str, raw: str) -> str:
    if not re.fullmatch(SITE_CODE_PATTERN, raw):
        raise ValueError(
            f"code '{raw}' must be 2 to 32 upper-case letters, digits or '-', e.g. KHH-SS1"
        )
    return raw


def _choice(enum: type) -> Parser:
    def parse(column: str, raw: str) -> str:
        if raw not in {m.value for m in enum}:
            raise ValueError(f"{column} '{raw}' is not one of {one_of(enum)}")
        return raw

    return parse


def _date(column: str, raw: str) -> date:
    try:
        return parse_date(raw)
    except ValueError as exc:
        raise ValueError(f"{column} {exc}") from None


def _optional_date(column: str, raw: str) -> date | None:
    return _date(column, raw) if raw else None


def _number_in(low: float, high: float, where: str) -> Parser:
    def parse(column: str, raw: str) -> float:
        try:
            value = float(parse_number(raw))
        except ValueError as exc:
            raise ValueError(f"{column} {exc}") from None
        if not low <= value <= high:
            raise ValueError(f"{column} {raw} is outside {low} to {high} ({where})")
        return value

    return parse


def _area(column: str, raw: str) -> int:
    try:
        number = parse_number(raw)
    except ValueError:
        number = None
    if number is None or number < 0 or number != number.to_integral_value():
        raise ValueError(f"{column} '{raw}' is not a whole number of square metres")
    value = int(number)
    if not 0 < value <= MAX_FLOOR_AREA_M2:
        raise ValueError(f"{column} {value} must be above 0 and at most {MAX_FLOOR_AREA_M2:,}")
    return value


def _flag(column: str, raw: str) -> bool:
    word = raw.lower()
    if word in {"true", "yes", "1", "y"}:
        return True
    if word in {"false", "no", "0", "n", ""}:
        return False
    raise ValueError(f"{column} '{raw}' is not true or false")


TAIWAN = "Taiwan, Penghu, Kinmen and Matsu"
PARSERS: dict[str, Parser] = {
    "code": _code,
    "name": _text,
    "name_zh": _text_zh,
    "county": _text,
    "site_type": _choice(SiteType),
    "ownership": _choice(Ownership),
    "ownership_since": _date,
    "address_zh": lambda c, raw: _text(c, raw),
    "lat": _number_in(*LAT_RANGE, TAIWAN),
    "lon": _number_in(*LON_RANGE, TAIWAN),
    "floor_area_m2": _area,
    "lending_agency": _optional_text,
    "loan_end_date": _optional_date,
    "state_land_obtained": _flag,
    "closed_on": _optional_date,
    "provenance": _choice(Provenance),
}
assert set(PARSERS) == set(SITE_COLUMNS)
LABELS: dict[str, tuple[str, int]] = {
    "code": ("代碼", 12), "name": ("英文名稱", 40), "name_zh": ("中文名稱", 24),
    "county": ("縣市", 16), "site_type": ("類型", 24), "ownership": ("權屬", 10),
    "ownership_since": ("權屬起日", 12), "address_zh": ("地址", 36), "lat": ("緯度", 10),
    "lon": ("經度", 10), "floor_area_m2": ("樓地板面積(平方公尺)", 12),
    "lending_agency": ("出借機關", 20), "loan_end_date": ("借用期滿日", 12),
    "state_land_obtained": ("已取得國有土地", 10), "closed_on": ("裁撤日", 12),
    "provenance": ("資料來源", 14),
}  # fmt: skip
"""Each column's Chinese label and its width in the workbook: the export's headings are both
languages (`代碼 code`); the import reads those, the English names alone, or the Chinese."""
assert list(LABELS) == list(SITE_COLUMNS)
HEADINGS = heading_fields({name: zh for name, (zh, _) in LABELS.items()})


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


def parse_sites(
    frame: pd.DataFrame, name: str
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Rows as typed fields (with their file line under "_line"), and every problem found."""
    frame.columns = _fields(frame.columns, name)
    rows, problems, first_line = [], [], {}
    for index, record in enumerate(frame.to_dict("records")):
        line = index + 2  # line 1 is the header
        if not any(record.values()):
            continue
        fields: dict[str, Any] = {"_line": line}
        found = len(problems)
        for column, raw in record.items():
            if column in REQUIRED_COLUMNS and raw == "":
                problems.append((line, f"{column} is missing"))
                continue
            try:
                fields[column] = PARSERS[column](column, raw)
            except ValueError as exc:
                problems.append((line, str(exc)))
        code = fields.get("code")
        if code in first_line:
            problems.append(
                (line, f"code '{code}' appears again (first on line {first_line[code]})")
            )
        elif code:
            first_line[code] = line
        if len(problems) == found:
            rows.append(fields)
    if not first_line and not problems:
        raise FileProblem(f"{name} has a header but no rows: nothing to import")
    return rows, problems


def _fields(headings: Sequence[Any], name: str) -> list[str]:
    """Each heading's field; FileProblem naming the unknown, missing and repeated ones."""
    headings = [str(h).strip() for h in headings]
    fields = [HEADINGS.get(normalize(h)) for h in headings]
    unknown = [h for h, f in zip(headings, fields, strict=True) if f is None]
    missing = [c for c in REQUIRED_COLUMNS if c not in fields]
    repeated = sorted({f for f in fields if f and fields.count(f) > 1})
    parts = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
    parts += [f"missing column(s) {', '.join(missing)}"] if missing else []
    parts += [f"column(s) given twice: {', '.join(repeated)}"] if repeated else []
    if parts:
        raise FileProblem(
            f"{name}: {'; '.join(parts)}. The columns are: {', '.join(SITE_COLUMNS)} "
            f"(each headed by that name, in Chinese, or in both as the export writes them: "
            f"'{_heading('code')}')"
        )
    return fields


def _heading(field: str) -> str:
    return bilingual(field, LABELS[field][0])


def read_sites(path: Path) -> ParsedSites:
    rows, problems = parse_sites(read_table(path), path.name)
    return ParsedSites(path.name, rows, problems)


def write_sites(records: list[dict[str, Any]], path: Path) -> None:
    """The register in the columns import reads, to a .csv or .xlsx file."""
    rows = [[record[c] for c in SITE_COLUMNS] for record in records]
    columns = [Column(_heading(c), LABELS[c][1]) for c in SITE_COLUMNS]
    write_file(Table("sites", columns, rows, frozen_columns=1), path)
