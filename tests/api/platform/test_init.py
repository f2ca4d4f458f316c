"""`facilities init`: migrations and seed, once, even when several processes start together."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, inspect, select, text

from facilities.cli import address, main
from facilities.core.db import Database
from facilities.core.settings import Settings
from facilities.sites.models import OwnershipChange, Site


def env_for(settings: Settings) -> dict[str, str]:
    return {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir)}


def counts(settings: Settings) -> tuple[int, int]:
    db = Database(settings)
    try:
        with db.session() as session:
            sites = session.scalar(select(func.count()).select_from(Site))
            changes = session.scalar(select(func.count()).select_from(OwnershipChange))
            return sites, changes
    finally:
        db.dispose()


def test_init_migrates_and_seeds_once(blank_settings):
    first = CliRunner().invoke(main, ["init"], env=env_for(blank_settings))
    assert first.exit_code == 0, first.output
    assert "seed counties: 22 counties" in first.output
    assert "seed agency: 內政部入出國及移民署 National Immigration Agency" in first.output
    assert "seed sites: 65 sites, 3 earlier holdings" in first.output
    assert counts(blank_settings) == (65, 68)
    second = CliRunner().invoke(main, ["init"], env=env_for(blank_settings))
    assert second.exit_code == 0, second.output
    assert "seed sites: already loaded" in second.output
    assert counts(blank_settings) == (65, 68)


def test_two_processes_starting_together_seed_once(blank_settings):
    env = os.environ | env_for(blank_settings)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "facilities.cli", "init"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sorted("already loaded" in o for o in outputs) == [False, True]
    assert counts(blank_settings) == (65, 68)


def test_the_app_never_seeds_or_migrates_by_itself(blank_settings):
    from litestar.testing import TestClient

    from facilities.app import create_app

    with TestClient(create_app(blank_settings)) as client:
        assert client.get("/health").status_code == 200
    db = Database(blank_settings)
    assert "sites" not in inspect(db.engine).get_table_names()
    db.dispose()


def test_sqlite_by_default_in_the_data_dir_with_foreign_keys_on(tmp_path):
    settings = Settings(data_dir=tmp_path / "var")
    result = CliRunner().invoke(main, ["init"], env={"FACILITIES_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "var" / "facilities.db").exists()
    db = Database(settings)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_a_bad_clock_setting_is_a_clear_cli_error(tmp_path):
    result = CliRunner().invoke(
        main, ["init"], env={"FACILITIES_DATA_DIR": str(tmp_path), "FACILITIES_AS_OF": "30/06/2014"}
    )
    assert result.exit_code == 2
    assert "FACILITIES_AS_OF='30/06/2014' is not a date: use YYYY-MM-DD" in result.output


def test_the_printed_login_address_has_the_host_and_port_the_server_uses(blank_settings):
    result = CliRunner().invoke(
        main, ["init", "--host", "0.0.0.0", "--port", "8101"], env=env_for(blank_settings)
    )
    assert result.exit_code == 0, result.output
    assert "for the browser (http://127.0.0.1:8101/login)" in result.output
    assert "http://127.0.0.1:8101/api/v1/ownership/summary" in result.output
    assert ":8000" not in result.output


def test_make_run_hands_its_port_to_init_and_serve():
    root = Path(__file__).resolve().parents[3]
    plan = subprocess.run(
        ["make", "-n", "-C", str(root), "run", "PORT=8101", "HOST=192.0.2.7"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "facilities init --host 192.0.2.7 --port 8101" in plan
    assert "facilities serve --host 192.0.2.7 --port 8101" in plan


def test_addresses_a_browser_on_this_machine_opens():
    assert address("127.0.0.1", 8101) == "http://127.0.0.1:8101"
    assert address("0.0.0.0", 80) == "http://127.0.0.1:80"
    assert address("::", 8000) == "http://[::1]:8000"
    assert address("nia.example", 8443) == "http://nia.example:8443"
