"""Every file the product writes (CSV and XLSX) goes through here: one table model, text cells
made inert so that no spreadsheet runs them as formulas, CSV as UTF-8 with a byte-order mark
(Excel on Windows reads it as UTF-8), XLSX through XlsxWriter."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from facilities.core.errors import DomainError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is read by spreadsheets as a formula (OWASP: CSV
injection); such a cell is written with a leading apostrophe, which makes it plain text."""
MONEY_FORMAT = "#,##0"


class FileProblem(DomainError):
    """A file as a whole cannot be read or written; the message says why and what to do."""

    status_code = 422
    title = "The file cannot be used"


def inert(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def uninert(value: str) -> str:
    """What `inert` wrote, read back as it was."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass(frozen=True)
class Column:
    heading: str
    width: int = 12
    number_format: str | None = None


@dataclass(frozen=True)
class Table:
    """A sheet: title lines, then a header row, then the rows. `total_rows` last rows are
    totals (bold); `frozen_columns` stay in view when scrolling sideways."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    title_lines: Sequence[str] = field(default_factory=tuple)
    total_rows: int = 0
    frozen_columns: int = 0

    @property
    def header_row(self) -> int:
        """The header's row index (0-based): below the title lines and one blank line."""
        return len(self.title_lines) + 1 if self.title_lines else 0

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            list(self.rows), columns=[c.heading for c in self.columns], dtype=object
        )


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    for line in table.title_lines:
        buffer.write('"' + inert(line).replace('"', '""') + '"\n')
    if table.title_lines:
        buffer.write("\n")
    frame = table.frame()
    frame = frame.map(inert)
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(*tables: Table) -> bytes:
    buffer = io.BytesIO()
    # text stays text: a name like "=HYPERLINK(...)" is never written as a formula or a link
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False,
                                        "default_date_format": "yyyy-mm-dd"})  # fmt: skip
    for table in tables:
        _write_sheet(book, table)
    book.close()
    return buffer.getvalue()


def _write_sheet(book: xlsxwriter.Workbook, table: Table) -> None:
    sheet = book.add_worksheet(table.name[:31])
    bold = book.add_format({"bold": True})
    for row, line in enumerate(table.title_lines):
        sheet.write_string(row, 0, line, bold if row == 0 else None)
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    top = table.header_row
    sheet.write_row(top, 0, [c.heading for c in table.columns], header)
    for offset, row in enumerate(table.rows, start=top + 1):
        sheet.write_row(offset, 0, [_cell(v) for v in row])
    for index, column in enumerate(table.columns):
        fmt = (
            book.add_format({"num_format": column.number_format}) if column.number_format else None
        )
        sheet.set_column(index, index, column.width, fmt)
    if table.total_rows:
        totals = book.add_format({"bold": True, "num_format": MONEY_FORMAT})
        for row in range(top + 1 + len(table.rows) - table.total_rows, top + 1 + len(table.rows)):
            sheet.set_row(row, None, totals)
    sheet.freeze_panes(top + 1, table.frozen_columns)


def _cell(value: Any) -> Any:
    """XlsxWriter writes text as text (strings_to_formulas is off): no apostrophe needed."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


WRITERS = {".csv": csv_bytes, ".xlsx": xlsx_bytes}


def write_file(table: Table, path: Path) -> None:
    """A table to a .csv or .xlsx file (by its extension), whole or not at all."""
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise FileProblem(
            f"{path.name}: export to a .csv or .xlsx file, not '{path.suffix or 'none'}'"
        )
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(writer(table))
    partial.replace(path)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """A UTF-8 CSV file's rows as text, by heading (the seed's files, for instance)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.to_dict("records")
