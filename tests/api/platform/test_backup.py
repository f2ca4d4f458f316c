"""`facilities backup` and `facilities restore`: a round trip gives back every table."""

from __future__ import annotations

import sqlite3
import subprocess

from click.testing import CliRunner
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from facilities.cli import main
from facilities.sites.models import Site
from tests.factories import ANY_VERSION, delivered, everything, site_payload


def test_backup_then_restore_gives_back_every_table(settings, db, client, tmp_path):
    client.patch(
        "/api/v1/sites/KHH-SOT", json={"floor_area_m2": 777}, headers=ANY_VERSION
    )  # something beyond the seed
    env = {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir)}
    before = everything(db)
    assert len(before) >= 8 and len(before["sites"]) == 65
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "backup.dump")], env=env)
    assert result.exit_code == 0, result.output

    client.patch("/api/v1/sites/KHH-SOT", json={"floor_area_m2": 1}, headers=ANY_VERSION)
    client.post("/api/v1/sites", json=site_payload(code="NEW-1"))
    with db.session() as session:
        session.execute(update(Site).values(name="overwritten"))
    assert everything(db) != before

    result = CliRunner().invoke(main, ["restore", str(tmp_path / "backup.dump")], env=env)
    assert result.exit_code == 0, result.output
    assert everything(db) == before


def test_restore_refuses_a_file_that_is_not_a_backup(settings, db, tmp_path):
    env = {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir)}
    before = everything(db)
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"this is not a backup at all" * 100)
    result = CliRunner().invoke(main, ["restore", str(junk)], env=env)
    assert result.exit_code == 1 and "restore failed, the database is as it was" in result.output
    assert everything(db) == before
    missing = CliRunner().invoke(main, ["restore", str(tmp_path / "none.dump")], env=env)
    assert missing.exit_code == 1 and "no such backup file" in missing.output


def test_restore_refuses_a_database_that_is_not_this_products(settings, db, tmp_path):
    env = {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir)}
    if db.engine.dialect.name == "sqlite":
        stranger = tmp_path / "other.sqlite"
        with sqlite3.connect(stranger) as other:
            other.execute("CREATE TABLE x (y INTEGER)")
    else:
        stranger = tmp_path / "other.dump"
        other_url = make_url(settings.sqlalchemy_url).set(drivername="postgresql")
        with create_engine(settings.sqlalchemy_url).begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS x (y INTEGER)"))
        subprocess.run(["pg_dump", "--format=custom", "--table=x", f"--file={stranger}",
                        other_url.render_as_string(False)], check=True)  # fmt: skip
    before = everything(db)
    result = CliRunner().invoke(main, ["restore", str(stranger)], env=env)
    assert result.exit_code == 1, result.output
    assert "is not a backup of this product" in result.output
    assert everything(db) == before


def test_a_restore_keeps_the_database_it_replaces_and_stales_every_cache(
    settings, db, client, tmp_path
):
    env = {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir)}
    assert CliRunner().invoke(main, ["backup", str(tmp_path / "a.backup")], env=env).exit_code == 0
    assert client.get("/api/v1/sites/KHH-SOT").json()["floor_area_m2"] != 777
    client.get("/api/v1/sites")  # cached
    client.patch("/api/v1/sites/KHH-SOT", json={"floor_area_m2": 777}, headers=ANY_VERSION)
    listed = {s["code"]: s for s in client.get("/api/v1/sites").json()["items"]}
    assert listed["KHH-SOT"]["floor_area_m2"] == 777
    watcher = client.app.state.cache.watcher
    start = watcher.current()
    result = CliRunner().invoke(main, ["restore", str(tmp_path / "a.backup")], env=env)
    assert result.exit_code == 0, result.output
    kept = list((settings.data_dir / "backups").glob("before-restore-*.backup"))
    assert len(kept) == 1 and str(kept[0]) in result.output
    delivered(watcher, start)  # another process's change: seen when its notice arrives
    relisted = {s["code"]: s for s in client.get("/api/v1/sites").json()["items"]}
    assert relisted["KHH-SOT"]["floor_area_m2"] != 777  # the cache saw the restore
