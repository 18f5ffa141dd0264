"""The benchmark harness works (a smoke run on memory; ``make bench`` runs it all)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from benchmarks import foundation
from benchmarks.harness import REGISTRY, Figure, Run, print_table, write_json


def figure(**changes: object) -> Figure:
    base: dict[str, object] = {
        "area": "x",
        "name": "n",
        "backend": "memory",
        "unit": "ms",
        "library": 3.0,
        "baseline": 2.0,
        "higher_is_better": False,
        "target": 1.5,
        "baseline_kind": "Core",
    }
    base.update(changes)
    return Figure(**base)  # type: ignore[arg-type]


def test_figures_compare_with_their_target() -> None:
    assert figure().ratio == 1.5
    assert figure().meets_target
    assert not figure(library=3.1).meets_target
    rows = figure(unit="rows/s", higher_is_better=True, target=0.7, library=1.0)
    assert rows.ratio == 0.5
    assert not rows.meets_target
    assert figure(higher_is_better=True, target=0.7).as_json()["target"] == ">= 0.7x"


def test_the_foundation_area_is_registered() -> None:
    names = {(r.area, r.name) for r in REGISTRY}
    assert {
        ("foundation", "catalog bulk load"),
        ("foundation", "property bulk load"),
        ("foundation", "catalog single update"),
        ("foundation", "property single update"),
    } <= names


def test_a_quick_run_on_memory_writes_the_area_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = Run(backend="memory", quick=True, postgres_url=None)
    figures = foundation.catalog_single_update(run) + foundation.catalog_bulk_load(run)
    assert [(f.name, f.unit) for f in figures] == [
        ("catalog single update", "ms"),
        ("catalog bulk load", "rows/s"),
    ]
    assert all(f.library > 0 and f.baseline > 0 for f in figures)
    print_table(figures)
    assert "catalog bulk load" in capsys.readouterr().out
    path = write_json("foundation", figures, quick=True, directory=tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["area"] == "foundation"
    assert document["quick"] is True
    assert [f["name"] for f in document["figures"]] == [f.name for f in figures]
    assert {"ratio", "meets_target", "target"} <= set(document["figures"][0])


def test_every_benchmark_module_imports_and_renders() -> None:
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    import benchmarks  # noqa: PLC0415
    from benchmarks.harness import render  # noqa: PLC0415

    folder = Path(benchmarks.__file__).parent
    names = [i.name for i in pkgutil.iter_modules([str(folder)])]
    for name in names:
        importlib.import_module(f"benchmarks.{name}")
    assert {"orders", "connections", "hydrometers", "requests"} <= set(names)
    table = render([{"area": "a", "name": "n", "library_s": 0.5, "ratio": 1.25}])
    assert table.splitlines()[1].split() == ["a", "n", "0.5", "1.25"]


def test_the_scale_benchmark_measures_every_figure_on_a_small_utility(
    tmp_path: Path,
) -> None:
    from benchmarks import scale  # noqa: PLC0415

    figures = scale.measure("sqlite", 1_000, postgres_url=None, commands=20, repeats=1)
    assert [f["name"] for f in figures] == [
        "synthetic generation",
        "cut-order generation vs set-based, one statement",
        "cut-order generation vs set-based, per chunk",
        "overdue-order closing vs set-based, one statement",
        "overdue-order closing vs set-based, per chunk",
        "close a cut order (lean SQL)",
        "replace a meter",
        "open an RA with routing (lean SQL)",
    ]
    cut = figures[2]
    assert cut["rows"] == 1_000
    assert cut["generated"] > 0
    assert cut["peak_mib"] > 0
    assert all(f["ratio"] > 0 for f in figures[1:])
    assert (
        "| cut-order generation vs set-based, per chunk (properties/s) | sqlite | 1,000 |"
        in scale.table(figures)
    )
    path = scale.write(figures, tmp_path, quick=True)
    assert json.loads(path.read_text())["figures"][2]["name"] == cut["name"]
    picture = scale.plot(figures, tmp_path / "scale.png")
    assert picture is not None
    assert picture.stat().st_size > 0


@pytest.mark.postgres
def test_the_scale_benchmark_copies_a_seeded_template_on_postgres() -> None:
    """On PostgreSQL each size is a copy of a template database seeded once
    (:mod:`benchmarks.seeded`): the second run reuses it, a run's copy is
    dropped, and the figures are the batches' (no generation figure)."""
    import sqlalchemy as sa  # noqa: PLC0415
    from benchmarks import scale, seeded  # noqa: PLC0415

    from gsan_core.adapters.sqlalchemy import create_engine  # noqa: PLC0415

    url = os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("GSAN_CORE_TEST_POSTGRES_URL is not set")
    key: dict[str, Any] = {"seed": scale.SEED, "tag": "scale", "url": url}
    base = sa.make_url(url).database
    engine = create_engine(url)

    def databases() -> set[str]:
        # only the names the benchmark makes: the template and the passes'
        # copies (other tests of the run create databases of their own)
        with engine.connect() as connection:
            return set(
                connection.execute(
                    sa.text(
                        "SELECT datname FROM pg_database"
                        " WHERE datname LIKE :template OR datname LIKE :copy"
                    ),
                    {"template": f"{base}\\_tpl\\_%", "copy": f"{base}\\_pass\\_%"},
                ).scalars()
            )

    seeded.drop_template(500, **key)
    before = databases()
    try:
        runs = [
            scale.measure(
                "postgres",
                500,
                postgres_url=url,
                commands=20,
                repeats=1,
                only=["overdue"],
            )
            for _ in range(2)
        ]
        assert databases() - before == {seeded.template_name(500, **key)}
    finally:
        seeded.drop_template(500, **key)
        engine.dispose()
    for figures in runs:
        assert [f["name"] for f in figures] == [
            "overdue-order closing vs set-based, one statement",
            "overdue-order closing vs set-based, per chunk",
        ]
        assert figures[0]["rows"] == 50  # a pending order on every tenth property
        assert all(f["ratio"] > 0 and f["peak_mib"] > 0 for f in figures)


def test_each_area_measures_its_single_command_on_sqlite() -> None:
    """A tiny run of every area's command figure, so a change to the library
    that breaks a benchmark's set-up fails here and not in ``make bench``."""
    from benchmarks import connections, hydrometers, orders, requests  # noqa: PLC0415

    figures = [
        orders.measure_close_with_operation("sqlite", 2),
        connections.bench_cut("sqlite", size=8, rounds=1),
        hydrometers.bench_replace("sqlite", 2),
        requests.opening("sqlite", 2),
    ]
    assert all(f is not None for f in figures)
    assert all(float(str(f["library_s"])) > 0 for f in figures if f)
    assert all(float(str(f["ratio"])) > 0 for f in figures if f)


def test_area_times_under_a_second_print_in_milliseconds() -> None:
    from benchmarks.__main__ import _from_dict  # noqa: PLC0415

    raw = {"area": "a", "name": "n", "backend": "sqlite", "size": 3}
    short = _from_dict({**raw, "library_s": 0.004, "baseline_s": 0.002})
    assert (short.unit, short.library, short.baseline) == ("ms", 4.0, 2.0)
    assert short.ratio == 2.0
    long = _from_dict({**raw, "library_s": 3.0, "baseline_s": 0.5})
    assert (long.unit, long.library) == ("s", 3.0)


def test_the_accounts_statement_figure_agrees_with_its_baseline() -> None:
    """The library's statement and the hand-written one price the same value
    (the figure asserts it) on a SQLite file."""
    from benchmarks import accounts  # noqa: PLC0415

    found = accounts.statement("sqlite", 1)
    assert found is not None
    assert found["size"] == accounts.BILLS
    assert found["library_s"] > 0


def test_the_scheduling_benchmark_places_the_same_orders_as_its_baseline() -> None:
    """UC1190 beside its hand-written baseline, small, on SQLite (the full run is
    10,000 orders over 50 teams on PostgreSQL)."""
    from benchmarks import scheduling  # noqa: PLC0415

    figure = scheduling.measure("sqlite", orders=300, teams=4, plot=False)
    # measure() asserts the library placed as many orders as the baseline
    assert 0 < figure["placements"] < 300  # type: ignore[operator]
    assert figure["library_s"] > 0  # type: ignore[operator]


def test_the_inspection_benchmarks_write_what_their_baselines_write() -> None:
    """The UC1176 and automatic repaving acceptance figures at a tiny size on
    PostgreSQL (each asserts the library and the baseline wrote as much)."""
    import os  # noqa: PLC0415

    if not os.environ.get("GSAN_CORE_TEST_POSTGRES_URL"):
        if os.environ.get("GSAN_CORE_REQUIRE_POSTGRES") == "1":
            pytest.fail("GSAN_CORE_TEST_POSTGRES_URL is required")
        pytest.skip("no PostgreSQL")
    from benchmarks import inspections  # noqa: PLC0415

    figures = [
        inspections.measure_accept_repaving("postgresql", 200),
        inspections.measure_inspect_closed("postgresql", 200),
    ]
    assert [f["size"] for f in figures] == [200, 200]
    assert all(float(str(f["ratio"])) > 0 for f in figures)
