"""Lean hand-written versions of the heaviest field batches (issue 20).

What a database engineer would write on PostgreSQL for the batches of field
work that send the most statements, leaving the rows the library leaves (ids
aside; ``tests/integration/test_lean_field_batches.py``):

* :func:`lean_close_selective` — SEL-02/SEL-03, a selective command closed
  with its pending orders: ``BEGIN``, **one read** (the command locked, the
  closing reason's flags, the user's unit), **one write** (data-modifying
  CTEs: the pending orders closed, their unit-trail rows, their active
  programmings cancelled, the command closed, the outbox counter and the
  ``field_work.selective_command_closed`` row, its order ids aggregated in
  SQL), ``COMMIT``;
* :func:`lean_inspection_orders` — UC1176, inspection orders of the orders a
  contractor's units closed: ``BEGIN``, the company's run held (the library's
  advisory lock, tried in a statement of its own: :func:`hold`; without it two
  runs at once inspect the same closed orders twice), **one write** (the candidates, the
  concluded ones sampled by the seeded rank of
  :func:`gsan_core.rules.inspections.sample_rank` in SQL, the ids reserved in
  ``id_block``, the orders and their "opened" trail rows, the counter and the
  ``inspection.orders_generated`` row when any order is made), ``COMMIT``;
* :func:`lean_accept_repaving` — PAV-03, the automatic acceptance of every
  returned, not accepted work that converges: ``BEGIN``, **one write** (the
  works accepted, the counter and the ``repaving.accepted`` row when any
  was), ``COMMIT``.

Each runs its whole set in one statement: the library's chunking (pages of
1,000 orders, 5,000 candidates or works) matters for runs larger than one page, which the
commands measured here are not. The rules are checked by ``assert`` on the
read row: a lean version is measured on rows the library would accept.

Two runs at once leave what the library leaves
(``tests/integration/test_lean_twice.py``): a second close of a command
waits for the command's row lock and finds it closed; a second acceptance's
``UPDATE ... WHERE acceptance IS NULL`` waits for the works' row locks and
re-checks its condition on the accepted rows; a second UC1176 run of the
company is refused by the hold.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_field, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.leases import advisory_key
from gsan_core.model.field_work import CommandSituation, SelectiveCriteria
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.model.scheduling import ScheduleOutcome
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules.inspections import (
    SAMPLE_MIXER,
    SAMPLE_MODULUS,
    SAMPLE_MULTIPLIER,
)
from gsan_core.rules.repaving import AUTOMATIC_ACCEPTANCE

__all__ = [
    "COMMANDS",
    "add_works",
    "lean_accept_repaving",
    "lean_close_selective",
    "measure",
    "returned_works",
    "selective_commands",
]

BLOCK = 100_000
#: The first id of the unit-trail rows of each lean call (a range of
#: :data:`BLOCK` ids a call, of benchmarks.id_ranges).
_BLOCKS: Iterator[int] = id_ranges.blocks("close_selective", BLOCK)
T = TypeVar("T")


def _names(connection: sa.Connection, sql: SqlBackend, *tables: str) -> list[str]:
    """The quoted names of ``tables`` (with their schema)."""
    quote = connection.dialect.identifier_preparer.format_table
    return [quote(sql.tables[t]) for t in tables]


def _payload(tag: str, now: datetime, actor: int, **fields: Any) -> str:
    """An outbox payload as the library writes it (JSON text)."""
    return json.dumps(
        {"type": tag, "occurred_at": now.isoformat(), "actor": actor, **fields}
    )


#: The outbox counter moved by one (``{counter}``), as a CTE named ``bump``.
_BUMP = (
    "bump AS (INSERT INTO {counter} AS k (name, value) VALUES ('outbox', 1) "
    "ON CONFLICT (name) DO UPDATE SET value = k.value + 1 RETURNING k.value)"
)


# ------------------------------------------------------ closing a command
def _close_read(sql: SqlBackend) -> sa.Select[Any]:
    """The command locked, the reason's flags and the user's unit."""
    t = sql.tables
    command, catalog, user = t["selective_command"], t["catalog_item"], t["user"]
    reason = (
        sa.select(
            catalog.c.active, catalog.c.attributes["executed"].as_boolean().label("x")
        )
        .where(
            catalog.c.kind == "closing_reason", catalog.c.id == sa.bindparam("reason")
        )
        .subquery()
    )
    home = (
        sa.select(user.c.unit_id)
        .where(user.c.id == sa.bindparam("actor"))
        .scalar_subquery()
    )
    return (
        sa.select(
            command.c.situation,
            reason.c.active.label("reason_active"),
            reason.c.x.label("executed"),
            home.label("home"),
        )
        .select_from(command.outerjoin(reason, sa.true()))
        .where(command.c.id == sa.bindparam("command"))
        .with_for_update(of=command)
    )


def _close_write(connection: sa.Connection, sql: SqlBackend) -> sa.TextClause:
    """The pending orders closed with their trail and programmings, the
    command closed and its outbox row (one statement)."""
    order, link, trail, scheduled, command, counter, outbox = _names(
        connection,
        sql,
        "service_order",
        "selective_order",
        "order_unit",
        "scheduled_order",
        "selective_command",
        "counter",
        "outbox",
    )
    t = sql.tables
    return sa.text(
        f"WITH closed AS (UPDATE {order} AS o SET situation = :closed, "
        "closed_at = :at, closing_reason_id = :reason, version = o.version + 1 "
        f"FROM {link} AS l WHERE l.command_id = :command AND o.id = l.order_id "
        "AND o.situation = :pending RETURNING o.id, o.current_unit_id), "
        f"trail AS (INSERT INTO {trail} "
        "(id, order_id, unit_id, user_id, relation, at, version) "
        "SELECT :first + row_number() OVER (ORDER BY c.id), c.id, "
        "COALESCE(CAST(:home AS BIGINT), c.current_unit_id), :actor, :relation, "
        ":at, 1 FROM closed AS c), "
        f"programmed AS (UPDATE {scheduled} AS s SET active = false, "
        "outcome = :cancelled, reason_id = NULL, missing_equipment_id = NULL, "
        "closed_by = :actor, version = s.version + 1 FROM closed AS c "
        "WHERE s.order_id = c.id AND s.active), "
        f"done AS (UPDATE {command} SET situation = :command_closed, "
        "closed_at = :at, closed_by = :actor, version = version + 1 "
        "WHERE id = :command), "
        + _BUMP.format(counter=counter)
        + f" INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, "
        "published_at) SELECT bump.value, :tag, :at, :actor, "
        "CAST(:payload AS JSONB) || jsonb_build_object('closed_order_ids', "
        "(SELECT COALESCE(jsonb_agg(c.id ORDER BY c.id), '[]'::jsonb) "
        "FROM closed AS c)), NULL FROM bump "
        "RETURNING payload -> 'closed_order_ids'"
    ).bindparams(sa.bindparam("at", type_=t["service_order"].c.closed_at.type))


def lean_close_selective(
    sql: SqlBackend, command_id: int, *, reason_id: int, actor: int, now: datetime
) -> list[int]:
    """SEL-02 by hand (see the module's text); the orders closed."""
    with sql.engine.begin() as connection:
        row = connection.execute(
            _close_read(sql),
            {"command": command_id, "reason": reason_id, "actor": actor},
        ).one()
        assert row.situation == int(CommandSituation.OPEN)
        assert row.reason_active
        assert not row.executed
        tag = "field_work.selective_command_closed"
        closed = connection.execute(
            _close_write(connection, sql),
            {
                "closed": int(OrderSituation.CLOSED),
                "pending": int(OrderSituation.PENDING),
                "at": now,
                "reason": reason_id,
                "command": command_id,
                "first": next(_BLOCKS),
                "home": row.home,
                "actor": actor,
                "relation": int(OrderUnitRelation.CLOSED),
                "cancelled": ScheduleOutcome.CANCELLED.value,
                "command_closed": int(CommandSituation.CLOSED),
                "tag": tag,
                "payload": _payload(
                    tag, now, actor, command_id=command_id, reason_id=reason_id
                ),
            },
        ).scalar_one()
    return [int(i) for i in closed]


# ------------------------------------------------- accepting repaving works
def _accept_write(connection: sa.Connection, sql: SqlBackend) -> sa.TextClause:
    """The convergent works accepted and, when any was, the outbox row (one
    statement)."""
    work, counter, outbox = _names(
        connection, sql, "repaving_work", "counter", "outbox"
    )
    t = sql.tables
    return sa.text(
        f"WITH accepted AS (UPDATE {work} AS w SET acceptance = :accepted, "
        "accepted_on = w.returned_on, accepted_by = :actor, "
        "acceptance_remark = CASE WHEN w.acceptance_remark IS NULL THEN :remark "
        "ELSE w.acceptance_remark || ' ' || :remark END, version = w.version + 1 "
        "WHERE w.returned_on IS NOT NULL AND w.acceptance IS NULL "
        "AND w.returned_street_pavement_id IS NOT DISTINCT FROM "
        "w.street_pavement_id AND ((w.street_area IS NULL AND "
        "w.returned_street_area IS NULL) OR abs(w.returned_street_area - "
        "w.street_area) <= w.street_area * :percentage / 100) RETURNING w.id), "
        "bump AS (INSERT INTO "
        f"{counter} AS k (name, value) SELECT 'outbox', 1 "
        "WHERE EXISTS (SELECT FROM accepted) "
        "ON CONFLICT (name) DO UPDATE SET value = k.value + 1 RETURNING k.value) "
        f"INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, "
        "published_at) SELECT bump.value, :tag, :at, :actor, "
        "CAST(:payload AS JSONB) || jsonb_build_object('work_ids', "
        "(SELECT jsonb_agg(a.id ORDER BY a.id) FROM accepted AS a)), NULL "
        "FROM bump RETURNING payload -> 'work_ids'"
    ).bindparams(
        sa.bindparam("at", type_=t["outbox"].c.occurred_at.type),
        sa.bindparam("percentage", type_=t["repaving_work"].c.street_area.type),
    )


def lean_accept_repaving(
    sql: SqlBackend, *, percentage: Decimal, actor: int, now: datetime
) -> list[int]:
    """PAV-03 by hand (see the module's text); the works accepted."""
    tag = "repaving.accepted"
    with sql.engine.begin() as connection:
        accepted = connection.execute(
            _accept_write(connection, sql),
            {
                "accepted": int(RepavingAcceptance.ACCEPTED),
                "actor": actor,
                "remark": AUTOMATIC_ACCEPTANCE,
                "percentage": percentage,
                "tag": tag,
                "at": now,
                "payload": _payload(
                    tag,
                    now,
                    actor,
                    acceptance=int(RepavingAcceptance.ACCEPTED),
                    automatic=True,
                ),
            },
        ).scalar()
    return [] if accepted is None else [int(i) for i in accepted]


# --------------------------------------- inspection orders of closed orders
@attrs.frozen(kw_only=True)
class InspectionScope:
    """What UC1176 is asked: the contractor, the window, the sample, and the
    profile's roles (the inspection type, the concluded and overdue reasons)."""

    company_id: int
    since: datetime
    percentage: int
    seed: int
    type_id: int
    inspection_type_ids: Sequence[int]
    concluded: Sequence[int]
    excluded: Sequence[int]


def _inspect_write(connection: sa.Connection, sql: SqlBackend) -> sa.TextClause:
    """UC1176 in one statement: the candidates, the concluded sample by the
    seeded rank, the ids reserved, the orders, their trail and the outbox
    row (when any order is made)."""
    order, unit, block, trail, counter, outbox = _names(
        connection,
        sql,
        "service_order",
        "unit",
        "id_block",
        "order_unit",
        "counter",
        "outbox",
    )
    rank = (
        f"(((c.id % {SAMPLE_MODULUS}) * {SAMPLE_MULTIPLIER} + :seed) % "
        f"{SAMPLE_MODULUS})"
    )
    mixed = f"(({rank} * {rank} % {SAMPLE_MODULUS}) * {SAMPLE_MIXER} + {rank})"
    static = _static(sql)
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in static)
    values = ", ".join(f":s_{n}" for n in static)
    reserve = (
        "{name} AS (UPDATE {block} SET next_value = next_value + "
        "(SELECT count(*) FROM picked) WHERE name = '{kind}' "
        "RETURNING next_value - (SELECT count(*) FROM picked) AS first)"
    )
    t = sql.tables
    return sa.text(
        "WITH cand AS (SELECT o.id, o.property_id, o.current_unit_id, "
        f"o.closing_reason_id FROM {order} AS o WHERE o.situation = :closed "
        "AND o.property_id IS NOT NULL AND o.closed_at >= :since "
        f"AND o.current_unit_id IN (SELECT u.id FROM {unit} AS u "
        "WHERE u.company_id = :company) AND NOT EXISTS (SELECT FROM "
        f"{order} AS i WHERE i.reference_order_id = o.id "
        "AND i.service_type_id = ANY(:inspection_types) "
        "AND i.situation <> :closed)), "
        f"conc AS (SELECT c.id, row_number() OVER (ORDER BY {mixed} "
        f"% {SAMPLE_MODULUS}, c.id) AS r FROM cand AS c "
        "WHERE c.closing_reason_id = ANY(:concluded)), "
        "picked AS (SELECT c.*, row_number() OVER (ORDER BY c.id) AS n "
        "FROM cand AS c WHERE c.closing_reason_id IS NULL "
        "OR NOT (c.closing_reason_id = ANY(:excluded)) OR c.id IN (SELECT id "
        "FROM conc WHERE r <= ((SELECT count(*) FROM conc) * :percentage + 49) "
        "/ 100)), "
        + reserve.format(name="ids", block=block, kind="service_order")
        + ", "
        + reserve.format(name="tids", block=block, kind="order_unit")
        + f", made AS (INSERT INTO {order} (id, property_id, reference_order_id, "
        f"current_unit_id, {columns}) SELECT ids.first + p.n - 1, p.property_id, "
        f"p.id, p.current_unit_id, {values} FROM picked AS p, ids "
        "RETURNING id, reference_order_id, current_unit_id), "
        f"trailed AS (INSERT INTO {trail} "
        "(id, order_id, unit_id, user_id, relation, at, version) "
        "SELECT tids.first + m.id - ids.first, m.id, m.current_unit_id, :actor, "
        ":opened, :at, 1 FROM made AS m, ids, tids), "
        f"bump AS (INSERT INTO {counter} AS k (name, value) SELECT 'outbox', 1 "
        "WHERE EXISTS (SELECT FROM made) ON CONFLICT (name) DO UPDATE "
        "SET value = k.value + 1 RETURNING k.value) "
        f"INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, "
        "published_at) SELECT bump.value, :tag, :at, :actor, "
        "CAST(:payload AS JSONB) || jsonb_build_object('order_ids', "
        "(SELECT jsonb_agg(m.id ORDER BY m.id) FROM made AS m), "
        "'referenced_ids', (SELECT jsonb_agg(m.reference_order_id ORDER BY m.id) "
        "FROM made AS m)), NULL FROM bump RETURNING payload -> 'order_ids'"
    ).bindparams(
        sa.bindparam("at", type_=t["order_unit"].c.at.type),
        sa.bindparam("since", type_=t["service_order"].c.closed_at.type),
        *(sa.bindparam(f"s_{n}", type_=t["service_order"].c[n].type) for n in static),
    )


#: The columns of a new inspection order that come from the inspected one
#: (the others: the library's row of its template).
_FROM_INSPECTED = ("id", "property_id", "reference_order_id", "current_unit_id")


def _static(sql: SqlBackend) -> list[str]:
    """The columns of a new inspection order not from the inspected one."""
    return [
        c.key for c in sql.tables["service_order"].c if c.key not in _FROM_INSPECTED
    ]


def inspection_scope(
    gsan: gsan_core.System, *, company_id: int, days: int, percentage: int, seed: int
) -> InspectionScope:
    """The scope of UC1176 for ``company_id``, the profile's roles read as
    the library reads them."""
    profile = gsan.profile
    types = profile.ids("service_type.inspection_of_closed")
    concluded = profile.ids("closing_reason.service_concluded")
    return InspectionScope(
        company_id=company_id,
        since=gsan.clock.now() - timedelta(days=days),
        percentage=percentage,
        seed=seed,
        type_id=min(types),
        inspection_type_ids=sorted(types),
        concluded=sorted(concluded),
        excluded=sorted(concluded | profile.ids("closing_reason.overdue")),
    )


#: The library's batch job of UC1176 (``services.inspections``): one run a
#: company at a time.
INSPECTION_JOB = "inspection of closed orders"


def hold(connection: sa.Connection, sql: SqlBackend, job: str, key: str) -> None:
    """The library's hold of batch ``job`` for ``key`` taken by hand: its
    transaction-level advisory lock (the library's key,
    ``adapters.sqlalchemy.leases``), tried in a statement of its own before
    the work, so the work's statement takes its snapshot after the lock
    (ADR 0007); a run held elsewhere is refused, as the library refuses it
    (``AssertionError`` here, ``BatchAlreadyRunning`` there)."""
    tables = sql.tables
    key_ = advisory_key(f"{tables.schema or ''}.{tables.prefix}", job, key)
    held = connection.execute(
        sa.select(sa.func.pg_try_advisory_xact_lock(key_))
    ).scalar()
    assert held, f"{job} for {key} is running"


def lean_inspection_orders(
    sql: SqlBackend,
    scope: InspectionScope,
    *,
    actor: int,
    now: datetime,
    held: bool = True,
) -> list[int]:
    """UC1176 by hand (see the module's text); the orders made. ``held``:
    the company's run held first (:func:`hold`); without it two runs at once
    both inspect the same closed orders
    (``tests/integration/test_lean_twice.py``), which only measures what
    the hold costs."""
    template = ServiceOrder(
        id=0,
        service_type_id=scope.type_id,
        origin=OrderOrigin.INSPECTION,
        generated_at=now,
        emitted_at=now,
    )
    row = sql.mappers.service_order.to_row(template)
    tag = "inspection.orders_generated"
    with sql.engine.begin() as connection:
        if held:
            hold(connection, sql, INSPECTION_JOB, f"company {scope.company_id}")
        made = connection.execute(
            _inspect_write(connection, sql),
            {
                "closed": int(OrderSituation.CLOSED),
                "since": scope.since,
                "company": scope.company_id,
                "inspection_types": list(scope.inspection_type_ids),
                "seed": scope.seed % SAMPLE_MODULUS,
                "concluded": list(scope.concluded),
                "excluded": list(scope.excluded),
                "percentage": scope.percentage,
                "actor": actor,
                "opened": int(OrderUnitRelation.OPENED),
                "at": now,
                "tag": tag,
                "payload": _payload(tag, now, actor, service_type_id=scope.type_id),
                **{f"s_{n}": row[n] for n in _static(sql)},
            },
        ).scalar()
    return [] if made is None else [int(i) for i in made]


# ---------------------------------------------------------------- measuring
#: The commands :func:`measure` times.
COMMANDS = ("close_selective", "inspection_orders", "accept_repaving")
_NAMES = {
    "close_selective": "close a selective command, 20 orders (lean SQL)",
    "inspection_orders": "inspection orders of 10 closed orders (lean SQL)",
    "accept_repaving": "accept repaving returns, 10 works (lean SQL)",
}
#: Orders of a command of ``close_selective``; works of ``accept_repaving``.
COMMAND_ORDERS = 20
WORKS = 10
INSPECTION = 350  # INSPECAO DE ANORMALIDADE
NOT_EXECUTED = 4  # a closing reason "not executed"
#: Ids of the works :func:`returned_works` adds.
_WORK_IDS: Iterator[int] = id_ranges.stream("accept_repaving: works")


def selective_commands(
    gsan: gsan_core.System, sql: SqlBackend, count: int
) -> list[int]:
    """``count`` selective commands of :data:`COMMAND_ORDERS` inspection
    orders each, emitted on localities no earlier call used (each command
    its own properties: GEN-11 skips those with an open order of the type)."""
    chosen = lean_field.fresh_localities(sql, count * COMMAND_ORDERS)
    fw = gsan.field_work
    made = []
    for _ in range(count):
        command = fw.create_selective_command(
            description="INSPECAO BENCH",
            service_type_id=INSPECTION,
            criteria=SelectiveCriteria(
                locality_first=chosen[0], locality_last=chosen[-1]
            ),
            actor=1,
            max_orders=COMMAND_ORDERS,
        )
        run = fw.emit_selective_orders(command_id=command.id, actor=1)
        assert run.summary.changed == COMMAND_ORDERS, run.summary
        made.append(command.id)
    return made


def returned_works(gsan: gsan_core.System, count: int) -> list[int]:
    """``count`` returned works not accepted yet, even ones convergent (the
    returned area the sent one), odd ones not (8 % less)."""
    ids = [next(_WORK_IDS) for _ in range(count)]
    add_works(
        gsan,
        ids,
        unit_id=1,
        returned_area=lambda n: Decimal("10.00" if n % 2 == 0 else "9.20"),
    )
    return ids


def add_works(
    gsan: gsan_core.System,
    ids: list[int],
    *,
    unit_id: int,
    returned_area: Callable[[int], Decimal] | None = None,
) -> None:
    """Works ``ids`` (each its own order's) sent to the repaving unit
    ``unit_id`` three days ago, 10 m2 of street pavement 1; with
    ``returned_area``, the ``n``-th returned today with that area of the
    same pavement (not accepted yet), else not returned yet."""
    on = gsan.clock.now().date()
    works = [
        RepavingWork(
            id=ident,
            order_id=ident,
            property_id=None,
            unit_id=unit_id,
            closed_on=on - timedelta(days=3),
            street_pavement_id=1,
            street_area=Decimal("10.00"),
            opened_at=gsan.clock.now(),
            actor=1,
        )
        for ident in ids
    ]
    if returned_area is not None:
        works = [
            attrs.evolve(
                work,
                returned_street_pavement_id=1,
                returned_street_area=returned_area(n),
                returned_on=on,
            )
            for n, work in enumerate(works)
        ]
    with gsan.uow_factory() as uow:
        uow.repaving_works.add_many(works)
        uow.commit()


def alternating(
    prepare: Callable[[], T],
    library: Callable[[T], object],
    lean: Callable[[T], object],
    count: int,
) -> tuple[float, float]:
    """Mean seconds per call of ``library`` and ``lean``, alternating call by
    call, each given what its own ``prepare()`` made (not timed); the first
    10 pairs warm the caches and are dropped when there are more."""
    library_s, lean_s = alternating_all(prepare, (library, lean), count)
    return library_s, lean_s


def alternating_all(
    prepare: Callable[[], T], actions: Sequence[Callable[[T], object]], count: int
) -> list[float]:
    """Mean seconds per call of each of ``actions``, taking turns call by
    call (:func:`alternating` for more than two sides)."""
    spent = [0.0] * len(actions)
    warming = 10 if count > 10 else 0
    for n in range(count):
        for side, action in enumerate(actions):
            made = prepare()
            began = time.perf_counter()
            action(made)
            if n >= warming:
                spent[side] += time.perf_counter() - began
    measured = count - warming
    return [s / measured for s in spent]


#: The closing reasons of the closed orders of a call of
#: ``inspection_orders``: 3 not concluded, 1 overdue, 6 concluded (3 sampled).
REASONS = (4, 2, 2, 2, 32, 3, 2, 2, 4, 2)
INSPECTED = 304
INSPECTION_OF_CLOSED = 705
#: The inspection orders a call makes.
INSPECTIONS = 6
#: Contractor companies and their units (one a call), and the closed orders.
_COMPANIES: Iterator[int] = itertools.count(80_000)
_CLOSED_IDS: Iterator[int] = id_ranges.stream("inspection_orders: closed orders")


def closed_orders(gsan: gsan_core.System) -> int:
    """A new contractor company with one unit and :data:`REASONS` orders
    closed by it yesterday; the company."""
    company = next(_COMPANIES)
    gsan.units.register(
        OrganizationalUnit(
            id=company,
            name=f"EMPREITEIRA {company}",
            unit_type_id=16,
            company_id=company,
        ),
        actor=0,
    )
    now = gsan.clock.now()
    with gsan.uow_factory() as uow:
        if uow.service_types.find(INSPECTION_OF_CLOSED) is None:
            uow.service_types.add(
                ServiceType(
                    id=INSPECTION_OF_CLOSED,
                    description="FISCALIZACAO DE OS",
                    abbreviation="FISC OS",
                )
            )
        uow.service_orders.add_many(
            ServiceOrder(
                id=next(_CLOSED_IDS),
                service_type_id=INSPECTED,
                situation=OrderSituation.CLOSED,
                property_id=n + 1,
                generated_at=now - timedelta(days=3),
                closed_at=now - timedelta(days=1),
                closing_reason_id=reason,
                current_unit_id=company,
            )
            for n, reason in enumerate(REASONS)
        )
        uow.commit()
    return company


def measure(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
    chosen: Sequence[str],
) -> list[dict[str, Any]]:
    """The figures of the ``chosen`` commands, ``max(20, count // 10)``
    calls a side: commands of :data:`COMMAND_ORDERS` pending orders closed
    (``close_selective``) in alternating rounds
    (:func:`benchmarks.scale_commands.interleaved`); :data:`WORKS` returned
    works made before each call (not timed), then accepted automatically
    (``accept_repaving``), call by call (:func:`alternating`)."""
    calls = max(20, count // 10)
    figures = []
    if "close_selective" in chosen:
        made = selective_commands(gsan, sql, 2 * calls)
        mine, theirs = made[:calls], made[calls:]
        library_s, lean_s = scale_commands.interleaved(
            partial(_close_library, gsan, mine),
            partial(_close_lean, gsan, sql, theirs),
            calls,
        )
        figures.append(
            scale_commands.command_figure(
                _NAMES["close_selective"], size, library_s, lean_s
            )
        )
    if "inspection_orders" in chosen:
        # the lean version of record holds the company's run; the one without
        # the hold (not safe twice at once) beside it
        library_s, lean_s, unheld_s = alternating_all(
            partial(closed_orders, gsan),
            (
                partial(_inspect_library, gsan),
                partial(_inspect_lean, gsan, sql),
                partial(_inspect_lean, gsan, sql, held=False),
            ),
            calls,
        )
        name = _NAMES["inspection_orders"]
        figures += [
            scale_commands.command_figure(name, size, library_s, lean_s),
            scale_commands.command_figure(
                name.replace("lean SQL", "lean SQL, no hold: unsafe"),
                size,
                library_s,
                unheld_s,
            ),
        ]
    if "accept_repaving" in chosen:
        percentage = gsan.profile.service_orders.repaving_convergence_percentage
        library_s, lean_s = alternating(
            partial(returned_works, gsan, WORKS),
            partial(_accept_library, gsan),
            partial(_accept_lean, gsan, sql, percentage),
            calls,
        )
        figures.append(
            scale_commands.command_figure(
                _NAMES["accept_repaving"], size, library_s, lean_s
            )
        )
    return figures


def _close_library(gsan: gsan_core.System, commands: Sequence[int], n: int) -> None:
    closed = gsan.field_work.close_selective_command(
        command_id=commands[n], reason_id=NOT_EXECUTED, actor=1
    )
    assert closed.situation is CommandSituation.CLOSED


def _close_lean(
    gsan: gsan_core.System, sql: SqlBackend, commands: Sequence[int], n: int
) -> None:
    closed = lean_close_selective(
        sql, commands[n], reason_id=NOT_EXECUTED, actor=1, now=gsan.clock.now()
    )
    assert len(closed) == COMMAND_ORDERS


def _inspect_library(gsan: gsan_core.System, company: int) -> None:
    summary = gsan.inspections.generate_for_closed(
        company_id=company, days=5, sample_percentage=50, actor=1
    )
    assert summary.changed == INSPECTIONS, summary


def _inspect_lean(
    gsan: gsan_core.System, sql: SqlBackend, company: int, *, held: bool = True
) -> None:
    scope = inspection_scope(gsan, company_id=company, days=5, percentage=50, seed=0)
    made = lean_inspection_orders(sql, scope, actor=1, now=gsan.clock.now(), held=held)
    assert len(made) == INSPECTIONS


def _accept_library(gsan: gsan_core.System, _works: object) -> None:
    summary = gsan.repaving.accept_automatically(actor=1)
    assert summary.changed == WORKS // 2, summary


def _accept_lean(
    gsan: gsan_core.System, sql: SqlBackend, percentage: Decimal, _works: object
) -> None:
    accepted = lean_accept_repaving(
        sql, percentage=percentage, actor=1, now=gsan.clock.now()
    )
    assert len(accepted) == WORKS // 2
