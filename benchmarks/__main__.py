"""``python -m benchmarks [--quick] [--area A] [--backends memory,sqlite,postgres]``.

PostgreSQL figures use ``--postgres-url`` or ``GSAN_CORE_TEST_POSTGRES_URL`` and
work in a throwaway schema; without a URL (or a reachable server) they are
skipped with a message. Results go to ``benchmarks/results/<area>.json``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import (
    AREAS,
    BACKENDS,
    REGISTRY,
    RESULTS,
    Figure,
    Run,
    print_table,
    write_json,
)
from gsan_core.adapters.sqlalchemy import create_engine


def _postgres_reachable(url: str | None) -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` when it can."""
    if not url:
        return "no --postgres-url and GSAN_CORE_TEST_POSTGRES_URL is unset"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # reported, then skipped
        return f"cannot connect: {error}"
    finally:
        engine.dispose()
    return None


def _simple_areas() -> list[tuple[str, Callable[..., list[dict[str, Any]]]]]:
    """Areas written as a module with ``run(quick) -> list[dict]``."""
    found = []
    folder = Path(__file__).parent
    for info in pkgutil.iter_modules([str(folder)]):
        if info.name.startswith("_") or info.name == "harness":
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        run = getattr(module, "run", None)
        if callable(run):
            found.append((info.name, run))
    return sorted(found, key=lambda item: item[0])


def _from_dict(raw: dict[str, Any]) -> Figure:
    """A figure of a simple area (times in seconds, shown in milliseconds when
    under one second; lower is better)."""
    library, baseline = float(raw["library_s"]), float(raw["baseline_s"])
    scale, unit = (1000.0, "ms") if max(library, baseline) < 1 else (1.0, "s")
    return Figure(
        area=str(raw["area"]),
        name=str(raw["name"]),
        backend=str(raw["backend"]),
        unit=unit,
        library=library * scale,
        baseline=baseline * scale,
        higher_is_better=False,
        target=float(raw.get("target", 2.0)),
        baseline_kind="hand-written SQLAlchemy Core",
        rows=int(raw["size"]) if raw.get("size") is not None else None,
        notes=str(raw.get("notes", "")),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes, fewer repeats"
    )
    parser.add_argument("--area", action="append", help="only these areas (repeatable)")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument(
        "--postgres-url", default=os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
    )
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    for module in AREAS:
        importlib.import_module(module)
    backends = [b for b in args.backends.split(",") if b]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(unknown)}")
    if "postgres" in backends:
        problem = _postgres_reachable(args.postgres_url)
        if problem:
            print(f"skipping postgres: {problem}", file=sys.stderr)
            backends.remove("postgres")

    by_area: dict[str, list[Figure]] = {}
    for registered in REGISTRY:
        if args.area and registered.area not in args.area:
            continue
        for backend in backends:
            run = Run(backend=backend, quick=args.quick, postgres_url=args.postgres_url)
            print(
                f"... {registered.area}: {registered.name} on {backend}",
                file=sys.stderr,
            )
            by_area.setdefault(registered.area, []).extend(registered.function(run))

    for name, run_area in _simple_areas():
        if args.area and name not in args.area:
            continue
        print(f"... {name}", file=sys.stderr)
        for raw in run_area(quick=args.quick):
            figure = _from_dict(raw)
            if figure.backend in backends or figure.backend == "postgresql":
                by_area.setdefault(figure.area, []).append(figure)

    for area, figures in by_area.items():
        print(f"\n== {area}{' (quick)' if args.quick else ''}")
        print_table(figures)
        path = write_json(area, figures, quick=args.quick, directory=args.output_dir)
        print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
