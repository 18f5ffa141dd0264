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

import io
import itertools
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_sql, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_files import FileKind
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.rules.field_files import executed_at

__all__ = [
    "COMMANDS",
    "Staged",
    "fresh_localities",
    "lean_apply_order",
    "lean_apply_returns",
    "measure",
    "returned_files",
    "staged",
]

PENDING = int(OrderSituation.PENDING)
IN_EXECUTION = int(OrderSituation.IN_EXECUTION)
CLOSED = int(OrderSituation.CLOSED)
#: Ids of the rows the lean version adds (ranges of benchmarks.id_ranges).
IDS: Iterator[int] = id_ranges.stream("apply_return(s_file)")


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


# ---------------------------------------------------------------- measuring
#: The commands :func:`measure` times.
COMMANDS = ("apply_return", "apply_returns_file")
_NAMES = {
    "apply_return": "apply a file's return, 1 order (lean SQL)",
    "apply_returns_file": "apply a file's returns, 50 orders (lean SQL)",
}
#: Orders of a file of ``apply_returns_file``.
FILE_ORDERS = 50
INSPECTION = 350  # INSPECAO DE ANORMALIDADE: no commercial operation
EXECUTED = 2  # CONCLUSAO DO SERVICO
_AGENTS = itertools.count(500_000)
_LOCALITIES: set[int] = set()


def fresh_localities(sql: SqlBackend, wanted: int) -> list[int]:
    """Consecutive localities no earlier call used (of this module or of
    :mod:`benchmarks.lean_field_batches`), holding at least twice ``wanted``
    properties: none of them has an open inspection order of these
    benchmarks."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        rows = connection.execute(
            sa.select(prop.c.locality_id, sa.func.count())
            .group_by(prop.c.locality_id)
            .order_by(prop.c.locality_id)
        ).all()
    # consecutive localities no earlier call used, holding the orders
    chosen: list[int] = []
    held = 0
    for loc, n in rows:
        if loc in _LOCALITIES:
            chosen, held = [], 0
            continue
        chosen.append(loc)
        held += n
        if held >= 2 * wanted:
            break
    assert held >= 2 * wanted, "too few properties left for the files"
    _LOCALITIES.update(chosen)
    return chosen


def returned_files(
    gsan: gsan_core.System, sql: SqlBackend, sizes: Sequence[int]
) -> list[int]:
    """Files of ``sizes`` inspection orders each, in the field, their
    returns (executed) staged: the orders of a selective command emitted on
    localities no earlier call used (their properties have no open
    inspection order)."""
    wanted = sum(sizes)
    chosen = fresh_localities(sql, wanted)
    fw = gsan.field_work
    command = fw.create_selective_command(
        description="INSPECAO BENCH",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=chosen[0], locality_last=chosen[-1]),
        actor=1,
        max_orders=wanted,
    )
    fw.emit_selective_orders(command_id=command.id, actor=1)
    with gsan.uow_factory() as uow:
        orders = sorted(
            link.order_id
            for link in uow.selective_orders.find_by(command_id=command.id)
        )
    assert len(orders) == wanted, (len(orders), wanted)
    when = gsan.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    files, start = [], 0
    for size in sizes:
        mine = orders[start : start + size]
        start += size
        file_id = fw.generate_field_file(
            kind=FileKind.COLLECTION, order_ids=mine, actor=1
        ).id
        fw.release_field_file(file_id=file_id, agent_id=next(_AGENTS), actor=1)
        fw.download_field_file(file_id=file_id, out=io.BytesIO(), actor=1)
        lines = [f"0|{file_id}|4|"] + [
            f"1|{o}|1|{EXECUTED}|{when}|SERVICO OK|{INSPECTION}|" for o in mine
        ]
        source = ("\n".join(lines) + "\n").encode("iso-8859-1")
        assert fw.process_field_return(file_id=file_id, source=source, actor=1).ok
        files.append(file_id)
    return files


def measure(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
    chosen: Sequence[str],
) -> list[dict[str, Any]]:
    """The figures of the ``chosen`` commands: ``count`` files of one order
    (``apply_return``) and ``count // 10`` files of :data:`FILE_ORDERS`
    (``apply_returns_file``, at least 20) returned, half applied through the
    library and half by hand, in alternating rounds."""
    zone = ZoneInfo(gsan.profile.timezone)
    figures = []
    for name in COMMANDS:
        if name not in chosen:
            continue
        files = count if name == "apply_return" else max(20, count // 10)
        each = 1 if name == "apply_return" else FILE_ORDERS
        made = returned_files(gsan, sql, [each] * (2 * files))
        mine, theirs = made[:files], made[files:]
        library_s, lean_s = scale_commands.interleaved(
            partial(_library, gsan, mine),
            partial(_lean, sql, gsan, zone, theirs),
            files,
        )
        figures.append(
            scale_commands.command_figure(_NAMES[name], size, library_s, lean_s)
        )
    return figures


def _library(gsan: gsan_core.System, files: Sequence[int], n: int) -> None:
    applied = gsan.field_work.apply_field_returns(file_id=files[n], actor=1)
    assert not applied.failed, applied.failed


def _lean(
    sql: SqlBackend,
    gsan: gsan_core.System,
    zone: tzinfo,
    files: Sequence[int],
    n: int,
) -> None:
    lean_apply_returns(sql, files[n], actor=1, now=gsan.clock.now(), zone=zone)
