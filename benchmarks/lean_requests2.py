"""Lean hand-written versions of more request commands (issue 20).

The commands of ``service_requests`` that had no lean version
(:mod:`benchmarks.lean_orders` and :mod:`benchmarks.lean_requests` measure the
others); each is ``BEGIN``, one joined read under the lock the command needs,
one write statement (data-modifying CTEs on PostgreSQL, the outbox counter's
upsert one of them), ``COMMIT``; the rules are asserted on the read row (a
lean version is measured on rows the library accepts) and
``tests/integration/test_lean_requests2.py`` checks that it leaves the
library's rows.

* :func:`lean_update_request` — "Manter RA" (UC0408) changing an open RA's
  observation: UPD-01..UPD-05 (the user may maintain it, not a duplicate, not
  closed, no scheduled open order, the version the caller read), the place's
  rules re-checked on every save (UPD-07: the property still there, no other
  pending RA of its specification on it, INS-09) and the observation's
  length (INS-06); the request (compare-and-set) and
  ``service_request.updated``. Run twice, the second run changes nothing and
  is refused, as the library refuses it (UPDATE_NOTHING): its ``assert``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import lean_orders, lean_sql, scale_commands
from benchmarks.lean_orders import Case, event, may_maintain
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import RequestSituation
from gsan_core.rules.service_requests.lifecycle import OBSERVATION_MAX

__all__ = [
    "COMMANDS",
    "STEPS",
    "lean_update_request",
    "measure_update_request",
    "update_read",
]

PENDING = int(RequestSituation.PENDING)
CLOSED_ORDER = int(OrderSituation.CLOSED)


def update_read(sql: SqlBackend, request_id: int, *, actor: int) -> sa.Select[Any]:
    """The change's one read: the request (locked, ADR 0004: the root of its
    orders), whether the user may maintain it, whether an open order of it is
    scheduled, whether its property is still there and whether another
    pending RA of its specification is on it."""
    t = sql.tables
    req, order, prop = t["service_request"], t["service_order"], t["property"]
    other = req.alias("other")
    scheduled = (
        sa.select(sa.literal(1))
        .where(
            order.c.request_id == req.c.id,
            order.c.situation != CLOSED_ORDER,
            order.c.scheduled.is_(True),
        )
        .exists()
    )
    duplicate = (
        sa.select(sa.literal(1))
        .where(
            other.c.property_id == req.c.property_id,
            other.c.specification_id == req.c.specification_id,
            other.c.situation == PENDING,
            other.c.id != req.c.id,
        )
        .exists()
    )
    placed = sa.select(sa.literal(1)).where(prop.c.id == req.c.property_id).exists()
    return (
        sa.select(
            req.c.version,
            req.c.situation,
            req.c.specification_id,
            req.c.duplicate_of_id,
            req.c.observation,
            may_maintain(sql, actor, req.c.current_unit_id).label("authorised"),
            scheduled.label("scheduled"),
            duplicate.label("duplicate"),
            placed.label("placed"),
        )
        .where(req.c.id == request_id)
        .with_for_update(of=req)
    )


def lean_update_request(
    sql: SqlBackend,
    request_id: int,
    *,
    observation: str,
    actor: int,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Change an open RA's observation: one read, one write."""
    req = sql.tables["service_request"]
    with sql.engine.begin() as connection:
        row = connection.execute(update_read(sql, request_id, actor=actor)).one()
        assert row.authorised  # UPD-01
        assert row.duplicate_of_id is None  # UPD-02
        assert row.situation == PENDING  # UPD-03 (a pending place: UPD-07)
        assert not row.scheduled  # UPD-04
        assert expected_version in (None, row.version)  # UPD-05
        assert row.placed  # INS-08
        assert not row.duplicate  # INS-09
        assert len(observation) <= OBSERVATION_MAX  # INS-06
        assert observation != row.observation  # something changes
        updated = event(
            "service_request.updated",
            now,
            actor,
            fields=["observation"],
            situation=PENDING,
            request_id=request_id,
            specification_id=row.specification_id,
        )
        lean_sql.write_all(
            connection,
            [
                sa.update(req)
                .where(req.c.id == request_id, req.c.version == row.version)
                .values(observation=observation, version=row.version + 1),
                *lean_sql.outbox(connection, sql, [updated]),
            ],
        )


# ---------------------------------------------------------------- measuring
def _update_library(gsan: gsan_core.System, cases: Sequence[Case], n: int) -> None:
    case = cases[n]
    gsan.service_requests.update(
        request_id=case.request_id, observation=f"BENCH {n}", actor=case.attendant
    )


def _update_lean(
    gsan: gsan_core.System, sql: SqlBackend, cases: Sequence[Case], n: int
) -> None:
    case = cases[n]
    lean_update_request(
        sql,
        case.request_id,
        observation=f"BENCH {n}",
        actor=case.attendant,
        now=gsan.clock.now(),
    )


def measure_update_request(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``service_requests.update`` of the observation beside
    :func:`lean_update_request`, each on its own half of ``2 * count`` RAs
    opened through the library (with their automatic orders) before the
    timing, on properties no earlier figure took."""
    del skip
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    cases = lean_orders.open_cases(gsan, sql, homes)
    clock: Any = gsan.clock
    clock.advance(timedelta(minutes=1))
    count = len(cases) // 2
    library_s, lean_s = scale_commands.interleaved(
        partial(_update_library, gsan, cases[:count]),
        partial(_update_lean, gsan, sql, cases[count : 2 * count]),
        count,
    )
    return scale_commands.command_figure(
        "update an RA's observation (lean SQL)", size, library_s, lean_s
    )


#: The names ``python -m benchmarks.commands --only`` takes for these.
STEPS = {"update_request": measure_update_request}
#: The same names, as the other lean modules list theirs.
COMMANDS = tuple(STEPS)
