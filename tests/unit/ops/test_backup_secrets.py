"""pg_dump and pg_restore never see the password on their command line (visible in `ps`)."""

from __future__ import annotations

from types import SimpleNamespace

from facilities.ops.backup import _libpq


def test_the_password_goes_in_the_environment_not_the_arguments():
    db = SimpleNamespace(url="postgresql+psycopg://nia:s3cret-pw@db.example:5432/facilities")
    url, env = _libpq(db)
    assert "s3cret-pw" not in url and url == "postgresql://nia@db.example:5432/facilities"
    assert env["PGPASSWORD"] == "s3cret-pw"


def test_no_password_adds_none(monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    _url, env = _libpq(SimpleNamespace(url="postgresql://postgres@127.0.0.1:5432/test"))
    assert "PGPASSWORD" not in env
