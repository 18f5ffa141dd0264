"""Lean hand-written versions of "check an RA's opening", "relay a batch of
the outbox" and "generate a cut order" (issue 20).

Each is what a database engineer would write for the same work and the same
resulting rows (:mod:`benchmarks.lean_orders`' conventions):

* :func:`lean_check_open` — GSAN's "validate for display" of an opening:
  ``BEGIN``, the opening's **one joined read**
  (:func:`benchmarks.limits.opening_read`: the specification, its type and
  group, the channel, the units, the property, the first destination, the
  duplicate check), its rules checked on the row, ``ROLLBACK``: nothing
  written;
* :func:`lean_relay` — one batch of the outbox handed on and acknowledged:
  ``BEGIN``, the relay's advisory lock (PostgreSQL), the oldest pending
  entries, the handler, one ``UPDATE ... WHERE id IN`` of them, ``COMMIT``;
* :func:`lean_generate_cut_order` — "Gerar Ordem de Corte" for one property
  (GEN-12..GEN-16): ``BEGIN``, one read of the property (locked: GEN-13
  reads its orders), whether it has an open cut order, whether it has an
  unpaid bill, its locality's first active unit, the cut type's value and
  priority and the user's unit; one write of the order, its unit-trail row
  and the outbox row; ``COMMIT``;
* :func:`lean_reactivate` — reactivate a closed RA (REA-01..REA-06): a new
  pending RA linked to it, opened as :func:`benchmarks.limits.lean_open_request`
  opens one: ``BEGIN``, the closed request's lock, its property's lock (ADR
  0004's order), one joined read of the request, whether it has a successor,
  the reason, the specification and its order's type, the first destination,
  the duplicate check and the user's unit; one write of the new request, its
  routing step, its order, the order's unit-trail row and the outbox rows;
  ``COMMIT``.

``tests/integration/test_lean_requests.py`` checks that they leave the
library's rows (none for the check).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import (
    id_ranges,
    lean_sql,
    limits,
    scale,
    scale_commands,
)
from benchmarks import requests as request_bench
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.leases import advisory_key
from gsan_core.model.billing import DebtKind
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.model.service_requests import (
    OpenRequest,
    RequestLocation,
    RequestSituation,
)
from gsan_core.services.outbox import RELAY_JOB
from gsan_core.testing.request_utility import CHANNEL_PHONE, GROUP_WATER

__all__ = [
    "COMMANDS",
    "RELAY_JOB",
    "lean_check_open",
    "lean_generate_cut_order",
    "lean_reactivate",
    "lean_relay",
    "measure_check_open",
    "measure_cut_order",
    "measure_reactivate",
    "measure_relay",
]


def lean_check_open(
    sql: SqlBackend,
    *,
    specification_id: int,
    channel_id: int,
    group_id: int,
    call_centre: int,
    attendant: int,
    property_id: int,
) -> bool:
    """Whether the opening would be accepted: its one joined read in a
    transaction rolled back (no lock: nothing is written)."""
    read = limits.opening_read(sql)
    values = limits.opening_params(
        specification_id=specification_id,
        channel_id=channel_id,
        group_id=group_id,
        call_centre=call_centre,
        attendant=attendant,
        property_id=property_id,
    )
    with sql.engine.connect() as connection:
        row = connection.execute(read, values).one()
        connection.rollback()
    return limits.opening_accepted(row)


def _relay_statements(sql: SqlBackend) -> tuple[Any, Any, Any]:
    """The relay's lock (``key``), batch (``batch_size``) and
    acknowledgement (``ids``, ``now``), built once."""
    outbox = sql.tables["outbox"]
    lock = sa.select(
        sa.func.pg_try_advisory_xact_lock(sa.bindparam("key", type_=sa.BigInteger))
    )
    batch = (
        sa.select(outbox)
        .where(outbox.c.published_at.is_(None))
        .order_by(outbox.c.id)
        .limit(sa.bindparam("batch_size", type_=sa.Integer))
    )
    acknowledge = (
        sa.update(outbox)
        .where(
            outbox.c.id.in_(sa.bindparam("ids", expanding=True)),
            outbox.c.published_at.is_(None),
        )
        .values(published_at=sa.bindparam("now", type_=outbox.c.published_at.type))
    )
    return lock, batch, acknowledge


def lean_relay(
    sql: SqlBackend,
    handler: Callable[[Sequence[Any]], object],
    *,
    batch_size: int,
    now: datetime,
) -> int:
    """One batch of the outbox: the relay's lock (PostgreSQL: a
    transaction-level advisory lock, the library's key), the oldest
    ``batch_size`` pending entries, ``handler`` on them, their
    acknowledgement; one transaction, its statements built once. How many
    were handed on."""
    lock, read, acknowledge = lean_sql.built(
        sql, "relay", lambda: _relay_statements(sql)
    )
    with sql.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            tables = sql.tables
            namespace = f"{tables.schema or ''}.{tables.prefix}"
            key = advisory_key(namespace, *RELAY_JOB)
            assert connection.execute(lock, {"key": key}).scalar()
        batch = connection.execute(read, {"batch_size": batch_size}).all()
        if not batch:
            return 0
        handler(batch)
        connection.execute(acknowledge, {"ids": [row.id for row in batch], "now": now})
    return len(batch)


#: The observation of a cut order (``service_orders.CUT_ORDER_OBSERVATION``).
CUT_OBSERVATION = "Ordem de corte gerada para o imóvel (Gerar Ordem de Corte)."


def _cut_read(sql: SqlBackend) -> sa.Select[Any]:
    """The cut order's one read, the property locked; built once, its
    parameters bound: ``property_id``, ``type_id``, ``actor`` and the array
    ``blocking`` (one parameter, whatever its length)."""
    t = sql.tables
    prop, order, debt = t["property"], t["service_order"], t["open_debt"]
    unit, user, stype = t["unit"], t["user"], t["service_type"]
    blocking = sa.bindparam("blocking", type_=postgresql.ARRAY(sa.BigInteger))
    open_cut = (
        sa.select(sa.literal(1))
        .where(
            order.c.property_id == prop.c.id,
            order.c.service_type_id == sa.func.any(blocking),
            order.c.situation != int(OrderSituation.CLOSED),
        )
        .exists()
    )
    billed = (
        sa.select(sa.literal(1))
        .where(debt.c.property_id == prop.c.id, debt.c.kind == DebtKind.BILL.value)
        .exists()
    )
    first_unit = (
        sa.select(unit.c.id)
        .where(unit.c.locality_id == prop.c.locality_id, unit.c.active.is_(True))
        .order_by(unit.c.id)
        .limit(1)
        .scalar_subquery()
    )
    home = (
        sa.select(user.c.unit_id)
        .where(user.c.id == sa.bindparam("actor", type_=sa.BigInteger))
        .scalar_subquery()
    )
    return (
        sa.select(
            prop.c.water_status_id,
            open_cut.label("open_cut"),
            billed.label("billed"),
            first_unit.label("unit_id"),
            home.label("home"),
            stype.c.value,
            stype.c.priority_id,
        )
        .select_from(
            prop.join(stype, stype.c.id == sa.bindparam("type_id", type_=sa.BigInteger))
        )
        .where(prop.c.id == sa.bindparam("property_id", type_=sa.BigInteger))
        .with_for_update(of=prop)
    )


def lean_generate_cut_order(
    sql: SqlBackend,
    property_id: int,
    *,
    type_id: int,
    blocking: Collection[int],
    water_statuses: Collection[int],
    actor: int,
    ids: Any,
    now: datetime,
) -> int:
    """Generate an emitted cut order of ``type_id`` for a property with an
    unpaid bill and no open cut order (GEN-12..GEN-16, no notice asked): one
    read, one write, both built once (PostgreSQL). The order's id."""
    read = lean_sql.built(sql, "cut_order read", lambda: _cut_read(sql))
    values = {
        "property_id": property_id,
        "type_id": type_id,
        "actor": actor,
        "blocking": sorted(blocking),
    }
    with sql.engine.begin() as connection:
        row = connection.execute(read, values).one()
        assert not row.open_cut  # GEN-13 (its re-emission: not measured)
        assert row.water_status_id in water_statuses  # GEN-12
        assert row.billed  # GEN-14
        assert row.unit_id is not None
        order_id, trail_id = next(ids), next(ids)
        order = ServiceOrder(
            id=order_id,
            service_type_id=type_id,
            origin=OrderOrigin.CUT,
            property_id=property_id,
            generated_at=now,
            emitted_at=now,
            observation=CUT_OBSERVATION,
            original_value=row.value,
            current_unit_id=row.unit_id,
            original_priority_id=row.priority_id,
            current_priority_id=row.priority_id,
        )
        generated = lean_sql.event(
            0,
            "service_order.generated",
            now,
            actor,
            {
                "type": "service_order.generated",
                "actor": actor,
                "occurred_at": now.isoformat(),
                "order_id": order_id,
                "service_type_id": type_id,
                "origin": OrderOrigin.CUT.value,
                "property_id": property_id,
                "request_id": None,
            },
        )
        connection.execute(
            lean_sql.built(sql, "cut_order write", lambda: _order_write(sql, 1)),
            _order_params(sql, order, trail_id, row.home, actor, now) | generated,
        )
    return int(order_id)


def _order_write(sql: SqlBackend, events: int, *heads: Any) -> Any:
    """One statement (PostgreSQL) of the writes ``heads``, a new order
    (parameters ``so_*``), its trail row (``t_*``) and ``events`` outbox rows
    (``o<n>_*``); built once by its callers (:func:`lean_sql.built`)."""
    order, trail = sql.tables["service_order"], sql.tables["order_unit"]
    trail_columns = ("id", "order_id", "unit_id", "user_id", "relation", "at")
    return lean_sql.one_statement(
        [
            *heads,
            sa.insert(order).values(lean_sql.bound(order, "so_")),
            lean_sql.trail_insert(sql, **lean_sql.bound(trail, "t_", *trail_columns)),
            *lean_sql.outbox_rows(sql, events),
        ]
    )


def _order_params(
    sql: SqlBackend,
    order: ServiceOrder,
    trail_id: int,
    unit_id: int,
    actor: int,
    now: datetime,
) -> dict[str, Any]:
    """The parameters of :func:`_order_write`'s order and trail row (opened
    at ``unit_id``)."""
    trail = {
        "id": trail_id,
        "order_id": order.id,
        "unit_id": unit_id,
        "user_id": actor,
        "relation": int(OrderUnitRelation.OPENED),
        "at": now,
    }
    return lean_sql.params(
        "so_", sql.mappers.service_order.to_row(order)
    ) | lean_sql.params("t_", trail)


def _order_inserts(
    sql: SqlBackend,
    order: ServiceOrder,
    trail_id: int,
    unit_id: int,
    actor: int,
    now: datetime,
) -> list[Any]:
    """A new order's row and its trail row (opened at ``unit_id``)."""
    return [
        sa.insert(sql.tables["service_order"]).values(
            sql.mappers.service_order.to_row(order)
        ),
        lean_sql.trail_insert(
            sql,
            id=trail_id,
            order_id=order.id,
            unit_id=unit_id,
            user_id=actor,
            relation=int(OrderUnitRelation.OPENED),
            at=now,
        ),
    ]


def _reactivation_read(sql: SqlBackend) -> sa.Select[Any]:
    """The reactivation's one read, after the request's lock, its property
    locked (ADR 0004's order); built once, its parameters bound:
    ``request_id``, ``reason_id``, ``group_id``, ``actor``."""
    t = sql.tables
    req, spec, stype = (
        t["service_request"],
        t["request_specification"],
        t["service_type"],
    )
    catalog, user, prop = t["catalog_item"], t["user"], t["property"]
    successor, other = req.alias("successor"), req.alias("other")
    destination = limits.routed_unit(
        t, req.c.locality_id, sa.bindparam("group_id", type_=sa.BigInteger)
    )
    succeeded = (
        sa.select(sa.literal(1))
        .where(successor.c.reactivation_of_id == req.c.id)
        .exists()
    )
    duplicate = (
        sa.select(sa.literal(1))
        .where(
            # the property's parameter (from the lock), not the column: an
            # index read of its requests rather than a hashed subplan
            other.c.property_id == sa.bindparam("property_id", type_=sa.BigInteger),
            other.c.specification_id == req.c.specification_id,
            other.c.situation == int(RequestSituation.PENDING),
        )
        .exists()
    )
    home = (
        sa.select(user.c.unit_id)
        .where(user.c.id == sa.bindparam("actor", type_=sa.BigInteger))
        .scalar_subquery()
    )
    reason = sa.bindparam("reason_id", type_=sa.BigInteger)
    return (
        sa.select(
            req,
            succeeded.label("succeeded"),
            duplicate.label("duplicate"),
            destination.label("destination"),
            home.label("home"),
            catalog.c.active.label("reason_active"),
            spec.c.deadline_days,
            spec.c.service_type_id,
            spec.c.urgent.label("spec_urgent"),
            stype.c.value,
            stype.c.priority_id,
        )
        .select_from(
            req.join(prop, prop.c.id == req.c.property_id)
            .join(spec, spec.c.id == req.c.specification_id)
            .join(stype, stype.c.id == spec.c.service_type_id)
            .join(
                catalog,
                sa.and_(
                    catalog.c.kind == "reactivation_reason", catalog.c.id == reason
                ),
            )
        )
        .where(req.c.id == sa.bindparam("request_id", type_=sa.BigInteger))
        .with_for_update(of=prop)
    )


def _reactivation_lock(sql: SqlBackend) -> sa.Select[Any]:
    """The closed request's lock (parameter ``request_id``), built once: its
    property."""
    req = sql.tables["service_request"]
    return (
        sa.select(req.c.property_id)
        .where(req.c.id == sa.bindparam("request_id", type_=sa.BigInteger))
        .with_for_update()
    )


def _reactivation_write(sql: SqlBackend, events: int) -> Any:
    """The reactivation's one write (PostgreSQL), built once per number of
    outbox rows: the new request (``r_*``), its routing step (``s_*``), its
    order and trail row (:func:`_order_write`) and the outbox rows."""
    req, step = sql.tables["service_request"], sql.tables["routing_step"]
    return _order_write(
        sql,
        events,
        sa.insert(req).values(lean_sql.bound(req, "r_")),
        sa.insert(step).values(lean_sql.bound(step, "s_", *limits.STEP_COLUMNS)),
    )


def lean_reactivate(
    sql: SqlBackend,
    request_id: int,
    *,
    reason_id: int,
    unit_id: int,
    channel_id: int,
    group_id: int,
    actor: int,
    ids: Any,
    now: datetime,
    zone: tzinfo,
) -> int:
    """Reactivate closed RA ``request_id`` (its specification with an
    automatic order, routed by locality x group): the request's lock, one
    read (its property locked), one write; all built once. The new
    request's id."""
    req = sql.tables["service_request"]
    lock = lean_sql.built(sql, "reactivate lock", lambda: _reactivation_lock(sql))
    read = lean_sql.built(sql, "reactivate read", lambda: _reactivation_read(sql))
    values = {
        "request_id": request_id,
        "reason_id": reason_id,
        "group_id": group_id,
        "actor": actor,
    }
    with sql.engine.begin() as connection:
        values["property_id"] = connection.execute(lock, values).scalar_one()
        row = connection.execute(read, values).one()
        assert row.situation == int(RequestSituation.CLOSED)  # REA-01
        assert not row.succeeded  # REA-02: reactivated once
        assert row.reason_active
        assert not row.duplicate  # INS-09
        assert row.destination is not None
        property_id = row.property_id
        new_id, step_id, order_id, trail_id = (next(ids) for _ in range(4))
        due = now.astimezone(zone).date() + timedelta(days=row.deadline_days)
        new = {c.key: row._mapping[c.name] for c in req.c}
        new.update(
            id=new_id,
            situation=int(RequestSituation.PENDING),
            attended_at=now,
            online=True,
            original_due_date=due,
            current_due_date=due,
            channel_id=channel_id,
            opening_unit_id=unit_id,
            opened_by=actor,
            current_unit_id=row.destination,
            reactivation_of_id=request_id,
            reactivation_reason_id=reason_id,
            urgent=row.spec_urgent,
            closed_at=None,
            closing_reason_id=None,
            closing_unit_id=None,
            closed_by=None,
            reiterations=0,
            last_reiterated_at=None,
            version=1,
        )
        step = dict(
            zip(
                limits.STEP_COLUMNS,
                (step_id, new_id, unit_id, row.destination, now, actor, actor),
                strict=False,
            ),
            remark=OPENING_REMARK,
            automatic=True,
            version=1,
        )
        order = ServiceOrder(
            id=order_id,
            service_type_id=row.service_type_id,
            origin=OrderOrigin.REQUEST,
            property_id=property_id,
            request_id=new_id,
            generated_at=now,
            observation=row.observation,
            original_value=row.value,
            current_unit_id=row.destination,
            original_priority_id=row.priority_id,
            current_priority_id=row.priority_id,
        )
        events = _reactivation_events(
            row, new_id, order_id, property_id, request_id, actor=actor, now=now
        )
        connection.execute(
            lean_sql.built(
                sql,
                f"reactivate write {len(events)}",
                lambda: _reactivation_write(sql, len(events)),
            ),
            lean_sql.params("r_", new)
            | lean_sql.params("s_", step)
            | _order_params(sql, order, trail_id, row.home, actor, now)
            | _event_params(events),
        )
    return int(new_id)


def _event_params(events: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The parameters ``o<n>_*`` of the outbox rows ``events``."""
    found: dict[str, Any] = {}
    for n, e in enumerate(events):
        found |= lean_sql.event(n, e["tag"], e["occurred_at"], e["actor"], e["payload"])
    return found


#: The remark of an opening's automatic routing step.
OPENING_REMARK = "TRAMITE GERADO PELO SISTEMA NA ABERTURA DO REGISTRO DE ATENDIMENTO"


def _reactivation_events(
    row: Any,
    new_id: int,
    order_id: int,
    property_id: int,
    previous_id: int,
    *,
    actor: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """The outbox rows of a reactivation, as the library writes them."""

    def event(tag: str, **fields: Any) -> dict[str, Any]:
        payload = {
            "type": tag,
            "actor": actor,
            "occurred_at": now.isoformat(),
            **fields,
        }
        return {
            "tag": tag,
            "occurred_at": now,
            "actor": actor,
            "payload": payload,
            "published_at": None,
        }

    found = [
        event(
            "service_request.opened",
            request_id=new_id,
            specification_id=row.specification_id,
            situation=int(RequestSituation.PENDING),
            unit_id=row.destination,
            routing_reason="locality_group",
            property_id=property_id,
            protocol=row.protocol,
        ),
        event(
            "service_request.reactivated", request_id=new_id, previous_id=previous_id
        ),
    ]
    if row.spec_urgent:
        found.append(
            event(
                "service_request.urgent_alert",
                request_id=new_id,
                unit_id=row.destination,
            )
        )
    found.append(
        event(
            "service_order.generated",
            order_id=order_id,
            service_type_id=row.service_type_id,
            origin=OrderOrigin.REQUEST.value,
            property_id=property_id,
            request_id=new_id,
        )
    )
    return found


# ---------------------------------------------------------------- measuring
#: The names ``python -m benchmarks.commands --only`` takes.
COMMANDS = ("check_open", "relay_outbox", "cut_order", "reactivate")
ATTENDANT = 10_011  # ATENDENTE 0001, in CENTRAL 0001 (a dispatch centre)
#: The entries one relay hands on.
RELAY_BATCH = 10


def measure_check_open(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``check_open`` beside :func:`lean_check_open`, each on its own half
    of ``2 * count`` connected properties (nothing written: the same ones
    every repeat; measured before any command that opens RAs, which INS-09
    would refuse the check for: :data:`benchmarks.commands.FIRST`)."""
    del skip
    homes = scale_commands.connected(sql, metered=False, limit=2 * count)
    count = len(homes) // 2
    scale_commands.route_water_requests(gsan, sql, homes)

    def library(n: int) -> None:
        violations, _ = gsan.service_requests.check_open(
            OpenRequest(
                specification_id=request_bench.SPECIFICATION,
                unit_id=ATTENDANT,
                channel_id=CHANNEL_PHONE,
                location=RequestLocation(property_id=homes[2 * n]),
                requesters=request_bench.ANA,
            ),
            actor=ATTENDANT,
        )
        assert not violations, violations

    def lean(n: int) -> None:
        assert lean_check_open(
            sql,
            specification_id=request_bench.SPECIFICATION,
            channel_id=CHANNEL_PHONE,
            group_id=GROUP_WATER,
            call_centre=ATTENDANT,
            attendant=ATTENDANT,
            property_id=homes[2 * n + 1],
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "check an RA's opening (lean SQL)", size, library_s, lean_s
    )


def measure_relay(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``outbox.relay`` of one batch of :data:`RELAY_BATCH` beside
    :func:`lean_relay`, alternately on the oldest pending entries (events
    recorded first when fewer are pending)."""
    del skip
    needed = 2 * count * RELAY_BATCH
    outbox = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        pending = connection.execute(
            sa.select(sa.func.count()).where(outbox.c.published_at.is_(None))
        ).scalar_one()
    if pending < needed:
        _record_events(sql, needed - pending)

    def library(n: int) -> None:
        run = gsan.outbox.relay(_ignore, batch_size=RELAY_BATCH, max_batches=1)
        assert run.entries == RELAY_BATCH

    def lean(n: int) -> None:
        handed = lean_relay(sql, _ignore, batch_size=RELAY_BATCH, now=scale.NOW)
        assert handed == RELAY_BATCH

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "relay a batch of the outbox (lean SQL)", size, library_s, lean_s
    )


def _ignore(batch: Sequence[Any]) -> None:
    """A handler that takes the batch."""
    del batch


def _record_events(sql: SqlBackend, count: int) -> None:
    """``count`` pending outbox entries (numbered from the outbox counter)."""
    outbox, counter = sql.tables["outbox"], sql.tables["counter"]
    with sql.engine.begin() as connection:
        last = connection.execute(
            sa.update(counter)
            .where(counter.c.name == "outbox")
            .values(value=counter.c.value + count)
            .returning(counter.c.value)
        ).scalar_one()
        connection.execute(
            sa.insert(outbox),
            [
                {
                    "id": last - count + 1 + i,
                    "tag": "bench.pending",
                    "occurred_at": scale.NOW,
                    "actor": 0,
                    "payload": {"type": "bench.pending"},
                    "published_at": None,
                }
                for i in range(count)
            ],
        )


_CUT_USED: set[int] = set()


def _cuttable(sql: SqlBackend, statuses: Collection[int], limit: int) -> list[int]:
    """``limit`` properties of ``statuses`` with an unpaid bill and no order
    (so none of a cut type), none an earlier repeat used."""
    t = sql.tables
    prop, debt, order = t["property"], t["open_debt"], t["service_order"]
    with sql.engine.connect() as connection:
        found = connection.execute(
            sa.select(prop.c.id)
            .where(
                prop.c.water_status_id.in_(sorted(statuses)),
                sa.select(sa.literal(1))
                .where(
                    debt.c.property_id == prop.c.id,
                    debt.c.kind == DebtKind.BILL.value,
                )
                .exists(),
                ~sa.select(sa.literal(1))
                .where(order.c.property_id == prop.c.id)
                .exists(),
            )
            .order_by(prop.c.id)
            .limit(limit + len(_CUT_USED))
        ).scalars()
        chosen = [i for i in found if i not in _CUT_USED][:limit]
    _CUT_USED.update(chosen)
    return chosen


def measure_cut_order(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``generate_cut_order`` beside :func:`lean_generate_cut_order`, each on
    its own half of ``2 * count`` properties with a bill and no order."""
    del skip
    profile = gsan.profile
    cut_types = profile.ids("service_type.cut_order")
    blocking = cut_types | profile.ids("service_type.cut")
    statuses = profile.ids("water_status.connected") | profile.ids(
        "water_status.under_inspection"
    )
    homes = _cuttable(sql, statuses, 2 * count)
    count = len(homes) // 2
    actor = ATTENDANT
    ids = id_ranges.take("cut_order")

    def library(n: int) -> None:
        result = gsan.service_orders.generate_cut_order(
            property_id=homes[2 * n], actor=actor
        )
        assert result.generated

    def lean(n: int) -> None:
        lean_generate_cut_order(
            sql,
            homes[2 * n + 1],
            type_id=min(cut_types),
            blocking=blocking,
            water_statuses=statuses,
            actor=actor,
            ids=ids,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "generate a cut order (lean SQL)", size, library_s, lean_s
    )


NOT_EXECUTED = 4  # a closing reason whose ``executed`` flag is off
REACTIVATION_REASON = 1


def _closed_requests(
    gsan: gsan_core.System, sql: SqlBackend, count: int
) -> list[tuple[int, int]]:
    """``count`` RAs (each with its automatic order) opened through the
    library on connected properties no earlier repeat used, by the attendant
    of their locality's CENTRAL (where they are routed: the ESCRITORIO's
    dispatch centre), then closed by them; each with its CENTRAL (its
    attendant's id too)."""
    homes = scale_commands.fresh(sql, metered=False, limit=count)
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        localities = dict(
            connection.execute(
                sa.select(prop.c.id, prop.c.locality_id).where(prop.c.id.in_(homes))
            ).all()
        )
    for locality in sorted(set(localities.values())):
        office = 10_000 + locality * 10 + 2  # ESCRITORIO, under its CENTRAL
        gsan.service_requests.configuration.set_locality_group_units(
            locality_id=locality, rows=[(GROUP_WATER, office)], actor=0
        )
    requests_ = gsan.service_requests
    opened = []
    for home in homes:
        centre = 10_000 + localities[home] * 10 + 1
        result = requests_.open(
            specification_id=request_bench.SPECIFICATION,
            unit_id=centre,
            channel_id=CHANNEL_PHONE,
            actor=centre,
            location=RequestLocation(property_id=home),
            requesters=request_bench.ANA,
        )
        opened.append((result.request.id, centre))
    clock: Any = gsan.clock
    clock.advance(timedelta(minutes=5))
    for request_id, centre in opened:
        requests_.close(request_id=request_id, reason_id=NOT_EXECUTED, actor=centre)
    clock.advance(timedelta(minutes=5))
    return opened


def measure_reactivate(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``reactivate`` beside :func:`lean_reactivate`, each on its own half of
    ``2 * count`` RAs opened and closed for the repeat (outside the timing)."""
    del skip
    closed = _closed_requests(gsan, sql, 2 * count)
    count = len(closed) // 2
    ids = id_ranges.take("reactivate")
    zone = ZoneInfo(gsan.profile.timezone)

    def library(n: int) -> None:
        request_id, centre = closed[2 * n]
        gsan.service_requests.reactivate(
            request_id=request_id,
            reason_id=REACTIVATION_REASON,
            unit_id=centre,
            channel_id=CHANNEL_PHONE,
            actor=centre,
        )

    def lean(n: int) -> None:
        request_id, centre = closed[2 * n + 1]
        lean_reactivate(
            sql,
            request_id,
            reason_id=REACTIVATION_REASON,
            unit_id=centre,
            channel_id=CHANNEL_PHONE,
            group_id=GROUP_WATER,
            actor=centre,
            ids=ids,
            now=gsan.clock.now(),
            zone=zone,
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "reactivate an RA (lean SQL)", size, library_s, lean_s
    )
