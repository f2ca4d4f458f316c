"""The whole register as one workbook: the agency, its sites and their ownership history, its
leases and rents, the mandate's rules, the new centers, its projects and their budget lines,
work packages, milestones and progress. Each domain describes its own sheets and loads them
through its own services (the API's rules); the composition root hands them here in the order
their data depends on one another, so this module imports no domain.

An import reads every sheet, checks and upserts each row by its natural key inside the one
unit of work of its caller, and refuses the whole workbook, listing every problem as
`sheet!row: reason`, if any row of any sheet is wrong: the caller's transaction is rolled
back, so a bad cell in the last sheet leaves nothing of the first. A row that names a row
refused on an earlier sheet (the leases of a site with a bad cell) is held back, not checked:
its problem is the other row's. Rows the register holds that the workbook does not are left as
they are."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from facilities.core.errors import RuleViolation
from facilities.core.files import LISTS_SHEET, Column, FileProblem, Table, read_workbook, xlsx_bytes
from facilities.core.parsing import DATE_FORMS, normalize
from facilities.core.sheets import LINE, Importing, Outcome, Sheet, one_of
from facilities.ops.agency import Identity

Rows = Callable[[Session], list[dict[str, Any]]]
Loader = Callable[[Session, list[dict[str, Any]], Importing], Outcome]
Choices = Callable[[Session], Mapping[str, Sequence[str]]]


def no_choices(session: Session) -> Mapping[str, Sequence[str]]:
    return {}


@dataclass(frozen=True)
class RegisterSheet:
    """A sheet of the workbook and the domain's functions behind it: the rows the register
    holds (export), loading parsed rows (import), and drop-down lists known only from the
    database (the counties)."""

    sheet: Sheet
    rows: Rows
    load: Loader
    choices: Choices = no_choices


README = "說明 README"
IGNORED = {normalize(README).lower(), "readme", "說明", normalize(LISTS_SHEET).lower()}
"""Sheets of the workbook that import passes over: the README and the hidden lists."""


class WorkbookRejected(RuleViolation):
    """A workbook with any bad row in any sheet: nothing of it was imported."""


@dataclass(frozen=True)
class SheetResult:
    name: str
    outcome: Outcome


class Refused:
    """The keys of the rows refused (or held back) on each sheet so far, and each key's first
    fields, which later rows may name them by."""

    def __init__(self) -> None:
        self.keys: dict[str, set[tuple]] = {}
        self.held = 0

    def add(self, sheet: Sheet, rows: Sequence[Mapping[str, Any]]) -> None:
        found = self.keys.setdefault(sheet.name, set())
        for row in rows:
            key = tuple(row.get(k) for k in sheet.key)
            found.update(key[:n] for n in range(1, len(key) + 1))

    def hold_back(self, sheet: Sheet, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows to check: those naming no refused row. The others are held back (and
        refused in turn, for the sheets after this one)."""
        kept, held = [], []
        for row in rows:
            names = ((other, tuple(row.get(f) for f in fields))
                     for other, fields in sheet.refers.items())  # fmt: skip
            refused = any(key in self.keys.get(other, ()) for other, key in names)
            (held if refused else kept).append(row)
        self.add(sheet, held)
        self.held += len(held)
        return kept


def import_workbook(
    session: Session, path: Path, registers: Sequence[RegisterSheet], importing: Importing
) -> list[SheetResult]:
    """Check and upsert every sheet in `registers`' order, in the caller's unit of work; raise
    WorkbookRejected listing every problem if any row is wrong (the caller rolls back)."""
    found, problems = match_sheets(read_workbook(path), registers, path.name)
    results, refused = [], Refused()
    for register in registers:
        sheet = register.sheet
        if sheet.name not in found:
            continue
        try:
            parsed = sheet.parse(found[sheet.name], f"{sheet.name}!1")
        except FileProblem as exc:
            problems.append(exc.detail)
            continue
        outcome = register.load(session, refused.hold_back(sheet, parsed.rows), importing)
        lines = {line for line, _ in outcome.problems}
        refused.add(sheet, parsed.refused + [r for r in parsed.rows if r[LINE] in lines])
        problems += [f"{sheet.name}!{line}: {text}"
                     for line, text in sorted(parsed.problems + outcome.problems)]  # fmt: skip
        results.append(SheetResult(sheet.name, outcome))
    if problems:
        raise WorkbookRejected(rejection(path.name, len(problems), refused.held),
                               problems=problems)  # fmt: skip
    return results


def rejection(file: str, problems: int, held: int) -> str:
    message = f"Nothing was imported: {problems} problem(s) in {file}."
    if held:
        message += (f" {held} row(s) of later sheets name a row refused above and were not "
                    "checked: they will be once it is put right.")  # fmt: skip
    return message


def match_sheets(
    frames: Mapping[str, Any], registers: Sequence[RegisterSheet], file: str
) -> tuple[dict[str, Any], list[str]]:
    """Each register sheet's frame, found by its tab (`據點 sites`, `sites` or `據點`); a
    problem for each tab that is none of them."""
    known = {}
    for register in registers:
        sheet = register.sheet
        for tab in (sheet.title, sheet.name, sheet.zh):
            known[normalize(tab).lower()] = sheet.name
    found: dict[str, Any] = {}
    problems = []
    for tab, frame in frames.items():
        key = normalize(tab).lower()
        if key in IGNORED:
            continue
        name = known.get(key)
        if name is None:
            problems.append(
                f"{tab}!1: the sheet is not one of the register's: "
                f"{one_of(r.sheet.title for r in registers)}"
            )
        elif name in found:
            problems.append(f"{tab}!1: the {name} sheet is given twice")
        else:
            found[name] = frame
    if not found and not problems:
        raise FileProblem(
            f"{file} holds none of the register's sheets "
            f"({one_of(r.sheet.title for r in registers)}): start from the template "
            "(GET /templates/register.xlsx or `facilities template workbook FILE`)"
        )
    return found, problems


def export_workbook(
    session: Session, registers: Sequence[RegisterSheet], agency: Identity
) -> bytes:
    """Every sheet with the rows the register holds, in the columns import reads, after the
    README: `facilities import workbook` of it changes nothing."""
    tables = [register.sheet.table(register.rows(session), register.choices(session))
              for register in registers]  # fmt: skip
    return xlsx_bytes(readme(registers, agency), *tables)


def template_workbook(
    session: Session, registers: Sequence[RegisterSheet], agency: Identity
) -> bytes:
    """Every sheet with its headings, drop-down lists and formats, and a row of example data
    (the examples of all sheets fit together: the template imports as it is), after the
    README."""
    tables = [register.sheet.table([register.sheet.example], register.choices(session))
              for register in registers]  # fmt: skip
    return xlsx_bytes(readme(registers, agency), *tables)


README_COLUMNS = [
    Column("工作表 Sheet", 18), Column("欄位 Column", 30), Column("必填 Required", 8),
    Column("說明 Meaning", 60, wrap=True), Column("可填值 Allowed values", 40, wrap=True),
]  # fmt: skip


def readme(registers: Sequence[RegisterSheet], agency: Identity) -> Table:
    """What each sheet and column holds, and how the workbook is imported."""
    rows = []
    for register in registers:
        sheet = register.sheet
        rows.append([sheet.title, "", "", sheet.about, f"key 鍵: {', '.join(sheet.key)}"])
        for field in sheet.fields:
            allowed = one_of(field.choices) if field.choices else ""
            rows.append(["", field.heading, "是 yes" if field.required else "", field.about,
                         allowed])  # fmt: skip
    title = [
        f"{agency.heading} · 營舍登錄簿 Register workbook",
        "每列依鍵值新增或更新；工作表中任一列有誤則全部不匯入，並列出「工作表!列」與原因。"
        "Each row is created or updated by its key; if any row of any sheet is wrong, nothing is "
        "imported and each problem is listed as sheet!row: reason. Rows the register holds "
        "that the workbook leaves out stay as they are.",
        f"日期 Dates: {DATE_FORMS} · 金額 Amounts: whole NT$ (元), with or without separators · "
        "年度 Fiscal years: 2014 or 103 · 空白 A blank optional cell takes the default named "
        "below · 匯入 Import: `facilities import workbook FILE` or the admin's import page.",
    ]
    return Table(README, README_COLUMNS, rows, title_lines=title)
