"""Text a person typed never runs as script: hostile names in every text field a page shows
(sites, leases, milestones, progress reasons), every page opened in Chromium, its popups and
tooltips too. The test fails if any script runs, and checks the text is shown as text."""

from __future__ import annotations

import httpx

from tests.factories import AFTER_THE_SEED, ANY_VERSION, auth_headers, site_payload
from tests.system.browser import SPREAD, chromium
from tests.system.server import running_server

IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
SCRIPT = "<script>window.__xss=(window.__xss||0)+1</script>"
OPEN_EACH = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map), shown = [];
  map.eachLayer(layer => {
    if (!layer.feature || !layer.getPopup || !layer.getPopup()) return;
    layer.openPopup();
    shown.push(layer.getPopup().getElement().querySelector('.leaflet-popup-content').innerText);
    layer.closePopup();
    layer.openTooltip();
    shown.push(layer.getTooltip().getElement().innerText);
    layer.closeTooltip();
  });
  return shown;
}"""
"""Every site marker's popup and tooltip, opened as a click and a hover open them."""
PAGES = ["/maps/ownership", "/maps/projects", "/dashboard", "/reports/rent-reduction",
         "/reports/relocation-savings"]  # fmt: skip


def plant(http: httpx.Client) -> None:
    """The hostile text in every field a person can type that a page shows."""
    for code, ownership, extra in (
        ("XSS-L", "leased", {}),
        ("XSS-B", "borrowed", {"lending_agency": IMG, "loan_end_date": "2016-12-31"}),
    ):
        body = site_payload(code=code, name=f"{IMG}{SCRIPT}", name_zh=f"{SCRIPT}測試",
                            ownership=ownership, address_zh=IMG, **extra)  # fmt: skip
        assert http.post("/api/v1/sites", json=body).status_code == 201
    lease = http.post("/api/v1/leases", json={
        "site_code": "XSS-L", "landlord": IMG, "start_date": "2014-01-01",
        "end_date": "2016-12-31", "leased_floor_area_m2": 100,
        "contracted_annual_rent_ntd": 1_000_000})  # fmt: skip
    assert lease.status_code == 201, lease.text
    for path in ("/api/v1/sites/KEE-SS", "/api/v1/sites/TPE-SS"):
        assert http.patch(path, json={"name": f"{IMG}{SCRIPT}"}, headers=ANY_VERSION).is_success
    note = http.patch("/api/v1/milestones/4", json={"note": SCRIPT}, headers=ANY_VERSION)
    assert note.is_success
    progress = http.post("/api/v1/projects/MSC-ILA/progress", json={
        "data_date": "2014-07-31", "percent_complete": 3.8, "spent_to_date_ntd": 8_100_000,
        "reason": f"{IMG}{SCRIPT}"})  # fmt: skip
    assert progress.status_code == 201, progress.text


def test_no_hostile_text_runs_on_any_page(settings):
    later = settings.__class__(**{**settings.__dict__, "as_of": AFTER_THE_SEED})
    headers = auth_headers(later, "admin")
    with running_server(later) as base, chromium(headers) as visit:
        with httpx.Client(base_url=base, headers=headers) as http:
            plant(http)
        page, dialogs = visit.page, []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in PAGES:
            response = page.goto(f"{base}{path}", wait_until="networkidle")
            assert response.status == 200, path
            assert page.evaluate("window.__xss || 0") == 0, path
        page.goto(f"{base}/maps/ownership", wait_until="networkidle")
        page.wait_for_selector("html[data-map=ready]", state="attached")
        assert page.evaluate(SPREAD) > 65  # every marker out of its cluster, to open each
        shown = page.evaluate(OPEN_EACH)
        hostile = [text for text in shown if "<img src=x" in text or "<script>" in text]
        assert len(hostile) >= 4  # the text, shown as text, in popups and tooltips
        assert page.evaluate("window.__xss || 0") == 0 and dialogs == []
        assert visit.outside == []
