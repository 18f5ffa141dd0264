"""A command's writes sent together (issue 20, ``adapters/sqlalchemy/pipeline.py``).

A unit of work that called ``defer_writes()`` on PostgreSQL keeps its inserts,
compare-and-set updates and deletes and sends them as one statement at its next read
of a written table or at its commit, with the outbox's counter and rows. The
outcome is the one of writing at once: the unit of work reads its own writes,
a stale update or a duplicate raises the same error (at the commit), and
nothing is written then.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, build_tables, create_engine
from gsan_core.adapters.sqlalchemy.pipeline import reader
from gsan_core.errors import (
    ConcurrencyConflict,
    DuplicateEntity,
    NotFound,
    PersistenceError,
)
from gsan_core.model.billing import DebtKind, OpenDebt
from tests.conftest import PostgresSchema
from tests.integration.deferred_rows import added, unit

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres: PostgresSchema) -> SqlBackend:
    return postgres.reset()


@pytest.fixture
def statements(pg: SqlBackend) -> Iterator[list[str]]:
    sent: list[str] = []

    def _seen(*args: Any) -> None:
        sent.append(" ".join(str(args[2]).split())[:40])

    event.listen(pg.engine, "before_cursor_execute", _seen)
    yield sent
    event.remove(pg.engine, "before_cursor_execute", _seen)


def test_the_writes_and_the_outbox_go_as_one_statement(
    pg: SqlBackend, statements: list[str]
) -> None:
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add_many([unit(1), unit(2)])
        uow.units.add(unit(3))
        uow.record(added(1), added(2))
        assert statements == []  # nothing sent yet
        uow.commit()
    assert len(statements) == 1
    assert statements[0].startswith("WITH")
    with pg.uow_factory() as uow:
        assert sorted(uow.units.get_many([1, 2, 3])) == [1, 2, 3]
        entries = uow.outbox.pending(10)
    # a fresh store: the counter row is made by the same statement
    assert [e.id for e in entries] == [1, 2]
    assert [e.payload["item_id"] for e in entries] == [1, 2]


def test_outbox_ids_follow_on_from_a_deferred_commit_to_the_next(
    pg: SqlBackend,
) -> None:
    for first in (1, 3):
        with pg.uow_factory() as uow:
            uow.defer_writes()
            uow.record(added(first), added(first + 1))
            uow.commit()
    with pg.uow_factory() as uow:  # writing at once, after
        uow.record(added(5))
        uow.commit()
    with pg.uow_factory() as uow:
        entries = uow.outbox.pending(10)
    assert [(e.id, e.payload["item_id"]) for e in entries] == [
        (i, i) for i in range(1, 6)
    ]


def test_a_read_of_a_written_table_sees_the_writes(pg: SqlBackend) -> None:
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add(unit(1))
        assert uow.units.get(1).name == "U"
        uow.units.update(attrs.evolve(unit(1, "V"), version=2))
        # a second update of one row: the first is sent before it waits
        uow.units.update(attrs.evolve(unit(1, "W"), version=3))
        assert [u.name for u in uow.units.find_by()] == ["W"]
        uow.commit()
    with pg.uow_factory() as uow:
        stored = uow.units.get(1)
    assert (stored.name, stored.version) == ("W", 3)


def test_a_read_of_another_table_lets_the_writes_wait(
    pg: SqlBackend, statements: list[str]
) -> None:
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add(unit(1))
        assert uow.users.find(9) is None
        assert len(statements) == 1  # the read alone
        uow.commit()
    assert len(statements) == 2


def test_a_read_around_reader_of_a_table_with_waiting_writes_is_refused(
    pg: SqlBackend, statements: list[str]
) -> None:
    """A repository that read a table whose writes wait, through a
    connection that did not send them (``reader`` for other tables, or one
    kept from before the writes), would miss its own writes: the statement is
    refused before it is sent, with an internal error."""
    units = pg.tables["unit"]
    with pg.uow_factory() as uow:
        uow.defer_writes()
        kept = uow.connection
        uow.units.add(unit(1))
        around = reader(uow, pg.tables["user"])
        for connection in (around, kept):
            with pytest.raises(PersistenceError) as refused:
                connection.execute(sa.select(units.c.id))
            assert refused.value.code == "persistence.unsent_writes"
            assert "unit" in str(refused.value)
        # nor is a direct write of that table let through ahead of the waiting one
        with pytest.raises(PersistenceError):
            kept.execute(sa.delete(units))
        assert statements == []
        # a read of other tables, and a reader naming the table, go on
        assert around.execute(sa.select(pg.tables["user"].c.id)).all() == []
        rows = reader(uow, units).execute(sa.select(units.c.id)).all()
        assert [r.id for r in rows] == [1]
        uow.commit()
    with pg.uow_factory() as uow:  # the connection is not watched any more
        uow.units.add(unit(2))
        assert uow.connection.execute(sa.select(units.c.id)).all() != []


def test_a_stale_update_raises_at_the_commit_and_writes_nothing(
    pg: SqlBackend,
) -> None:
    with pg.uow_factory() as uow:
        uow.units.add(unit(1))
        uow.commit()
    with pg.uow_factory() as uow:
        uow.units.update(attrs.evolve(unit(1, "V"), version=2))
        uow.commit()
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add(unit(2))
        uow.units.update(attrs.evolve(unit(1, "STALE"), version=2))
        uow.record(added(2))
        with pytest.raises(ConcurrencyConflict) as caught:
            uow.commit()
    assert (caught.value.entity, caught.value.id) == ("unit", 1)
    with pg.uow_factory() as uow:
        assert [(u.id, u.name) for u in uow.units.find_by()] == [(1, "V")]
        assert uow.outbox.pending(10) == []


def test_a_few_rows_updated_together_wait_and_a_stale_one_writes_nothing(
    pg: SqlBackend, statements: list[str]
) -> None:
    """``update_many`` of a few rows (a visit's return lines) waits with the
    other writes, one compare-and-set each, and is sent in the commit's one
    statement; a stale row among them raises there, and nothing is written."""
    with pg.uow_factory() as uow:
        uow.units.add_many([unit(1), unit(2), unit(3)])
        uow.commit()
    del statements[:]
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.update_many(attrs.evolve(unit(i, "V"), version=2) for i in (1, 2))
        uow.units.add(unit(4))
        assert statements == []  # nothing sent yet
        uow.commit()
    assert len(statements) == 1
    assert statements[0].startswith("WITH")
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.update_many(
            [
                attrs.evolve(unit(3, "W"), version=2),
                attrs.evolve(unit(1, "W"), version=2),
            ]
        )
        with pytest.raises(ConcurrencyConflict) as caught:
            uow.commit()
    assert (caught.value.entity, caught.value.id) == ("unit", 1)
    with pg.uow_factory() as uow:
        stored = {u.id: (u.name, u.version) for u in uow.units.find_by()}
    assert stored == {1: ("V", 2), 2: ("V", 2), 3: ("U", 1), 4: ("U", 1)}


def test_an_update_of_a_missing_row_raises_not_found(pg: SqlBackend) -> None:
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.update(attrs.evolve(unit(77), version=2))
        with pytest.raises(NotFound):
            uow.commit()


def test_a_duplicate_raises_for_its_entity_and_writes_nothing(
    pg: SqlBackend,
) -> None:
    with pg.uow_factory() as uow:
        uow.units.add(unit(1))
        uow.commit()
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.users.find(1)  # another table: nothing sent
        uow.units.add(unit(1))
        uow.record(added(1))
        with pytest.raises(DuplicateEntity) as caught:
            uow.commit()
    assert caught.value.entity == "unit"
    with pg.uow_factory() as uow:
        assert uow.units.count_by() == 1
        assert uow.outbox.pending(10) == []


def test_a_delete_waits_with_the_writes_and_raises_at_the_commit(
    pg: SqlBackend, statements: list[str]
) -> None:
    """A compare-and-set delete waits too (issue 20, fifth round): one
    statement with the other writes; a stale one raises
    ``ConcurrencyConflict``, one of a missing row ``NotFound``, at the
    commit, and nothing is written."""
    with pg.uow_factory() as uow:
        uow.units.add_many([unit(1), unit(2)])
        uow.commit()
    statements.clear()
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.remove(unit(1))
        uow.record(added(1))
        assert statements == []
        uow.commit()
    assert len(statements) == 1
    with pg.uow_factory() as uow:
        assert [u.id for u in uow.units.find_by()] == [2]
        assert len(uow.outbox.pending(10)) == 1
    for gone, error in (
        (attrs.evolve(unit(2), version=7), ConcurrencyConflict),
        (unit(1), NotFound),
    ):
        with pg.uow_factory() as uow:
            uow.defer_writes()
            uow.units.remove(gone)
            uow.record(added(gone.id))
            with pytest.raises(error) as caught:
                uow.commit()
        assert (caught.value.entity, caught.value.id) == ("unit", gone.id)
        with pg.uow_factory() as uow:
            assert [u.id for u in uow.units.find_by()] == [2]
            assert len(uow.outbox.pending(10)) == 1


def test_a_row_deleted_then_added_again_is_sent_in_order(
    pg: SqlBackend, statements: list[str]
) -> None:
    """Every CTE sees the statement's snapshot: an insert of a table whose
    delete waits sends the delete first (else it would meet the old row),
    and a delete of a table with a write waiting sends that write first."""
    with pg.uow_factory() as uow:
        uow.units.add(unit(1))
        uow.commit()
    statements.clear()
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.remove(unit(1))
        uow.units.add(unit(1, "AGAIN"))
        assert len(statements) == 1  # the delete, sent before the insert waits
        uow.units.remove(unit(1, "AGAIN"))
        assert len(statements) == 2  # the insert, sent before the delete waits
        uow.units.add(unit(1, "THIRD"))
        uow.commit()
    with pg.uow_factory() as uow:
        assert [u.name for u in uow.units.find_by()] == ["THIRD"]


def test_an_update_of_a_row_read_ahead_sets_only_what_changed(
    pg: SqlBackend, statements: list[str]
) -> None:
    """A deferred update of a row the unit of work read ahead at the version
    it expects sets only the columns that changed (the compare-and-set
    guarantees the stored row is the one read): fewer parameters, a
    statement psycopg converts once. A row not read ahead, or read at
    another version, is written whole."""
    with pg.uow_factory() as uow:
        uow.units.add(unit(1))
        uow.units.add(unit(2))
        uow.commit()
    sent: list[str] = []

    def _seen(*args: Any) -> None:
        sent.append(str(args[2]))

    event.listen(pg.engine, "before_cursor_execute", _seen)
    try:
        with pg.uow_factory() as uow:
            uow.defer_writes()
            uow.keep_ahead("unit", ("id", 1), unit(1))
            uow.keep_ahead("unit", ("id", 2), attrs.evolve(unit(2), version=5))
            assert uow.units.find(1) == unit(1)
            assert uow.units.find(2) is not None
            uow.units.update(attrs.evolve(unit(1, "V"), version=2))
            uow.units.update(attrs.evolve(unit(2, "W"), version=2))
            uow.commit()
    finally:
        event.remove(pg.engine, "before_cursor_execute", _seen)
    # a second write of the table sends the first before it waits
    first, second = (w.split("UPDATE")[1] for w in sent)
    assert "SET name=" in first
    assert "unit_type_id" not in first
    assert "unit_type_id" in second
    with pg.uow_factory() as uow:
        assert [(u.name, u.version) for u in uow.units.find_by()] == [
            ("V", 2),
            ("W", 2),
        ]


def test_leaving_without_commit_sends_nothing(
    pg: SqlBackend, statements: list[str]
) -> None:
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.add(unit(1))
    assert statements == []
    with pg.uow_factory() as uow:
        assert uow.units.find(1) is None


@pytest.mark.parametrize("backend", ["sqlite", "memory"])
def test_elsewhere_writes_go_at_once(backend: str, tmp_path: Path) -> None:
    """SQLite has no data-modifying CTEs, memory nothing to send: the
    declaration changes nothing there."""
    if backend == "memory":
        factory = gsan_core.in_memory(seed=False).uow_factory
    else:
        sql = SqlBackend(
            create_engine(f"sqlite:///{tmp_path / 'w.db'}"),
            tables=build_tables(),
            owns_engine=True,
        )
        sql.create_all()
        factory = sql.uow_factory
    with factory() as uow:
        uow.units.add(unit(1))
        uow.commit()
    with factory() as uow:
        uow.defer_writes()
        with pytest.raises(DuplicateEntity):
            uow.units.add(unit(1))


def _debt(ident: int, amount: str = "50.00") -> OpenDebt:
    return OpenDebt(id=ident, property_id=7, kind=DebtKind.BILL, amount=Decimal(amount))


def test_the_billing_writes_of_a_refund_wait_and_check_their_rows(
    pg: SqlBackend, statements: list[str]
) -> None:
    """A refund's credited bills and granted credit (``Billing.replace_debts``,
    ``Billing.add_credits``) wait with the other writes; a bill gone by the
    commit still raises ``NotFound`` and nothing is written."""
    with pg.uow_factory() as uow:
        uow.billing.record_debts([_debt(1), _debt(2)])
        uow.commit()
    statements.clear()
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.billing.replace_debts([_debt(1, "10.00"), _debt(2, "0.00")])
        uow.billing.add_credits([attrs.evolve(_debt(3, "5.00"), kind=DebtKind.CREDIT)])
        assert statements == []  # nothing sent yet
        uow.commit()
    assert len(statements) == 1
    assert statements[0].startswith("WITH")
    with pg.uow_factory() as uow:
        stored = uow.billing.open_debts(7)
    assert [(d.id, d.amount) for d in stored] == [
        (1, Decimal("10.00")),
        (2, Decimal("0.00")),
        (3, Decimal("5.00")),
    ]
    statements.clear()
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.billing.replace_debts([_debt(1, "1.00"), _debt(9)])
        uow.billing.add_credits([attrs.evolve(_debt(4), kind=DebtKind.CREDIT)])
        assert statements == []  # the missing bill not seen yet
        with pytest.raises(NotFound) as raised:
            uow.commit()
    assert (raised.value.entity, raised.value.id) == ("open_debt", 9)
    with pg.uow_factory() as uow:
        again = uow.billing.open_debts(7)
    assert [(d.id, d.amount) for d in again] == [(d.id, d.amount) for d in stored]


def test_updates_of_one_shape_are_one_unnest_and_a_stale_one_is_named(
    pg: SqlBackend, statements: list[str]
) -> None:
    """Consecutive compare-and-set updates of one table and columns (a day's
    renumbering) are one ``UPDATE ... FROM unnest(...)`` of the statement,
    whatever their number (one text); a stale row among them raises for
    that row, and nothing is written."""
    with pg.uow_factory() as uow:
        uow.units.add_many([unit(i) for i in range(1, 6)])
        uow.commit()
    with pg.uow_factory() as uow:
        uow.units.update(attrs.evolve(unit(4, "V"), version=2))
        uow.commit()
    sent: list[str] = []
    event.listen(pg.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    for ids in ((1, 2), (1, 2, 3)):
        with pg.uow_factory() as uow:
            uow.defer_writes()
            uow.units.update_many(attrs.evolve(unit(i, "W"), version=2) for i in ids)
            uow.rollback()
            uow.units.update_many(attrs.evolve(unit(i, "W"), version=2) for i in ids)
            uow.pending.send(uow.connection)
            uow.rollback()
    writes = [s for s in sent if s.startswith("WITH")]
    assert len(writes) == 2
    assert writes[0] == writes[1]
    assert writes[0].count("unnest") == 1
    with pg.uow_factory() as uow:
        uow.defer_writes()
        uow.units.update_many(attrs.evolve(unit(i, "X"), version=2) for i in (5, 4, 3))
        with pytest.raises(ConcurrencyConflict) as caught:
            uow.commit()
    assert (caught.value.entity, caught.value.id) == ("unit", 4)
    with pg.uow_factory() as uow:
        stored = {u.id: (u.name, u.version) for u in uow.units.find_by()}
    assert stored == {1: ("U", 1), 2: ("U", 1), 3: ("U", 1), 4: ("V", 2), 5: ("U", 1)}
