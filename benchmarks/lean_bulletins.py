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
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import (
    id_ranges,
    lean_inform_notice,
    lean_sql,
    lean_upkeep,
    scale,
    scale_commands,
)
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.bulletins import (
    BulletinInput,
    BulletinRecorded,
    ConcludedOrderInspected,
    ConcludedOrderInspection,
    InspectionCode,
    OrderBulletin,
)
from gsan_core.model.inspections import OrderAcceptance, OrderAcceptanceRecorded
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.rules import bulletins as rules
from gsan_core.rules import inspections as inspection_rules

__all__ = [
    "COMMANDS",
    "PER_CALL",
    "STEPS",
    "bulletin_orders",
    "bulletin_type",
    "concluded_orders",
    "lean_include_in_bulletin",
    "lean_inspect_concluded",
    "lean_inspect_order",
    "lean_update_bulletin",
    "measure_include_in_bulletin",
    "measure_inspect_concluded",
    "measure_inspect_order",
    "measure_update_bulletin",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = (
    "include_in_bulletin",
    "inspect_concluded",
    "update_bulletin",
    "inspect_order",
)
#: The orders of one bulletin call in the benchmark.
PER_CALL = 20
ACTOR = lean_inform_notice.ACTOR
#: The catalogue kind of a service type's bulletin set-up.
SETUP = "service_type_bulletin"
#: The benchmark's service type asking the bulletin (added once per utility).
BULLETIN_TYPE = "REPOSICAO DE PAVIMENTO BENCH"


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


def _inspect_read(sql: SqlBackend) -> Any:
    """The order ``:k_order`` locked (``FOR UPDATE OF`` the order only: its
    inspection record's id is the order's, the order's lock guards it) with
    its inspection record (columns ``i_<name>``), whether the inspector
    ``:k_inspector`` is a user (``x_known``) and whether the actor ``:k_actor``
    holds one of ``:k_update``/``:k_undo`` (``x_update``/``x_undo``, a
    deactivated user holding none)."""
    t = sql.tables
    order, record = t["service_order"], t["concluded_order_inspection"]
    user, grant = t["user"], t["user_permission"]
    actor = sa.bindparam("k_actor", type_=user.c.id.type)

    def holds(name: str) -> Any:
        wanted: Any = sa.bindparam(
            name, expanding=True, type_=grant.c.permission_id.type
        )
        granted = (
            sa.select(sa.literal(1))
            .select_from(grant.outerjoin(user, user.c.id == grant.c.user_id))
            .where(
                grant.c.user_id == actor,
                grant.c.permission_id.in_(wanted),
                sa.or_(user.c.id.is_(None), user.c.active.is_(True)),
            )
        )
        return sa.exists(granted)

    inspector = sa.bindparam("k_inspector", type_=user.c.id.type)
    return (
        sa.select(
            order,
            *[c.label(f"i_{c.key}") for c in record.c],
            sa.exists().where(user.c.id == inspector).label("x_known"),
            holds("k_update").label("x_update"),
            holds("k_undo").label("x_undo"),
        )
        .select_from(order.outerjoin(record, record.c.id == order.c.id))
        .where(order.c.id == sa.bindparam("k_order", type_=order.c.id.type))
        .with_for_update(of=order)
    )


def _inspect_write(sql: SqlBackend) -> Any:
    """The record ``:r_*`` added, or updated when stored at version
    ``:k_version`` (one version more), with ``bulletin.concluded_order_inspected``
    in the outbox: one statement."""
    t = sql.tables["concluded_order_inspection"]
    values = lean_sql.bound(t, "r_")
    insert = postgresql.insert(t).values(values)
    kept = ("id", "order_id", "bulletin_month", "bulletin_closed_on", "version")
    upsert = insert.on_conflict_do_update(
        index_elements=[t.c.id],
        set_={
            **{k: insert.excluded[k] for k in values if k not in kept},
            "version": t.c.version + 1,
        },
        where=t.c.version == sa.bindparam("k_version", type_=t.c.version.type),
    ).returning(*t.c)
    return lean_sql.one_statement([upsert, *lean_sql.outbox_rows(sql, 1)])


def lean_inspect_concluded(
    sql: SqlBackend,
    *,
    order_id: int,
    code: InspectionCode,
    inspected_on: Sequence[date],
    inspector_id: int | None,
    actor: int,
    profile: UtilityProfile,
    now: datetime,
) -> ConcludedOrderInspection:
    """A concluded selective order's inspection recorded (UC0753, FIS-17/18),
    lean: ``BEGIN``, the order locked and read with its record, the
    inspector's and the permissions' answers in one statement, the library's
    pure ``check_concluded_order`` and ``check_concluded_inspection`` (as
    asserts), the record added or updated and its event in one statement,
    ``COMMIT``: 4 statements. The boxes are not swapped (the library's
    defaults)."""
    read = lean_sql.built(sql, "concluded inspection read", lambda: _inspect_read(sql))
    write = lean_sql.built(
        sql, "concluded inspection write", lambda: _inspect_write(sql)
    )
    zone = ZoneInfo(profile.timezone)
    mapper = sql.mappers.concluded_order_inspection
    with sql.engine.begin() as connection:
        row = (
            connection.execute(
                read,
                {
                    "k_order": order_id,
                    "k_inspector": inspector_id,
                    "k_actor": actor,
                    "k_update": sorted(
                        profile.ids("permission.update_inspection_data")
                    ),
                    "k_undo": sorted(
                        profile.ids("permission.undo_bulletin_inspection")
                    ),
                },
            )
            .mappings()
            .one()
        )
        order = sql.mappers.service_order.from_row(row)
        current = (
            None
            if row["i_id"] is None
            else mapper.from_row({k[2:]: v for k, v in row.items() if k[:2] == "i_"})
        )
        assert not rules.check_concluded_order(order)
        assert order.closed_at is not None
        found = rules.check_concluded_inspection(
            current,
            order_id=order_id,
            closed_on=order.closed_at.astimezone(zone).date(),
            code=code,
            dates=list(inspected_on),
            inspector_id=inspector_id,
            inspector_known=inspector_id is not None and bool(row["x_known"]),
            actor=actor,
            today=now.astimezone(zone).date(),
            today_allowed=profile.service_orders.concluded_inspection_today,
            may_update=bool(row["x_update"]),
            may_undo=bool(row["x_undo"]),
        )
        assert not found, found
        dates = [*inspected_on, None, None, None]
        record = ConcludedOrderInspection(
            id=order_id,
            order_id=order_id,
            code=code,
            inspected_on_1=dates[0],
            inspected_on_2=dates[1],
            inspected_on_3=dates[2],
            inspector_id=inspector_id,
            actor=actor,
        )
        event = ConcludedOrderInspected(
            occurred_at=now, actor=actor, order_id=order_id, code=code
        )
        (payload,) = serialization.to_dicts([event])
        values = lean_sql.params("r_", mapper.to_row(record))
        values |= {"k_version": None if current is None else current.version}
        values |= lean_sql.event(0, event.tag, now, actor, payload)
        (stored,) = connection.execute(write, values).mappings().all()
    return mapper.from_row(stored)


def _bulletin_read(sql: SqlBackend) -> Any:
    """The order ``:k_order`` locked (``FOR UPDATE OF`` the order: its
    bulletin's id is the order's) with its bulletin (columns ``b_<name>``)
    and its type's first active ``service_type_bulletin`` row (columns
    ``s_<name>``, the library's ``bulletin_setup``)."""
    t = sql.tables
    order, record, item = t["service_order"], t["order_bulletin"], t["catalog_item"]
    typed = sa.cast(item.c.attributes["service_type_id"].as_string(), sa.BigInteger)
    setup = (
        sa.select(item)
        .where(
            item.c.kind == SETUP,
            item.c.active.is_(True),
            typed == order.c.service_type_id,
        )
        .order_by(item.c.id)
        .limit(1)
        .lateral("setup")
    )
    return (
        sa.select(
            order,
            *[c.label(f"b_{c.key}") for c in record.c],
            *[c.label(f"s_{c.key}") for c in setup.c],
        )
        .select_from(
            order.outerjoin(record, record.c.id == order.c.id).outerjoin(
                setup, sa.true()
            )
        )
        .where(order.c.id == sa.bindparam("k_order", type_=order.c.id.type))
        .with_for_update(of=order)
    )


def _bulletin_write(sql: SqlBackend) -> Any:
    """The bulletin ``:k_id`` at ``:k_version`` given the quantities
    ``:u_*``, with ``bulletin.recorded`` in the outbox: one statement."""
    table = sql.tables["order_bulletin"]
    update = lean_upkeep._compare_and_set(
        table,
        {
            "id": sa.bindparam("k_id", type_=table.c.id.type),
            "order_id": sa.bindparam("k_order", type_=table.c.order_id.type),
        },
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


def _split(row: Any, prefix: str) -> dict[str, Any] | None:
    """The columns ``<prefix><name>`` of ``row`` by name; None when its id is
    null (an outer join's missing row)."""
    if row[f"{prefix}id"] is None:
        return None
    n = len(prefix)
    return {k[n:]: v for k, v in row.items() if k[:n] == prefix}


def lean_update_bulletin(
    sql: SqlBackend,
    *,
    order_id: int,
    bulletin: BulletinInput,
    actor: int,
    now: datetime,
) -> OrderBulletin:
    """A closed order's bulletin quantities updated (UC1116, ENC-19), lean:
    ``BEGIN``, the order locked and read with its bulletin and its type's
    bulletin set-up in one statement, the library's pure ``check_bulletin``
    and ``bulletin_quantities`` (the checks asserts), the compare-and-set
    update and its event in one statement, ``COMMIT``: 4 statements."""
    read = lean_sql.built(sql, "bulletin read", lambda: _bulletin_read(sql))
    write = lean_sql.built(sql, "bulletin write", lambda: _bulletin_write(sql))
    mapper = sql.mappers.order_bulletin
    with sql.engine.begin() as connection:
        row = connection.execute(read, {"k_order": order_id}).mappings().one()
        order = sql.mappers.service_order.from_row(row)
        found = _split(row, "b_")
        setup_row = _split(row, "s_")
        assert order.situation is OrderSituation.CLOSED
        assert found is not None
        assert setup_row is not None
        setup = lean_upkeep._item(setup_row)
        current = mapper.from_row(found)
        assert not rules.check_bulletin(setup, bulletin, order_id=order_id)
        asphalt, stone, sidewalk = rules.bulletin_quantities(setup, bulletin)
        changed = attrs.evolve(
            current,
            has_pavement=bulletin.has_pavement,
            actor=actor,
            at=now,
            version=current.version + 1,
            asphalt=asphalt,
            paving_stone=stone,
            sidewalk=sidewalk,
        )
        event = BulletinRecorded(occurred_at=now, actor=actor, order_id=order_id)
        values = {
            k: v
            for k, v in mapper.to_row(changed).items()
            if k not in ("id", "order_id")
        }
        params = lean_sql.params("u_", values)
        params |= {"k_id": order_id, "k_order": order_id}
        params |= {"k_version": current.version}
        params |= lean_upkeep._event(event, now, actor)
        assert len(connection.execute(write, params).all()) == 1
    return changed


def _acceptance_read(sql: SqlBackend) -> Any:
    """The order ``:k_order`` locked (``FOR UPDATE OF`` the order: its
    acceptance is added under its lock) with its closing reason (columns
    ``c_<name>``), the non-acceptance reason ``:k_reason`` (``r_<name>``) and
    whether the order was inspected already (``x_already``)."""
    t = sql.tables
    order, item, acceptance = (
        t["service_order"],
        t["catalog_item"],
        t["order_acceptance"],
    )
    closing, reason = item.alias("c"), item.alias("r")
    return (
        sa.select(
            order,
            *[c.label(f"c_{c.key}") for c in closing.c],
            *[c.label(f"r_{c.key}") for c in reason.c],
            sa.exists().where(acceptance.c.order_id == order.c.id).label("x_already"),
        )
        .select_from(
            order.outerjoin(
                closing,
                sa.and_(
                    closing.c.kind == "closing_reason",
                    closing.c.id == order.c.closing_reason_id,
                ),
            ).outerjoin(
                reason,
                sa.and_(
                    reason.c.kind == "non_acceptance_reason",
                    reason.c.id == sa.bindparam("k_reason", type_=reason.c.id.type),
                ),
            )
        )
        .where(order.c.id == sa.bindparam("k_order", type_=order.c.id.type))
        .with_for_update(of=order)
    )


def _acceptance_write(sql: SqlBackend) -> Any:
    """The acceptance ``:a_*`` and ``inspection.order_acceptance`` in the
    outbox: one statement."""
    table = sql.tables["order_acceptance"]
    insert = sa.insert(table).values(lean_sql.bound(table, "a_")).returning(table.c.id)
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def lean_inspect_order(
    sql: SqlBackend,
    *,
    order_id: int,
    accepted: bool,
    actor: int,
    ids: Iterator[int],
    now: datetime,
    reason_id: int | None = None,
    observation: str | None = None,
) -> OrderAcceptance:
    """A contractor's executed order inspected (FIS-14/15), lean: ``BEGIN``,
    the order locked and read with its closing reason, the reason given and
    whether it was inspected already in one statement, the library's pure
    ``check_acceptance`` (an assert), the acceptance (its id from ``ids``)
    and its event in one statement, ``COMMIT``: 4 statements."""
    read = lean_sql.built(sql, "acceptance read", lambda: _acceptance_read(sql))
    write = lean_sql.built(sql, "acceptance write", lambda: _acceptance_write(sql))
    with sql.engine.begin() as connection:
        row = (
            connection.execute(read, {"k_order": order_id, "k_reason": reason_id})
            .mappings()
            .one()
        )
        closing = _split(row, "c_")
        reason = _split(row, "r_")
        found = inspection_rules.check_acceptance(
            order_id=order_id,
            executed=sql.mappers.service_order.from_row(row).situation
            is OrderSituation.CLOSED
            and closing is not None
            and lean_upkeep._item(closing).flag("executed"),
            already=bool(row["x_already"]),
            accepted=accepted,
            reason=None if reason is None else lean_upkeep._item(reason),
            reason_id=reason_id,
            observation=observation,
        )
        assert not found, found
        record = OrderAcceptance(
            id=next(ids),
            order_id=order_id,
            accepted=accepted,
            reason_id=reason_id,
            observation=observation,
            actor=actor,
            at=now,
        )
        event = OrderAcceptanceRecorded(
            occurred_at=now,
            actor=actor,
            order_id=order_id,
            accepted=accepted,
            reason_id=reason_id,
        )
        values = lean_sql.params("a_", sql.mappers.order_acceptance.to_row(record))
        values |= lean_upkeep._event(event, now, actor)
        connection.execute(write, values)
    return record


# ---------------------------------------------------------------- measure
def concluded_orders(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    type_id: int,
    ids: Iterator[int],
    inspected: bool,
    reason_id: int | None = None,
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
            closing_reason_id=reason_id,
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


def inspection_rights(gsan: gsan_core.System, user_id: int) -> None:
    """``user_id`` granted the profile's permissions to update inspection
    data (FIS-18), through the library (a grant kept is kept)."""
    for permission in sorted(gsan.profile.ids("permission.update_inspection_data")):
        gsan.units.grant(user_id=user_id, permission_id=permission, actor=ACTOR)


def measure_inspect_concluded(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``inspect_concluded``'s figure: ``count`` calls a side, each the first
    inspection (reproved yesterday by the administrator) of a selective order
    closed two days ago, the orders made in each round's untimed set-up."""
    type_id, _situation = lean_inform_notice.inspection_setup(gsan)
    inspection_rights(gsan, ACTOR)
    order_ids = id_ranges.take("inspect_concluded")
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    assert len(homes) == 2 * count, len(homes)
    scale.analyze(sql)
    day = gsan.today() - timedelta(days=1)

    def prepare(side: int, calls: range) -> list[int]:
        mine = [homes[2 * call + side] for call in calls]
        return concluded_orders(
            gsan, mine, type_id=type_id, ids=order_ids, inspected=False
        )

    def library(order_id: int) -> None:
        gsan.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.REPROVED,
            inspected_on=[day],
            inspector_id=ACTOR,
            actor=ACTOR,
        )

    def lean(order_id: int) -> None:
        lean_inspect_concluded(
            sql,
            order_id=order_id,
            code=InspectionCode.REPROVED,
            inspected_on=[day],
            inspector_id=ACTOR,
            actor=ACTOR,
            profile=gsan.profile,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.prepared(library, lean, prepare, count)
    name = "inspect a concluded order (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]


def bulletin_type(gsan: gsan_core.System) -> int:
    """The benchmark's service type asking the bulletin (pavement, asphalt
    and sidewalk), added once per utility with its set-up: its id."""
    with gsan.uow_factory() as uow:
        kinds = list(uow.service_types.find_by(description=BULLETIN_TYPE))
    if kinds:
        return kinds[0].id
    type_id = next(id_ranges.take("update_bulletin(type)"))
    gsan.service_orders.add_types(
        [ServiceType(id=type_id, description=BULLETIN_TYPE, abbreviation="REP BENCH")],
        actor=ACTOR,
    )
    gsan.catalog.add(
        SETUP,
        description="REPOSICAO BENCH",
        attributes={
            "service_type_id": type_id,
            "asks_pavement": True,
            "asks_asphalt": True,
            "asks_sidewalk": True,
        },
        actor=ACTOR,
    )
    return type_id


def bulletin_orders(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    type_id: int,
    ids: Iterator[int],
) -> list[int]:
    """An order of ``type_id`` closed two days ago on each of ``homes`` with
    its bulletin (pavement, 2 m² of asphalt): the orders' ids."""
    found = concluded_orders(gsan, homes, type_id=type_id, ids=ids, inspected=False)
    at = gsan.clock.now() - timedelta(days=2)
    bulletins = [
        OrderBulletin(
            id=i,
            order_id=i,
            has_pavement=True,
            asphalt=Decimal(2),
            actor=ACTOR,
            at=at,
        )
        for i in found
    ]
    with gsan.uow_factory() as uow:
        uow.order_bulletins.add_many(bulletins)
        uow.commit()
    return found


def measure_update_bulletin(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``update_bulletin``'s figure: ``count`` calls a side, each giving a
    closed order's bulletin new quantities, the orders and their bulletins
    made in each round's untimed set-up."""
    type_id = bulletin_type(gsan)
    order_ids = id_ranges.take("update_bulletin")
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    assert len(homes) == 2 * count, len(homes)
    scale.analyze(sql)
    full = BulletinInput(has_pavement=True, asphalt=Decimal(3), sidewalk=Decimal(1))

    def prepare(side: int, calls: range) -> list[int]:
        mine = [homes[2 * call + side] for call in calls]
        return bulletin_orders(gsan, mine, type_id=type_id, ids=order_ids)

    def library(order_id: int) -> None:
        gsan.inspections.update_bulletin(
            order_id=order_id, bulletin=full, actor=ACTOR, expected_version=1
        )

    def lean(order_id: int) -> None:
        lean_update_bulletin(
            sql, order_id=order_id, bulletin=full, actor=ACTOR, now=gsan.clock.now()
        )

    library_s, lean_s = scale_commands.prepared(library, lean, prepare, count)
    name = "update an order's bulletin (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]


def measure_inspect_order(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``inspect_order``'s figure: ``count`` calls a side, each accepting
    ("concluir") a contractor's order closed with execution two days ago,
    the orders made in each round's untimed set-up."""
    type_id, _situation = lean_inform_notice.inspection_setup(gsan)
    executed = min(gsan.profile.ids("closing_reason.service_concluded"))
    order_ids = id_ranges.take("inspect_order")
    acceptances = id_ranges.take("inspect_order(lean)")
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    assert len(homes) == 2 * count, len(homes)
    scale.analyze(sql)

    def prepare(side: int, calls: range) -> list[int]:
        mine = [homes[2 * call + side] for call in calls]
        return concluded_orders(
            gsan,
            mine,
            type_id=type_id,
            ids=order_ids,
            inspected=False,
            reason_id=executed,
        )

    def library(order_id: int) -> None:
        gsan.inspections.inspect_order(order_id=order_id, accepted=True, actor=ACTOR)

    def lean(order_id: int) -> None:
        lean_inspect_order(
            sql,
            order_id=order_id,
            accepted=True,
            actor=ACTOR,
            ids=acceptances,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.prepared(library, lean, prepare, count)
    name = "inspect a contractor's executed order (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]


#: The measures of :data:`COMMANDS` by name (``benchmarks.commands``).
STEPS = {
    "include_in_bulletin": measure_include_in_bulletin,
    "inspect_concluded": measure_inspect_concluded,
    "update_bulletin": measure_update_bulletin,
    "inspect_order": measure_inspect_order,
}
