"""Every response of every route names its media type once and its charset at most once."""

from __future__ import annotations

from facilities.jobs.archive import store

SAMPLE_PATHS = {
    "/api/v1/alerts/{alert_id:int}/ack": ["/api/v1/alerts/1/ack"],
    "/api/v1/reports/archive/{name:str}": ["/api/v1/reports/archive/filed.csv"],
    "/api/v1/sites/{code:str}": ["/api/v1/sites/KHH-SOT"],
    "/api/v1/ownership/pipeline/{county:str}": ["/api/v1/ownership/pipeline/Keelung%20City"],
    "/api/v1/leases/{lease_id:int}": ["/api/v1/leases/1"],
    "/api/v1/leases/{lease_id:int}/rents/{fiscal_year:int}": ["/api/v1/leases/1/rents/2014"],
    "/api/v1/reports/rent-reduction": [
        f"/api/v1/reports/rent-reduction?fiscal_year=2014{f}"
        for f in ("", "&format=csv", "&format=xlsx")
    ],
    "/api/v1/reports/relocation-savings": ["/api/v1/reports/relocation-savings?fiscal_year=2014"],
    "/api/v1/projects/{code:str}": ["/api/v1/projects/SDC-KHH"],
    "/api/v1/projects/{code:str}/burn": ["/api/v1/projects/SDC-KHH/burn"],
    "/api/v1/projects/{code:str}/milestones": ["/api/v1/projects/SDC-KHH/milestones"],
    "/api/v1/milestones/{milestone_id:int}": ["/api/v1/milestones/1"],
    "/api/v1/milestones/{milestone_id:int}/history": ["/api/v1/milestones/1/history"],
    "/api/v1/projects/{code:str}/progress": ["/api/v1/projects/SDC-KHH/progress"],
    "/api/v1/projects/{code:str}/progress/{data_date:date}": [
        "/api/v1/projects/SDC-KHH/progress/2014-06-30"
    ],
    "/api/v1/projects/{code:str}/budget/{first_year:int}": ["/api/v1/projects/SDC-KHH/budget/2014"],
    "/static/leaflet/{file_path:path}": ["/static/leaflet/leaflet.js", "/static/leaflet/x.css"],
    "/static/markercluster/{file_path:path}": ["/static/markercluster/leaflet.markercluster.js"],
    "/static/maps/{file_path:path}": ["/static/maps/maps.css", "/static/maps/counties.geojson"],
    "/static/app/{file_path:path}": ["/static/app/app.css"],
    "/sites/{code:str}": ["/sites/KHH-SOT"],
    "/admin/users/{name:str}": ["/admin/users/nobody"],
    "/leases/{lease_id:int}": ["/leases/1"],
    "/leases/{lease_id:int}/rents": ["/leases/1/rents"],
    "/projects/{code:str}": ["/projects/SDC-KHH"],
    "/projects/{code:str}/progress/correct": ["/projects/SDC-KHH/progress/correct"],
    "/projects/{code:str}/progress": ["/projects/SDC-KHH/progress"],
    "/milestones/{milestone_id:int}": ["/milestones/4"],
    "/alerts/{alert_id:int}/ack": ["/alerts/1/ack"],
    "/static/swagger/{file_path:path}": ["/static/swagger/swagger-ui.css"],
    "/schema/{path:str}": ["/schema/openapi.yaml", "/schema/nothing"],
}  # fmt: skip
"""Concrete paths for the routes whose path has parameters or whose answer needs a query."""


def requests(app) -> list[tuple[str, str]]:
    """(method, path) for every method of every route of the app."""
    wanted = []
    for route in app.routes:
        assert "{" not in route.path or route.path in SAMPLE_PATHS, (
            f"add a sample path for {route.path} to SAMPLE_PATHS"
        )
        for method in sorted(route.methods):
            wanted += [(method, path) for path in SAMPLE_PATHS.get(route.path, [route.path])]
    return wanted


def test_every_response_has_at_most_one_charset(settings, client, client_as):
    store(settings, "filed.csv", "代碼 code\nKHH-SOT\n".encode("utf-8-sig"))
    seen = []
    for method, path in requests(client.app):
        body = {"json": {}} if method in {"POST", "PATCH", "PUT"} else {}
        response = client.request(method, path, **body)
        content_type = response.headers.get("content-type", "")
        assert content_type.lower().count("charset") <= 1, (method, path, content_type)
        seen.append(content_type.split(";")[0])
    for path in ("/login", "/nothing", "/maps/nothing"):
        page = client_as(None).get(path, headers={"accept": "text/html"})
        assert page.headers["content-type"].lower().count("charset") <= 1, path
    assert {"application/json", "application/problem+json", "text/html", "text/csv",
            "text/css", "text/javascript"} <= set(seen)  # fmt: skip


def test_a_csv_download_and_a_map_page_say_utf8_once(client):
    csv = client.get("/api/v1/reports/rent-reduction?fiscal_year=2014&format=csv")
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    page = client.get("/maps/ownership")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
