"""Run every benchmark module of this package and print its figures."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from pathlib import Path


def report(figures: list[dict]) -> None:
    """Print figures as a table: library vs baseline, ratio and rate."""
    header = f"{'area':<12} {'benchmark':<44} {'backend':<10} {'size':>7} {'library s':>10} {'baseline s':>10} {'ratio':>6} {'rate/s':>10}"
    print(header)
    print("-" * len(header))
    for f in figures:
        print(
            f"{f['area']:<12} {f['name']:<44} {f['backend']:<10} {f['size']:>7} "
            f"{f['library_s']:>10.4f} {f['baseline_s']:>10.4f} {f['ratio']:>6.2f} "
            f"{f['rate']:>10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args()
    figures: list[dict] = []
    folder = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(folder)])):
        if module.startswith("_"):
            continue
        loaded = importlib.import_module(f"benchmarks.{module}")
        run = getattr(loaded, "run", None)
        if callable(run):
            figures += run(quick=args.quick)
    report(figures)


if __name__ == "__main__":
    main()
