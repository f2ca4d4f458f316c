"""The ownership outlook as JSON: the summary on any date, recorded or projected."""

from __future__ import annotations

import msgspec
from litestar import Response, Router

from facilities.core.clock import AsOf, bounded
from facilities.core.dependencies import Reads
from facilities.core.http import REPLAY, get, json_answer
from facilities.sites.rules import summarize_holdings
from facilities.sites.schemas import OwnershipSummaryOut, PipelineOut, road_answer, summary_out
from facilities.sites.services import county_order
from maps.data import holdings_on, ownership_road


@get(
    "/ownership/summary", tags=["sites"], opt={REPLAY: True},
    description="Count and share per ownership type, nationally and per county, on any date: "
    "recorded from the ownership history up to the product's date, projected after it as the "
    "projects are forecast to complete (`basis`).",
)  # fmt: skip
async def ownership_summary(reading: Reads, as_of: AsOf = None) -> Response[OwnershipSummaryOut]:
    db, cache, today = reading.db, reading.cache, reading.today
    day = bounded(as_of) or today

    def compute() -> bytes:
        with db.session() as session:
            held = holdings_on(session, day, today)
            summary = summarize_holdings(held, county_order(session))
            return msgspec.json.encode(summary_out(summary, held))

    return json_answer(await cache.answer(("ownership_summary", day, today), compute))


@get(
    "/ownership/pipeline", tags=["sites"], opt={REPLAY: True},
    description="The road to full ownership (完全自有化) on any date, county by county (the "
    "counties with state land in hand first): sites by tenure, each track's stage and when it "
    "was reached, with its history; the plan's horizon and why; the linked project and its "
    "forecast finish; the year every site is projected to be owned (or no date); and the "
    "national roll-up: counties by stage, the share owned on the date and year by year, the "
    "year every county is owned, and the rent full ownership would avoid.",
)  # fmt: skip
async def ownership_pipeline(reading: Reads, as_of: AsOf = None) -> Response[PipelineOut]:
    db, cache, today = reading.db, reading.cache, reading.today
    day = bounded(as_of) or today

    def compute() -> bytes:
        with db.session() as session:
            road = ownership_road(session, day, today)
            return msgspec.json.encode(road_answer(road.as_of, road.projected, road.counties,
                                                   road.rollup, road.etags,
                                                   road.rent_fiscal_year))  # fmt: skip

    return json_answer(await cache.answer(("ownership_pipeline", day, today), compute))


router = Router(path="/api/v1", route_handlers=[ownership_summary, ownership_pipeline])
