"""Dates, figures and headings as staff in Taiwan write them in their spreadsheets, read the same
way by every import: ROC (民國) and Gregorian dates, numbers with thousands separators, amounts
in NT$ thousand (仟元) only in a column whose heading says so, headings in Chinese, English or
both. Text is taken after NFKC normalization, so full-width digits and punctuation
(１０３／６／３０, （）) read as their ASCII forms."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from facilities.core.roc import ROC_OFFSET

DATE_FORMS = "2014-06-30, 2014/7/1, 103/06/30, 103.6.30 or 民國103年6月30日"
"""Examples of every form `parse_date` reads: what an error tells a person to write."""

_ROC_MARK = "民國"
_NUMERIC_DATE = re.compile(r"(?P<year>\d+)(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})")
_WORDED_DATE = re.compile(r"(?P<year>\d+)年(?P<month>\d{1,2})月(?P<day>\d{1,2})日")
_MIDNIGHT = re.compile(r"[ T]00:00(:00(\.0+)?)?$")
"""A date cell of a spreadsheet read as text carries a time of midnight."""
_ROC_YEAR = re.compile(r"[1-9]\d{0,2}")
_GREGORIAN_YEAR = re.compile(r"[1-9]\d{3}")
_NUMBER = re.compile(r"(?P<sign>-?)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?")
_CURRENCY = ("NT$", "$")
THOUSAND_MARKS = ("仟元", "千元", "nt$ thousand", "nt$1,000")
"""A heading holding one of these (English ones in any case) is a column of NT$ thousand."""


def normalize(text: str) -> str:
    """Full-width forms to ASCII (NFKC), runs of white space (line breaks too) to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_date(text: str) -> date:
    """A date in any of the forms of DATE_FORMS; a date cell of a spreadsheet read as text
    (`2014-06-30 00:00:00`) too. Raises ValueError saying which forms are read."""
    compact = _MIDNIGHT.sub("", normalize(text)).replace(" ", "")
    roc = compact.startswith(_ROC_MARK)
    match = _NUMERIC_DATE.fullmatch(compact.removeprefix(_ROC_MARK)) or _WORDED_DATE.fullmatch(
        compact.removeprefix(_ROC_MARK)
    )
    if match is None:
        raise ValueError(f"'{text}' is not a date: write it as {DATE_FORMS}")
    year, month, day = match["year"], int(match["month"]), int(match["day"])
    if _ROC_YEAR.fullmatch(year):
        gregorian = int(year) + ROC_OFFSET
    elif _GREGORIAN_YEAR.fullmatch(year) and not roc:
        gregorian = int(year)
    else:
        raise ValueError(
            f"'{text}' is not a date: a year is 4 digits (2014) or an ROC year of up to 3 (103); "
            f"write it as {DATE_FORMS}"
        )
    return _calendar_date(text, gregorian, month, day)


def _calendar_date(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(
            f"'{text}' is not a date: {calendar.month_name[month]} {year} has days 1 to {last}"
        )
    return date(year, month, day)


def parse_number(text: str) -> Decimal:
    """A number as written, with or without thousands separators: `1,234.5`, `-24.15`."""
    match = _NUMBER.fullmatch(normalize(text))
    if match is None:
        raise ValueError(f"'{text}' is not a number")
    return Decimal(match["sign"] + match["whole"].replace(",", "") + (match["fraction"] or ""))


def in_thousands(heading: str) -> bool:
    """Whether a column's heading says its figures are NT$ thousand (仟元)."""
    words = normalize(heading).lower()
    return any(mark.lower() in words for mark in THOUSAND_MARKS)


def parse_amount(text: str, *, thousands: bool = False) -> int:
    """A sum of money as whole NT$: `1,234,567`, `NT$1,234,567`; in a column of NT$ thousand
    (`thousands`, from `in_thousands(heading)`), `1,307` is 1,307,000 and `1,306.5` 1,306,500."""
    unit = "NT$ thousand (仟元)" if thousands else "NT$"
    written = normalize(text)
    for symbol in _CURRENCY:
        written = written.removeprefix(symbol)
    try:
        amount = parse_number(written) * (1000 if thousands else 1)
    except ValueError:
        raise ValueError(
            f"'{text}' is not an amount in {unit}: write digits, with or without thousands "
            f"separators (1,234,567)"
        ) from None
    if amount != amount.to_integral_value():
        raise ValueError(f"'{text}' is not a whole number of NT$ (the column is in {unit})")
    return int(amount)


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees in it: a date cell as its ISO date (with its
    time, if it has one other than midnight), a whole number without `.0`, None as ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def bilingual(name: str, zh: str) -> str:
    """A heading in both languages, as every file the product writes has them: `代碼 code`."""
    return f"{zh} {name}"


def heading_fields(labels: Mapping[str, str]) -> dict[str, str]:
    """From each field's Chinese label, every heading that names the field (normalized): its
    English name (`code`), its Chinese label (`代碼`) or both (`代碼 code`)."""
    return {
        normalize(heading): name
        for name, zh in labels.items()
        for heading in (name, zh, bilingual(name, zh))
    }
