"""The SQL adapter's edges: error translation, ids, engines and backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.ids import HiLoIds, TransactionIds
from gsan_core.adapters.sqlalchemy.mappers import RowMapper
from gsan_core.adapters.sqlalchemy.schema import build_tables
from gsan_core.adapters.sqlalchemy.types import Money, UtcDateTime
from gsan_core.errors import (
    ConfigurationError,
    DuplicateEntity,
    GsanError,
    NotFound,
    PersistenceError,
)
from gsan_core.model.billing import Charge
from gsan_core.model.catalog import CatalogItem
from gsan_core.testing.contracts import sample_property
from tests.conftest import PostgresSchema


# ---------------------------------------------------------------- errors
def add_orphan(backend: SqlBackend) -> None:
    with backend.uow_factory() as uow:
        uow.properties.add(sample_property(1))  # its locality, block... do not exist
        uow.commit()


def test_a_foreign_key_violation_is_a_persistence_error(
    sql_backend: SqlBackend,
) -> None:
    with pytest.raises(PersistenceError) as caught:
        add_orphan(sql_backend)
    assert not isinstance(caught.value, DuplicateEntity)
    assert isinstance(caught.value.__cause__, sa.exc.IntegrityError)
    assert str(caught.value).startswith("integrity error on property")
    with sql_backend.uow_factory() as uow:
        assert uow.properties.find(1) is None


def test_a_unique_violation_is_a_duplicate(sql_backend: SqlBackend) -> None:
    item = CatalogItem(kind="cut_reason", id=1, description="A")
    with sql_backend.uow_factory() as uow:
        uow.catalog.add(item)
        uow.commit()
    with pytest.raises(DuplicateEntity) as caught, sql_backend.uow_factory() as uow:
        uow.catalog.add(item)
    assert (caught.value.entity, caught.value.id) == ("catalog.cut_reason", 1)
    assert isinstance(caught.value.__cause__, sa.exc.IntegrityError)


def test_a_naive_datetime_is_refused_before_the_database(
    sql_backend: SqlBackend,
) -> None:
    charge = Charge(
        id=1,
        property_id=1,
        debit_type_id=1,
        total=Decimal(1),
        installments=1,
        installment_value=Decimal(1),
        generated_at=datetime(2025, 1, 6, 9),  # noqa: DTZ001 - the point of the test
        actor=1,
    )
    with (
        pytest.raises(
            PersistenceError, match="cannot store charge: a value does not fit"
        ),
        sql_backend.uow_factory() as uow,
    ):
        uow.billing.add_charge(charge)


def test_update_and_remove_of_missing_catalog_rows(sql_backend: SqlBackend) -> None:
    ghost = CatalogItem(kind="cut_reason", id=9, description="X", version=2)
    with sql_backend.uow_factory() as uow:
        with pytest.raises(NotFound):
            uow.catalog.update(ghost)
        with pytest.raises(NotFound):
            uow.catalog.remove(ghost)


def test_no_sqlalchemy_error_escapes_from_missing_tables(tmp_path: Path) -> None:
    backend = SqlBackend.open(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with backend.uow_factory() as uow:
            with pytest.raises(PersistenceError) as caught:
                uow.catalog.list("cut_reason")
            assert isinstance(caught.value.__cause__, sa.exc.OperationalError)
            for call in (
                lambda: uow.properties.get(1),
                uow.properties.count_by,
                uow.properties.count_by_water_status,
                lambda: uow.properties.ids_by_route(1),
                lambda: uow.units.update(sample_unit()),
                lambda: uow.billing.open_debts(1),
                lambda: uow.permissions.has(1, 1),
                lambda: uow.field_lock.locked_reference(1),
                lambda: uow.next_id("x"),
            ):
                with pytest.raises(GsanError):
                    call()
        with pytest.raises(PersistenceError):
            backend.reserve_ids("x", 10)
    finally:
        backend.dispose()


def sample_unit() -> object:
    from gsan_core.model.units import OrganizationalUnit  # noqa: PLC0415

    return OrganizationalUnit(id=1, name="X", unit_type_id=1, version=2)


@pytest.mark.postgres
def test_an_unreachable_server_is_a_persistence_error(postgres: PostgresSchema) -> None:
    del postgres  # only to run with the PostgreSQL tests
    backend = SqlBackend.open(
        "postgresql+psycopg://postgres@127.0.0.1:1/test",
        connect_args={"connect_timeout": 2},
    )
    try:
        with pytest.raises(PersistenceError), backend.uow_factory():
            pass
        with pytest.raises(PersistenceError):
            backend.ids.next_id("x")  # type: ignore[union-attr]
    finally:
        backend.dispose()


def test_translated_turns_value_errors_and_keeps_library_errors() -> None:
    with (
        pytest.raises(PersistenceError, match="cannot store charge: a value does not"),
        translated("charge"),
    ):
        raise ValueError("bad")
    with pytest.raises(NotFound), translated("charge"):
        raise NotFound("charge", 1)
    with (
        pytest.raises(PersistenceError, match="database error on statement"),
        translated(),
    ):
        raise sa.exc.OperationalError("SELECT", {}, Exception("gone"))


def test_the_unit_of_work_outside_its_block(sql_backend: SqlBackend) -> None:
    uow = sql_backend.uow_factory()
    with pytest.raises(PersistenceError, match="outside its 'with' block"):
        uow.catalog.list("cut_reason")
    with uow:
        assert uow.catalog.list("cut_reason") == []
    with pytest.raises(PersistenceError):
        uow.catalog.list("cut_reason")


def test_repositories_are_built_on_first_use_and_kept(
    sql_backend: SqlBackend,
) -> None:
    """Issue 20 (client overhead): a unit of work builds a repository when a
    command first uses it (not its seventy repositories each time), then hands
    the same one out for the rest of the unit of work; another unit of work
    builds its own."""
    first = sql_backend.uow_factory()
    assert "programmings" not in vars(first)
    assert "properties" not in vars(first)
    with first:
        repository = first.programmings
        assert first.programmings is repository
        assert "programmings" in vars(first)
        assert "properties" not in vars(first)
    second = sql_backend.uow_factory()
    assert second.programmings is not repository


# ---------------------------------------------------------------- engines
def test_engines_and_backends_are_configured_explicitly(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="psycopg"):
        create_engine("postgresql://postgres@127.0.0.1/test")
    with pytest.raises(ConfigurationError, match="either a database url or an engine"):
        SqlBackend.open()
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigurationError):
        SqlBackend.open(f"sqlite:///{tmp_path / 'x.db'}", engine=engine)
    given = SqlBackend.open(engine=engine, prefix="p_")
    given.create_all()
    given.dispose()  # not its engine: still usable
    with engine.connect() as connection:
        assert "p_catalog_item" in sa.inspect(connection).get_table_names()
    engine.dispose()


def test_backends_over_the_same_tables_share_their_row_mappers(
    tmp_path: Path,
) -> None:
    """The ~70 row mappers are built once per ``Tables`` (they hold no state of
    a backend); other tables get their own."""
    tables = build_tables()
    first = SqlBackend(create_engine(f"sqlite:///{tmp_path / 'a.db'}"), tables=tables)
    second = SqlBackend(create_engine("sqlite://"), tables=tables)
    other = SqlBackend(create_engine("sqlite://"), tables=build_tables(prefix="o_"))
    assert first.mappers is second.mappers
    assert other.mappers is not first.mappers
    assert other.mappers.property.table.name == "o_property"
    assert first.mappers.property.table is tables["property"]
    for backend in (first, second, other):
        backend.engine.dispose()


def test_sqlite_engine_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    memory = create_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with memory.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
    engine.dispose()
    memory.dispose()


# ---------------------------------------------------------------- ids
def test_reserve_ids_moves_future_ids_above_the_floor(sql_backend: SqlBackend) -> None:
    with sql_backend.uow_factory() as uow:
        assert uow.next_id("service_order") == 1  # caches a block on PostgreSQL
        uow.commit()
    sql_backend.reserve_ids("service_order", floor=5_000_000)
    sql_backend.reserve_ids("service_order", floor=10)  # never moves back
    sql_backend.reserve_ids("hydrometer", floor=700)  # a kind with no row yet
    with sql_backend.uow_factory() as uow:
        assert uow.next_id("service_order") == 5_000_001
        assert list(uow.next_ids("service_order", 2)) == [5_000_002, 5_000_003]
        assert uow.next_id("hydrometer") == 701
        uow.commit()


def test_sqlite_ids_come_from_the_unit_of_work_transaction(tmp_path: Path) -> None:
    from tests.conftest import sqlite_backend  # noqa: PLC0415

    backend = sqlite_backend(tmp_path / "ids.db")
    assert backend.ids is None
    with backend.uow_factory() as uow:
        assert list(uow.next_ids("x", 3)) == [1, 2, 3]  # rolled back: not taken
    with backend.uow_factory() as uow:
        assert uow.next_id("x") == 1
        uow.commit()
    with backend.uow_factory() as uow:
        assert uow.next_id("x") == 2
    backend.dispose()


def test_sqlite_ids_are_reserved_a_block_at_a_time(tmp_path: Path) -> None:
    from tests.conftest import sqlite_backend  # noqa: PLC0415

    backend = sqlite_backend(tmp_path / "ids.db")
    block = backend.tables["id_block"]

    def reserved() -> int:
        with backend.engine.connect() as connection:
            return int(
                connection.execute(
                    sa.select(block.c.next_value).where(block.c.name == "x")
                ).scalar_one()
            )

    with backend.uow_factory() as uow:
        assert list(uow.next_ids("x", 2)) == [1, 2]
        assert uow.next_id("x") == 3  # from the same block: no statement
        uow.commit()
    assert reserved() == 101
    with backend.uow_factory() as uow:  # the spare part of the committed block
        assert uow.next_id("x") == 4
    with backend.uow_factory() as uow:  # that one rolled back: 4 is not used
        # ... and what is left of the committed block (5 on) was given back
        assert uow.next_id("x") == 5
    other = sqlite_backend(tmp_path / "ids.db")  # another process on the file
    with other.uow_factory() as uow:
        assert uow.next_id("x") == 101
        assert list(uow.next_ids("x", 150)) == list(range(201, 351))  # a new block
        uow.commit()
    assert reserved() == 101 + 100 + 600
    backend.reserve_ids("x", floor=5_000)
    with backend.uow_factory() as uow:
        assert uow.next_id("x") == 5_001
    joined = backend.joining(backend.engine.connect())
    with joined() as uow:  # a host transaction: exactly what is asked
        assert uow.next_id("y") == 1
        uow.commit()
    backend.dispose()
    other.dispose()


@pytest.mark.postgres
def test_hilo_blocks_survive_rollbacks(postgres: PostgresSchema) -> None:
    backend = postgres.reset()
    assert isinstance(backend.ids, HiLoIds)
    with backend.uow_factory() as uow:
        first = uow.next_id("x")
    with backend.uow_factory() as uow:
        assert uow.next_id("x") == first + 1  # never handed out twice
    other = SqlBackend(backend.engine, tables=backend.tables)
    with other.uow_factory() as uow:
        assert uow.next_id("x") == first + 100  # the next block
    big = list(other.ids.next_ids("x", 250))  # type: ignore[union-attr]
    assert big == list(range(first + 200, first + 450))
    # a batch bigger than a block takes room for three more like it at once
    more = list(other.ids.next_ids("x", 250))  # type: ignore[union-attr]
    assert more == list(range(first + 450, first + 700))
    third = SqlBackend(backend.engine, tables=backend.tables)
    with third.uow_factory() as uow:
        assert uow.next_id("x") == first + 1_200


# ---------------------------------------------------------------- mappers, types
@attrs.frozen(kw_only=True)
class Sample:
    id: int
    tags: tuple[int, ...] = ()
    either: int | str = 0
    maybe: Decimal | None = None


def test_row_mapper_codecs() -> None:
    metadata = sa.MetaData()
    table = sa.Table(
        "sample",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tags", sa.JSON),
        sa.Column("either", sa.String),
        sa.Column("maybe", sa.String),
    )
    mapper = RowMapper(Sample, table)
    sample = Sample(id=1, tags=(3, 4), either="x", maybe=Decimal("1.50"))
    row = mapper.to_row(sample)
    assert row == {"id": 1, "tags": [3, 4], "either": "x", "maybe": Decimal("1.50")}
    assert mapper.from_row({**row, "maybe": "1.50"}) == sample
    assert mapper.from_rows([{"id": 2, "tags": None, "either": 0, "maybe": None}]) == [
        Sample(id=2)
    ]
    narrow = sa.Table("narrow", metadata, sa.Column("id", sa.Integer))
    with pytest.raises(TypeError, match=r"Sample\.tags has no column in narrow"):
        RowMapper(Sample, narrow)


def test_money_and_utc_types_on_both_dialects() -> None:
    money, instant = Money(), UtcDateTime()
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        assert money.process_bind_param(None, dialect) is None
        assert money.process_result_value(None, dialect) is None
        assert instant.process_bind_param(None, dialect) is None
        assert instant.process_result_value(None, dialect) is None
    assert money.process_bind_param(3, sqlite.dialect()) == "3"
    assert money.process_bind_param("2.50", postgresql.dialect()) == Decimal("2.50")
    assert money.process_result_value("2.5000000", sqlite.dialect()) == Decimal(
        "2.5000000"
    )
    assert (
        str(money.process_result_value(Decimal("2.5000000"), postgresql.dialect()))
        == "2.50"
    )
    assert (
        str(money.process_result_value(Decimal("0.1234500"), postgresql.dialect()))
        == "0.12345"
    )
    aware = datetime(2025, 1, 6, 9, tzinfo=timezone(timedelta(hours=-3)))
    naive_utc = datetime(2025, 1, 6, 12, tzinfo=UTC).replace(tzinfo=None)
    assert instant.process_bind_param(aware, sqlite.dialect()) == naive_utc
    assert instant.process_bind_param(aware, postgresql.dialect()) == aware
    assert instant.process_result_value(aware, postgresql.dialect()).tzinfo is UTC  # type: ignore[union-attr]


def test_transaction_ids_one_at_a_time(tmp_path: Path) -> None:
    from tests.conftest import sqlite_backend  # noqa: PLC0415

    backend = sqlite_backend(tmp_path / "ids.db")
    with backend.engine.begin() as connection:
        ids = TransactionIds(connection, backend.tables["id_block"])
        assert [ids.next_id("x"), ids.next_id("x"), ids.next_id("y")] == [1, 2, 1]
    backend.dispose()
