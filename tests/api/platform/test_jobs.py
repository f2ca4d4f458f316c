"""Scheduled work: snapshots, alerts, the archive, and one scheduler among many processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from click.testing import CliRunner
from sqlalchemy import func, select

from facilities.cli import main
from facilities.domains import job_specs
from facilities.jobs.alerts import AlertCandidate, raise_alerts
from facilities.jobs.archive import store
from facilities.jobs.models import JOBSTORE_TABLE, JobRun
from facilities.jobs.scheduler import Context, build_scheduler, by_id, store_jobs
from tests.api.sites.test_summary import seed_ownership_on
from tests.factories import ANY_VERSION, everything, run_job

SPAN = [date(2011, 12, 31), date(2012, 3, 1), date(2013, 7, 1), date(2014, 6, 30)]


def test_snapshots_over_a_span_of_dates_give_the_trend(db, settings, client):
    for day in SPAN:
        run_job(db, settings, "snapshot", as_of=day)
    run_job(db, settings, "snapshot", as_of=SPAN[-1])  # twice on a day keeps one
    trend = client.get(
        "/api/v1/snapshots", params={"from": "2012-01-01", "to": "2014-12-31"}
    ).json()["items"]
    assert [s["as_of"] for s in trend] == ["2012-03-01", "2013-07-01", "2014-06-30"]
    for snap in trend:
        expected = seed_ownership_on(date.fromisoformat(snap["as_of"]))
        assert snap["figures"]["ownership"]["national"] == {
            k: expected[k] for k in ("owned", "borrowed", "leased")
        }
        assert snap["figures"]["ownership"]["total"] == sum(expected.values())
    assert len(client.get("/api/v1/snapshots").json()["items"]) == 4
    with db.session() as session:
        runs = session.scalars(select(JobRun).where(JobRun.job_id == "snapshot")).all()
        assert len(runs) == 5 and {r.status for r in runs} == {"ok"}


def lease_notice(session, as_of, settings):
    return [
        AlertCandidate(
            "lease_notice",
            f"lease-notice:HUA-SS:{as_of.year}",
            "lease",
            "HUA-SS",
            "Hualien City Service Station: notice date in 150 days",
        )
    ]


def test_an_alert_is_raised_once_and_acknowledged(db, settings, client, client_as):
    with db.session() as session:
        assert len(raise_alerts(session, date(2014, 6, 30), [lease_notice], settings)) == 1
    with db.session() as session:
        assert raise_alerts(session, date(2014, 7, 1), [lease_notice], settings) == []
    alerts = client.get("/api/v1/alerts", params={"open": True}).json()["items"]
    assert len(alerts) == 1 and alerts[0]["raised_on"] == "2014-06-30"
    alert_id = alerts[0]["id"]
    ack = f"/api/v1/alerts/{alert_id}/ack"
    assert client_as("liaison").post(ack, headers=ANY_VERSION).status_code == 403
    assert client_as("staff").post(ack).status_code == 428
    acked = client_as("staff").post(ack, headers=ANY_VERSION)
    assert acked.status_code == 200 and acked.json()["acknowledged_by"].startswith(
        "token:test-staff"
    )
    assert client.get("/api/v1/alerts", params={"open": True}).json()["items"] == []
    assert client.post("/api/v1/alerts/999999/ack", headers=ANY_VERSION).status_code == 404
    too_big = client.post("/api/v1/alerts/99999999999999999999/ack", headers=ANY_VERSION)
    assert too_big.status_code == 400


def test_the_alert_job_twice_raises_each_alert_once(db, settings, client):
    run_job(db, settings, "alerts")
    first = client.get("/api/v1/alerts").json()["items"]
    run_job(db, settings, "alerts")
    assert client.get("/api/v1/alerts").json()["items"] == first


def test_the_reports_archive_lists_and_serves_files(settings, client):
    store(settings, "rent-reduction-FY2014-2014-07-01.xlsx", b"PK\x03\x04 workbook")
    listing = client.get("/api/v1/reports/archive").json()["items"]
    assert [f["name"] for f in listing] == ["rent-reduction-FY2014-2014-07-01.xlsx"]
    download = client.get(listing[0]["url"])
    assert download.status_code == 200 and download.content == b"PK\x03\x04 workbook"
    assert client.get("/api/v1/reports/archive/..%2Fsecret_key").status_code == 404
    assert client.get("/api/v1/reports/archive/nothing.xlsx").status_code == 404


def env_for(settings):
    return os.environ | {
        "DATABASE_URL": settings.sqlalchemy_url,
        "FACILITIES_DATA_DIR": str(settings.data_dir),
        "FACILITIES_AS_OF": "2014-06-30",
        "FACILITIES_SCHEDULER_POLL_SECONDS": "0.5",
    }


def test_jobs_list_prints_each_job_with_its_next_run(settings):
    result = CliRunner().invoke(main, ["jobs", "list"], env=env_for(settings))
    assert result.exit_code == 0, result.output
    lines = dict(line.split("\t")[:2] for line in result.output.strip().splitlines())
    assert set(lines) >= {"snapshot", "alerts"}
    assert all(datetime.fromisoformat(when) > datetime.now(UTC) for when in lines.values())


def make_snapshot_overdue(db, settings, days: int) -> None:
    """As if every scheduler had been down for `days`: the stored next run lies in the past."""
    context = Context(db, settings, by_id(job_specs()))
    store_jobs(context)
    store = SQLAlchemyJobStore(engine=db.engine, tablename=JOBSTORE_TABLE)
    store.start(build_scheduler(context), "default")
    job = store.lookup_job("snapshot")
    job._modify(next_run_time=datetime.now(UTC) - timedelta(days=days))
    store.update_job(job)


def test_jobs_list_reads_the_store_and_moves_nothing(db, settings):
    make_snapshot_overdue(db, settings, days=3)
    stored = everything(db)["apscheduler_jobs"]
    result = CliRunner().invoke(main, ["jobs", "list"], env=env_for(settings))
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    snapshot = next(line for line in result.output.splitlines() if line.startswith("snapshot"))
    when = datetime.fromisoformat(snapshot.split("\t")[1].split(" ")[0])
    assert when < datetime.now(UTC) - timedelta(days=2) and "(due: missed" in snapshot
    assert everything(db)["apscheduler_jobs"] == stored  # the missed run is still due


def snapshot_runs(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).where(JobRun.job_id == "snapshot"))


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def start_scheduler(settings, log_path):
    log = open(log_path, "w")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "facilities.cli", "scheduler"],
        env=env_for(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(*procs):
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=30)


def test_two_schedulers_run_a_missed_job_exactly_once(db, settings, tmp_path):
    make_snapshot_overdue(db, settings, days=3)  # down three days: the run is due, once
    procs = [start_scheduler(settings, tmp_path / f"s{i}.log") for i in range(2)]
    try:
        assert wait_for(lambda: snapshot_runs(db) >= 1), [
            p.read_text() for p in tmp_path.glob("*.log")
        ]
        logs = lambda: [p.read_text() for p in sorted(tmp_path.glob("*.log"))]  # noqa: E731
        assert wait_for(lambda: sum("standing by" in text for text in logs()) == 1)
        assert wait_for(lambda: sum("leading" in text for text in logs()) == 1)
    finally:
        stop(*procs)
    assert snapshot_runs(db) == 1
    with db.session() as session:
        assert session.scalar(select(JobRun.status).where(JobRun.job_id == "snapshot")) == "ok"


def test_a_standby_takes_over_when_the_leader_dies(db, settings, tmp_path):
    leader = start_scheduler(settings, tmp_path / "leader.log")
    assert wait_for(lambda: "leading" in (tmp_path / "leader.log").read_text())
    standby = start_scheduler(settings, tmp_path / "standby.log")
    try:
        assert wait_for(lambda: "standing by" in (tmp_path / "standby.log").read_text())
        leader.kill()  # no goodbye: the lock must be freed by the server or the OS
        leader.wait(timeout=30)
        assert wait_for(lambda: "leading" in (tmp_path / "standby.log").read_text())
        make_snapshot_overdue(db, settings, days=1)  # made due after the new leader started
        assert wait_for(lambda: snapshot_runs(db) == 1)
    finally:
        stop(leader, standby)
