"""The RA batch closing (UC0736) and the reconnection with real consumption
(UC1073) beside the best hand-written set-based SQL (issue 20).

Each is measured on the scale benchmark's utility (:mod:`benchmarks.scale`):

* **RA batch closing**: a pending request attended yesterday on every tenth
  property (specification 679), an open order on every other one. The library
  (``service_requests.execute_closing_command``, one unit of work per
  ``LOCALITIES_PER_CHUNK`` localities)
  against the limit: the selection, the requests' and the orders' closing, the
  orders' trail and the command's counters in **one** statement, and the same
  outbox rows (one per request closed and per order closed) in one
  ``INSERT ... SELECT``; once for the whole utility and once per chunk of
  the library's localities (one statement per chunk). Figure: requests per
  second.
* **UC1073**: every tenth property cut three months ago, with a real, billed
  consumption of the reference month on two of three of them and the sewer
  out of use on every other one. The library
  (``connections.reconnect_cut_with_real_consumption``) against one statement
  (selection, moves, reconnection dates, history) and one outbox row per
  locality; whole and per chunk of the library's localities. Figure:
  candidates per second.

Every variant must leave the same rows (a hash over the columns that do not
hold ids or instants); ``ANALYZE`` runs before each pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import lean_sql
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.model.service_requests import (
    Requester,
    RequestSituation,
    ServiceRequest,
)
from gsan_core.rules.connections import reconnection_cut_limit
from gsan_core.services.batches import LOCALITIES_PER_CHUNK, taken
from gsan_core.services.service_requests.closing import CLOSED_BY_COMMAND_REMARK
from gsan_core.testing.request_utility import CHANNEL_PHONE

__all__ = ["measure_ra_closing", "measure_reconnection"]

REQUEST_IDS = 7_000_000_000
REQUEST_ORDER_IDS = 7_500_000_000
SPECIFICATION = 679  # VAZAMENTO NO RAMAL
ORDER_TYPE = 458
REASON = 32
REFERENCE = 202412
Step = Callable[[], object]


def _passes(
    variants: dict[str, Step],
    reset: Callable[[], None],
    check: Callable[[], str],
    repeats: int,
    timed: Callable[[Step], tuple[float, Any]],
    traced: Callable[[Step], None] | None = None,
) -> dict[str, list[float]]:
    """``repeats`` passes of each variant, ``reset`` before each; then, with
    ``traced``, one more pass of the library under it (its peak memory)."""
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    hashes: dict[str, str] = {}
    for _ in range(repeats):
        for name, action in variants.items():
            reset()
            spent, _result = timed(action)
            seconds[name].append(spent)
            hashes.setdefault(name, check())
    assert len(set(hashes.values())) == 1, ("the variants disagree", hashes)
    if traced is not None:
        reset()
        traced(variants["library"])
    reset()
    return seconds


def _names(sql: SqlBackend) -> dict[str, str]:
    """The tables' names as SQL (schema-qualified, quoted where needed)."""
    preparer = sql.engine.dialect.identifier_preparer
    return {name: preparer.format_table(table) for name, table in sql.tables.items()}


def _hash(sql: SqlBackend, statement: sa.Select[Any]) -> str:
    digest = hashlib.sha256()
    with sql.engine.connect() as connection:
        for row in connection.execute(statement):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- UC0736
def load_requests(gsan: gsan_core.System, sql: SqlBackend, now: datetime) -> int:
    """A pending request on every tenth property, attended an hour ago; an open
    order of type 458 on every other one. Returns the requests."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        homes = connection.execute(
            sa.select(prop.c.id, prop.c.locality_id)
            .where(prop.c.id % 10 == 0)
            .order_by(prop.c.id)
        ).all()
    attended = now - timedelta(hours=1)
    for start in range(0, len(homes), 10_000):
        part = homes[start : start + 10_000]
        with gsan.uow_factory() as uow:
            uow.service_requests.add_many(
                ServiceRequest(
                    id=REQUEST_IDS + start + n,
                    specification_id=SPECIFICATION,
                    attended_at=attended,
                    original_due_date=now.date() + timedelta(days=5),
                    current_due_date=now.date() + timedelta(days=5),
                    channel_id=CHANNEL_PHONE,
                    protocol=f"B{start + n}",
                    property_id=home,
                    locality_id=locality,
                    requesters=(Requester(name="ANA", address="RUA 1"),),
                    opening_unit_id=1,
                    opened_by=1,
                    current_unit_id=1,
                )
                for n, (home, locality) in enumerate(part)
            )
            uow.service_orders.add_many(
                ServiceOrder(
                    id=REQUEST_ORDER_IDS + start + n,
                    service_type_id=ORDER_TYPE,
                    property_id=home,
                    request_id=REQUEST_IDS + start + n,
                    origin=OrderOrigin.REQUEST,
                    generated_at=attended,
                    current_unit_id=1,
                )
                for n, (home, _) in enumerate(part)
                if n % 2 == 0
            )
            uow.commit()
    return len(homes)


def _reopen_requests(sql: SqlBackend) -> None:
    t = sql.tables
    request, order, trail = t["service_request"], t["service_order"], t["order_unit"]
    mine = order.c.id >= REQUEST_ORDER_IDS
    with sql.engine.begin() as connection:
        connection.execute(
            sa.update(request)
            .where(request.c.id >= REQUEST_IDS)
            .values(
                situation=RequestSituation.PENDING.value,
                closed_at=None,
                closing_reason_id=None,
                closing_remark=None,
                closing_unit_id=None,
                closed_by=None,
                version=1,
            )
        )
        connection.execute(
            sa.update(order)
            .where(mine)
            .values(
                situation=int(OrderSituation.PENDING),
                closed_at=None,
                closing_reason_id=None,
                closing_remark=None,
                version=1,
            )
        )
        connection.execute(
            sa.delete(trail).where(trail.c.order_id >= REQUEST_ORDER_IDS)
        )
        connection.execute(sa.delete(t["closing_command"]))
        connection.execute(sa.delete(t["outbox"]))


def _requests_hash(sql: SqlBackend) -> str:
    t = sql.tables
    request, order, trail = t["service_request"], t["service_order"], t["order_unit"]
    outbox = t["outbox"]
    return _hash(
        sql,
        sa.select(
            request.c.id,
            request.c.situation,
            request.c.closing_reason_id,
            # (the remark names the command: a new one each pass)
            sa.func.substr(request.c.closing_remark, 1, 20),
            request.c.closing_unit_id,
            request.c.closed_by,
            request.c.version,
            order.c.id,
            order.c.situation,
            sa.func.substr(order.c.closing_remark, 1, 20),
            order.c.version,
            trail.c.unit_id,
            trail.c.relation,
            sa.select(sa.func.count()).select_from(outbox).scalar_subquery(),
        )
        .select_from(
            request.outerjoin(order, order.c.request_id == request.c.id).outerjoin(
                trail, trail.c.order_id == order.c.id
            )
        )
        .where(request.c.id >= REQUEST_IDS)
        .order_by(request.c.id),
    )


def ra_closing_limit(
    sql: SqlBackend, *, command_id: int, now: datetime, per_locality: bool
) -> int:
    """UC0736 by hand: per transaction (the whole utility, or a locality) one
    statement selects, closes the requests and their orders, writes the trail
    and the command's counters, and one ``INSERT ... SELECT`` the outbox rows
    (one per request and per order). Returns the requests closed."""
    t = sql.tables
    request = t["service_request"]
    since = datetime.combine(now.date(), datetime.min.time(), now.tzinfo)
    with sql.engine.connect() as connection:
        localities: Sequence[Any] = (
            connection.execute(
                sa.select(request.c.locality_id)
                .where(request.c.situation == RequestSituation.PENDING.value)
                .distinct()
            )
            .scalars()
            .all()
            if per_locality
            else [None]
        )
    remark = CLOSED_BY_COMMAND_REMARK.format(id=command_id)
    closed = 0
    # per chunk: the library's chunks (LOCALITIES_PER_CHUNK localities per
    # transaction), one statement for all of them
    for chunk in taken(list(localities), LOCALITIES_PER_CHUNK):
        with sql.engine.begin() as connection:
            closed += _close_requests_by_hand(
                connection,
                sql,
                locality=list(chunk) if per_locality else ...,
                since=since,
                until=since + timedelta(days=1),
                command_id=command_id,
                remark=remark,
                now=now,
            )
    with sql.engine.begin() as connection:  # the command executed, its event
        command = sql.tables["closing_command"]
        connection.execute(
            sa.update(command)
            .where(command.c.id == command_id)
            .values(started_at=now, finished_at=now, version=command.c.version + 2)
        )
        connection.execute(
            sa.insert(sql.tables["outbox"]).values(
                id=lean_sql.take(connection, sql.tables["counter"], "outbox", 1),
                tag="service_request.closing_command_executed",
                occurred_at=now,
                actor=1,
                payload={"command_id": command_id, "closed_requests": closed},
            )
        )
    return closed


def _close_requests_by_hand(
    connection: sa.Connection,
    sql: SqlBackend,
    *,
    locality: Any,
    since: datetime,
    until: datetime,
    command_id: int,
    remark: str,
    now: datetime,
) -> int:
    n = _names(sql)
    where_locality = "" if locality is ... else "AND r.locality_id = ANY(:locality)"
    counts = connection.execute(
        sa.text(f"""
        WITH candidates AS (
          SELECT r.id FROM {n["service_request"]} r
          WHERE r.situation = 1 AND r.attended_at >= :since AND r.attended_at < :until
            AND r.current_unit_id = 1
            {where_locality}
            AND NOT EXISTS (SELECT 1 FROM {n["service_order"]} o
                            WHERE o.request_id = r.id AND o.scheduled AND o.situation <> 2)
          FOR UPDATE),
        requests AS (
          UPDATE {n["service_request"]} r SET situation = 2, closed_at = :now,
            closing_reason_id = :reason, closing_remark = upper(:remark),
            closing_unit_id = 1, closed_by = 1, version = r.version + 1
          FROM candidates c WHERE r.id = c.id RETURNING r.id),
        orders AS (
          UPDATE {n["service_order"]} o SET situation = 2, closed_at = :now,
            closing_reason_id = :reason, closing_remark = :remark,
            version = o.version + 1
          WHERE o.request_id IN (SELECT id FROM candidates) AND o.situation <> 2
          RETURNING o.id),
        counted AS (SELECT count(*) AS c FROM orders),
        ids AS (
          UPDATE {n["id_block"]} b SET next_value = b.next_value + counted.c
          FROM counted WHERE b.name = 'order_unit' RETURNING b.next_value),
        trail AS (
          INSERT INTO {n["order_unit"]} (id, order_id, unit_id, user_id, relation, at,
                                          version)
          SELECT ids.next_value - counted.c + row_number() OVER (ORDER BY orders.id) - 1,
                 orders.id, 1, 1, :relation, :now, 1
          FROM orders, counted, ids),
        command AS (
          UPDATE {n["closing_command"]} SET
            closed_requests = closed_requests + (SELECT count(*) FROM requests),
            closed_orders = closed_orders + (SELECT c FROM counted),
            version = version + 1
          WHERE id = :command)
        SELECT 0, id FROM requests UNION ALL SELECT 1, id FROM orders
        """),
        {
            "since": since,
            "until": until,
            "locality": None if locality is ... else locality,
            "now": now,
            "reason": REASON,
            "remark": remark,
            "relation": int(OrderUnitRelation.CLOSED),
            "command": command_id,
        },
    ).all()
    if not counts:
        return 0
    first = lean_sql.take(connection, sql.tables["counter"], "outbox", len(counts))
    connection.execute(
        sa.text(f"""
        INSERT INTO {n["outbox"]} (id, tag, occurred_at, actor, payload)
        SELECT :first + ordinality - 1,
               CASE WHEN kind = 0 THEN 'service_request.closed'
                    ELSE 'service_order.closed' END,
               :now, 1,
               CASE WHEN kind = 0 THEN json_build_object('request_id', id)
                    ELSE json_build_object('order_id', id) END
        FROM unnest(CAST(:kinds AS int[]), CAST(:ids AS bigint[]))
             WITH ORDINALITY AS x(kind, id, ordinality)
        """),
        {
            "first": first,
            "now": now,
            "kinds": [int(k) for k, _ in counts],
            "ids": [int(i) for _, i in counts],
        },
    )
    return sum(1 for k, _ in counts if k == 0)


def measure_ra_closing(
    gsan: gsan_core.System,
    sql: SqlBackend,
    *,
    now: datetime,
    repeats: int,
    timed: Callable[[Step], tuple[float, Any]],
    analyze: Callable[[SqlBackend], None],
    traced: Callable[[Step], None] | None = None,
) -> tuple[int, dict[str, list[float]]]:
    """The library and the two limits; returns the requests and the seconds."""
    count = load_requests(gsan, sql, now)
    state: dict[str, int] = {}

    def reset() -> None:
        _reopen_requests(sql)
        analyze(sql)
        command = gsan.service_requests.issue_closing_command(
            period_start=now.date(),
            period_end=now.date(),
            reason_id=REASON,
            responsible_id=1,
            actor=1,
            current_unit_id=1,
        )
        state["command"] = command.id

    def library() -> None:
        summary = gsan.service_requests.execute_closing_command(
            command_id=state["command"], actor=1
        )
        assert summary.changed == count, summary

    def limit(*, per_locality: bool) -> Step:
        def run() -> None:
            closed = ra_closing_limit(
                sql, command_id=state["command"], now=now, per_locality=per_locality
            )
            assert closed == count, closed

        return run

    whole, chunked = limit(per_locality=False), limit(per_locality=True)
    seconds = _passes(
        {"library": library, "limit": whole, "limit_chunked": chunked},
        reset,
        lambda: _requests_hash(sql),
        repeats,
        timed,
        traced,
    )
    return count, seconds


# ---------------------------------------------------------------- UC1073
def load_cuts(gsan: gsan_core.System, sql: SqlBackend) -> None:
    """Every tenth property (ids ending in 3) cut three months ago with a
    water connection; a real billed consumption of the reference on two of
    three; the sewer out of use on every other one. The state is kept in
    ``_cuts`` for the reset."""
    t = sql.tables
    prop, usage = t["property"], t["consumption_history"]
    real = sorted(gsan.profile.ids("consumption_type.real"))[0]
    with sql.engine.begin() as connection:
        connection.execute(sa.delete(usage).where(usage.c.reference == REFERENCE))
        connection.execute(
            sa.insert(usage).from_select(
                [
                    "property_id",
                    "reference",
                    "kind",
                    "consumption_type_id",
                    "billed_volume",
                ],
                sa.select(
                    prop.c.id,
                    sa.literal(REFERENCE),
                    sa.literal(MeasurementKind.WATER.value),
                    sa.literal(real),
                    sa.literal(9),
                ).where(prop.c.id % 10 == 3, prop.c.id % 3 != 0),
            )
        )
    _reset_cuts(gsan, sql)


def _reset_cuts(gsan: gsan_core.System, sql: SqlBackend) -> None:
    t = sql.tables
    prop, water, history = t["property"], t["water_connection"], t["situation_change"]
    cut = sorted(gsan.profile.allowed("water.reconnect_by_consumption"))[0]
    out_of_use = sorted(gsan.profile.ids("sewer_status.out_of_use"))[0]
    mine = prop.c.id % 10 == 3
    with sql.engine.begin() as connection:
        connection.execute(
            sa.update(prop)
            .where(mine)
            .values(
                water_status_id=cut,
                sewer_status_id=sa.case(
                    (prop.c.id % 20 == 3, out_of_use), else_=prop.c.sewer_status_id
                ),
                version=1,
            )
        )
        connection.execute(
            sa.update(water)
            .where(water.c.id % 10 == 3)
            .values(cut_on=date(2024, 9, 1), reconnected_on=None, version=1)
        )
        connection.execute(
            sa.delete(history).where(
                history.c.operation == "water.reconnect_by_consumption"
            )
        )
        connection.execute(sa.delete(t["outbox"]))


def _cuts_hash(sql: SqlBackend) -> str:
    t = sql.tables
    prop, water, history = t["property"], t["water_connection"], t["situation_change"]
    return _hash(
        sql,
        sa.select(
            prop.c.id,
            prop.c.water_status_id,
            prop.c.sewer_status_id,
            prop.c.version,
            water.c.reconnected_on,
            water.c.version,
            sa.select(sa.func.count())
            .where(
                history.c.property_id == prop.c.id,
                history.c.operation == "water.reconnect_by_consumption",
            )
            .scalar_subquery(),
        )
        .select_from(prop.outerjoin(water, water.c.id == prop.c.id))
        .where(prop.c.id % 10 == 3)
        .order_by(prop.c.id),
    )


def reconnection_limit(
    gsan: gsan_core.System,
    sql: SqlBackend,
    *,
    today: date,
    now: datetime,
    per_locality: bool,
) -> int:
    """UC1073 by hand: per transaction (all, or a locality) one statement
    selects, moves, marks and records the history, and one ``INSERT ...
    SELECT`` the outbox rows (one per locality). Returns properties moved."""
    profile = gsan.profile
    n = _names(sql)
    sources = sorted(profile.allowed("water.reconnect_by_consumption"))
    with sql.engine.connect() as connection:
        localities: Sequence[Any] = (
            # a probe per locality into the index of (locality, situation),
            # as the library (not every cut property's page; issue 20)
            connection.execute(
                sa.text(f"""
                SELECT l.id FROM {n["locality"]} l
                WHERE (SELECT 1 FROM {n["property"]} p
                       WHERE p.locality_id = l.id AND p.active
                         AND p.water_status_id = ANY(:sources) LIMIT 1) IS NOT NULL
                ORDER BY l.id"""),
                {"sources": sources},
            )
            .scalars()
            .all()
            if per_locality
            else [None]
        )
    params = {
        "sources": sources,
        "limit": reconnection_cut_limit(
            REFERENCE, profile.connections.reconnection_cut_age_days
        ),
        "social": sorted(profile.ids("property_profile.social_tariff")) or [-1],
        "real": sorted(profile.ids("consumption_type.real")),
        "reference": REFERENCE,
        "water": MeasurementKind.WATER.value,
        "connected": sorted(profile.ids("water_status.connected"))[0],
        "out_of_use": sorted(profile.ids("sewer_status.out_of_use")),
        "today": today,
        "now": now,
        "operation": "water.reconnect_by_consumption",
    }
    # per chunk, every read is a probe of the chunk's properties: those of its
    # localities in the situations by the index of (locality, situation), the
    # cut date and the consumption by primary key; for the whole
    # utility the joins and the semi-join, hashed once, are the better plan
    # (issue 20)
    chosen = (
        f"""p.locality_id = ANY(:locality) AND p.water_status_id = ANY(:sources)
                    AND (SELECT c.cut_on FROM {n["water_connection"]} c
                         WHERE c.id = p.id) <= :limit
                    AND p.profile_id <> ALL(:social)
                    AND (SELECT h.billed_volume FROM {n["consumption_history"]} h
                         WHERE h.property_id = p.id AND h.reference = :reference
                           AND h.kind = :water
                           AND h.consumption_type_id = ANY(:real)) > 0"""
        if per_locality
        else f"""p.water_status_id = ANY(:sources)
                    AND EXISTS (SELECT 1 FROM {n["water_connection"]} c
                                WHERE c.id = p.id AND c.cut_on <= :limit)
                    AND p.profile_id <> ALL(:social)
                    AND EXISTS (SELECT 1 FROM {n["consumption_history"]} h
                                WHERE h.property_id = p.id AND h.reference = :reference
                                  AND h.kind = :water
                                  AND h.consumption_type_id = ANY(:real)
                                  AND h.billed_volume > 0)"""
    )
    moved = 0
    # per chunk: the library's chunks (LOCALITIES_PER_CHUNK localities per
    # transaction), one statement for all of them
    for chunk in taken(list(localities), LOCALITIES_PER_CHUNK):
        locality = list(chunk)
        with sql.engine.begin() as connection:
            # JIT off, as the library's chunks: planned above jit_above_cost,
            # a chunk's statement was compiled for ~60 ms
            connection.exec_driver_sql("SET LOCAL jit = off")
            rows = connection.execute(
                sa.text(f"""
                WITH candidates AS (
                  SELECT p.id, p.locality_id, p.water_status_id AS w,
                         p.sewer_status_id AS s
                  FROM {n["property"]} p
                  WHERE p.active AND {chosen}
                  FOR UPDATE OF p),
                moved AS (
                  UPDATE {n["property"]} p SET water_status_id = :connected,
                    sewer_status_id = CASE WHEN p.sewer_status_id = ANY(:out_of_use)
                                           THEN :connected ELSE p.sewer_status_id END,
                    version = p.version + 1
                  FROM candidates c WHERE p.id = c.id RETURNING p.id),
                marked AS (
                  UPDATE {n["water_connection"]} w SET reconnected_on = :today,
                    version = w.version + 1
                  WHERE w.id IN (SELECT id FROM moved)),
                steps AS (
                  SELECT id, 0 AS o, 'water' AS kind, w AS before FROM candidates
                  UNION ALL
                  SELECT id, 1, 'sewer', s FROM candidates WHERE s = ANY(:out_of_use)),
                counted AS (SELECT count(*) AS c FROM steps),
                ids AS (
                  UPDATE {n["id_block"]} b SET next_value = b.next_value + counted.c
                  FROM counted WHERE b.name = 'situation_change'
                  RETURNING b.next_value),
                history AS (
                  INSERT INTO {n["situation_change"]} (id, property_id, kind,
                    before_id, after_id, effective_on, at, operation, actor)
                  SELECT ids.next_value - counted.c
                           + row_number() OVER (ORDER BY steps.id, steps.o) - 1,
                         steps.id, steps.kind, steps.before, :connected, :today, :now,
                         :operation, 1
                  FROM steps, counted, ids)
                SELECT c.locality_id, count(*) FROM candidates c GROUP BY c.locality_id
                """),
                {**params, "locality": locality},
            ).all()
            if not rows:
                continue
            first = lean_sql.take(
                connection, sql.tables["counter"], "outbox", len(rows)
            )
            connection.execute(
                sa.text(f"""
                INSERT INTO {n["outbox"]} (id, tag, occurred_at, actor, payload)
                SELECT :first + ordinality - 1, 'connection.changed_in_batch', :now, 1,
                       json_build_object('locality_id', l, 'count', c)
                FROM unnest(CAST(:l AS bigint[]), CAST(:c AS int[]))
                     WITH ORDINALITY AS x(l, c, ordinality)
                """),
                {
                    "first": first,
                    "now": now,
                    "l": [int(r[0]) for r in rows],
                    "c": [int(r[1]) for r in rows],
                },
            )
            moved += sum(int(r[1]) for r in rows)
    return moved


def measure_reconnection(
    gsan: gsan_core.System,
    sql: SqlBackend,
    *,
    now: datetime,
    repeats: int,
    timed: Callable[[Step], tuple[float, Any]],
    analyze: Callable[[SqlBackend], None],
    traced: Callable[[Step], None] | None = None,
) -> tuple[int, dict[str, list[float]]]:
    """The library and the two limits; returns the candidates and the seconds."""
    load_cuts(gsan, sql)
    analyze(sql)
    probe = gsan.connections.reconnect_cut_with_real_consumption(
        reference=REFERENCE, actor=1
    )
    candidates, moved = probe.processed, probe.changed

    def reset() -> None:
        _reset_cuts(gsan, sql)
        analyze(sql)

    def library() -> None:
        summary = gsan.connections.reconnect_cut_with_real_consumption(
            reference=REFERENCE, actor=1
        )
        assert summary.changed == moved, summary

    def limit(*, per_locality: bool) -> Step:
        def run() -> None:
            done = reconnection_limit(
                gsan, sql, today=now.date(), now=now, per_locality=per_locality
            )
            assert done == moved, (done, moved)

        return run

    whole, chunked = limit(per_locality=False), limit(per_locality=True)
    seconds = _passes(
        {"library": library, "limit": whole, "limit_chunked": chunked},
        reset,
        lambda: _cuts_hash(sql),
        repeats,
        timed,
        traced,
    )
    return candidates, seconds
