"""Lean hand-written "forward RAs together" (UC0503, all or none; issue 20).

:func:`lean_forward_many`: ``BEGIN``, one read of the requests (locked in id
order) with what each forwarding checks
(:func:`benchmarks.lean_orders.forward_read`, asserted by
:func:`benchmarks.lean_orders.check_forward`), one write of their routing
steps, the requests, their orders and the outbox rows
(``service_request.forwarded`` and the urgent alert each); ``COMMIT``.
:func:`measure_forward_many` measures it beside
``service_requests.forward_many``; ``tests/integration/test_lean_forward_many.py``
checks that it leaves the library's rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import (
    id_ranges,
    lean_orders,
    lean_scheduling,
    lean_sql,
    scale_commands,
)
from gsan_core.adapters.sqlalchemy import SqlBackend

__all__ = ["TOGETHER", "lean_forward_many", "measure_forward_many"]


def lean_forward_many(
    sql: SqlBackend,
    request_ids: Sequence[int],
    *,
    destination: int,
    actor: int,
    ids: Iterator[int],
    now: datetime,
) -> None:
    """Forward pending RAs together to ``destination`` (UC0503, all or
    none), lean: ``BEGIN``, one read of the requests (locked in id order),
    each with its last step, the units and whether an order blocks it; one
    write of their steps, the requests, their orders and the outbox rows;
    ``COMMIT``. Both statements are built once, their values bound (the
    requests as arrays)."""
    wanted = list(request_ids)
    read = lean_sql.built(
        sql,
        "forward many read",
        lambda: lean_orders.forward_read(
            sql,
            sa.bindparam("k_ids", type_=_IDS),
            destination=sa.bindparam("k_destination", type_=sa.BigInteger),
            actor=sa.bindparam("k_actor", type_=sa.BigInteger),
        ),
    )
    write = lean_sql.built(sql, "forward many write", lambda: _forward_write(sql))
    with sql.engine.begin() as connection:
        rows = {
            r.id: r
            for r in connection.execute(
                read, {"k_ids": wanted, "k_destination": destination, "k_actor": actor}
            )
        }
        assert len(rows) == len(wanted)
        steps, events = [], []
        for request_id in wanted:
            row = rows[request_id]
            lean_orders.check_forward(row, destination=destination, now=now)
            steps.append(next(ids))
            events += _forwarded(
                row, step_id=steps[-1], destination=destination, actor=actor, now=now
            )
        moved = connection.execute(
            write,
            {
                "steps": steps,
                "ids": wanted,
                "froms": [rows[r].current_unit_id for r in wanted],
                "dest": destination,
                "actor": actor,
                "at": now,
                "n": len(events),
                "tags": [e["tag"] for e in events],
                "payloads": [json.dumps(e["payload"]) for e in events],
            },
        ).scalar_one()
        assert moved == len(wanted)


_FORWARD_WRITE = (
    """WITH w_s AS (INSERT INTO {routing_step} (id, request_id, from_unit_id,
  to_unit_id, at, registered_by, responsible_id, remark, automatic, version)
  SELECT r.id, r.request_id, r.from_unit, :dest, :at, :actor, :actor, NULL,
    false, 1
  FROM unnest(CAST(:steps AS bigint[]), CAST(:ids AS bigint[]),
    CAST(:froms AS bigint[])) AS r(id, request_id, from_unit) RETURNING 1),
w_q AS (UPDATE {service_request} q SET current_unit_id = :dest,
    version = q.version + 1
  WHERE q.id = ANY(CAST(:ids AS bigint[])) RETURNING 1),
w_o AS (UPDATE {service_order} o SET current_unit_id = :dest,
    version = o.version + 1
  WHERE o.request_id = ANY(CAST(:ids AS bigint[]))
    AND o.current_unit_id IS DISTINCT FROM :dest RETURNING 1),
"""
    + lean_scheduling.OUTBOX_TEXT
    + """
SELECT count(*) FROM w_q"""
)


def _forward_write(sql: SqlBackend) -> Any:
    """The joint forwarding's one write: the steps, the requests (locked by
    the read: moved whatever their versions), their orders (they hang from
    the locked requests, ADR 0004) and the outbox rows."""
    names = {
        k: sql.tables[k].fullname
        for k in ("routing_step", "service_request", "service_order")
    } | {k: sql.tables[k].fullname for k in ("counter", "outbox")}
    return sa.text(_FORWARD_WRITE.format(**names))


_IDS = postgresql.ARRAY(sa.BigInteger)


def _forwarded(
    row: Any, *, step_id: int, destination: int, actor: int, now: datetime
) -> list[dict[str, Any]]:
    """The outbox rows of one request forwarded (and its urgent alert)."""
    found = [
        lean_orders.event(
            "service_request.forwarded",
            now,
            actor,
            step_id=step_id,
            automatic=False,
            request_id=row.id,
            to_unit_id=destination,
            from_unit_id=row.current_unit_id,
            to_contractor=row.dest_code == "T" and row.origin_code == "C",
        )
    ]
    if row.urgent:
        found.append(
            lean_orders.event(
                "service_request.urgent_alert",
                now,
                actor,
                unit_id=destination,
                request_id=row.id,
            )
        )
    return found


#: RAs forwarded together in a call of :func:`measure_forward_many`.
TOGETHER = 4


def measure_forward_many(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` joint forwardings (UC0503) of :data:`TOGETHER` RAs by each
    side: RAs with their automatic orders opened for the repeat on
    properties of one locality each group (from its CENTRAL), forwarded to
    the locality's office by its attendant."""
    del skip  # each repeat takes ids of its own (benchmarks.id_ranges)
    opened = scale_commands.OPENED
    homes = [
        h
        for h in scale_commands.connected(sql, metered=False, limit=size)
        if h not in opened
    ]
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        localities = dict(
            connection.execute(
                sa.select(prop.c.id, prop.c.locality_id).where(prop.c.id.in_(homes))
            ).all()
        )
    by_locality: dict[int, list[int]] = {}
    for home in homes:
        by_locality.setdefault(localities[home], []).append(home)
    groups = [
        chunk[k : k + TOGETHER]
        for chunk in by_locality.values()
        for k in range(0, len(chunk) - TOGETHER + 1, TOGETHER)
    ]
    # groups from the end (the other commands take their properties from the
    # start), none on a property another figure or repeat opened an RA on
    # (INS-09): taken in the registry of scale_commands.fresh
    chosen = groups[len(groups) - 2 * count :]
    assert len(chosen) == 2 * count, len(chosen)
    opened.update(home for group in chosen for home in group)
    cases = [lean_orders.open_cases(gsan, sql, group) for group in chosen]
    clock: Any = gsan.clock
    clock.advance(timedelta(minutes=5))  # TRM-14: after the openings' steps
    ids = id_ranges.take("forward_requests")

    def library(n: int) -> None:
        group = cases[2 * n]
        gsan.service_requests.forward_many(
            request_ids=[c.request_id for c in group],
            destination_unit_id=group[0].office,
            actor=group[0].attendant,
        )

    def baseline(n: int) -> None:
        group = cases[2 * n + 1]
        lean_forward_many(
            sql,
            [c.request_id for c in group],
            destination=group[0].office,
            actor=group[0].attendant,
            ids=ids,
            now=clock.now(),
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        f"forward {TOGETHER} RAs together (lean SQL)", size, library_s, baseline_s
    )
