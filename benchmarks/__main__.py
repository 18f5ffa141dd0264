"""Run every benchmark module of the package: ``python -m benchmarks [--quick]``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import benchmarks


def _print(figures: list[dict[str, Any]]) -> None:
    for f in figures:
        print(
            f"{f['area']:<18} {f['name']:<44} {f['backend']:<9} {f['size']:>7} "
            f"library {f['library_s']:8.3f}s  baseline {f['baseline_s']:8.3f}s  "
            f"ratio {f['ratio']:5.2f}  rate {f['rate']:10.1f}/s"
        )


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        run = getattr(module, "run", None)
        if callable(run):
            _print(run(quick))


if __name__ == "__main__":
    main(sys.argv[1:])
