"""More of the service desk's commands beside their lean SQL (issue 20, ninth
round).

The counter's everyday desk commands the seventh round left out
(:mod:`benchmarks.lean_desk` has adding a window, the dispatch and the
composer), PostgreSQL's, each statement built once with bound parameters
(:mod:`benchmarks.lean_sql`), their checks asserts:

* :func:`lean_send_message`: a text message typed by hand (SMS-01):
  ``BEGIN``, the message and ``service_desk.messages_changed`` in one
  statement, ``COMMIT``;
* :func:`lean_update_window`: a changed window of "Informar Programação"
  (PAM-02, PAM-03, PAM-05): ``BEGIN``, the place's month locked (the
  advisory lock on the library's key), its windows read (the changed one
  among them, its version checked), the rules checked (the library's pure
  ones), then the compare-and-set update and ``service_desk.schedule_changed``
  in one statement, ``COMMIT``;
* :func:`lean_remove_window`: a window removed (PAM-01, PAM-05): ``BEGIN``,
  the window read under its row lock, then its deletion and its event in one
  statement, ``COMMIT``. The place's key is not taken: a removal breaks no
  rule of the month's other windows.

:func:`measure_send_message`, :func:`measure_update_window` and
:func:`measure_remove_window` time them beside the library (``python -m
benchmarks.commands --only send_message,update_window,remove_window``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_desk, lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_desk import (
    MessageStatus,
    OutboundMessage,
    OutboundMessageChanged,
    SupplySchedule,
    SupplyScheduleChanged,
)
from gsan_core.rules import service_desk as rules

__all__ = [
    "COMMANDS",
    "lean_remove_window",
    "lean_send_message",
    "lean_update_window",
    "measure_remove_window",
    "measure_send_message",
    "measure_update_window",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("send_message", "update_window", "remove_window")
#: The first area the windows of the measures are of (areas are not rows
#: of the benchmarks' id ranges: above :func:`benchmarks.lean_desk`'s
#: ``add_window`` areas, from 7,000,000).
AREAS = 8_000_000


def _event(event: Any, now: datetime, actor: int) -> dict[str, Any]:
    """The parameters of the outbox row of ``event``."""
    (payload,) = serialization.to_dicts([event])
    return lean_sql.event(0, event.tag, now, actor, payload)


# ------------------------------------------------------------------ message
def _message_write(sql: SqlBackend) -> Any:
    t = sql.tables["outbound_message"]
    insert = sa.insert(t).values(lean_sql.bound(t, "m_"))
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def lean_send_message(
    sql: SqlBackend,
    *,
    phone: str,
    text: str,
    message_id: int,
    max_length: int,
    now: datetime,
    actor: int,
    property_id: int | None = None,
) -> OutboundMessage:
    """SMS-01, lean: the phone and text checked (the library's pure rule),
    then ``BEGIN``, the message and its event in one statement, ``COMMIT``."""
    digits, found = rules.normalized_phone(phone)
    assert not found, found
    assert text.strip()
    assert digits is not None
    message = OutboundMessage(
        id=message_id,
        phone=digits,
        text=text.strip()[:max_length],
        reason="manual",
        property_id=property_id,
        created_at=now,
        actor=actor,
    )
    event = OutboundMessageChanged(
        occurred_at=now,
        actor=actor,
        message_ids=(message_id,),
        status=MessageStatus.PENDING,
    )
    write = lean_sql.built(sql, "desk message", lambda: _message_write(sql))
    values = _event(event, now, actor)
    values |= lean_sql.params("m_", sql.mappers.outbound_message.to_row(message))
    with sql.engine.begin() as connection:
        connection.execute(write, values)
    return message


# ------------------------------------------------------------------ windows
def _window_update(sql: SqlBackend) -> Any:
    """The window's compare-and-set update (``w_*``, ``w_version`` the one
    read) and its event."""
    t = sql.tables["supply_schedule"]
    values = lean_sql.bound(t, "w_", *(c for c in _COLUMNS if c != "id"))
    update = (
        sa.update(t)
        .where(
            t.c.id == sa.bindparam("k_id", type_=t.c.id.type),
            t.c.version == sa.bindparam("k_version", type_=t.c.version.type),
        )
        .values({**values, "version": t.c.version + 1})
        .returning(t.c.id)
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


#: The columns of a window a change writes (its version moves by one).
_COLUMNS = tuple(lean_desk._SCHEDULE_COLUMNS)


def _place(window: SupplySchedule) -> dict[str, Any]:
    """The parameters of :func:`benchmarks.lean_desk._window_read`."""
    return {
        "k_reference": window.reference,
        "k_municipality_id": window.municipality_id,
        "k_locality_id": window.locality_id,
        "k_sector_id": window.sector_id,
        "k_neighbourhood_id": window.neighbourhood_id,
        "k_area_id": window.area_id,
    }


def lean_update_window(
    sql: SqlBackend,
    window: SupplySchedule,
    *,
    now: datetime,
    actor: int,
    overlap_as_gsan: bool = False,
) -> SupplySchedule:
    """Store a window changed in its own place and month, lean: its key
    locked, the month's windows read (the window's version among them),
    PAM-02/PAM-03/PAM-05 checked, the update and its event in one
    statement."""
    lock = lean_sql.built(sql, "desk window lock", lean_desk._lock)
    read = lean_sql.built(sql, "desk window read", lambda: lean_desk._window_read(sql))
    write = lean_sql.built(sql, "desk window update", lambda: _window_update(sql))
    place = _place(window)
    key = "supply schedule " + "/".join(
        "-" if p is None else str(p) for p in place.values()
    )
    with sql.engine.begin() as connection:
        connection.execute(lock, {"k_key": key})
        others = [
            lean_desk._schedule_of(row)
            for row in connection.execute(read, place).mappings()
        ]
        current = next(o for o in others if o.id == window.id)
        assert current.version == window.version  # PAM-05
        stored = attrs.evolve(window, version=current.version + 1)
        found = rules.check_schedule(stored, others, overlap_as_gsan=overlap_as_gsan)
        assert not found, found
        event = SupplyScheduleChanged(
            occurred_at=now,
            actor=actor,
            schedule_id=window.id,
            kind=window.kind,
            change="changed",
        )
        row = sql.mappers.supply_schedule.to_row(stored)
        values = lean_sql.params("w_", {c: row[c] for c in _COLUMNS if c != "id"})
        values |= {"k_id": window.id, "k_version": window.version}
        values |= _event(event, now, actor)
        assert len(connection.execute(write, values).all()) == 1
    return stored


def _window_lock(sql: SqlBackend) -> Any:
    t = sql.tables["supply_schedule"]
    return (
        sa.select(t)
        .where(t.c.id == sa.bindparam("k_id", type_=t.c.id.type))
        .with_for_update()
    )


def _window_delete(sql: SqlBackend) -> Any:
    t = sql.tables["supply_schedule"]
    delete = (
        sa.delete(t)
        .where(t.c.id == sa.bindparam("k_id", type_=t.c.id.type))
        .returning(t.c.id)
    )
    return lean_sql.one_statement([delete, *lean_sql.outbox_rows(sql, 1)])


def lean_remove_window(
    sql: SqlBackend,
    window_id: int,
    *,
    now: datetime,
    actor: int,
    expected_version: int | None = None,
) -> SupplySchedule:
    """Remove a window, lean: ``BEGIN``, the window under its row lock
    (PAM-05's version), its deletion and its event in one statement,
    ``COMMIT``."""
    read = lean_sql.built(sql, "desk window lock read", lambda: _window_lock(sql))
    write = lean_sql.built(sql, "desk window delete", lambda: _window_delete(sql))
    with sql.engine.begin() as connection:
        (row,) = connection.execute(read, {"k_id": window_id}).mappings().all()
        current = lean_desk._schedule_of(row)
        assert expected_version in (None, current.version)  # PAM-05
        event = SupplyScheduleChanged(
            occurred_at=now,
            actor=actor,
            schedule_id=window_id,
            kind=current.kind,
            change="removed",
        )
        values = {"k_id": window_id} | _event(event, now, actor)
        assert len(connection.execute(write, values).all()) == 1
    return current


# ------------------------------------------------------------------ measures
def measure_send_message(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` messages typed by hand queued by each side."""
    ids = id_ranges.take("send_message")
    max_length = gsan.profile.service_requests.sms_max_length

    def library(n: int) -> None:
        gsan.service_desk.send_message(
            phone="(82) 99876-5432",
            text=f"SUA FATURA VENCE AMANHA {n}",
            actor=scale.ADMIN,
        )

    def baseline(n: int) -> None:
        lean_send_message(
            sql,
            phone="(82) 99876-5432",
            text=f"SUA FATURA VENCE AMANHA {n}",
            message_id=next(ids),
            max_length=max_length,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "queue a text message (lean SQL)", size, library_s, baseline_s
    )


def windows(
    gsan: gsan_core.System, count: int, *, first_area: int, day: int = 6
) -> list[SupplySchedule]:
    """``count`` supply windows added through the library, each to an area of
    its own from ``first_area`` (January ``day``, 6 to 18 h)."""
    return [
        lean_desk.schedule(gsan, lean_desk._window(first_area + n, day))
        for n in range(count)
    ]


def measure_update_window(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` windows moved a day later by each side, each in a month
    of its own with a window of the day before (areas no repeat used)."""
    first = AREAS + 10 * skip
    made = windows(gsan, 2 * count, first_area=first)
    windows(gsan, 2 * count, first_area=first, day=4)  # the month's others

    def later(w: SupplySchedule) -> SupplySchedule:
        return attrs.evolve(
            w, starts_on=w.starts_on.replace(day=7), ends_on=w.ends_on.replace(day=7)
        )

    def library(n: int) -> None:
        gsan.service_desk.update_schedule(later(made[2 * n]), actor=scale.ADMIN)

    def baseline(n: int) -> None:
        lean_update_window(
            sql, later(made[2 * n + 1]), now=scale.NOW, actor=scale.ADMIN
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a schedule window (lean SQL)", size, library_s, baseline_s
    )


def measure_remove_window(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` windows removed by each side (areas no repeat used)."""
    made = [
        w.id for w in windows(gsan, 2 * count, first_area=AREAS + 500_000 + 10 * skip)
    ]

    def library(n: int) -> None:
        gsan.service_desk.remove_schedule(schedule_id=made[2 * n], actor=scale.ADMIN)

    def baseline(n: int) -> None:
        lean_remove_window(sql, made[2 * n + 1], now=scale.NOW, actor=scale.ADMIN)

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "remove a schedule window (lean SQL)", size, library_s, baseline_s
    )
