"""The reports archive: files the jobs write under the data directory, listed and downloadable."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from facilities.core.errors import NotFound
from facilities.core.settings import Settings

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


def archive_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "reports"


@dataclass(frozen=True)
class ArchivedFile:
    name: str
    size_bytes: int
    written_at: datetime


def store(settings: Settings, name: str, content: bytes) -> Path:
    """Write a file into the archive whole (a temporary file renamed), never half."""
    folder = archive_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    temporary = folder / f".{name}.partial"
    temporary.write_bytes(content)
    os.replace(temporary, path)
    return path


def list_archive(settings: Settings) -> list[ArchivedFile]:
    folder = archive_dir(settings)
    if not folder.exists():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and SAFE_NAME.match(p.name)]
    return sorted(
        (ArchivedFile(p.name, p.stat().st_size,
                      datetime.fromtimestamp(p.stat().st_mtime, UTC)) for p in files),
        key=lambda f: f.name,
        reverse=True,
    )  # fmt: skip


def archived_path(settings: Settings, name: str) -> Path:
    path = archive_dir(settings) / name
    if not SAFE_NAME.match(name) or not path.is_file():
        raise NotFound(f"The reports archive holds no file named '{name}'.")
    return path
