"""The projects as a spreadsheet: each project's headline burn on a date, worst first, as the
executives and liaisons hand it on."""

from __future__ import annotations

from datetime import date

from construction.services import Headline
from facilities.core.files import MONEY_FORMAT, Column, Table
from facilities.core.roc import roc_date

COLUMNS = [
    Column("計畫代碼 Project", 10), Column("計畫名稱 Name", 30), Column("Name (English)", 40),
    Column("經費(元) Budget (NT$)", 16, MONEY_FORMAT), Column("燈號 Status", 8),
    Column("時程(%) Schedule used", 10), Column("進度(%) Work done", 10),
    Column("經費(%) Budget spent", 10), Column("SPI(t)", 8), Column("CPI", 8),
    Column("預定完工 Planned finish", 14), Column("預估完工 Forecast finish", 14),
    Column("說明 Reasons", 60),
]  # fmt: skip


def projects_table(heads: list[Headline], as_of: date) -> Table:
    rows = [
        [h.project.code, h.project.name_zh, h.project.name, h.project.budget_total_ntd,
         h.burn.status, h.burn.schedule_used_pct, h.burn.work_done_pct, h.burn.budget_burn_pct,
         h.burn.spi_t, h.burn.earned_value.cpi, h.burn.planned_finish.isoformat(),
         h.burn.forecast_finish.isoformat(), "; ".join(h.burn.reasons)]
        for h in heads
    ]  # fmt: skip
    title = [f"工程計畫執行情形 Construction projects · {roc_date(as_of)} ({as_of.isoformat()})"]
    return Table("projects", COLUMNS, rows, title_lines=title, frozen_columns=1)
