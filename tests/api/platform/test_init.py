"""`facilities init`: migrations and seed, once, even when several processes start together."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner
from sqlalchemy import func, inspect, select, text

from facilities.cli import main
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
    assert "seed sites: 22 counties, 65 sites, 3 earlier holdings" in first.output
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
