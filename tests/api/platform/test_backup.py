"""`facilities backup` and `facilities restore`: a round trip gives back every table."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import update

from facilities.cli import main
from facilities.sites.models import Site
from tests.factories import ANY_VERSION, everything, site_payload


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
