"""Changing a connection's situation beside its lean SQL (issue 20, fifth round).

:func:`lean_change_situation` is what a database engineer would write for
"Alterar Situação da Ligação" (UC0555) closing its open order of type 1004
with execution, the water connection going back to FACTÍVEL (V-AS4) and its
row deleted: ``BEGIN``, one joined read with the property locked (the order,
its type's charge values, the property, its block's networks, its water
connection, a meter installed at either point, its open debts, its route's
field lock, the permission to change with debts and the closing user's
unit), one write statement (the property's situation, the connection row
deleted, the history row, the order closed, its unit record, the outbox
counter and the three outbox rows: ``connection.operation_applied``,
``service_order.closed`` and ``service_order.commercial_applied``),
``COMMIT``. Its checks are asserts: the measured calls are all accepted. It
is PostgreSQL's (the benchmark's database); its statements are built once
with bound parameters, as the library builds its own.

:func:`measure_change_situation` times it beside the library on the scale
report's utility (``python -m benchmarks.commands --only change_situation``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_sql, scale, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.connections import ChangeSituationInput, ConnectionTarget
from gsan_core.model.properties import NetworkIndicator
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation

__all__ = [
    "changeable",
    "feasible_water",
    "lean_change_situation",
    "measure_change_situation",
]

#: The type of order that changes a connection's situation (UC0555).
CHANGE_TYPE = 1004
#: The outbox rows the command writes, in the library's order.
_TAGS = (
    "connection.operation_applied",
    "service_order.closed",
    "service_order.commercial_applied",
)


def feasible_water(gsan: gsan_core.System) -> int:
    """The FACTÍVEL water situation (V-AS4 offers it on a block with a
    network)."""
    return min(gsan.profile.ids("water_status.feasible"))


def _change_read(sql: SqlBackend) -> sa.Select[Any]:
    """What the change reads of order ``:k_order`` with its property locked,
    for ``:actor`` and ``:permission_id``."""
    t = sql.tables
    order, prop, block = t["service_order"], t["property"], t["block"]
    water, install, debt = (
        t["water_connection"],
        t["hydrometer_installation"],
        t["open_debt"],
    )
    route, lock, granted = t["route"], t["field_lock"], t["user_permission"]
    user, priced = t["user"], t["service_charge_value"]
    metered = sa.exists().where(
        install.c.property_id == prop.c.id, install.c.removed_on.is_(None)
    )
    allowed = sa.exists().where(
        granted.c.user_id == sa.bindparam("actor"),
        granted.c.permission_id == sa.bindparam("permission_id"),
    )
    unit = sa.select(user.c.unit_id).where(user.c.id == sa.bindparam("actor"))
    return (
        sa.select(
            order.c.version.label("order_version"),
            order.c.situation,
            order.c.service_type_id,
            order.c.request_id,
            prop.c.id.label("property_id"),
            prop.c.version,
            prop.c.active,
            prop.c.water_status_id,
            prop.c.sewer_status_id,
            block.c.water_network,
            water.c.version.label("water_version"),
            metered.label("metered"),
            sa.exists().where(debt.c.property_id == prop.c.id).label("debts"),
            allowed.label("allowed"),
            route.c.simultaneous_printing,
            lock.c.reference,
            sa.exists()
            .where(priced.c.service_type_id == order.c.service_type_id)
            .label("priced"),
            unit.scalar_subquery().label("unit_id"),
        )
        .select_from(
            order.join(prop, prop.c.id == order.c.property_id)
            .join(block, block.c.id == prop.c.block_id)
            .outerjoin(water, water.c.id == prop.c.id)
            .outerjoin(route, route.c.id == prop.c.route_id)
            .outerjoin(lock, lock.c.route_id == route.c.id)
        )
        .where(order.c.id == sa.bindparam("k_order"))
        .with_for_update(of=prop)
    )


def _change_write(sql: SqlBackend) -> Any:
    t = sql.tables
    prop, water, history = t["property"], t["water_connection"], t["situation_change"]
    order, unit = t["service_order"], t["order_unit"]
    writes = [
        sa.update(prop)
        .where(
            prop.c.id == sa.bindparam("k_property"),
            prop.c.version == sa.bindparam("k_version"),
        )
        .values(lean_sql.bound(prop, "p_", "water_status_id", "version"))
        .returning(prop.c.id),
        sa.delete(water)
        .where(
            water.c.id == sa.bindparam("k_water"),
            water.c.version == sa.bindparam("k_water_version"),
        )
        .returning(water.c.id),
        sa.insert(history)
        .values(lean_sql.bound(history, "h_"))
        .returning(history.c.id),
        sa.update(order)
        .where(
            order.c.id == sa.bindparam("k_order"),
            order.c.version == sa.bindparam("k_order_version"),
        )
        .values(
            lean_sql.bound(
                order,
                "s_",
                "situation",
                "closed_at",
                "closing_reason_id",
                "commercial_applied",
                "charge_percentage",
                "version",
            )
        )
        .returning(order.c.id),
        lean_sql.trail_insert(
            sql,
            **lean_sql.bound(
                unit, "u_", "id", "order_id", "unit_id", "user_id", "relation", "at"
            ),
        ),
        *lean_sql.outbox_rows(sql, len(_TAGS)),
    ]
    return lean_sql.one_statement(writes)


def lean_change_situation(
    sql: SqlBackend,
    order_id: int,
    *,
    water_status_id: int,
    reason_id: int,
    permission_id: int,
    ids: Iterator[int],
    now: datetime,
    zone: ZoneInfo,
    actor: int,
) -> None:
    """Close order ``order_id`` (type 1004) changing its property's water
    situation to ``water_status_id``, lean: one read, the property locked,
    then every row in one statement."""
    read = lean_sql.built(sql, "change read", lambda: _change_read(sql))
    write = lean_sql.built(sql, "change", lambda: _change_write(sql))
    asked = {"k_order": order_id, "actor": actor, "permission_id": permission_id}
    with sql.engine.begin() as connection:
        row = connection.execute(read, asked).one()
        assert row.service_type_id == CHANGE_TYPE
        assert row.situation == int(OrderSituation.PENDING)
        assert row.request_id is None
        assert not row.priced
        assert row.active
        assert row.water_network != int(NetworkIndicator.NONE)  # V-AS4
        assert not row.debts or row.allowed
        assert not row.metered
        assert row.reference is None or not row.simultaneous_printing
        assert row.water_version is not None
        assert row.water_status_id != water_status_id
        home, local = row.property_id, now.astimezone(zone)
        history = {
            "id": next(ids),
            "property_id": home,
            "kind": "water",
            "before_id": row.water_status_id,
            "after_id": water_status_id,
            "effective_on": local.date(),
            "at": now,
            "operation": "connection.change_situation",
            "order_id": order_id,
            "actor": actor,
            "reading": None,
        }
        record = {
            "id": next(ids),
            "order_id": order_id,
            "unit_id": row.unit_id,
            "user_id": actor,
            "relation": int(OrderUnitRelation.CLOSED),
            "at": now,
        }
        closed = {
            "situation": int(OrderSituation.CLOSED),
            "closed_at": now,
            "closing_reason_id": reason_id,
            "commercial_applied": True,
            "charge_percentage": 100,  # no charge: the whole of none
            "version": row.order_version + 1,
        }
        params = {
            "k_order": order_id,
            "k_order_version": row.order_version,
            "k_property": home,
            "k_version": row.version,
            "k_water": home,
            "k_water_version": row.water_version,
        }
        params |= lean_sql.params("p_", {"water_status_id": water_status_id})
        params |= {"p_version": row.version + 1}
        params |= lean_sql.params("h_", history) | lean_sql.params("u_", record)
        params |= lean_sql.params("s_", closed)
        params |= _events(row, order_id, water_status_id, reason_id, local, actor)
        assert len(connection.execute(write, params).all()) == 1


def _events(
    row: Any,
    order_id: int,
    water_status_id: int,
    reason_id: int,
    local: datetime,
    actor: int,
) -> dict[str, Any]:
    """The three outbox rows' parameters (``o0_*``, ``o1_*``, ``o2_*``);
    ``local``: now in the utility's zone."""
    now = local.astimezone(UTC)
    home = row.property_id
    payloads: list[dict[str, Any]] = [
        {
            "property_id": home,
            "operation": "connection.change_situation",
            "gsan_operation": 857,
            "order_id": order_id,
            "effective_on": local.date().isoformat(),
            "water_before": row.water_status_id,
            "water_after": water_status_id,
            "sewer_before": row.sewer_status_id,
            "sewer_after": row.sewer_status_id,
            "removed": ["water"],
        },
        {
            "order_id": order_id,
            "closing_reason_id": reason_id,
            "executed": True,
            "closed_at": local.isoformat(),
            "request_id": None,
        },
        {
            "order_id": order_id,
            "operation": "connection.change_situation",
            "property_id": home,
            "via_closing": True,
        },
    ]
    found: dict[str, Any] = {}
    for n, (tag, payload) in enumerate(zip(_TAGS, payloads, strict=True)):
        head = {"type": tag, "occurred_at": now.isoformat(), "actor": actor}
        values = {
            "tag": tag,
            "occurred_at": now,
            "actor": actor,
            "payload": head | payload,
        }
        found |= lean_sql.params(f"o{n}_", values)
    return found


# ---------------------------------------------------------------- measure
def changeable(sql: SqlBackend, limit: int) -> list[int]:
    """Up to ``limit`` active properties with a water connection row, on a
    block with a water network, without a meter, open debts or a route in
    field, spread over the utility."""
    t = sql.tables
    prop, block, water = t["property"], t["block"], t["water_connection"]
    install, debt, lock = t["hydrometer_installation"], t["open_debt"], t["field_lock"]
    statement = (
        sa.select(prop.c.id)
        .join(block, block.c.id == prop.c.block_id)
        .join(water, water.c.id == prop.c.id)
        .where(
            prop.c.active.is_(True),
            block.c.water_network != int(NetworkIndicator.NONE),
            ~sa.exists().where(
                install.c.property_id == prop.c.id, install.c.removed_on.is_(None)
            ),
            ~sa.exists().where(debt.c.property_id == prop.c.id),
            ~sa.exists().where(lock.c.route_id == prop.c.route_id),
        )
        .order_by(prop.c.id)
    )
    with sql.engine.connect() as connection:
        ids = list(connection.execute(statement).scalars())
    step = max(1, len(ids) // limit)
    return ids[::step][:limit]


def measure_change_situation(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` changes by each side, on orders of type 1004 generated for
    the repeat (outside the timing) on properties no earlier repeat changed
    (a changed one has no water connection left)."""
    del skip
    profile = gsan.profile
    (permission,) = profile.ids("permission.change_situation_with_debts")
    reason = profile.id("closing_reason.service_concluded")
    assert reason is not None
    feasible = feasible_water(gsan)
    homes = changeable(sql, 2 * count)
    count = min(count, len(homes) // 2)
    orders = [
        gsan.service_orders.generate(
            service_type_id=CHANGE_TYPE, property_id=home, actor=scale.ADMIN
        ).id
        for home in homes[: 2 * count]
    ]
    scale.analyze(sql)
    back = ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=feasible)
    ids = id_ranges.take("change_situation")

    def library(n: int) -> None:
        gsan.connections.change_situation(
            order_id=orders[2 * n], data=back, actor=scale.ADMIN
        )

    def baseline(n: int) -> None:
        lean_change_situation(
            sql,
            orders[2 * n + 1],
            water_status_id=feasible,
            reason_id=reason,
            permission_id=permission,
            ids=ids,
            now=scale.NOW,
            zone=ZoneInfo(profile.timezone),
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "change a connection's situation (lean SQL)", size, library_s, baseline_s
    )
