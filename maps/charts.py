"""Charts drawn on the server with matplotlib as SVG, the text kept as text: the browser draws
the labels, Chinese included, with its own fonts (the page's stylesheet names the CJK fonts to
try), so no font need be installed on the server and nothing is fetched. Colours are the
Okabe-Ito set, distinct for colour-blind readers and in grey print."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from facilities.core.roc import roc_year

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = {"owned": "#009e73", "borrowed": "#0072b2", "leased": "#d55e00"}
"""The same three colours as the ownership map: owned green, borrowed blue, leased vermilion."""
INK, GREY, TARGET = "#222222", "#777777", "#cc79a7"
STYLE = {
    "svg.fonttype": "none",  # text as <text>, drawn by the browser
    "svg.hashsalt": "nia",  # the same ids for the same chart: pages cache and compare
    "font.family": "sans-serif",
    "font.sans-serif": [
        "Noto Sans CJK TC",
        "Noto Sans TC",
        "Microsoft JhengHei",
        "PingFang TC",
        "DejaVu Sans",
    ],  # fmt: skip
    "axes.spines.top": False,
    "axes.spines.right": False,
}
XML_ONLY = re.compile(r'^.*?(?=<svg)|<metadata>.*?</metadata>|\s+xmlns(:xlink)?="[^"]*"', re.S)
"""What an SVG file needs and an SVG inside HTML does not: the XML prologue, the metadata, the
namespaces (the HTML parser knows them; their URLs would be the only ones in the page)."""


@dataclass(frozen=True)
class OwnedPoint:
    """Sites owned of all open ones on a day: recorded up to the product's date, projected
    after it."""

    day: date
    owned: int
    total: int
    projected: bool

    @property
    def pct(self) -> float:
        return self.owned * 100 / self.total if self.total else 0.0


@contextmanager
def _drawing(size: tuple[float, float]) -> Iterator[Figure]:
    """A figure of `size` inches in the charts' style. matplotlib is imported at the first chart,
    not with the module: every CLI command and job imports this module through the routes, and
    most never draw (the import is most of a second each time)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        yield Figure(figsize=size)


def _svg(figure: Figure, label: str) -> str:
    """The chart as an inline <svg> element, sized by the page, named for screen readers."""
    buffer = io.StringIO()
    with warnings.catch_warnings():  # the server's fonts may lack CJK: the browser draws it
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = XML_ONLY.sub("", buffer.getvalue())
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="nia-svg" ', 1)


def ownership_chart(points: Sequence[OwnedPoint]) -> str:
    """The share of sites owned: recorded (solid) to the data's date, projected (dashed) as the
    projects complete, against the target of owning every site."""
    with _drawing((7.6, 3.4)) as figure:
        axes = figure.add_subplot()
        recorded = [p for p in points if not p.projected]
        projected = [p for p in points if p.projected]
        if recorded and projected:
            projected = [recorded[-1], *projected]  # the dashed line goes on from the last
        axes.axhline(100, color=TARGET, linewidth=1.5, linestyle=(0, (1, 2)))
        axes.annotate("目標：全數自有 target: every site owned", (0.01, 100),
                      xycoords=("axes fraction", "data"), xytext=(0, -12),
                      textcoords="offset points", fontsize=8, color=INK)  # fmt: skip
        for line, style, label in ((recorded, "-", "已記錄 recorded"),
                                   (projected, "--", "預估 projected")):  # fmt: skip
            if line:
                axes.plot([p.day for p in line], [p.pct for p in line], linestyle=style,
                          marker="o", markersize=4, color=COLOURS["owned"],
                          label=label)  # fmt: skip
        for p in points:
            axes.annotate(f"{p.pct:.1f}%", (p.day, p.pct), xytext=(0, 6),
                          textcoords="offset points", ha="center", fontsize=7,
                          color=INK)  # fmt: skip
        axes.set_ylim(0, 108)
        axes.set_ylabel("自有比例 share owned (%)")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        axes.grid(axis="y", color="#e6e6e6")
        return _svg(figure, "自有比例趨勢 Share of sites owned over time")


def rent_chart(spend: dict[int, int], target: int | None, target_year: int) -> str:
    """Rent paid by fiscal year (ROC and Gregorian), the target year's ceiling beside it."""
    with _drawing((6.4, 3.0)) as figure:
        axes = figure.add_subplot()
        years = sorted(spend)
        bars = [spend[y] / 1e6 for y in years]
        axes.bar(range(len(years)), bars, color=COLOURS["leased"], width=0.6)
        axes.set_xticks(range(len(years)), [f"{roc_year(y)}年度\nFY{y}" for y in years])
        for i, value in enumerate(bars):
            axes.annotate(f"{value:,.1f}", (i, value), xytext=(0, 2), textcoords="offset points",
                          ha="center", fontsize=7, color=INK)  # fmt: skip
        if target is not None:
            level = target / 1e6
            axes.axhline(level, color=INK, linestyle="--", linewidth=1)
            axes.annotate(f"{roc_year(target_year)}年度目標 FY{target_year} target {level:,.1f}",
                          (1.0, level), xycoords=("axes fraction", "data"), xytext=(4, 0),
                          textcoords="offset points", fontsize=8, va="center")  # fmt: skip
        axes.set_ylim(0, max([*bars, 0]) * 1.15 or 1)
        axes.set_ylabel("百萬元 NT$ million")
        return _svg(figure, "各年度租金支出 Rent paid by fiscal year")


def s_curve(
    planned: Sequence[tuple[date, float]], actual: Sequence[tuple[date, float]], title: str
) -> str:
    """Planned against actual percent complete over time."""
    with _drawing((4.8, 2.8)) as figure:
        axes = figure.add_subplot()
        if planned:
            axes.plot([d for d, _ in planned], [p for _, p in planned], color=GREY,
                      linestyle="--", label="計畫 planned")  # fmt: skip
        if actual:
            axes.plot([d for d, _ in actual], [p for _, p in actual], color=COLOURS["leased"],
                      marker="o", markersize=3, label="實際 actual")  # fmt: skip
        axes.set_ylim(0, 100)
        axes.set_ylabel("完成 % complete")
        axes.set_title(title, fontsize=9)
        axes.legend(fontsize=7, loc="upper left", frameon=False)
        figure.autofmt_xdate()
        return _svg(figure, title)
