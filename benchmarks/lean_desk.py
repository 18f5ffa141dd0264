"""The service desk's commands beside their lean SQL (issue 20, seventh round).

The lean versions of the service desk's commands, PostgreSQL's (the
benchmark's database), each statement built once with bound parameters
(:mod:`benchmarks.lean_sql`), their checks asserts:

* :func:`lean_add_window`: "Informar Programação" of one new window (PAM-01..
  PAM-03): ``BEGIN``, the place's month locked (a transaction advisory lock
  on its key), its windows read, the PAM-02/PAM-03 rules checked (the
  library's pure rules: no SQL), then the window and
  ``service_desk.schedule_changed`` in one statement, ``COMMIT``;
* :func:`lean_dispatch`: one batch of the dispatch (SMS-01): the due messages
  claimed by one ``UPDATE … RETURNING`` under ``FOR UPDATE SKIP LOCKED`` and
  committed, the gateway called, then every reply recorded by one
  ``UPDATE … FROM unnest(…)`` with the ``service_desk.messages_changed`` rows
  (one per status) in the same statement. The claim itself keeps two
  dispatchers from sending a message twice: no lease.
* :func:`lean_compose`: one batch of the composer (ENC-13): the cursor row
  locked, the outbox entries after it read with their closed requests (one
  joined read), then the messages (``INSERT … SELECT FROM unnest(…) ON
  CONFLICT DO NOTHING``: one per event and phone), the cursor moved and
  ``service_desk.messages_changed`` in one statement.

:func:`measure_add_window` and :func:`measure_dispatch` time them beside the
library (``python -m benchmarks.commands --only
add_window,dispatch_messages,compose_messages``); :func:`measure_compose`
the same for :func:`lean_compose`.
"""

from __future__ import annotations

import time as timing
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_sql, scale, scale_commands
from benchmarks.batches import SPECIFICATION
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_desk import (
    MessageStatus,
    ScheduleKind,
    SupplySchedule,
)
from gsan_core.model.service_requests import (
    Requester,
    ServiceRequest,
    ServiceRequestClosed,
)
from gsan_core.ports.messages import GatewayReply
from gsan_core.rules import service_desk as rules

__all__ = [
    "BATCH",
    "AcceptingGateway",
    "closings",
    "lean_add_window",
    "lean_compose",
    "lean_dispatch",
    "measure_add_window",
    "measure_compose",
    "measure_dispatch",
    "queue_messages",
]

#: Messages a measured dispatch hands over (one batch).
BATCH = 20
_IDS = postgresql.ARRAY(sa.BigInteger)
_INTS = postgresql.ARRAY(sa.Integer)
_TEXTS = postgresql.ARRAY(sa.String)
_SCHEDULE_COLUMNS = (
    "id",
    "kind",
    "reference",
    "municipality_id",
    "locality_id",
    "sector_id",
    "neighbourhood_id",
    "area_id",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "description",
    "situation",
)


class AcceptingGateway:
    """A gateway that accepts every message at once (no network: the
    benchmark measures the library, not a provider)."""

    def send(self, *, phone: str, text: str, message_id: int) -> GatewayReply:
        return GatewayReply(accepted=True, detail="0")


# ------------------------------------------------------------ schedule window
def _place_clauses(t: sa.Table) -> list[sa.ColumnElement[bool]]:
    """The windows of ``:k_reference`` at the place ``:k_<level>_id``
    (a level not given is null on both sides)."""
    clauses: list[sa.ColumnElement[bool]] = [
        t.c.reference == sa.bindparam("k_reference", type_=sa.Integer),
        t.c.municipality_id == sa.bindparam("k_municipality_id", type_=sa.BigInteger),
    ]
    clauses.extend(
        t.c[level].is_not_distinct_from(sa.bindparam(f"k_{level}", type_=sa.BigInteger))
        for level in ("locality_id", "sector_id", "neighbourhood_id", "area_id")
    )
    return clauses


def _window_read(sql: SqlBackend) -> Any:
    t = sql.tables["supply_schedule"]
    return sa.select(t).where(*_place_clauses(t)).order_by(t.c.id)


def _window_write(sql: SqlBackend) -> Any:
    t = sql.tables["supply_schedule"]
    values = lean_sql.bound(t, "w_", *_SCHEDULE_COLUMNS)
    insert = sa.insert(t).values({**values, "version": 1}).returning(t.c.id)
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def _lock() -> Any:
    return sa.select(
        sa.func.pg_advisory_xact_lock(sa.func.hashtext(sa.bindparam("k_key")))
    )


def lean_add_window(
    sql: SqlBackend,
    window: SupplySchedule,
    *,
    window_id: int,
    now: datetime,
    actor: int,
    overlap_as_gsan: bool = False,
) -> None:
    """Add one window to its place's month, lean: its key locked, the month's
    windows read, PAM-02/PAM-03 checked, the window and its event written in
    one statement."""
    lock = lean_sql.built(sql, "desk window lock", _lock)
    read = lean_sql.built(sql, "desk window read", lambda: _window_read(sql))
    write = lean_sql.built(sql, "desk window write", lambda: _window_write(sql))
    place = {
        "k_reference": window.reference,
        "k_municipality_id": window.municipality_id,
        "k_locality_id": window.locality_id,
        "k_sector_id": window.sector_id,
        "k_neighbourhood_id": window.neighbourhood_id,
        "k_area_id": window.area_id,
    }
    key = "supply schedule " + "/".join(
        "-" if p is None else str(p) for p in list(place.values())
    )
    stored = SupplySchedule(
        id=window_id,
        kind=window.kind,
        reference=window.reference,
        municipality_id=window.municipality_id,
        locality_id=window.locality_id,
        sector_id=window.sector_id,
        neighbourhood_id=window.neighbourhood_id,
        area_id=window.area_id,
        starts_on=window.starts_on,
        ends_on=window.ends_on,
        start_time=window.start_time,
        end_time=window.end_time,
        description=window.description,
        situation=window.situation,
        version=1,
    )
    with sql.engine.begin() as connection:
        connection.execute(lock, {"k_key": key})
        others = [
            _schedule_of(row) for row in connection.execute(read, place).mappings()
        ]
        found = rules.check_schedule(stored, others, overlap_as_gsan=overlap_as_gsan)
        assert not found, found
        row = {c: getattr(stored, c) for c in _SCHEDULE_COLUMNS}
        row["kind"] = int(stored.kind)
        row["situation"] = None if stored.situation is None else int(stored.situation)
        payload = {
            "type": "service_desk.schedule_changed",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "schedule_id": window_id,
            "kind": int(stored.kind),
            "change": "added",
        }
        params = lean_sql.params("w_", row)
        params |= lean_sql.event(
            0, "service_desk.schedule_changed", now, actor, payload
        )
        assert len(connection.execute(write, params).all()) == 1


def _schedule_of(row: Any) -> SupplySchedule:
    values = {c: row[c] for c in (*_SCHEDULE_COLUMNS, "version")}
    values["kind"] = ScheduleKind(row["kind"])
    return SupplySchedule(**values)


# ------------------------------------------------------------------ dispatch
def _claim(sql: SqlBackend) -> Any:
    t = sql.tables["outbound_message"]
    due = (
        sa.select(t.c.id)
        .where(
            sa.or_(
                t.c.status == MessageStatus.PENDING.value,
                sa.and_(
                    t.c.status == MessageStatus.FAILED.value,
                    t.c.attempts < sa.bindparam("k_max_attempts", type_=sa.Integer),
                ),
            )
        )
        .order_by(t.c.id)
        .limit(sa.bindparam("k_limit", type_=sa.Integer))
        .with_for_update(skip_locked=True)
    )
    return (
        sa.update(t)
        .where(t.c.id.in_(due.scalar_subquery()))
        .values(
            status=MessageStatus.UNCONFIRMED.value,
            attempts=t.c.attempts + 1,
            version=t.c.version + 1,
        )
        .returning(t.c.id, t.c.phone, t.c.text, t.c.version)
    )


def _replies(sql: SqlBackend, events: int) -> Any:
    t = sql.tables["outbound_message"]
    given = (
        sa.func.unnest(
            sa.bindparam("r_ids", type_=_IDS),
            sa.bindparam("r_versions", type_=_INTS),
            sa.bindparam("r_statuses", type_=_INTS),
            sa.bindparam("r_replies", type_=_TEXTS),
        )
        .table_valued("id", "version", "status", "reply")
        .render_derived(name="r")
    )
    sent = sa.bindparam("r_sent_at", type_=t.c.sent_at.type)
    update = (
        sa.update(t)
        .where(t.c.id == given.c.id, t.c.version == given.c.version)
        .values(
            status=given.c.status,
            sent_at=sa.case(
                (given.c.status == MessageStatus.SENT.value, sent), else_=None
            ),
            gateway_reply=given.c.reply,
            version=t.c.version + 1,
        )
        .returning(t.c.id)
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, events)])


def lean_dispatch(
    sql: SqlBackend,
    gateway: Any,
    *,
    limit: int,
    max_attempts: int,
    now: datetime,
    actor: int,
) -> int:
    """One batch of the dispatch, lean: claimed (one statement, committed),
    handed over, the replies and their events recorded (one statement); the
    messages sent."""
    claim = lean_sql.built(sql, "desk claim", lambda: _claim(sql))
    with sql.engine.begin() as connection:
        claimed = sorted(
            connection.execute(
                claim, {"k_limit": limit, "k_max_attempts": max_attempts}
            ).all()
        )
    if not claimed:
        return 0
    replies = [
        gateway.send(phone=m.phone, text=m.text, message_id=m.id) for m in claimed
    ]
    statuses = [
        MessageStatus.SENT if r.accepted else MessageStatus.FAILED for r in replies
    ]
    params: dict[str, Any] = {
        "r_ids": [m.id for m in claimed],
        "r_versions": [m.version for m in claimed],
        "r_statuses": [int(s) for s in statuses],
        "r_replies": [None if r.detail is None else r.detail[:200] for r in replies],
        "r_sent_at": now,
    }
    events = 0
    for status in (MessageStatus.SENT, MessageStatus.FAILED):
        ids = [m.id for m, s in zip(claimed, statuses, strict=True) if s is status]
        if ids:
            payload = {
                "type": "service_desk.messages_changed",
                "occurred_at": now.isoformat(),
                "actor": actor,
                "message_ids": ids,
                "status": int(status),
            }
            tag = "service_desk.messages_changed"
            params |= lean_sql.event(events, tag, now, actor, payload)
            events += 1
    write = lean_sql.built(sql, f"desk replies {events}", lambda: _replies(sql, events))
    assert len(connection_execute(sql, write, params)) == len(claimed)
    return sum(1 for s in statuses if s is MessageStatus.SENT)


def connection_execute(
    sql: SqlBackend, statement: Any, params: dict[str, Any]
) -> Sequence[Any]:
    """``statement`` in a transaction of its own; its rows."""
    with sql.engine.begin() as connection:
        return connection.execute(statement, params).all()


def queue_messages(
    sql: SqlBackend, first_id: int, count: int, *, now: datetime, actor: int
) -> list[int]:
    """``count`` pending messages typed by hand, ids from ``first_id`` (the
    benchmark's set-up, outside the timing)."""
    t = sql.tables["outbound_message"]
    ids = list(range(first_id, first_id + count))
    rows = [
        {
            "id": i,
            "phone": f"9198{i % 10**7:07d}",
            "text": "AVISO",
            "reason": "manual",
            "event_id": None,
            "request_id": None,
            "property_id": None,
            "customer_id": None,
            "status": MessageStatus.PENDING.value,
            "created_at": now,
            "sent_at": None,
            "attempts": 0,
            "gateway_reply": None,
            "actor": actor,
            "version": 1,
        }
        for i in ids
    ]
    with sql.engine.begin() as connection:
        connection.execute(sa.insert(t), rows)
    return ids


# ------------------------------------------------------------------ measures
def schedule(gsan: gsan_core.System, window: SupplySchedule) -> SupplySchedule:
    """``window`` (its id aside) added through the library."""
    return gsan.service_desk.schedule(
        kind=window.kind,
        municipality_id=window.municipality_id,
        area_id=window.area_id,
        starts_on=window.starts_on,
        ends_on=window.ends_on,
        start_time=window.start_time,
        end_time=window.end_time,
        actor=scale.ADMIN,
    )


def _window(area: int, day: int) -> SupplySchedule:
    return SupplySchedule(
        id=0,
        kind=ScheduleKind.SUPPLY,
        reference=202501,
        municipality_id=1,
        area_id=area,
        starts_on=date(2025, 1, day),
        ends_on=date(2025, 1, day),
        start_time=time(6),
        end_time=time(18),
    )


def measure_add_window(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` windows added by each side, each to a place of its own
    (areas no repeat used)."""
    ids = id_ranges.take("add_window")
    base = 7_000_000 + 2 * skip * count

    def library(n: int) -> None:
        schedule(gsan, _window(base + 2 * n, 6))

    def baseline(n: int) -> None:
        lean_add_window(
            sql,
            _window(base + 2 * n + 1, 6),
            window_id=next(ids),
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "add a schedule window (lean SQL)", size, library_s, baseline_s
    )


def measure_dispatch(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` dispatches of :data:`BATCH` messages by each side, the
    messages queued before each (outside the timing), alternating."""
    del skip  # the messages' ids: a range of the repeat's own
    first = id_ranges.take("dispatch_messages").block(2 * count * BATCH)
    gateway = AcceptingGateway()
    attempts = gsan.profile.service_requests.sms_max_attempts
    spent = [0.0, 0.0]
    for n in range(count):
        for side in (0, 1):
            start = first + (2 * n + side) * BATCH
            queue_messages(sql, start, BATCH, now=scale.NOW, actor=scale.ADMIN)
            began = timing.perf_counter()
            if side == 0:
                run = gsan.service_desk.dispatch(
                    gateway=gateway, compose=False, batch_size=100, actor=scale.ADMIN
                )
                assert run.sent == BATCH, run
            else:
                sent = lean_dispatch(
                    sql,
                    gateway,
                    limit=100,
                    max_attempts=attempts,
                    now=scale.NOW,
                    actor=scale.ADMIN,
                )
                assert sent == BATCH
            if n:  # the first round warms the caches
                spent[side] += timing.perf_counter() - began
    measured = max(count - 1, 1)
    return scale_commands.command_figure(
        f"dispatch {BATCH} messages (lean SQL)",
        size,
        spent[0] / measured,
        spent[1] / measured,
    )


# ------------------------------------------------------------------- compose
def _cursor_lock(sql: SqlBackend) -> Any:
    c = sql.tables["message_cursor"]
    return (
        sa.select(c.c.position, c.c.version)
        .where(c.c.id == sa.bindparam("k_cursor", type_=sa.BigInteger))
        .with_for_update()
    )


def _entries(sql: SqlBackend) -> Any:
    """The outbox entries after ``:k_position``, each closing with its
    request (of any channel: the channel is checked in Python, as the
    library's profile names it)."""
    o, r = sql.tables["outbox"], sql.tables["service_request"]
    closed = sa.and_(
        o.c.tag == "service_request.closed",
        r.c.id
        == sa.cast(o.c.payload.op("->>")(sa.literal("request_id")), sa.BigInteger),
    )
    return (
        sa.select(
            o.c.id.label("entry_id"),
            r.c.id.label("request_id"),
            r.c.protocol,
            r.c.channel_id,
            r.c.property_id,
            r.c.requesters,
        )
        .select_from(o.outerjoin(r, closed))
        .where(o.c.id > sa.bindparam("k_position", type_=sa.BigInteger))
        .order_by(o.c.id)
        .limit(sa.bindparam("k_limit", type_=sa.Integer))
    )


_MESSAGE_COLUMNS = (
    "id",
    "phone",
    "text",
    "reason",
    "event_id",
    "request_id",
    "property_id",
    "customer_id",
    "status",
    "created_at",
    "attempts",
    "actor",
    "version",
)


def _compose_write(sql: SqlBackend) -> Any:
    """The messages (arrays ``m_<column>``, a message already written for its
    event and phone skipped), the cursor moved and the event, one statement."""
    t, c = sql.tables["outbound_message"], sql.tables["message_cursor"]
    given = (
        sa.func.unnest(
            *[
                sa.bindparam(f"m_{n}", type_=postgresql.ARRAY(t.c[n].type))
                for n in _MESSAGE_COLUMNS
            ]
        )
        .table_valued(*_MESSAGE_COLUMNS)
        .render_derived(name="m")
    )
    insert = (
        postgresql.insert(t)
        .from_select(list(_MESSAGE_COLUMNS), sa.select(given))
        .on_conflict_do_nothing(index_elements=[t.c.event_id, t.c.phone])
        .returning(t.c.id)
    )
    moved = (
        sa.update(c)
        .where(c.c.id == sa.bindparam("k_cursor", type_=sa.BigInteger))
        .values(
            position=sa.bindparam("k_last", type_=sa.BigInteger),
            version=c.c.version + 1,
        )
        .returning(c.c.id)
    )
    return lean_sql.one_statement([moved, insert, *lean_sql.outbox_rows(sql, 1)])


def _closing_messages(
    gsan: gsan_core.System,
    entries: Sequence[Any],
    first_id: int,
    *,
    now: datetime,
    actor: int,
) -> list[dict[str, Any]]:
    """ENC-13: a message row for each requester with a phone of a request
    closed that came by SMS (an ``INVALID`` one for a phone that is not one),
    ids from ``first_id``."""
    params = gsan.profile.service_requests
    channels = set(gsan.profile.ids("request_channel.sms"))
    rows: list[dict[str, Any]] = []
    for e in entries:
        if e.request_id is None or e.channel_id not in channels:
            continue
        text = params.sms_request_closed_text.format(
            request_id=e.request_id, protocol=e.protocol
        )[: params.sms_max_length]
        for requester in e.requesters:
            raw = requester.get("phone")
            if not raw:
                continue
            phone, invalid = rules.normalized_phone(raw)
            status = MessageStatus.INVALID if invalid else MessageStatus.PENDING
            rows.append(
                {
                    "id": first_id + len(rows),
                    "phone": phone if phone is not None else raw[:20],
                    "text": text,
                    "reason": "request_closed",
                    "event_id": e.entry_id,
                    "request_id": e.request_id,
                    "property_id": e.property_id,
                    "customer_id": requester.get("customer_id"),
                    "status": int(status),
                    "created_at": now,
                    "attempts": 0,
                    "actor": actor,
                    "version": 1,
                }
            )
    return rows


def lean_compose(
    sql: SqlBackend,
    gsan: gsan_core.System,
    *,
    first_id: int,
    limit: int,
    now: datetime,
    actor: int,
) -> int:
    """One batch of the composer, lean: the cursor locked, the entries after
    it read with their requests, then the messages, the cursor and the event
    in one statement; the messages written."""
    lock = lean_sql.built(sql, "desk cursor", lambda: _cursor_lock(sql))
    read = lean_sql.built(sql, "desk entries", lambda: _entries(sql))
    write = lean_sql.built(sql, "desk compose", lambda: _compose_write(sql))
    with sql.engine.begin() as connection:
        position = connection.execute(lock, {"k_cursor": 1}).one().position
        entries = connection.execute(
            read, {"k_position": position, "k_limit": limit}
        ).all()
        if not entries:
            return 0
        rows = _closing_messages(gsan, entries, first_id, now=now, actor=actor)
        assert rows  # the benchmark composes closings only
        values: dict[str, Any] = {
            f"m_{n}": [r[n] for r in rows] for n in _MESSAGE_COLUMNS
        }
        values |= {"k_cursor": 1, "k_last": entries[-1].entry_id}
        payload = {
            "type": "service_desk.messages_changed",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "message_ids": [r["id"] for r in rows],
            "status": int(MessageStatus.PENDING),
        }
        values |= lean_sql.event(
            0, "service_desk.messages_changed", now, actor, payload
        )
        connection.execute(write, values).all()
    return len(rows)


def closings(
    gsan: gsan_core.System, first_id: int, count: int, *, now: datetime
) -> list[int]:
    """``count`` requests that came by SMS, each with a requester's phone,
    and their closings in the outbox (the set-up of a composition, outside
    the timing); the requests' ids."""
    (sms, *_) = sorted(gsan.profile.ids("request_channel.sms"))
    ids = list(range(first_id, first_id + count))
    with gsan.uow_factory() as uow:
        uow.service_requests.add_many(
            ServiceRequest(
                id=i,
                specification_id=SPECIFICATION,
                attended_at=now,
                original_due_date=now.date(),
                current_due_date=now.date(),
                channel_id=sms,
                protocol=f"S{i}",
                requesters=(
                    Requester(name="ANA", address="RUA 1", phone="91988887777"),
                ),
                opening_unit_id=1,
                opened_by=1,
                current_unit_id=1,
            )
            for i in ids
        )
        for i in ids:
            uow.record(
                ServiceRequestClosed(
                    occurred_at=now,
                    actor=scale.ADMIN,
                    request_id=i,
                    closing_reason_id=4,
                    executed=True,
                    closed_at=now,
                )
            )
        uow.commit()
    return ids


def measure_compose(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` compositions of :data:`BATCH` closings by each side, the
    closings written before each (outside the timing), alternating; the
    outbox before them composed first (by the library, untimed)."""
    gsan.service_desk.compose_messages(actor=scale.ADMIN)
    del skip  # the requests' and messages' ids: a range of the repeat's own
    first = id_ranges.take("compose_messages").block(2 * count * BATCH)
    spent = [0.0, 0.0]
    for n in range(count):
        for side in (0, 1):
            start = first + (2 * n + side) * BATCH
            closings(gsan, start, BATCH, now=scale.NOW)
            began = timing.perf_counter()
            if side == 0:
                _, written = gsan.service_desk.compose_messages(actor=scale.ADMIN)
                assert len(written) == BATCH, written
            else:
                done = lean_compose(
                    sql,
                    gsan,
                    first_id=start,
                    limit=500,
                    now=scale.NOW,
                    actor=scale.ADMIN,
                )
                assert done == BATCH
            if n:  # the first round warms the caches
                spent[side] += timing.perf_counter() - began
    measured = max(count - 1, 1)
    return scale_commands.command_figure(
        f"compose {BATCH} messages (lean SQL)",
        size,
        spent[0] / measured,
        spent[1] / measured,
    )
