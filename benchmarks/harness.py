"""Shared machinery of the benchmarks: registry, backends, timing, reporting."""

from __future__ import annotations

import gc
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import (
    SqlBackend,
    Tables,
    build_tables,
    create_engine,
)
from gsan_core.testing import FixedClock

#: The modules that register benchmarks, imported by ``python -m benchmarks``.
AREAS = ("benchmarks.foundation",)
BACKENDS = ("memory", "sqlite", "postgres")
RESULTS = Path(__file__).parent / "results"


@attrs.frozen(kw_only=True)
class Figure:
    """One measured figure beside its baseline.

    ``higher_is_better`` figures (rows/s) meet the target when
    ``library / baseline >= target``; the others (ms) when ``<= target``.
    """

    area: str
    name: str
    backend: str
    unit: str
    library: float
    baseline: float
    higher_is_better: bool
    target: float
    baseline_kind: str
    rows: int | None = None
    repeats: int = 1
    notes: str = ""

    @property
    def ratio(self) -> float:
        return self.library / self.baseline

    @property
    def meets_target(self) -> bool:
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    def as_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["ratio"] = round(self.ratio, 3)
        data["meets_target"] = self.meets_target
        data["target"] = f"{'>=' if self.higher_is_better else '<='} {self.target}x"
        return data


@attrs.frozen
class Registered:
    area: str
    name: str
    function: Callable[[Run], list[Figure]]


REGISTRY: list[Registered] = []


def benchmark(
    area: str, name: str
) -> Callable[[Callable[[Run], list[Figure]]], Callable[[Run], list[Figure]]]:
    """Register ``function(run) -> [Figure, ...]`` under ``area``."""

    def register(
        function: Callable[[Run], list[Figure]],
    ) -> Callable[[Run], list[Figure]]:
        REGISTRY.append(Registered(area, name, function))
        return function

    return register


# ---------------------------------------------------------------- databases
@attrs.define
class Database:
    """An empty database with the library's tables (SQLite file or PG schema)."""

    backend: str
    engine: sa.Engine
    tables: Tables
    cleanup: Callable[[], None]

    def sql_backend(self) -> SqlBackend:
        return SqlBackend(self.engine, tables=self.tables)

    def system(self, *, seed: bool = True) -> gsan_core.System:
        backend = self.sql_backend()
        system = gsan_core.System(
            uow_factory=backend.uow_factory, backend=backend, clock=FixedClock()
        )
        if seed:
            system.seed()
        return system


@attrs.frozen
class Run:
    """What a benchmark function works with."""

    backend: str
    quick: bool
    postgres_url: str | None

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    @contextmanager
    def database(self) -> Iterator[Database]:
        """A new empty database of the run's backend, dropped afterwards.

        The memory backend has no database: its baselines run on SQLite in
        memory (``sqlite://``), the cheapest real database work there is.
        """
        database = self._open()
        try:
            yield database
        finally:
            database.cleanup()

    def _open(self) -> Database:
        if self.backend == "memory":
            engine = create_engine("sqlite://", poolclass=sa.StaticPool)
            tables = build_tables()
            tables.metadata.create_all(engine)
            return Database("sqlite-memory", engine, tables, engine.dispose)
        if self.backend == "sqlite":
            directory = Path(tempfile.mkdtemp(prefix="gsan-bench-"))
            engine = create_engine(f"sqlite:///{directory / 'bench.db'}")
            tables = build_tables()
            tables.metadata.create_all(engine)

            def drop_file() -> None:
                engine.dispose()
                shutil.rmtree(directory, ignore_errors=True)

            return Database("sqlite", engine, tables, drop_file)
        assert self.postgres_url is not None
        engine = create_engine(self.postgres_url)
        schema = f"gsan_bench_{uuid.uuid4().hex[:10]}"
        with engine.begin() as connection:
            connection.execute(sa.schema.CreateSchema(schema))
        tables = build_tables(schema=schema)
        tables.metadata.create_all(engine)

        def drop_schema() -> None:
            with engine.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            engine.dispose()

        return Database("postgres", engine, tables, drop_schema)

    def library_system(self, database: Database | None) -> gsan_core.System:
        """A seeded system of the run's backend (memory ignores ``database``)."""
        if self.backend == "memory" or database is None:
            return gsan_core.in_memory()
        return database.system()


# ---------------------------------------------------------------- timing
def timed(function: Callable[[], object]) -> float:
    """Seconds ``function`` takes (garbage collected before, not during)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start
    finally:
        gc.enable()


def series(operations: int, step: Callable[[int], object]) -> list[float]:
    """Seconds each ``step(n)`` takes, for ``n`` in ``range(operations)``.

    One collection before the series and none during it: a collection per call
    would cost more than the calls themselves.
    """
    gc.collect()
    gc.disable()
    samples = []
    try:
        for n in range(operations):
            start = time.perf_counter()
            step(n)
            samples.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return samples


def best(samples: list[float]) -> float:
    return min(samples)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


# ---------------------------------------------------------------- reporting
#: The columns of :func:`render` (the dictionaries of the simple areas).
COLUMNS = ("area", "name", "backend", "size", "library_s", "baseline_s", "ratio")


def render(figures: Sequence[Mapping[str, object]]) -> str:
    """Figures written as dictionaries, as a fixed-width table."""
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


def print_table(figures: list[Figure]) -> None:
    header = (
        f"{'figure':<28} {'backend':<9} {'library':>14} {'baseline':>14} "
        f"{'ratio':>7} {'target':>8}  ok"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        target = f"{'>=' if f.higher_is_better else '<='}{f.target}x"
        print(
            f"{f.name:<28} {f.backend:<9} {f.library:>10.2f} {f.unit:<3} "
            f"{f.baseline:>10.2f} {f.unit:<3} {f.ratio:>6.2f}x {target:>8}  "
            f"{'yes' if f.meets_target else 'NO'}"
        )


def write_json(
    area: str, figures: list[Figure], *, quick: bool, directory: Path
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{area}.json"
    document = {
        "area": area,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "python": platform.python_version(),
        "sqlalchemy": sa.__version__,
        "gsan_core": gsan_core.__version__,
        "cpus": os.cpu_count(),
        "figures": [f.as_json() for f in figures],
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
