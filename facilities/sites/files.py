"""The site register as a spreadsheet (CSV or XLSX): read and check rows, write them out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from facilities.core.files import Column, FileProblem, Table, uninert, write_file
from facilities.sites.rules import (
    LAT_RANGE,
    LON_RANGE,
    MAX_FLOOR_AREA_M2,
    MAX_TEXT,
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


def _text(column: str, raw: str) -> str:
    if len(raw) > MAX_TEXT:
        raise ValueError(f"{column} is longer than {MAX_TEXT} characters")
    return raw


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
        return date.fromisoformat(raw.removesuffix(" 00:00:00"))
    except ValueError:
        raise ValueError(f"{column} '{raw}' is not a date: write it as YYYY-MM-DD") from None


def _optional_date(column: str, raw: str) -> date | None:
    return _date(column, raw) if raw else None


def _number_in(low: float, high: float, where: str) -> Parser:
    def parse(column: str, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{column} '{raw}' is not a number") from None
        if not low <= value <= high:
            raise ValueError(f"{column} {raw} is outside {low} to {high} ({where})")
        return value

    return parse


def _area(column: str, raw: str) -> int:
    if not re.fullmatch(r"\d+(\.0+)?", raw):
        raise ValueError(f"{column} '{raw}' is not a whole number of square metres")
    value = int(float(raw))
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
    "name_zh": _text,
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


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as stripped text; raises FileProblem with a reason a person can act on."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix == ".csv":
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                skip_blank_lines=False,
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
    return frame.map(lambda v: uninert(v.strip()) if isinstance(v, str) else v)


def parse_sites(
    frame: pd.DataFrame, name: str
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Rows as typed fields (with their file line under "_line"), and every problem found."""
    columns = [str(c).strip() for c in frame.columns]
    unknown = [c for c in columns if c not in PARSERS]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if unknown or missing:
        parts = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        parts += [f"missing column(s) {', '.join(missing)}"] if missing else []
        raise FileProblem(f"{name}: {'; '.join(parts)}. The columns are: {', '.join(SITE_COLUMNS)}")
    frame.columns = columns
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


def read_sites(path: Path) -> ParsedSites:
    rows, problems = parse_sites(read_table(path), path.name)
    return ParsedSites(path.name, rows, problems)


def write_sites(records: list[dict[str, Any]], path: Path) -> None:
    """The register in the columns import reads, to a .csv or .xlsx file."""
    rows = [[record[c] for c in SITE_COLUMNS] for record in records]
    write_file(Table("sites", [Column(c) for c in SITE_COLUMNS], rows), path)
