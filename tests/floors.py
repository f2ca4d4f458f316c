"""The dependency floors as pip constraints: `name==lower` for every `name>=lower` that
pyproject.toml declares (runtime and dev), so that `make test-floors` installs the oldest
versions the project claims to work with and runs the unit tests on them.

    python -m tests.floors > constraints.txt

Standard library only: it runs before any virtual environment exists."""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(?P<spec>.*)$")
LOWER = re.compile(r">=\s*(?P<version>[^,;\s]+)")


def requirements(pyproject: dict) -> list[str]:
    project = pyproject["project"]
    extras = project.get("optional-dependencies", {}).values()
    return [*project["dependencies"], *(r for group in extras for r in group)]


def constraint(requirement: str) -> str:
    """`litestar[cryptography]>=2.25,<3` -> `litestar==2.25` (a constraint names no extras)."""
    match = REQUIREMENT.match(requirement)
    lower = LOWER.search(match["spec"]) if match else None
    if lower is None:
        raise ValueError(f"{requirement!r} has no lower bound (>=): every dependency needs a floor")
    return f"{match['name']}=={lower['version']}"


def constraints(requirements: Iterable[str]) -> list[str]:
    return [constraint(r) for r in requirements]


def main() -> int:
    try:
        lines = constraints(requirements(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))))
    except ValueError as exc:
        print(f"pyproject.toml: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
