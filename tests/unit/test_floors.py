"""The constraints `make test-floors` installs: each dependency pinned at its declared floor."""

from __future__ import annotations

import tomllib

import pytest

from tests.floors import PYPROJECT, constraint, constraints, requirements


def test_a_floor_becomes_an_exact_pin_without_extras():
    assert constraint("litestar[cryptography]>=2.25,<3") == "litestar==2.25"
    assert constraint("psycopg[binary]>=3.2.1") == "psycopg==3.2.1"
    assert constraint("apscheduler>=3.11,<4") == "apscheduler==3.11"
    with pytest.raises(ValueError, match="has no lower bound"):
        constraint("apscheduler<4")


def test_every_dependency_of_the_project_has_a_floor():
    declared = requirements(tomllib.loads(PYPROJECT.read_text(encoding="utf-8")))
    pins = constraints(declared)
    assert len(pins) == len(declared) >= 20
    holidays = next(p.split("==")[1] for p in pins if p.startswith("holidays=="))
    # 0.88: the first release with Taiwan's 2025 and 2026 calendars as published
    assert tuple(int(n) for n in holidays.split(".")) >= (0, 88)
