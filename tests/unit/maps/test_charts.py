"""The charts as the browser gets them: SVG whose text is text (drawn by the browser's fonts,
Chinese included), escaped, the same bytes for the same data."""

from __future__ import annotations

import re
from datetime import date

from maps.charts import OwnedPoint, ownership_chart, rent_chart, s_curve

POINTS = [
    OwnedPoint(date(2013, 12, 31), 13, 65, projected=False),
    OwnedPoint(date(2014, 6, 30), 14, 65, projected=False),
    OwnedPoint(date(2015, 12, 31), 20, 66, projected=True),
]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_labels_are_text_in_chinese_and_english_not_glyph_outlines():
    svg = ownership_chart(POINTS)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    labels = texts(svg)
    assert "目標：全數自有 target: every site owned" in labels
    assert "已記錄 recorded" in labels and "預估 projected" in labels
    assert "21.5%" in labels and "30.3%" in labels  # 14/65 and 20/66
    assert 'id="DejaVuSans' not in svg  # no glyphs drawn as paths


def test_the_rent_chart_names_years_in_both_calendars_and_its_target():
    svg = rent_chart({2012: 75_100_000, 2013: 78_539_000}, 70_685_100, 2014)
    labels = texts(svg)
    assert "101年度" in " ".join(labels) and "FY2013" in " ".join(labels)
    assert "103年度目標 FY2014 target 70.7" in labels


def test_a_hostile_title_is_text_and_the_same_data_draws_the_same_bytes():
    title = "<script>alert(1)</script>"
    svg = s_curve([(date(2014, 1, 1), 0.0), (date(2015, 1, 1), 100.0)], [], title)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    again = s_curve([(date(2014, 1, 1), 0.0), (date(2015, 1, 1), 100.0)], [], title)
    assert svg == again
