"""The project's import rules, checked by `make check-imports` (part of `make test`):

- no import cycle among the project's modules, function-level imports counted;
- dependencies point one way, down this list of layers: a module imports only from its own
  package or from a layer below its own; `facilities.core` imports nothing of the project but
  itself.

The graph is built by grimp (import-linter's engine), which reads every import statement of
every module, wherever it stands in the module."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from graphlib import CycleError, TopologicalSorter

import grimp

PACKAGES = ("facilities", "leases", "construction", "maps")
LAYERS: tuple[tuple[str, ...], ...] = (
    ("facilities.cli",),
    ("facilities.app",),
    ("facilities", "facilities.domains"),
    ("maps",),
    ("construction",),
    ("leases",),
    ("facilities.sites",),
    ("facilities.jobs", "facilities.ops"),
    ("facilities.auth",),
    ("facilities.audit",),
    ("facilities.core",),
)
"""Top to bottom: the composition root, then each package above the ones it may use."""


def owner(module: str, layers: Sequence[Sequence[str]]) -> tuple[int, str] | None:
    """(layer index, the entry) of the most specific entry that holds the module."""
    best: tuple[int, str] | None = None
    for index, entries in enumerate(layers):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and (
                best is None or len(entry) > len(best[1])
            ):
                best = (index, entry)
    return best


def problems(packages: Sequence[str], layers: Sequence[Sequence[str]]) -> list[str]:
    graph = grimp.build_graph(*packages, cache_dir=None)
    found: list[str] = []
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as exc:
        found.append("import cycle: " + " -> ".join(reversed(exc.args[1])))
    for module, imported in sorted(edges.items()):
        home = owner(module, layers)
        if home is None:
            found.append(f"{module} is in no layer: add its package to LAYERS in tests/imports.py")
            continue
        for target in sorted(imported):
            there = owner(target, layers)
            if there is None or there[1] == home[1] or there[0] > home[0]:
                continue
            line = graph.get_import_details(importer=module, imported=target)
            where = f" (line {line[0]['line_number']})" if line else ""
            found.append(f"{module} imports {target}{where}: {there[1]} is not below {home[1]}")
    return found


def main() -> int:
    found = problems(PACKAGES, LAYERS)
    for problem in found:
        print(problem, file=sys.stderr)
    if not found:
        print(f"imports: no cycle, every dependency points down ({len(LAYERS)} layers)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
