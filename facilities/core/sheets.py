"""A register as sheets of a spreadsheet, one way for every domain: each sheet's columns (a
heading in Chinese and English, how a cell is read, what it means, its drop-down list), its
rows read from the cells into typed fields with every problem named by its line, and its rows
written back as a `Table` for `files.xlsx_bytes`. Cells are read with `parsing` (ROC and
Gregorian dates, amounts with separators, bilingual headings)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from facilities.core.errors import DomainError
from facilities.core.files import DATE_FORMAT, MONEY_FORMAT, Column, FileProblem, Table
from facilities.core.money import MAX_NTD
from facilities.core.parsing import (
    bilingual,
    heading_fields,
    normalize,
    parse_amount,
    parse_date,
    parse_number,
)
from facilities.core.roc import ROC_OFFSET
from facilities.core.settings import EARLIEST, LATEST

Parser = Callable[[str, str], Any]
"""(column, the cell's text) -> the field's value; a ValueError says what is wrong."""
LINE = "_line"
"""Each parsed row's line in its sheet (the header is line 1), kept under this key."""
LIST_SEPARATORS = re.compile(r"[,;、，；\s]+")
TRUE_WORDS = {"true", "yes", "1", "y", "是"}
FALSE_WORDS = {"false", "no", "0", "n", "", "否"}


def text(limit: int) -> Parser:
    def parse(column: str, raw: str) -> str:
        if len(raw) > limit:
            raise ValueError(f"{column} is longer than {limit} characters")
        return raw

    return parse


def pattern(regex: str, what: str) -> Parser:
    def parse(column: str, raw: str) -> str:
        if not re.fullmatch(regex, raw):
            raise ValueError(f"{column} '{raw}' must be {what}")
        return raw

    return parse


def one_of(values: Iterable[str]) -> str:
    return ", ".join(values)


def choice(values: Iterable[Any], labels: Mapping[str, str] | None = None) -> Parser:
    """One of closed `values` (an Enum's values, or strings); a Chinese label of `labels`
    (value -> label) reads as its value."""
    allowed = [v.value if isinstance(v, Enum) else v for v in values]
    by_label = {label: value for value, label in (labels or {}).items()}

    def parse(column: str, raw: str) -> str:
        if raw in allowed:
            return raw
        if raw in by_label:
            return by_label[raw]
        raise ValueError(f"{column} '{raw}' is not one of {one_of(allowed)}")

    return parse


def a_date(column: str, raw: str) -> date:
    try:
        return parse_date(raw)
    except ValueError as exc:
        raise ValueError(f"{column} {exc}") from None


def number(low: float, high: float, where: str = "") -> Parser:
    def parse(column: str, raw: str) -> float:
        try:
            value = float(parse_number(raw))
        except ValueError as exc:
            raise ValueError(f"{column} {exc}") from None
        if not low <= value <= high:
            why = f" ({where})" if where else ""
            raise ValueError(f"{column} {raw} is outside {low} to {high}{why}")
        return value

    return parse


def whole(low: int, high: int, unit: str = "") -> Parser:
    """A whole number from `low` to `high` (`unit`: what it counts, for the message)."""

    def parse(column: str, raw: str) -> int:
        try:
            value = parse_number(raw)
        except ValueError:
            value = None
        if value is None or value != value.to_integral_value() or value < 0 <= low:
            of = f" of {unit}" if unit else ""
            raise ValueError(f"{column} '{raw}' is not a whole number{of}")
        if not low <= value <= high:
            raise ValueError(f"{column} {int(value)} must be from {low:,} to {high:,}")
        return int(value)

    return parse


def a_year(column: str, raw: str) -> int:
    """A fiscal year, Gregorian (2014) or ROC (103)."""
    year = whole(1, LATEST.year, "years")(column, raw)
    year = year + ROC_OFFSET if year < 1000 else year
    if not EARLIEST.year <= year <= LATEST.year:
        raise ValueError(f"{column} {raw} is not a year from {EARLIEST.year} to {LATEST.year}")
    return year


def percent(column: str, raw: str) -> Decimal:
    """A rate in percent, 0 to 100, to at most two decimals (7.5 for 7.5%), as written."""
    number(0, 100)(column, raw.removesuffix("%"))
    value = parse_number(raw.removesuffix("%"))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{column} {raw} has more than two decimals")
    return value


def amount(column: str, raw: str) -> int:
    """Whole NT$, with or without thousands separators (1,234,567 or NT$1,234,567)."""
    try:
        value = parse_amount(raw)
    except ValueError as exc:
        raise ValueError(f"{column} {exc}") from None
    if not 0 <= value <= MAX_NTD:
        raise ValueError(f"{column} {value:,} must be from 0 to {MAX_NTD:,}")
    return value


def flag(column: str, raw: str) -> bool:
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{column} '{raw}' is not true or false")


def codes(each: Parser) -> Parser:
    """A list of codes in one cell, separated by commas, spaces or 、 (each read by `each`)."""

    def parse(column: str, raw: str) -> tuple[str, ...]:
        found = [c for c in LIST_SEPARATORS.split(raw) if c]
        return tuple(dict.fromkeys(each(column, c) for c in found))

    return parse


@dataclass(frozen=True)
class Field:
    """A column of a sheet."""

    name: str
    zh: str
    read: Parser
    about: str
    """What the column holds, for the README sheet (English; the heading says it in Chinese)."""
    required: bool = False
    width: int = 12
    number_format: str | None = None
    choices: tuple[str, ...] = ()
    """A closed vocabulary, offered as a drop-down list in the workbook."""
    default: Any = None
    """What a blank cell of an optional column means."""

    @property
    def heading(self) -> str:
        return bilingual(self.name, self.zh)


def money(name: str, zh: str, about: str, required: bool = True) -> Field:
    """Whole NT$ (blank: 0, in an optional column)."""
    return Field(name, f"{zh}(元)", amount, about, required, 14, MONEY_FORMAT,
                 default=None if required else 0)  # fmt: skip


def dated(name: str, zh: str, about: str, required: bool = True) -> Field:
    """A date (blank: none, in an optional column)."""
    return Field(name, zh, a_date, about, required, 12, DATE_FORMAT)


def year(name: str, zh: str, about: str) -> Field:
    return Field(name, zh, a_year, about, True, 8)


def closed(
    name: str, zh: str, values: Sequence[Any], about: str, default: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Field:  # fmt: skip
    """One of a closed vocabulary, from a drop-down list; required unless it has a default."""
    words = tuple(v.value if isinstance(v, Enum) else v for v in values)
    about = f"{about} (blank: {default})" if default else about
    return Field(name, zh, choice(words, labels), about, default is None, 16, choices=words,
                 default=default)  # fmt: skip


@dataclass(frozen=True)
class Parsed:
    """A sheet's rows as typed fields (each with its line under LINE), and every problem found
    in them, as (line, problem); the rows refused for them, with what could be read of them."""

    rows: list[dict[str, Any]]
    problems: list[tuple[int, str]]
    refused: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the register: its name (English, and Chinese for its tab), its columns in
    order, and the columns whose values name one row (its natural key)."""

    name: str
    zh: str
    about: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    example: Mapping[str, Any] = field(default_factory=dict)
    """A row of example data, for the template."""
    refers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The rows of earlier sheets a row names, by that sheet's name: the fields that hold their
    key, or its first fields (a progress report names its project's budget lines by the
    project's code alone)."""

    @property
    def title(self) -> str:
        """The sheet's tab: `據點 sites`."""
        return bilingual(self.name, self.zh)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def column(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def table(
        self, rows: Iterable[Mapping[str, Any]], choices: Mapping[str, Sequence[str]] = {}
    ) -> Table:
        """The rows (each a mapping of field names) in the columns import reads; `choices`:
        drop-down lists known only from the database (the counties)."""
        columns = [
            Column(f.heading, f.width, f.number_format,
                   choices=tuple(choices.get(f.name, f.choices)))
            for f in self.fields
        ]  # fmt: skip
        body = [[cell(row.get(name)) for name in self.names] for row in rows]
        return Table(self.title[:31], columns, body, frozen_columns=len(self.key))

    def parse(self, frame: pd.DataFrame, where: str) -> Parsed:
        """Every non-blank row of a sheet read as text (`files.read_table`), as typed fields;
        FileProblem if its headings are not the sheet's (`where` names it)."""
        frame.columns = self.fields_of(frame.columns, where)
        rows: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        problems: list[tuple[int, str]] = []
        first_line: dict[tuple, int] = {}
        for index, record in enumerate(frame.to_dict("records")):
            line = index + 2  # line 1 is the header
            if not any(record.values()):
                continue
            fields, found = self.read_row(record, line)
            key = tuple(fields.get(k) for k in self.key)
            if key in first_line:
                found.append((line, self.repeated(key, first_line[key])))
            elif None not in key:
                first_line[key] = line
            if found:
                problems += found
                refused.append(fields)
            else:
                rows.append(fields)
        return Parsed(rows, problems, refused)

    def read_row(
        self, record: Mapping[str, str], line: int
    ) -> tuple[dict[str, Any], list[tuple[int, str]]]:
        fields: dict[str, Any] = {LINE: line}
        problems = []
        for name, raw in record.items():
            column = self.column(name)
            if raw == "":
                if column.required:
                    problems.append((line, f"{name} is missing"))
                else:
                    fields[name] = column.default
                continue
            try:
                fields[name] = column.read(name, raw)
            except ValueError as exc:
                problems.append((line, str(exc)))
        return fields, problems

    def repeated(self, key: tuple, first: int) -> str:
        if len(key) == 1:
            return f"{self.key[0]} '{key[0]}' appears again (first on line {first})"
        shown = ", ".join(str(k) for k in key)
        return f"{', '.join(self.key)} ({shown}) appear again (first on line {first})"

    def fields_of(self, headings: Sequence[Any], where: str) -> list[str]:
        """Each heading's field; FileProblem naming the unknown, missing and repeated ones."""
        known = heading_fields({f.name: f.zh for f in self.fields})
        headings = [str(h).strip() for h in headings]
        fields = [known.get(normalize(h)) for h in headings]
        unknown = [h for h, f in zip(headings, fields, strict=True) if f is None]
        missing = [c for c in self.required if c not in fields]
        repeated = sorted({f for f in fields if f and fields.count(f) > 1})
        parts = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        parts += [f"missing column(s) {', '.join(missing)}"] if missing else []
        parts += [f"column(s) given twice: {', '.join(repeated)}"] if repeated else []
        if parts:
            raise FileProblem(
                f"{where}: {'; '.join(parts)}. The columns are: {', '.join(self.names)} "
                f"(each headed by that name, in Chinese, or in both as the export writes them: "
                f"'{self.fields[0].heading}')"
            )
        return fields


def cell(value: Any) -> Any:
    """A field's value as a cell: a list of codes as one text, an Enum as its value."""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    return value


@dataclass
class Outcome:
    """What loading a sheet did: rows created, updated (each with what changed) and unchanged,
    and the problems of the rows it refused, as (line, problem)."""

    created: int = 0
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    def count(self, done: str | None) -> None:
        """`done`: None for a row created, "" for one unchanged, else what changed."""
        if done is None:
            self.created += 1
        elif done:
            self.updated.append(done)
        else:
            self.unchanged += 1

    def summary(self) -> str:
        return f"{self.created} created, {len(self.updated)} updated, {self.unchanged} unchanged"


CREATED: None = None
UNCHANGED = ""


def each_row(
    session: Session, rows: Iterable[Mapping[str, Any]], apply: Callable[[Mapping], str | None],
    outcome: Outcome,
) -> Outcome:  # fmt: skip
    """Apply each row through the domain's services, in a savepoint of its own: a row that a
    rule refuses becomes a problem of its line and leaves nothing behind, and the rows after it
    are still checked. `apply` returns CREATED, UNCHANGED or what it changed."""
    for row in rows:
        try:
            with session.begin_nested():
                done = apply(row)
        except DomainError as exc:
            outcome.problems.append((row[LINE], exc.detail))
        else:
            outcome.count(done)
    return outcome


def differing(current: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a parsed row whose values differ from the record's (LINE left out)."""
    return {k: v for k, v in row.items() if k != LINE and k in current and current[k] != v}


def changed_names(key: str, fields: Iterable[str]) -> str:
    """What an outcome lists for an updated row (`KHH-SS1: floor_area_m2, name`); UNCHANGED if
    no field changed."""
    fields = sorted(fields)
    return f"{key}: {', '.join(fields)}" if fields else UNCHANGED


@dataclass(frozen=True)
class Importing:
    """Who imports, and the product's date the rows are checked on."""

    actor: str
    today: date
