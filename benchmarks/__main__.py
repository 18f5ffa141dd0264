"""``python -m benchmarks [--quick] [area ...]``: run the benchmark areas."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path

import benchmarks

COLUMNS = (
    "area",
    "name",
    "backend",
    "size",
    "library_s",
    "baseline_s",
    "ratio",
    "rate",
)


def areas() -> list[str]:
    """The benchmark modules (every module of the package with a ``run``)."""
    found = []
    for info in pkgutil.iter_modules([str(Path(benchmarks.__file__).parent)]):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        if callable(getattr(module, "run", None)):
            found.append(info.name)
    return sorted(found)


def render(figures: Sequence[dict[str, object]]) -> str:
    """The figures as a fixed-width table."""
    rows = [COLUMNS, *(tuple(_cell(f.get(c)) for c in COLUMNS) for f in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke)")
    parser.add_argument("area", nargs="*", help="areas to run (default: all)")
    args = parser.parse_args(argv)
    figures: list[dict[str, object]] = []
    for name in args.area or areas():
        module = importlib.import_module(f"benchmarks.{name}")
        figures.extend(module.run(quick=args.quick))
    print(render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
