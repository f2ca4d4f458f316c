"""Charts drawn on the server with matplotlib, embedded in pages as PNG data URIs (nothing for
the browser to fetch, so the pages work off the network). Labels are English: the fonts that
matplotlib ships have no Chinese glyphs; the page around each chart carries the Chinese."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from facilities.sites.rules import YearShares  # noqa: E402

COLOURS = {"owned": "#1b7837", "borrowed": "#2166ac", "leased": "#d6604d"}
"""The same three colours as the ownership map: owned green, borrowed blue, leased red."""


def _png(figure: Figure, tight: bool = True) -> str:
    """`tight` measures the labels to crop around them: a second drawing pass. A chart drawn
    many times per page sets its margins instead."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight" if tight else None)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def ownership_chart(years: Sequence[YearShares]) -> str:
    figure = Figure(figsize=(7.2, 3.4))
    axes = figure.add_subplot()
    positions = list(range(len(years)))
    bottom = [0] * len(years)
    for kind in ("owned", "borrowed", "leased"):
        values = [getattr(y, kind) for y in years]
        axes.bar(positions, values, bottom=bottom, color=COLOURS[kind], label=kind)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(positions, [str(y.year) for y in years])
    for i, y in enumerate(years):
        axes.annotate(f"{y.owned_pct:.1f}%", (i, y.total), ha="center", va="bottom", fontsize=8)
    axes.set_ylabel("sites")
    axes.set_title("Sites by ownership at each year's end, as the projects complete", fontsize=10)
    axes.legend(loc="lower right", fontsize=8)
    axes.set_ylim(0, max((y.total for y in years), default=1) * 1.15)
    return _png(figure)


def rent_chart(spend: dict[int, int], target: int | None, target_year: int) -> str:
    figure = Figure(figsize=(5.2, 3.0))
    axes = figure.add_subplot()
    years = sorted(spend)
    axes.bar(range(len(years)), [spend[y] / 1e6 for y in years], color=COLOURS["leased"])
    axes.set_xticks(range(len(years)), [f"FY{y}" for y in years])
    if target is not None:
        axes.axhline(target / 1e6, color="black", linestyle="--", linewidth=1)
        axes.annotate(f"FY{target_year} target {target / 1e6:,.1f}M", (0, target / 1e6),
                      xytext=(0, 4), textcoords="offset points", fontsize=8)  # fmt: skip
    axes.set_ylabel("NT$ million")
    axes.set_title("Rent paid by fiscal year", fontsize=10)
    return _png(figure)


def s_curve(
    planned: Sequence[tuple[date, float]], actual: Sequence[tuple[date, float]], title: str
) -> str:
    """Planned against actual percent complete over time."""
    figure = Figure(figsize=(4.6, 2.8))
    figure.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.22)
    axes = figure.add_subplot()
    if planned:
        axes.plot([d for d, _ in planned], [p for _, p in planned], color="#777777",
                  linestyle="--", label="planned")  # fmt: skip
    if actual:
        axes.plot([d for d, _ in actual], [p for _, p in actual], color="#b2182b", marker="o",
                  markersize=3, label="actual")  # fmt: skip
    axes.set_ylim(0, 100)
    axes.set_ylabel("% complete")
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7, loc="upper left")
    figure.autofmt_xdate(bottom=0.22)
    return _png(figure, tight=False)
