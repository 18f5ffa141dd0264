"""Lean hand-written version of applying a field file's returns (issue 20).

What a database engineer would write for RET-03..RET-08 on a smartphone
file whose orders need no commercial operation (the anomaly inspections of
a selective command), leaving the rows the library leaves
(``tests/integration/test_lean_field.py``):

* :func:`staged` — the file's staged, not applied record-1 lines in file
  order: **one read**, no transaction held (the library reads the file, its
  items and lines once too, before the orders' own transactions);
* :func:`lean_apply_order` — one order closed from its return, in its own
  transaction (RET-08: a late return fails alone): ``BEGIN``, **one read** of
  the order under its property's lock (ADR 0004's root) with the closing
  reason's ``executed`` flag and the user's unit, **one write** (the order,
  its unit-trail row, its return lines applied and the outbox row:
  data-modifying CTEs, :func:`benchmarks.lean_sql.write_all`), ``COMMIT``;
* :func:`lean_apply_returns` — a file of N orders: :func:`staged`, each order
  by :func:`lean_apply_order`, then the file's ``field_work.return_applied``
  outbox row (one statement).

The rules are checked by ``assert`` on the read row: a lean version is
measured on rows the library would accept.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from typing import Any

import attrs
import sqlalchemy as sa

from benchmarks import lean_sql
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.rules.field_files import executed_at

__all__ = [
    "Staged",
    "lean_apply_order",
    "lean_apply_returns",
    "staged",
]

PENDING = int(OrderSituation.PENDING)
IN_EXECUTION = int(OrderSituation.IN_EXECUTION)
CLOSED = int(OrderSituation.CLOSED)
#: Ids of the rows the lean version adds (far above the library's own).
IDS: Iterator[int] = itertools.count(9_000_000_000 + 40_000_000)


@attrs.frozen
class Staged:
    """One order's staged record-1 line (the fields the close needs)."""

    order_id: int
    fields: tuple[str, ...]


def staged(sql: SqlBackend, file_id: int) -> list[Staged]:
    """The file's orders with a staged, not applied record-1 line, in file
    order (one statement)."""
    line, item = sql.tables["field_return_line"], sql.tables["field_file_item"]
    statement = (
        sa.select(line.c.order_id, line.c.fields)
        .join(
            item,
            sa.and_(
                item.c.file_id == line.c.file_id, item.c.order_id == line.c.order_id
            ),
        )
        .where(
            line.c.file_id == file_id,
            line.c.applied.is_(False),
            line.c.record == 1,
        )
        .order_by(item.c.sequence)
    )
    with sql.engine.connect() as connection:
        rows = connection.execute(statement).all()
    return [Staged(int(r.order_id), tuple(r.fields)) for r in rows]


def _event(tag: str, now: datetime, actor: int, **fields: Any) -> dict[str, Any]:
    """An outbox row as the library writes it."""
    payload = {"type": tag, "actor": actor, "occurred_at": now.isoformat(), **fields}
    return {
        "tag": tag,
        "occurred_at": now,
        "actor": actor,
        "payload": payload,
        "published_at": None,
    }


def _read(sql: SqlBackend, order_id: int, reason_id: int, actor: int) -> Any:
    """The order under its property's lock, the reason's flags and the
    user's unit (one statement)."""
    t = sql.tables
    order, prop, catalog, user = (
        t["service_order"],
        t["property"],
        t["catalog_item"],
        t["user"],
    )
    scheduled = t["scheduled_order"]
    programmed = (
        sa.select(sa.literal(1))
        .where(scheduled.c.order_id == order.c.id, scheduled.c.active.is_(True))
        .exists()
    )
    home = sa.select(user.c.unit_id).where(user.c.id == actor).scalar_subquery()
    return (
        sa.select(
            order.c.version,
            order.c.situation,
            order.c.request_id,
            order.c.property_id,
            catalog.c.active.label("reason_active"),
            catalog.c.attributes["executed"].as_boolean().label("executed"),
            programmed.label("programmed"),
            home.label("home"),
        )
        .select_from(
            order.join(prop, prop.c.id == order.c.property_id).join(
                catalog,
                sa.and_(catalog.c.kind == "closing_reason", catalog.c.id == reason_id),
            )
        )
        .where(order.c.id == order_id)
        .with_for_update(of=prop)
    )


def lean_apply_order(
    sql: SqlBackend,
    file_id: int,
    line: Staged,
    *,
    actor: int,
    now: datetime,
    zone: tzinfo,
) -> None:
    """Close one order from its staged return (see the module's text)."""
    t = sql.tables
    order, returned = t["service_order"], t["field_return_line"]
    fields = line.fields
    reason_id = int(fields[2])
    executed = executed_at(fields, zone)
    with sql.engine.begin() as connection:
        row = connection.execute(_read(sql, line.order_id, reason_id, actor)).one()
        assert row.situation in (PENDING, IN_EXECUTION)
        assert row.reason_active
        assert not row.programmed
        closed = _event(
            "service_order.closed",
            now,
            actor,
            executed=bool(row.executed),
            order_id=line.order_id,
            closed_at=executed.isoformat(),
            request_id=row.request_id,
            closing_reason_id=reason_id,
        )
        lean_sql.write_all(
            connection,
            [
                sa.update(order)
                .where(order.c.id == line.order_id, order.c.version == row.version)
                .values(
                    situation=CLOSED,
                    closed_at=executed,
                    closing_reason_id=reason_id,
                    closing_remark=fields[4] or None,
                    version=row.version + 1,
                ),
                lean_sql.trail_insert(
                    sql,
                    id=next(IDS),
                    order_id=line.order_id,
                    unit_id=row.home,
                    user_id=actor,
                    relation=int(OrderUnitRelation.CLOSED),
                    at=now,
                ),
                sa.update(returned)
                .where(
                    returned.c.file_id == file_id,
                    returned.c.order_id == line.order_id,
                    returned.c.applied.is_(False),
                )
                .values(applied=True, version=returned.c.version + 1),
                *lean_sql.outbox(connection, sql, [closed]),
            ],
        )


def lean_apply_returns(
    sql: SqlBackend,
    file_id: int,
    *,
    actor: int,
    now: datetime,
    zone: tzinfo,
) -> Sequence[int]:
    """A file's returns applied (see the module's text); the closed orders."""
    lines = staged(sql, file_id)
    for line in lines:
        lean_apply_order(sql, file_id, line, actor=actor, now=now, zone=zone)
    closed = [line.order_id for line in lines]
    applied = _event(
        "field_work.return_applied",
        now,
        actor,
        file_id=file_id,
        closed_order_ids=closed,
        failed_order_ids=[],
    )
    with sql.engine.begin() as connection:
        lean_sql.write_all(connection, lean_sql.outbox(connection, sql, [applied]))
    return closed
