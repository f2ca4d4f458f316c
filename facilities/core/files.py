"""Every file the product writes (CSV and XLSX) goes through here: one table model, text cells
made inert so that no spreadsheet runs them as formulas, CSV as UTF-8 with a byte-order mark
(Excel on Windows reads it as UTF-8), XLSX through XlsxWriter. A table meant for printing
carries a `PrintSetup`: A4 landscape fitted to the page width, its title and heading rows
repeated on every page, a page header and footer, as a budget table is printed."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from facilities.core.errors import DomainError
from facilities.core.parsing import cell_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is read by spreadsheets as a formula (OWASP: CSV
injection); such a cell is written with a leading apostrophe, which makes it plain text."""
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
ONE_DECIMAL = "0.0"
PERCENT_FORMAT = ONE_DECIMAL
"""A percentage held as a number of percent (14.5 for 14.5%), shown with one decimal."""
A4 = 9
"""XlsxWriter's paper code for A4."""
MAX_WIDTH = 60


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
    """The least width, in characters; a column widens to show its longest figure or text."""
    number_format: str | None = None
    wrap: bool = False
    """Text wraps within `width` instead of widening the column (long names, notes)."""
    choices: tuple[str, ...] = ()
    """A closed vocabulary: the XLSX offers it as a drop-down list on the column's cells."""


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints: A4, landscape, fitted to one page wide (as many pages tall as it
    takes), the title and heading rows repeated on every page, and a page header and footer,
    each given as (left, centre, right). `&P` and `&N` are the page number and page count."""

    header: tuple[str, str, str] = ("", "", "")
    footer: tuple[str, str, str] = ("", "", "")


@dataclass(frozen=True)
class Table:
    """A sheet: title lines, then a header row, then the rows, then notes below the table.
    `total_rows` last rows are totals (bold); `frozen_columns` stay in view when scrolling
    sideways."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    title_lines: Sequence[str] = field(default_factory=tuple)
    total_rows: int = 0
    frozen_columns: int = 0
    notes: Sequence[str] = field(default_factory=tuple)
    """Lines under the table, after one blank line (the rounding note of a budget table)."""
    print_setup: PrintSetup | None = None

    @property
    def header_row(self) -> int:
        """The header's row index (0-based): below the title lines and one blank line."""
        return len(self.title_lines) + 1 if self.title_lines else 0

    @property
    def notes_row(self) -> int:
        """The first note's row index: below the last row and one blank line."""
        return self.header_row + len(self.rows) + 2

    def widths(self) -> list[int]:
        """Each column's width: wide enough for every figure and every unwrapped text."""
        out = []
        for index, column in enumerate(self.columns):
            widest = 0 if column.wrap else max(
                (shown_width(row[index], column.number_format) for row in self.rows), default=0
            )  # fmt: skip
            out.append(max(column.width, min(widest + 2, MAX_WIDTH)))
        return out

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            list(self.rows), columns=[c.heading for c in self.columns], dtype=object
        )


def text_width(text: str) -> int:
    """Columns a text takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def shown_width(value: Any, number_format: str | None = None) -> int:
    """How wide a value is shown in its number format."""
    if value is None:
        return 0
    return text_width(shown(value, number_format))


def shown(value: Any, number_format: str | None = None) -> str:
    """A value as its number format shows it (for widths and for pages): #,##0, 0.0."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if number_format == MONEY_FORMAT:
            return f"{value:,.0f}" if isinstance(value, float) else f"{value:,}"
        if number_format == ONE_DECIMAL:
            return f"{value:.1f}"
    return str(value)


def _csv_line(line: str) -> str:
    return '"' + inert(line).replace('"', '""') + '"\n'


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    for line in table.title_lines:
        buffer.write(_csv_line(line))
    if table.title_lines:
        buffer.write("\n")
    # made inert cell by cell: DataFrame.map would infer types again (a column of whole
    # dollars with a blank in it would turn into floats, 420000000.0)
    inert_rows = [[inert(value) for value in row] for row in table.rows]
    pd.DataFrame(inert_rows, columns=[c.heading for c in table.columns], dtype=object).to_csv(
        buffer, index=False
    )
    if table.notes:
        buffer.write("\n")
    for line in table.notes:
        buffer.write(_csv_line(line))
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(*tables: Table) -> bytes:
    buffer = io.BytesIO()
    # text stays text: a name like "=HYPERLINK(...)" is never written as a formula or a link
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False,
                                        "default_date_format": DATE_FORMAT})  # fmt: skip
    lists = Lists(book)
    for table in tables:
        _write_sheet(book, table, lists)
    book.close()
    return buffer.getvalue()


LISTS_SHEET = "選單 lists"
"""The hidden sheet holding drop-down lists too long to write into a cell's validation."""
INLINE_LIST_CHARACTERS = 255
"""Excel's limit on a drop-down list written into the validation itself."""


class Lists:
    """Where each drop-down list of a workbook comes from: short ones inline, long ones (the
    counties) from a column of a hidden sheet, made when first needed."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.sheet = None
        self.ranges: dict[tuple[str, ...], str] = {}

    def source(self, choices: tuple[str, ...]) -> list[str] | str:
        if len(",".join(choices)) <= INLINE_LIST_CHARACTERS:
            return list(choices)
        if choices not in self.ranges:
            if self.sheet is None:
                self.sheet = self.book.add_worksheet(LISTS_SHEET)
                self.sheet.hide()
            column = len(self.ranges)
            self.sheet.write_column(0, column, choices)
            letter = xl_col_to_name(column)
            self.ranges[choices] = f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(choices)}"
        return self.ranges[choices]


def _validate(sheet, lists: Lists, first_row: int, index: int, column: Column) -> None:
    """A drop-down list of the column's choices on its cells below the header."""
    shown = ", ".join(column.choices)
    sheet.data_validation(first_row, index, MAX_ROWS, index, {
        "validate": "list", "source": lists.source(column.choices),
        "error_title": "請從清單選擇 Choose from the list",
        "error_message": shown if len(shown) < 250 else shown[:246] + " ...",
    })  # fmt: skip


def _write_sheet(book: xlsxwriter.Workbook, table: Table, lists: Lists) -> None:
    sheet = book.add_worksheet(table.name[:31])
    widths = table.widths()
    _write_lines(book, sheet, table.title_lines, 0, widths, title=True)
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "border": 1, "bg_color": "#F2F2F2"})  # fmt: skip
    top = table.header_row
    sheet.write_row(top, 0, [c.heading for c in table.columns], header)
    sheet.set_row(top, 15 * _lines(table.columns, widths))
    plain = [_format(book, c, bold=False) for c in table.columns]
    bold = [_format(book, c, bold=True) for c in table.columns]
    dated = [_format(book, c, bold=False, number_format=DATE_FORMAT) for c in table.columns]
    first_total = len(table.rows) - table.total_rows
    wrapped = [(i, w - 1) for i, (c, w) in enumerate(zip(table.columns, widths, strict=True))
               if c.wrap]  # fmt: skip
    for offset, row in enumerate(table.rows):
        formats = bold if offset >= first_total else plain
        for index, value in enumerate(row):
            fmt = dated[index] if isinstance(value, date) else formats[index]
            sheet.write(top + 1 + offset, index, _cell(value), fmt)
        lines = max((wrapped_lines(str(row[i]), w) for i, w in wrapped if row[i]), default=1)
        if lines > 1:  # a spreadsheet does not grow a row for wrapped text by itself
            sheet.set_row(top + 1 + offset, 15 * lines)
    for index, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        # the column's own format too, so that a row typed in below reads as the rows above
        sheet.set_column(index, index, width, _column_format(book, column))
        if column.choices:
            _validate(sheet, lists, top + 1, index, column)
    _write_lines(book, sheet, table.notes, table.notes_row, widths, title=False)
    sheet.freeze_panes(top + 1, table.frozen_columns)
    if table.print_setup:
        _print_setup(sheet, table.print_setup, top)


def _format(
    book: xlsxwriter.Workbook, column: Column, bold: bool, number_format: str | None = None
):  # fmt: skip
    spec = {"border": 1, "valign": "top", "bold": bold, "text_wrap": column.wrap}
    if number_format or column.number_format:
        spec["num_format"] = number_format or column.number_format
    return book.add_format(spec)


def _column_format(book: xlsxwriter.Workbook, column: Column):
    return book.add_format({"num_format": column.number_format}) if column.number_format else None


def _lines(columns: Sequence[Column], widths: Sequence[int]) -> int:
    """Lines the tallest wrapped heading takes."""
    return max(wrapped_lines(c.heading, w - 1) for c, w in zip(columns, widths, strict=True))


def ink_width(text: str) -> float:
    """About how wide a text prints, in widths of the digit 0: a Chinese character two, a
    letter of the Latin alphabet a little less than one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0.9 for c in text)


def wrapped_lines(text: str, width: int) -> int:
    """Lines a text takes wrapped at spaces within `width` (a word wider than that is broken)."""
    lines, used = 1, 0.0
    for word in text.split(" "):
        size = ink_width(word)
        if used and used + 1 + size > width:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + size
        while used > width:
            lines, used = lines + 1, used - width
    return lines


def _write_lines(
    book: xlsxwriter.Workbook, sheet, lines: Sequence[str], first: int, widths: Sequence[int],
    title: bool,
) -> None:  # fmt: skip
    """Lines across the table's whole width (merged, wrapped), so that they print within the
    page; the first title line is the title."""
    for offset, line in enumerate(lines):
        heading = title and offset == 0
        fmt = book.add_format({"text_wrap": True, "valign": "top", "bold": heading,
                               "font_size": 14 if heading else 11})  # fmt: skip
        row = first + offset
        room = sum(widths) * 11 // 14 if heading else sum(widths)  # 14-point text is wider
        sheet.set_row(row, (20 if heading else 15) * wrapped_lines(line, room))
        if len(widths) > 1:
            sheet.merge_range(row, 0, row, len(widths) - 1, line, fmt)
        else:
            sheet.write_string(row, 0, line, fmt)


def _print_setup(sheet, setup: PrintSetup, header_row: int) -> None:
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    sheet.set_header(_page_text(setup.header), {"margin": 0.3})
    sheet.set_footer(_page_text(setup.footer), {"margin": 0.3})
    sheet.center_horizontally()


def _page_text(parts: tuple[str, str, str]) -> str:
    """(left, centre, right) as Excel's header codes: &P and &N stay codes, any other & is
    written && (a literal ampersand); an empty part is left out."""
    return "".join(
        f"&{code}{re.sub(r'&(?![PN])', '&&', part)}"
        for code, part in zip("LCR", parts, strict=True) if part
    )  # fmt: skip


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
    save(writer(table), path)


def save(content: bytes, path: Path) -> None:
    """Bytes to a file, whole or not at all (written beside it, then moved into place)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    partial.replace(path)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """A UTF-8 CSV file's rows as text, by heading (the seed's files, for instance)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.to_dict("records")


MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKING_RATIO = 100
MAX_ROWS = 100_000
"""A file to import is bounded before it is parsed: a register of 65,000 sites fits well
inside these; a zip bomb (a small .xlsx that unpacks to gigabytes) does not."""


def check_upload(path: Path) -> None:
    """Refuse, before parsing, a file too big to be a register or an .xlsx that would unpack
    to far more than it holds."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            f"{path.name} is {size / 2**20:.1f} MB: a file to import is at most "
            f"{MAX_FILE_BYTES // 2**20} MB"
        )
    if path.suffix.lower() == ".xlsx":
        _check_workbook(path)


def _check_workbook(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem(
            f"{path.name} is not an Excel workbook (.xlsx is a zip archive; this file is not "
            "one): save it from Excel as .xlsx, or as CSV UTF-8"
        ) from None
    unpacked = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_PACKING_RATIO:
        raise FileProblem(
            f"{path.name} unpacks to {unpacked / 2**20:.0f} MB: refused as no register is "
            f"that large (at most {MAX_UNPACKED_BYTES // 2**20} MB, packed at most "
            f"{MAX_PACKING_RATIO} to 1)"
        )


def check_rows(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if len(frame) > MAX_ROWS:
        raise FileProblem(f"{name} has more than {MAX_ROWS:,} rows: split it into several files")
    return frame


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of an .xlsx file by its name, each cell as the stripped text a person sees
    in it (a date cell as its ISO date), formulas made inert on export read back as written;
    bounded before parsing (`check_upload`) and by rows (`check_rows`)."""
    if path.suffix.lower() != ".xlsx":
        raise FileProblem(
            f"{path.name}: a workbook is an .xlsx file, not '{path.suffix or 'none'}'"
        )
    check_upload(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, keep_default_na=False,
                               nrows=MAX_ROWS + 1)  # fmt: skip
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        raise FileProblem(f"{path.name} cannot be read as an Excel workbook: {exc}") from None
    return {
        str(name).strip(): check_rows(frame, f"{path.name}, sheet {name}").map(_text_cell)
        for name, frame in sheets.items()
    }


def _text_cell(value: Any) -> str:
    return uninert(cell_text(value))
