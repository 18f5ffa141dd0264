"""Issue 20: a long-lived process keeps a bounded number of events, and a batch
that changed a table a lot refreshes its planner statistics."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.services import context
from gsan_core.services.batches import STATISTICS_MIN_ROWS
from gsan_core.synthetic import generate
from tests.conftest import PostgresSchema


def test_connect_keeps_only_the_most_recent_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ring.db'}"
    with gsan_core.connect(url, migrate=True, seed=True, keep_events=3) as system:
        generate(system, properties=40, seed=5)
        kept = system.events
        assert len(kept) == 3
    other = f"sqlite:///{tmp_path / 'none.db'}"
    with gsan_core.connect(other, migrate=True, seed=True, keep_events=False) as system:
        generate(system, properties=10, seed=6)
        assert system.events == ()


def test_connect_keeps_a_bounded_ring_by_default(tmp_path: Path) -> None:
    from gsan_core.system import CONNECT_KEEPS  # noqa: PLC0415

    url = f"sqlite:///{tmp_path / 'default.db'}"
    with gsan_core.connect(url, migrate=True, seed=True) as system:
        recorder = system._recorder
        assert recorder is not None
        assert recorder.events.maxlen == CONNECT_KEEPS


def test_in_memory_keeps_every_event_and_a_negative_count_is_refused() -> None:
    system = gsan_core.in_memory()
    generate(system, properties=30, seed=5)
    assert len(system.events) > 3
    with pytest.raises(ValueError, match="keep_events"):
        gsan_core.System(uow_factory=system.uow_factory, keep_events=-1)


def _cut_orders_estimate(
    postgres: PostgresSchema,
) -> tuple[gsan_core.System, Callable[[], float]]:
    """A system of 600 properties whose orders' table is analysed empty, and
    the planner's row estimate of that table."""
    backend: SqlBackend = postgres.reset("gsan_default")
    system = gsan_core.System(uow_factory=backend.uow_factory, backend=backend)
    generate(system, properties=600, seed=5)
    order = backend.tables["service_order"]
    name = f"{order.schema}.{order.name}"

    def estimate() -> float:
        with backend.engine.connect() as connection:
            return float(
                connection.execute(
                    sa.text(
                        "SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"
                    ),
                    {"t": name},
                ).scalar_one()
            )

    with backend.engine.connect().execution_options(
        isolation_level="AUTOCOMMIT"
    ) as connection:
        connection.exec_driver_sql(f"ANALYZE {name}")
    return system, estimate


def _first_group(system: gsan_core.System) -> int:
    with system.uow_factory() as uow:
        return min(r.group_id for r in uow.routes.find_by())


@pytest.mark.postgres
def test_a_batch_that_grew_a_table_refreshes_its_statistics(
    postgres: PostgresSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the run writes 31 orders: below STATISTICS_MIN_ROWS, lowered here (the
    # floor is the next test's)
    monkeypatch.setattr(context, "STATISTICS_MIN_ROWS", 1)
    system, estimate = _cut_orders_estimate(postgres)
    before = estimate()
    run = system.collection.generate_cut_orders(group_id=_first_group(system), actor=1)
    assert run.generated > 0
    assert estimate() == before + run.generated  # ANALYZE counted the new orders


@pytest.mark.postgres
def test_a_run_of_fewer_rows_than_the_floor_asks_for_no_statistics(
    postgres: PostgresSchema,
) -> None:
    """Issue 20 (round 8): a run that wrote fewer than STATISTICS_MIN_ROWS
    rows to a table (PostgreSQL's autovacuum threshold) does not refresh its
    statistics, even of a table analysed empty: no estimate's transaction."""
    system, estimate = _cut_orders_estimate(postgres)
    before = estimate()
    run = system.collection.generate_cut_orders(group_id=_first_group(system), actor=1)
    assert 0 < run.generated < STATISTICS_MIN_ROWS
    assert estimate() == before  # not analysed


@pytest.mark.postgres
def test_a_share_keeps_the_statistics_of_a_table_that_grew_little(
    postgres: PostgresSchema,
) -> None:
    """``refresh_statistics(share=...)`` (UC1176 passes 1.0: analyse only a
    table that at least doubled): a table grown by half keeps its statistics
    with share 1.0 and gets them refreshed with the default tenth."""
    backend: SqlBackend = postgres.reset("gsan_default")
    order = backend.tables["service_order"]
    name = f"{order.schema}.{order.name}"
    at = datetime(2025, 1, 1, tzinfo=UTC)

    def add(first: int, count: int) -> None:
        with backend.uow_factory() as uow:
            uow.service_orders.add_many(
                ServiceOrder(id=first + n, service_type_id=1, generated_at=at)
                for n in range(count)
            )
            uow.commit()

    def estimate() -> float:
        with backend.engine.connect() as connection:
            return float(
                connection.execute(
                    sa.text(
                        "SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"
                    ),
                    {"t": name},
                ).scalar_one()
            )

    with backend.uow_factory() as uow:
        uow.service_types.add(ServiceType(id=1, description="TIPO", abbreviation="T"))
        uow.commit()
    add(1, 100)
    with backend.uow_factory() as uow:
        uow.refresh_statistics({"service_order": 100}, share=1.0)
        uow.commit()
    assert estimate() == 100  # a new table: analysed
    add(1_000, 50)
    with backend.uow_factory() as uow:
        uow.refresh_statistics({"service_order": 50}, share=1.0)
        uow.commit()
    assert estimate() == 100
    with backend.uow_factory() as uow:
        uow.refresh_statistics({"service_order": 50})
        uow.commit()
    assert estimate() == 150


def test_refreshing_statistics_is_harmless_on_sqlite_and_in_memory(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    with gsan_core.connect(url, migrate=True) as system, system.uow_factory() as uow:
        uow.refresh_statistics({"service_order": 10, "order_unit": 0})
        uow.commit()
    memory = gsan_core.in_memory()
    with memory.uow_factory() as uow:
        uow.refresh_statistics({"service_order": 10})


@contextmanager
def _read_system(tmp_path: Path) -> Iterator[tuple[gsan_core.System, list[str]]]:
    """A migrated, seeded SQLite system (its backend's reference cache on)
    and the texts of the statements it sends while open."""
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    with gsan_core.connect(url, migrate=True, seed=True) as system:
        backend: SqlBackend = system.backend
        reads: list[str] = []
        sa.event.listen(
            backend.engine,
            "before_cursor_execute",
            lambda *args: reads.append(str(args[2])),
        )
        yield system, reads


def test_reference_rows_are_read_once_and_a_write_is_seen_at_once(
    tmp_path: Path,
) -> None:
    """Catalog rows read by id come from the backend's cache; a change made
    through the backend is seen by the next command."""
    with _read_system(tmp_path) as (system, reads):
        item = system.catalog.get("closing_reason", 2)
        reads.clear()
        for _ in range(3):
            with system.uow_factory() as uow:
                assert uow.catalog.get("closing_reason", 2) == item
        assert not [r for r in reads if "catalog_item" in r]
        changed = system.catalog.update(
            "closing_reason",
            2,
            description="CONCLUIDO",
            expected_version=item.version,
            actor=0,
        )
        with system.uow_factory() as uow:
            assert uow.catalog.get("closing_reason", 2) == changed
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    with gsan_core.connect(url, reference_ttl=0) as uncached:
        assert uncached.backend.reference.ttl == 0


def test_a_kind_s_rows_listed_for_display_are_read_once_and_a_write_seen(
    tmp_path: Path,
) -> None:
    """A kind's every row listed with ``cached=True`` (a field file's
    parameter records) comes from the backend's cache once read; a change
    made through the backend is seen by the next command; a plain ``list``
    (a rule deciding on the whole kind) still reads the database."""
    with _read_system(tmp_path) as (system, reads):
        with system.uow_factory() as uow:
            listed = uow.catalog.list("federal_unit", cached=True)
        reads.clear()
        for _ in range(3):
            with system.uow_factory() as uow:
                assert uow.catalog.list("federal_unit", cached=True) == listed
        assert not [r for r in reads if "catalog_item" in r]
        with system.uow_factory() as uow:
            assert list(uow.catalog.list("federal_unit")) == list(listed)
        assert [r for r in reads if "catalog_item" in r]
        first = listed[0]
        changed = system.catalog.update(
            "federal_unit",
            first.id,
            description="RONDONIA NOVA",
            expected_version=first.version,
            actor=0,
        )
        with system.uow_factory() as uow:
            assert uow.catalog.list("federal_unit", cached=True)[0] == changed
