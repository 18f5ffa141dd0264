"""Many rows of one table as one ``INSERT … SELECT FROM unnest(…)`` (issue 20,
round 8, ``adapters/sqlalchemy/pipeline.py``).

On PostgreSQL a unit of work that defers its writes sends the inserts of two
or more rows of a table (a composer's messages, a visit's lines, the outbox's
rows) as one insert of array parameters, one per column, instead of one
single-row CTE per row. The rows written are the ones the row-by-row path
writes, for every column type the tables use, NULLs included; a unique key
broken by one of them raises the same error, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy import SqlBackend, build_tables
from gsan_core.adapters.sqlalchemy.pipeline import WriteBuffer, _unnest_insert
from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime
from gsan_core.errors import DuplicateEntity, GsanError
from tests.conftest import PostgresSchema
from tests.integration.deferred_rows import AT, added, unit
from tests.integration.psycopg_cache import MOST_BYTES, MOST_PARAMS

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres: PostgresSchema) -> SqlBackend:
    return postgres.reset()


@pytest.fixture
def sent(pg: SqlBackend) -> Iterator[list[str]]:
    """The text of every statement sent to the server."""
    texts: list[str] = []

    def _seen(*args: Any) -> None:
        texts.append(" ".join(str(args[2]).split()))

    event.listen(pg.engine, "before_cursor_execute", _seen)
    yield texts
    event.remove(pg.engine, "before_cursor_execute", _seen)


def _probe(metadata: sa.MetaData, name: str, schema: str) -> sa.Table:
    """A table of every column type the library's tables use."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("small", sa.SmallInteger),
        sa.Column("number", sa.Integer),
        sa.Column("flag", sa.Boolean),
        sa.Column("day", sa.Date),
        sa.Column("hour", sa.Time),
        sa.Column("label", sa.String(12)),
        sa.Column("doc", Json),
        sa.Column("amount", Money),
        sa.Column("at", UtcDateTime),
        schema=schema,
    )


_ROWS: list[dict[str, Any]] = [
    {
        "id": 3,
        "small": 7,
        "number": 2_000_000_000,
        "flag": True,
        "day": date(2026, 2, 28),
        "hour": time(23, 59, 1),
        "label": "água, 'x'",
        "doc": {"a": [1, {"b": None}], "c": "é"},
        "amount": Decimal("12345678901.1234567"),
        "at": datetime(
            2026, 3, 1, 1, 2, 3, 456789, tzinfo=timezone(timedelta(hours=-3))
        ),
    },
    {
        "id": 1,
        "small": None,
        "number": None,
        "flag": None,
        "day": None,
        "hour": None,
        "label": None,
        "doc": None,
        "amount": None,
        "at": None,
    },
    {
        "id": 2,
        "small": -1,
        "number": 0,
        "flag": False,
        "day": date(1999, 12, 31),
        "hour": time(0, 0),
        "label": "",
        "doc": [1, 2, [3]],
        "amount": Decimal("-0.5"),
        "at": AT,
    },
    {
        "id": 4,
        "small": 0,
        "number": 1,
        "flag": True,
        "day": date(2026, 1, 1),
        "hour": time(12),
        "label": "{a,b}\\",
        "doc": "text",
        "amount": Decimal(3),
        "at": AT,
    },
]


def test_many_rows_of_every_column_type_go_as_one_unnest_insert(
    postgres: PostgresSchema, pg: SqlBackend, sent: list[str]
) -> None:
    """The same rows as inserting them one by one, in one statement."""
    metadata = sa.MetaData()
    merged = _probe(metadata, "unnest_probe_merged", postgres.schema)
    single = _probe(metadata, "unnest_probe_single", postgres.schema)
    metadata.create_all(pg.engine)
    try:
        with pg.engine.begin() as connection:
            for row in _ROWS:
                connection.execute(sa.insert(single), [row])
        sent.clear()
        with pg.engine.begin() as connection:
            pending = WriteBuffer()
            pending.insert("probe", merged, _ROWS, [3, 1, 2, 4])
            pending.send(connection)
        assert len(sent) == 1
        assert "unnest(" in sent[0]
        with pg.engine.connect() as connection:
            got = connection.execute(sa.select(merged).order_by(merged.c.id)).all()
            want = connection.execute(sa.select(single).order_by(single.c.id)).all()
        assert got == want
        assert [r.id for r in got] == [1, 2, 3, 4]
        assert got[2].doc == _ROWS[0]["doc"]
        assert got[2].amount == _ROWS[0]["amount"]
    finally:
        metadata.drop_all(pg.engine)


def test_every_table_has_an_unnest_insert_with_a_cast_per_column() -> None:
    """Each of the library's tables: one array parameter per column, cast to
    the column's type (strings unbounded: a cast to ``VARCHAR(n)`` would cut
    a value too long instead of refusing it)."""
    dialect = postgresql.psycopg.dialect()  # type: ignore[attr-defined]
    for name, table in build_tables().items():
        columns = tuple(c.key for c in table.c)
        text = str(_unnest_insert(0, table, columns).compile(dialect=dialect))
        for column in table.c:
            assert f"%(w0_{column.key})s::" in text, (name, column.key)
        assert "VARCHAR(" not in text.split("FROM unnest(", 1)[1], name


def test_a_deferred_add_many_and_its_events_are_one_statement(
    pg: SqlBackend, sent: list[str]
) -> None:
    """Units added as a batch and one by one, and three events: one statement,
    the units one ``unnest`` insert, the outbox rows one insert of one JSON
    array (``jsonb_array_elements``), the outbox ids in the events' order."""
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add_many([unit(1, "A"), unit(2, "B")])
        uow.units.add(unit(3, "C"))
        uow.record(added(7), added(8), added(9))
        uow.commit()
    (statement,) = sent  # (BEGIN and COMMIT are not cursor executions)
    assert statement.count("unnest(") == 1
    assert statement.count("jsonb_array_elements(") == 1
    with pg.uow_factory() as uow:
        assert [(u.id, u.name) for u in uow.units.find_by()] == [
            (1, "A"),
            (2, "B"),
            (3, "C"),
        ]
        entries = uow.outbox.pending(10)
    assert [(e.id, e.payload["item_id"]) for e in entries] == [(1, 7), (2, 8), (3, 9)]


def test_unnest_insert_unique_violation_raises_for_its_entity_and_writes_nothing(
    pg: SqlBackend,
) -> None:
    """A row of the batch whose key is taken: ``DuplicateEntity`` of the
    entity at the commit, as when the rows go one by one, and no row nor
    event is written."""
    with pg.uow_factory() as uow:
        uow.units.add(unit(2))
        uow.commit()
    for batch in ([unit(1), unit(2), unit(3)], [unit(4), unit(5), unit(4)]):
        with pg.uow_factory() as uow:
            uow.defer_writes()
            uow.units.add_many(batch)
            uow.record(added(1), added(2))
            with pytest.raises(DuplicateEntity) as caught:
                uow.commit()
        assert caught.value.entity == "unit"
        with pg.uow_factory() as uow:
            assert [u.id for u in uow.units.find_by()] == [2]
            assert uow.outbox.pending(10) == []


def test_unnest_insert_refuses_a_value_too_long_as_a_single_insert_does(
    pg: SqlBackend,
) -> None:
    """A name longer than its column: the error a row inserted at once
    raises, not a value cut to the column's length."""
    long = "x" * 81
    with pg.uow_factory() as uow, pytest.raises(GsanError) as at_once:
        uow.units.add_many([unit(1), unit(2, long)])
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add_many([unit(1), unit(2, long)])
        with pytest.raises(GsanError) as deferred:
            uow.commit()
    assert type(deferred.value) is type(at_once.value)
    assert deferred.value.code == at_once.value.code
    with pg.uow_factory() as uow:
        assert uow.units.count_by() == 0


def test_the_statement_does_not_grow_with_the_rows(
    pg: SqlBackend, postgres: PostgresSchema
) -> None:
    """2 and 20 units with as many events: the same statement text and the
    same parameters (one array a column), so psycopg converts it once (it
    keeps no statement of more than 50 parameters or 4 KiB)."""
    seen: list[tuple[str, list[str]]] = []

    def _seen(*args: Any) -> None:
        seen.append((args[2], sorted(args[3])))

    event.listen(pg.engine, "before_cursor_execute", _seen)
    try:
        for first, size in ((1, 2), (100, 20)):
            with pg.uow_factory() as uow:
                uow.defer_writes()
                uow.units.add_many([unit(first + k) for k in range(size)])
                uow.record(*[added(first + k) for k in range(size)])
                uow.commit()
    finally:
        event.remove(pg.engine, "before_cursor_execute", _seen)
    (two_text, two_params), (twenty_text, twenty_params) = seen
    assert two_text == twenty_text
    assert two_params == twenty_params
    assert len(twenty_params) <= MOST_PARAMS
    assert len(twenty_text.replace(postgres.schema, "")) <= MOST_BYTES
    with pg.uow_factory() as uow:
        assert uow.units.count_by() == 22
        assert len(uow.outbox.pending(50)) == 22
