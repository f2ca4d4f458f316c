"""Every database test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.

Each test gets a database of its own, cloned from a template that was migrated and seeded
once per run: a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from facilities.app import create_app
from facilities.core.db import Database
from facilities.core.settings import SEED_DATA_DATE, Settings, normalize_database_url
from facilities.domains import migration_locations, seed_loaders
from facilities.ops.seeding import prepare
from tests.factories import auth_headers

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
_counter = itertools.count()


@dataclass
class Backend:
    name: str
    root: Path
    template_url: str

    def new_url(self, seeded: bool = True) -> str:
        n = next(_counter)
        if self.name == "sqlite":
            path = self.root / f"db{n}.sqlite"
            if seeded:
                shutil.copy(make_url(self.template_url).database, path)
            return f"sqlite:///{path}"
        name = f"facilities_test_{os.getpid()}_{n}"
        template = make_url(self.template_url).database
        _pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if seeded else ""))
        return make_url(self.template_url).set(database=name).render_as_string(False)

    def drop(self, url: str) -> None:
        if self.name == "postgresql":
            _pg_admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _pg_admin(statement: str) -> None:
    engine = create_engine(normalize_database_url(PG_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def migrate_and_seed(settings: Settings) -> None:
    db = Database(settings)
    prepare(db, migration_locations(), seed_loaders(), settings.seed_dir)
    db.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory) -> Iterator[Backend]:
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'template.sqlite'}"
    else:
        name = f"facilities_template_{os.getpid()}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
        url = make_url(normalize_database_url(PG_URL)).set(database=name).render_as_string(False)
    migrate_and_seed(Settings(data_dir=root, database_url=url))
    backend = Backend(request.param, root, url)
    yield backend
    backend.drop(url)


@pytest.fixture
def settings(backend: Backend, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh seeded database, as of the seed's data date."""
    url = backend.new_url()
    yield Settings(data_dir=tmp_path, database_url=url, as_of=SEED_DATA_DATE)
    backend.drop(url)


@pytest.fixture
def blank_settings(backend: Backend, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty database: no tables, no rows."""
    url = backend.new_url(seeded=False)
    yield Settings(data_dir=tmp_path, database_url=url, as_of=SEED_DATA_DATE)
    backend.drop(url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings)
    yield database
    database.dispose()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of the API, logged in as an admin (who may do everything)."""
    with TestClient(create_app(settings)) as test_client:
        test_client.headers.update(auth_headers(settings, "admin"))
        yield test_client


@pytest.fixture
def client_as(settings: Settings) -> Iterator:
    """client_as("liaison"): a client logged in with that role (None: no login at all)."""
    clients: list[TestClient] = []

    def make(role: str | None, on: date | None = None) -> TestClient:
        """`on`: the product's date, if not the seed's."""
        test_client = TestClient(create_app(replace(settings, as_of=on or settings.as_of)))
        clients.append(test_client.__enter__())
        if role:
            test_client.headers.update(auth_headers(settings, role))
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
