"""The import rules hold for the project, and the checker does catch what they forbid."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.imports import LAYERS, PACKAGES, problems


def test_the_project_keeps_its_import_rules():
    assert problems(PACKAGES, LAYERS) == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A package `toy` with a core and a domain, importable from a temporary folder."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m == "toy" or m.startswith("toy.")]:
        del sys.modules[name]


TOY_LAYERS = (("toy.domain",), ("toy.core", "toy"))


def test_a_cycle_through_a_function_level_import_is_caught(toy):
    write(toy, {
        "toy/__init__.py": "", "toy/core/__init__.py": "", "toy/domain/__init__.py": "",
        "toy/domain/a.py": "from toy.domain import b\n",
        "toy/domain/b.py": "def later():\n    from toy.domain import a\n    return a\n",
    })  # fmt: skip
    found = problems(["toy"], TOY_LAYERS)
    assert any(p.startswith("import cycle:") and "toy.domain.a" in p for p in found), found


def test_core_importing_a_domain_is_caught(toy):
    write(toy, {
        "toy/__init__.py": "", "toy/core/__init__.py": "", "toy/domain/__init__.py": "",
        "toy/core/db.py": "import toy.domain.models\n", "toy/domain/models.py": "",
    })  # fmt: skip
    found = problems(["toy"], TOY_LAYERS)
    assert found == ["toy.core.db imports toy.domain.models (line 1): toy.domain is not below "
                     "toy.core"]  # fmt: skip


def test_imports_that_point_down_pass(toy):
    write(toy, {
        "toy/__init__.py": "", "toy/core/__init__.py": "", "toy/domain/__init__.py": "",
        "toy/core/db.py": "", "toy/domain/models.py": "from toy.core import db\n",
    })  # fmt: skip
    assert problems(["toy"], TOY_LAYERS) == []
