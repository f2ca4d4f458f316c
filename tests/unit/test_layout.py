"""The README's layout picture matches the code, and every domain package has the same files."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("facilities/sites", "leases", "construction")
DOMAIN_FILES = {
    "__init__.py", "models.py", "schemas.py", "rules.py", "services.py", "routes.py",
    "files.py", "seed.py", "jobs.py", "cli.py", "migrations", "templates",
}  # fmt: skip
NOT_PACKAGES = {"__pycache__", "migrations", "templates", "static", "versions"}


def pictured_folders() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    return {m.group(1).rstrip("/") for m in re.finditer(r"^(\S+/)\s", block, re.M)}


def code_folders() -> set[str]:
    """The top folders and their packages, one level down (the picture shows tests/ by its
    three kinds, and no folder of data, templates or migrations)."""
    folders = {"facilities", "leases", "construction", "maps", "seed", "bench"}
    for top in ("facilities", "leases", "construction", "maps", "tests"):
        folders |= {
            f"{top}/{path.name}" for path in (ROOT / top).iterdir()
            if path.is_dir() and path.name not in NOT_PACKAGES
        }  # fmt: skip
    return folders


def test_the_layout_picture_names_every_folder_and_only_folders_that_exist():
    assert pictured_folders() == code_folders()


def test_every_domain_package_has_the_same_files():
    for domain in DOMAINS:
        names = {p.name for p in (ROOT / domain).iterdir() if p.name != "__pycache__"}
        assert names == DOMAIN_FILES, domain
