"""Closing an order reads ahead (``adapters/sqlalchemy/read_ahead.py``, ADR 0006).

The property is locked in a statement of its own and the order, the property,
its water connection and its meter are read by one joined statement begun
after the lock: a closing that waited for another holder of the property sees
what that holder committed, and neither update is lost. The repositories answer
only the same reads, once, and never after the unit of work wrote the table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.model.billing import Charge, DebtKind, OpenDebt
from gsan_core.model.connections import CutInput
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.synthetic import generate
from tests.conftest import PostgresSchema, sqlite_backend
from tests.integration.budgets import budget_system
from tests.integration.holding import while_held

CUT = CutInput(cut_type_id=1, cut_reason_id=1, seal_number=123)


def _system(sql: SqlBackend) -> gsan_core.System:
    system = budget_system(sql)  # the seeded rows copied from a template
    generate(system, properties=300, seed=3)
    with system.uow_factory() as uow:
        groups = sorted({r.group_id for r in uow.routes.find_by()})
    for group in groups:
        system.collection.generate_cut_orders(group_id=group, actor=1)
    return system


def _cut_orders(system: gsan_core.System) -> list[ServiceOrder]:
    """Cut orders (type 242) of connected properties (water situation 3)."""
    found = [
        o
        for o in system.service_orders.find_by(service_type_id=242)
        if system.properties.get(o.property_id or 0).water_status_id == 3
    ]
    assert found
    return found


def _charge(ident: int, property_id: int) -> Charge:
    return Charge(
        id=ident,
        property_id=property_id,
        debit_type_id=1,
        total=Decimal(ident),
        installments=1,
        installment_value=Decimal(ident),
        generated_at=datetime(2025, 1, 6, 9, tzinfo=UTC),
        actor=1,
    )


def _close(system: gsan_core.System, order_id: int) -> None:
    system.service_orders.close_executed(
        order_id=order_id,
        reason_id=2,
        closed_on=system.clock.today(),
        actor=1,
        commercial=CUT,
    )


@pytest.mark.postgres
def test_ahead_a_closing_that_waited_sees_the_holders_commit(
    postgres: PostgresSchema,
) -> None:
    """ADR 0006 / ADR 0004: the holder of the property changes the order and
    the connection; the closing waits at the lock, then reads both as
    committed, and both updates stay."""
    sql = postgres.reset()
    system = _system(sql)
    order = _cut_orders(system)[0]
    pid = order.property_id
    assert pid is not None
    before = system.connections.water_connection(pid)

    def hold(uow: gsan_core.UnitOfWork) -> None:
        uow.properties.lock(pid)
        conn = uow.water_connections.get(pid)
        uow.water_connections.update(
            attrs.evolve(conn, seal_number="HOLDER", version=conn.version + 1)
        )
        mine = uow.service_orders.get(order.id)
        uow.service_orders.update(
            attrs.evolve(mine, observation="HOLDER", version=mine.version + 1)
        )

    waited, outcome = while_held(sql, hold, lambda: _close(system, order.id))
    assert waited, "the closing never waited for the property's lock"
    assert not isinstance(outcome[0], BaseException), outcome
    after = system.connections.water_connection(pid)
    closed = system.service_orders.get(order.id)
    assert after.seal_number == "HOLDER"  # the holder's update stayed
    assert after.cut_on == system.clock.today()  # and the closing's too
    assert after.version == before.version + 2
    assert closed.observation == "HOLDER"
    assert closed.closed_at is not None
    assert system.properties.get(pid).water_status_id != 3


def test_ahead_answers_a_read_once_and_not_after_a_write(tmp_path: Path) -> None:
    """The rows read ahead answer the same read once; a write of the table
    sends the next read to the database."""
    sql = sqlite_backend(tmp_path / "ahead.db")
    try:
        system = _system(sql)
        order = _cut_orders(system)[0]
        pid = order.property_id
        assert pid is not None
        connection = system.connections.water_connection(pid)
        with sql.uow_factory() as uow:
            uow.read_ahead("close_order", order.id)
            assert uow.service_orders.get(order.id) == order
            # answered once: the second read goes to the database
            assert uow.take_ahead("service_order", ("id", order.id)) is MISSING
            assert uow.take_ahead("water_connection", ("id", pid)) == connection
            uow.wrote("property")  # a write of the table forgets its rows
            assert uow.take_ahead("property", ("lock", (pid,))) is MISSING
            uow.rollback()  # and the end of the transaction all of them
            point = ("current", pid, 1)
            assert uow.take_ahead("hydrometer_installation", point) is MISSING
            uow.read_ahead("another command", order.id)  # nothing to read
            assert uow.take_ahead("service_order", ("id", order.id)) is MISSING
    finally:
        sql.dispose()


def test_changing_a_situation_reads_its_order_ahead_for_two_reads(
    tmp_path: Path,
) -> None:
    """UC0555 reads its order to check its type, then closing reads it: the
    order read ahead answers both, and no third; V-AS4's block (its networks)
    and the sewer connection it may remove are read with it."""
    sql = sqlite_backend(tmp_path / "ahead.db")
    try:
        system = _system(sql)
        order = _cut_orders(system)[0]
        pid = order.property_id
        assert pid is not None
        block = system.properties.block(system.properties.get(pid).block_id)
        sewer = system.connections.sewer_connection(pid)
        with sql.uow_factory() as uow:  # two bills, a payment slip, two charges
            uow.billing.record_debts(
                OpenDebt(id=9000 + n, property_id=pid, kind=kind, amount=Decimal(n))
                for n, kind in enumerate(
                    (DebtKind.BILL, DebtKind.PAYMENT_SLIP, DebtKind.BILL), start=1
                )
            )
            for n in (1, 2):
                uow.billing.add_charge(_charge(9100 + n, pid))
            uow.commit()
        with sql.uow_factory() as uow:
            debts = uow.billing.open_debts(pid)
        assert [d.kind for d in debts].count(DebtKind.CHARGE) == 2
        well = ("current", pid, 2)
        with sql.uow_factory() as uow:
            uow.read_ahead("change_situation", order.id)
            for _ in range(2):
                assert uow.take_ahead("service_order", ("id", order.id)) == order
            assert uow.take_ahead("service_order", ("id", order.id)) is MISSING
            assert uow.take_ahead("block", ("id", block.id)) == block
            assert uow.take_ahead("sewer_connection", ("id", pid)) == sewer
            # V-AS3's meter at the well (none), then V-AS5's debts: each row once
            assert uow.take_ahead("hydrometer_installation", well) is None
            assert uow.billing.open_debts(pid) == debts
            assert uow.take_ahead("open_debt", ("of", pid)) is MISSING
        with sql.uow_factory() as uow:
            uow.read_ahead("change_situation", order.id)
            uow.billing.add_charge(_charge(9200, pid))  # forgets the charges
            assert uow.take_ahead("charge", ("of", pid)) is MISSING
            assert len(uow.billing.open_debts(pid)) == len(debts) + 1
        with sql.uow_factory() as uow:
            uow.read_ahead("close_order", order.id)  # closing reads none of them
            assert uow.take_ahead("block", ("id", block.id)) is MISSING
            assert uow.take_ahead("sewer_connection", ("id", pid)) is MISSING
            assert uow.take_ahead("hydrometer_installation", well) is MISSING
            assert uow.take_ahead("open_debt", ("of", pid)) is MISSING
    finally:
        sql.dispose()
