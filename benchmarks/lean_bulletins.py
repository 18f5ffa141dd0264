"""Concluded orders' inspections put into a bulletin beside their lean
hand-written SQL (issue 20, lean8).

``inspections.include_in_bulletin`` (FIS-18's bulletin: the inspections of
concluded selective orders recorded as in the bulletin of a month) sends, on
PostgreSQL, ``BEGIN``, the records locked and read (``FOR UPDATE``, in id
order), one compare-and-set update a record (one ``executemany``) and
``COMMIT``; it records no event. Its lean version
(:func:`lean_include_in_bulletin`): ``BEGIN``, **one statement** — the
records locked in id order in a CTE (the library's order, so that two
bulletins over the same orders queue instead of deadlocking), updated from
it and returned — ``COMMIT``: 3 statements. Ids without a record are passed
over, as the library passes them over.

Run twice on the same orders, it does what the library does twice: the
records are written again, one version more (the bulletin's month and
closing date set again). :func:`measure_include_in_bulletin` times it beside
the library (``python -m benchmarks.commands --only include_in_bulletin``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_inform_notice, lean_sql, scale, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.bulletins import ConcludedOrderInspection, InspectionCode
from gsan_core.model.service_orders import OrderSituation, ServiceOrder

__all__ = [
    "COMMANDS",
    "PER_CALL",
    "concluded_orders",
    "lean_include_in_bulletin",
    "measure_include_in_bulletin",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("include_in_bulletin",)
#: The orders of one bulletin call in the benchmark.
PER_CALL = 20
ACTOR = lean_inform_notice.ACTOR


def _include(sql: SqlBackend) -> Any:
    """The records of ``:k_ids`` locked in id order, then given the bulletin
    ``:u_month``/``:u_closed_on``, the actor ``:u_actor`` and one version
    more: every column returned."""
    t = sql.tables["concluded_order_inspection"]
    ids: Any = sa.bindparam("k_ids", expanding=True, type_=t.c.id.type)
    locked = (
        sa.select(t.c.id)
        .where(t.c.id.in_(ids))
        .order_by(t.c.id)
        .with_for_update()
        .cte("locked")
    )
    return (
        sa.update(t)
        .where(t.c.id == locked.c.id)
        .values(
            bulletin_month=sa.bindparam("u_month", type_=t.c.bulletin_month.type),
            bulletin_closed_on=sa.bindparam(
                "u_closed_on", type_=t.c.bulletin_closed_on.type
            ),
            actor=sa.bindparam("u_actor", type_=t.c.actor.type),
            version=t.c.version + 1,
        )
        .returning(*t.c)
    )


def lean_include_in_bulletin(
    sql: SqlBackend,
    *,
    order_ids: Sequence[int],
    month: int,
    closed_on: date,
    actor: int,
) -> tuple[ConcludedOrderInspection, ...]:
    """The inspections of ``order_ids`` recorded as in the bulletin of
    ``month`` closed on ``closed_on``, lean: ``BEGIN``, one statement (the
    records locked in id order, updated, returned), ``COMMIT``. The changed
    records, in id order (the library's)."""
    write = lean_sql.built(sql, "include in bulletin", lambda: _include(sql))
    mapper = sql.mappers.concluded_order_inspection
    with sql.engine.begin() as connection:
        rows = (
            connection.execute(
                write,
                {
                    "k_ids": sorted(set(order_ids)),
                    "u_month": month,
                    "u_closed_on": closed_on,
                    "u_actor": actor,
                },
            )
            .mappings()
            .all()
        )
    return tuple(sorted(mapper.from_rows(rows), key=lambda r: r.id))


# ---------------------------------------------------------------- measure
def concluded_orders(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    type_id: int,
    ids: Iterator[int],
    inspected: bool,
) -> list[int]:
    """A selective order of ``type_id`` closed two days ago on each of
    ``homes`` (no request, no collection document) and, when ``inspected``,
    its inspection record (reproved yesterday): the orders' ids."""
    now = gsan.clock.now()
    orders = [
        ServiceOrder(
            id=next(ids),
            service_type_id=type_id,
            situation=OrderSituation.CLOSED,
            property_id=home,
            generated_at=now - timedelta(days=4),
            closed_at=now - timedelta(days=2),
        )
        for home in homes
    ]
    records = [
        ConcludedOrderInspection(
            id=o.id,
            order_id=o.id,
            code=InspectionCode.REPROVED,
            inspected_on_1=gsan.today() - timedelta(days=1),
            actor=ACTOR,
        )
        for o in orders
    ]
    with gsan.uow_factory() as uow:
        uow.service_orders.add_many(orders)
        if inspected:
            uow.concluded_inspections.add_many(records)
        uow.commit()
    return [o.id for o in orders]


def measure_include_in_bulletin(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``include_in_bulletin``'s figure: ``count`` calls a side, each putting
    :data:`PER_CALL` inspected concluded orders into a bulletin, the orders
    and their records made in each round's untimed set-up (no call sees
    another's)."""
    type_id, _situation = lean_inform_notice.inspection_setup(gsan)
    order_ids = id_ranges.take("include_in_bulletin")
    homes = scale_commands.fresh(sql, metered=False, limit=PER_CALL)
    assert len(homes) == PER_CALL, len(homes)
    scale.analyze(sql)
    day = gsan.today() - timedelta(days=1)

    def prepare(_side: int, calls: range) -> list[list[int]]:
        return [
            concluded_orders(
                gsan, homes, type_id=type_id, ids=order_ids, inspected=True
            )
            for _call in calls
        ]

    def library(chosen: list[int]) -> None:
        done = gsan.inspections.include_in_bulletin(
            order_ids=chosen, month=202612, closed_on=day, actor=ACTOR
        )
        assert len(done) == len(chosen)

    def lean(chosen: list[int]) -> None:
        done = lean_include_in_bulletin(
            sql, order_ids=chosen, month=202612, closed_on=day, actor=ACTOR
        )
        assert len(done) == len(chosen)

    library_s, lean_s = scale_commands.prepared(library, lean, prepare, count)
    name = f"include {PER_CALL} inspections in a bulletin (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]
