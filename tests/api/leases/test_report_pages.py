"""The print-friendly pages of both reports, as a liaison opens them: the same table as the
files (every figure as `#,##0` shows it), the rule, the notes, the downloads, a form to pick the
year and the rule, and a stylesheet that prints on A4 landscape."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

RENT_PAGE = "/reports/rent-reduction"
RELOCATION_PAGE = "/reports/relocation-savings"


class Cells(HTMLParser):
    """The text of each <td> of each row of the report's table body."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.body = True
        elif tag == "tr" and self.body:
            self.rows.append([])
        elif tag == "td" and self.body:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tbody":
            self.body = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def cells(html: str) -> list[list[str]]:
    parser = Cells()
    parser.feed(html)
    return parser.rows


def money(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}"


def test_a_liaison_reads_the_rent_report_page_with_every_figure(client_as):
    liaison = client_as("liaison")
    params = {"fiscal_year": 2014, "mode": "year_on_year", "rate": "7.5"}
    page = liaison.get(RENT_PAGE, params=params)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    body = liaison.get("/api/v1/reports/rent-reduction", params=params).json()
    html = page.text
    text = unescape(html)
    assert body["rule"]["description_zh"] in text and body["rule"]["description"] in text
    assert "<title>103年度租金降低報表 Rent reduction FY2014</title>" in html
    assert "因四捨五入，總數與細數之和容有未合" in html
    rows = cells(html)
    assert len(rows) == len(body["rows"]) + 1
    for line, row in zip(rows, body["rows"], strict=False):
        assert line[1] == row["site_code"]
        assert [line[5], line[7], line[8], line[10]] == [
            money(row[k]) for k in ("baseline_rent_ntd", "target_rent_ntd", "actual_rent_ntd",
                                    "reduction_ntd")]  # fmt: skip
        assert line[11] == f"{row['reduction_pct']:.1f}" and line[-1] == row["status_label"]
    totals = rows[-1]
    assert (totals[2], totals[5]) == ("合計", money(body["totals"]["baseline_rent_ntd"]))
    # the page's downloads are the same report, rule and all
    xlsx = (
        "/api/v1/reports/rent-reduction?fiscal_year=2014&mode=year_on_year&rate=7.5"
        "&baseline_fiscal_year=2013&part_year=annualise&format=xlsx"
    )
    assert f'href="{xlsx}"' in text
    assert '<option value="year_on_year" selected>' in html


def test_a_liaison_reads_the_relocation_page(client_as):
    liaison = client_as("liaison")
    page = liaison.get(RELOCATION_PAGE, params={"fiscal_year": 2014})
    assert page.status_code == 200
    body = liaison.get("/api/v1/reports/relocation-savings", params={"fiscal_year": 2014}).json()
    centers = {line[1]: line for line in cells(page.text) if line[0] == "中心 center"}
    for center in body["centers"]:
        line = centers[center["center_key"]]
        assert [line[5], line[7]] == [money(center["annual_rent_avoided_ntd"]),
                                      money(center["cost_ntd"])]  # fmt: skip
        assert line[8] == ("" if center["payback_years"] is None
                           else f"{center['payback_years']:.1f}")  # fmt: skip
    assert cells(page.text)[-1][7] == "2,677,457,000"
    assert "/api/v1/reports/relocation-savings?fiscal_year=2014&format=xlsx" in unescape(page.text)


def test_the_pages_print_on_a4_landscape(client_as):
    liaison = client_as("liaison")
    assert 'href="/static/maps/report.css"' in liaison.get(RENT_PAGE).text
    css = liaison.get("/static/maps/report.css").text
    assert "size: A4 landscape" in css and "table-header-group" in css
    assert "@media print" in css


def test_a_year_without_rent_is_the_page_with_its_reason(client_as):
    liaison = client_as("liaison")
    page = liaison.get(RENT_PAGE, params={"fiscal_year": 2030})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "No rent is recorded for fiscal year 2030" in page.text
    assert 'name="fiscal_year"' in page.text  # the form, to pick another year
    page = liaison.get(RENT_PAGE, params={"fiscal_year": 2013})
    assert page.status_code == 422 and "not after the baseline year" in page.text
    page = liaison.get(RELOCATION_PAGE, params={"fiscal_year": 2030})
    assert page.status_code == 404 and "2030" in page.text
    bad = liaison.get(RENT_PAGE, params={"mode": "sometimes"})
    assert bad.status_code == 400
