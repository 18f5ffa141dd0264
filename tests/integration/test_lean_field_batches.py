"""The lean versions of the heaviest field batches
(``benchmarks.lean_field_batches``, issue 20) leave the rows the library
leaves: on twin fixtures, one run through the library and one by hand, the
rows each wrote are compared without the ids that differ (PostgreSQL: the
lean versions are data-modifying CTEs)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_field_batches

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_work import CommandSituation
from gsan_core.model.repaving import RepavingWork
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.model.units import OrganizationalUnit
from gsan_core.synthetic import generate
from tests.integration import lean_rows

INSPECTION = 350
NOT_EXECUTED = 4
#: Columns and payload keys that name a row, its order, command or work.
OWN = {
    "id",
    "order_id",
    "command_id",
    "closed_order_ids",
    "work_ids",
    "property_id",
    "description",
}
POSTGRES = pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)


def _sql(system: gsan_core.System) -> SqlBackend:
    sql = system.backend
    assert isinstance(sql, SqlBackend)
    return sql


def _orders(system: gsan_core.System, command_id: int) -> list[int]:
    with system.uow_factory() as uow:
        return sorted(
            link.order_id
            for link in uow.selective_orders.find_by(command_id=command_id)
        )


def _closed_rows(sql: SqlBackend, command_id: int, orders: list[int]) -> dict[str, Any]:
    trails = lean_rows.trails(sql, orders, without=OWN)
    return {
        "orders": lean_rows.rows(sql, "service_order", "id", orders, without=OWN),
        "trail": trails,
        "command": lean_rows.rows(
            sql, "selective_command", "id", [command_id], without=OWN
        ),
    }


@POSTGRES
def test_lean_close_selective_writes_the_librarys_rows(
    system: gsan_core.System,
) -> None:
    """SEL-02: the pending orders closed without execution, their trail, the
    command closed, the outbox row; SEL-03's closed command is not closed
    again (the lean version asserts it, the library refuses it)."""
    generate(system, properties=300, seed=9)
    sql = _sql(system)
    with system.uow_factory() as uow:
        first = min(p.locality_id for p in uow.properties.find_by())
    mine = lean_rows.selective_command(system, first, "INSPECAO A")
    theirs = lean_rows.selective_command(system, first, "INSPECAO B")
    mine_orders, their_orders = _orders(system, mine), _orders(system, theirs)
    assert len(mine_orders) == len(their_orders) == 3
    assert not set(mine_orders) & set(their_orders)
    before = _closed_rows(sql, mine, mine_orders)
    assert before == _closed_rows(sql, theirs, their_orders)

    done = system.field_work.close_selective_command(
        command_id=mine, reason_id=NOT_EXECUTED, actor=1
    )
    assert done.situation is CommandSituation.CLOSED
    library_outbox = lean_rows.outbox(sql, 1, without=OWN)
    closed = lean_field_batches.lean_close_selective(
        sql, theirs, reason_id=NOT_EXECUTED, actor=1, now=system.clock.now()
    )
    assert closed == their_orders
    lean_outbox = lean_rows.outbox(sql, 1, without=OWN)

    after_library = _closed_rows(sql, mine, mine_orders)
    after_lean = _closed_rows(sql, theirs, their_orders)
    assert after_library == after_lean
    assert after_lean != before
    assert all(
        o["situation"] == int(OrderSituation.CLOSED) for o in after_lean["orders"]
    )
    assert after_lean["command"][0]["situation"] == int(CommandSituation.CLOSED)
    assert library_outbox == lean_outbox
    assert [r["tag"] for r in lean_outbox] == ["field_work.selective_command_closed"]
    with pytest.raises(AssertionError):
        lean_field_batches.lean_close_selective(
            sql, theirs, reason_id=NOT_EXECUTED, actor=1, now=system.clock.now()
        )


def _works(system: gsan_core.System, first: int) -> list[int]:
    """Four works from id ``first``: convergent, convergent with a remark,
    not convergent (8 % less), not returned."""
    on = system.clock.now().date()
    areas = ["10.00", "10.00", "9.20", "10.00"]
    with system.uow_factory() as uow:
        uow.repaving_works.add_many(
            RepavingWork(
                id=first + n,
                order_id=first + n,
                property_id=None,
                unit_id=1,
                closed_on=on - timedelta(days=3),
                street_pavement_id=1,
                street_area=Decimal("10.00"),
                returned_street_pavement_id=1,
                returned_street_area=Decimal(area),
                returned_on=None if n == 3 else on,
                acceptance_remark="CONFERIDO" if n == 1 else None,
                opened_at=system.clock.now(),
                actor=1,
            )
            for n, area in enumerate(areas)
        )
        uow.commit()
    return [first + n for n in range(len(areas))]


@POSTGRES
def test_lean_accept_repaving_writes_the_librarys_rows(
    system: gsan_core.System,
) -> None:
    """PAV-03: the returned works that converge accepted on their return
    date with the automatic remark (after an existing one), the others left;
    one outbox row. Each side accepts the works pending when it runs."""
    sql = _sql(system)
    percentage = system.profile.service_orders.repaving_convergence_percentage
    mine = _works(system, 1_000)
    before = lean_rows.rows(sql, "repaving_work", "id", mine, without=OWN)
    summary = system.repaving.accept_automatically(actor=1)
    assert summary.changed == 2
    library_outbox = lean_rows.outbox(sql, 1, without=OWN)

    theirs = _works(system, 2_000)
    assert lean_rows.rows(sql, "repaving_work", "id", theirs, without=OWN) == before
    accepted = lean_field_batches.lean_accept_repaving(
        sql, percentage=percentage, actor=1, now=system.clock.now()
    )
    assert accepted == theirs[:2]
    lean_outbox = lean_rows.outbox(sql, 1, without=OWN)

    after_library = lean_rows.rows(sql, "repaving_work", "id", mine, without=OWN)
    after_lean = lean_rows.rows(sql, "repaving_work", "id", theirs, without=OWN)
    assert after_library == after_lean
    assert [w["acceptance"] for w in after_lean] == [1, 1, None, None]
    assert after_lean[1]["acceptance_remark"] == "CONFERIDO ACEITE AUTOMATICO"
    assert library_outbox == lean_outbox
    # nothing left to accept: no write, no outbox row
    assert (
        lean_field_batches.lean_accept_repaving(
            sql, percentage=percentage, actor=1, now=system.clock.now()
        )
        == []
    )
    assert lean_rows.outbox(sql, 1, without=OWN) == lean_outbox


def _closed_orders(system: gsan_core.System, reasons: list[int]) -> list[int]:
    """Orders closed yesterday by a contractor's unit (company 3), one per
    reason, and the inspection type."""
    system.units.register(
        OrganizationalUnit(id=60, name="EMPREITEIRA", unit_type_id=16, company_id=3),
        actor=0,
    )
    system.service_orders.add_type(
        ServiceType(id=705, description="FISCALIZACAO DE OS", abbreviation="FISC OS"),
        actor=0,
    )
    now = system.clock.now()
    with system.uow_factory() as uow:
        props = sorted(p.id for p in uow.properties.find_by())[: len(reasons)]
        uow.service_orders.add_many(
            ServiceOrder(
                id=9_000 + n,
                service_type_id=304,
                situation=OrderSituation.CLOSED,
                property_id=props[n],
                generated_at=now - timedelta(days=3),
                closed_at=now - timedelta(days=1),
                closing_reason_id=reason,
                current_unit_id=60,
            )
            for n, reason in enumerate(reasons)
        )
        uow.commit()
    return [9_000 + n for n in range(len(reasons))]


def _inspections(sql: SqlBackend, referenced: list[int]) -> dict[str, Any]:
    """The inspection orders of ``referenced`` and their trail (no ids)."""
    order, trail = sql.tables["service_order"], sql.tables["order_unit"]
    with sql.engine.connect() as connection:
        made = connection.execute(
            sa.select(order)
            .where(order.c.reference_order_id.in_(referenced))
            .order_by(order.c.reference_order_id)
        ).mappings()
        orders = [dict(r) for r in made]
        ids = [r["id"] for r in orders]
        trails = [
            {k: v for k, v in r.items() if k not in OWN}
            for r in connection.execute(
                sa.select(trail).where(trail.c.order_id.in_(ids)).order_by(trail.c.id)
            ).mappings()
        ]
    return {
        "ids": ids,
        "orders": [{k: v for k, v in r.items() if k != "id"} for r in orders],
        "trail": trails,
    }


@POSTGRES
def test_lean_inspection_orders_write_the_librarys_rows(
    system: gsan_core.System,
) -> None:
    """UC1176 on the same closed orders, through the library and (its rows
    removed) by hand: the same inspection orders of the same inspected
    ones (the concluded sampled by the seeded rank), their trail and the
    outbox row; a re-run by hand skips the orders under inspection and
    samples the concluded left (50 % of 3: 1)."""
    generate(system, properties=300, seed=9)
    sql = _sql(system)
    reasons = [4, 2, 2, 2, 32, 3, 2, 2, 4, 2]
    closed = _closed_orders(system, reasons)
    summary = system.inspections.generate_for_closed(
        company_id=3, days=5, sample_percentage=50, actor=1, seed=7
    )
    assert (summary.processed, summary.changed) == (10, 6)
    library = _inspections(sql, closed)
    library_outbox = lean_rows.outbox(sql, 1, without={"order_ids"})
    order, trail = sql.tables["service_order"], sql.tables["order_unit"]
    with sql.engine.begin() as connection:
        connection.execute(sa.delete(trail).where(trail.c.order_id.in_(library["ids"])))
        connection.execute(sa.delete(order).where(order.c.id.in_(library["ids"])))
    assert _inspections(sql, closed)["orders"] == []

    scope = lean_field_batches.inspection_scope(
        system, company_id=3, days=5, percentage=50, seed=7
    )
    made = lean_field_batches.lean_inspection_orders(
        sql, scope, actor=1, now=system.clock.now()
    )
    lean = _inspections(sql, closed)
    assert made == lean["ids"]
    assert lean["orders"] == library["orders"]
    assert lean["trail"] == library["trail"]
    assert lean_rows.outbox(sql, 1, without={"order_ids"}) == library_outbox
    # 4, 3 and 4: the non-concluded but the overdue one; 3 of the 6 concluded
    referenced = [o["reference_order_id"] for o in lean["orders"]]
    assert {9_000, 9_005, 9_008} <= set(referenced)
    assert 9_004 not in referenced
    again = lean_field_batches.lean_inspection_orders(
        sql, scope, actor=1, now=system.clock.now()
    )
    assert len(again) == 1
    assert set(_inspections(sql, closed)["ids"]) == {*made, *again}
