"""The meter and connection commands beside their lean SQL (issue 20, fifth round).

The lean version of a command is what a database engineer would write for the
same work, the same rules and the same resulting rows (outbox rows
included): ``BEGIN``, one joined read of what the rules need (with the lock
they need), one write statement (data-modifying CTEs on PostgreSQL),
``COMMIT``. Their checks are asserts: the measured calls are all accepted.
They are PostgreSQL's (the benchmark's database): each statement is built
once with bound parameters, as the library builds its own, so that
SQLAlchemy takes its compiled form from its cache.

* :func:`lean_insert_meter`: "Inserir Hidrômetro" by number (H-1..H-12): the
  active catalogue rows the attributes name and the meter holding the number
  (H-10), then the meter and its ``hydrometer.inserted`` outbox row;
* :func:`lean_update_meter`: "Manter Hidrômetro": the meter and those rows,
  then its compare-and-set update and ``hydrometer.changed``;
* :func:`lean_connect_water`: "Efetuar Ligação de Água sem RA" (UC0354,
  special permission 65): the property locked, its block's network, its
  water connection, its route's field lock, the connection's catalogue rows,
  the tariffs bound to the connection profile (V-LA7) and the permission;
  then the property's situation, the connection row, the history row and
  ``connection.operation_applied``.

:func:`measure_insert`, :func:`measure_update` and :func:`measure_connect`
time them beside the library on the scale report's utility
(``python -m benchmarks.commands``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, Literal

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_sql, scale, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.connections import SewerConnectionInput, WaterConnectionInput
from gsan_core.model.hydrometers import HydrometerAttributes
from gsan_core.model.properties import NetworkIndicator
from gsan_core.testing.hydrometers import METER

__all__ = [
    "CONNECT",
    "COPIED",
    "METER_REFERENCES",
    "check_meter",
    "lean_connect_water",
    "lean_insert_meter",
    "lean_update_meter",
    "measure_connect",
    "measure_insert",
    "measure_update",
    "meter_values",
    "wanted_references",
]

#: The connection the benchmark makes (catalogue rows of the default seeds).
CONNECT = WaterConnectionInput(
    connected_on=scale.TODAY, diameter_id=1, material_id=1, profile_id=1
)
#: The references of a meter's attributes: (attribute, catalogue kind).
METER_REFERENCES = (
    ("type_id", "hydrometer_type"),
    ("brand_id", "hydrometer_brand"),
    ("capacity_id", "hydrometer_capacity"),
    ("diameter_id", "hydrometer_diameter"),
    ("metrological_class_id", "hydrometer_metrological_class"),
    ("register_id", "hydrometer_register"),
    ("turbine_type_id", "hydrometer_turbine_type"),
)
COPIED = tuple(f.name for f in attrs.fields(HydrometerAttributes))

#: The network a connection measure works on.
Network = Literal["water", "sewer"]


def _one_write(sql: SqlBackend, name: str, parts: Callable[[], list[Any]]) -> Any:
    """The writes ``parts`` builds and one outbox row (parameters ``o0_*``),
    the outbox's last, as one statement of data-modifying CTEs (PostgreSQL),
    built once."""
    return lean_sql.built(
        sql,
        name,
        lambda: lean_sql.one_statement([*parts(), *lean_sql.outbox_rows(sql, 1)]),
    )


# ---------------------------------------------------------------- meters
def wanted_references(
    attributes: HydrometerAttributes, location_id: int | None
) -> list[tuple[str, int]]:
    found = [
        (kind, getattr(attributes, name))
        for name, kind in METER_REFERENCES
        if getattr(attributes, name) is not None
    ]
    if location_id is not None:
        found.append(("hydrometer_stock_location", location_id))
    return found


def check_meter(
    rows: list[Any], attributes: HydrometerAttributes, number: str, today: date
) -> int:
    """H-2..H-8 and H-12 on the rows read (asserts); the year of manufacture
    the number's fixed part names."""
    by_kind = {r.kind: r.attributes or {} for r in rows}
    assert len(by_kind) == len(rows)
    capacity = by_kind["hydrometer_capacity"]
    assert capacity.get("code") == number[0]
    assert by_kind["hydrometer_brand"].get("code") == number[3]
    low = int(capacity.get("min_digits") or 1)
    high = int(capacity.get("max_digits") or low)
    assert low <= attributes.reading_digits <= high
    yy = int(number[1:3])
    year = 2000 + yy if yy <= today.year % 100 else 1900 + yy
    assert attributes.acquired_on <= today
    assert attributes.acquired_on.year >= year
    return year


def meter_values(attributes: HydrometerAttributes, year: int) -> dict[str, Any]:
    values = {name: getattr(attributes, name) for name in COPIED}
    values["purpose"] = int(attributes.purpose)
    values["manufacture_year"] = year
    return values


def lean_insert_meter(
    sql: SqlBackend,
    *,
    number: str,
    attributes: HydrometerAttributes,
    location_id: int,
    available: int,
    meter_id: int,
    now: datetime,
    actor: int,
) -> None:
    """Insert one meter, lean: one read of the active catalogue rows its
    attributes and stock location name and of the meter holding the number,
    then the meter and its outbox row in one statement."""
    meter = sql.tables["hydrometer"]
    wanted = wanted_references(attributes, location_id)
    read = lean_sql.built(sql, "insert read", lambda: _meter_read(sql, by_number=True))
    write = _one_write(
        sql, "insert", lambda: [sa.insert(meter).values(lean_sql.bound(meter, "m_"))]
    )
    with sql.engine.begin() as connection:
        rows = list(connection.execute(read, {"wanted": wanted, "number": number}))
        assert len(rows) == len(wanted)
        assert rows[0].holder is None  # H-10
        year = check_meter(rows, attributes, number, now.date())
        row: dict[str, Any] = {c.name: None for c in meter.c}
        row |= meter_values(attributes, year)
        row |= {
            "id": meter_id,
            "number": number,
            "situation_id": available,
            "location_id": location_id,
            "accumulated_reading": 0,
            "version": 1,
        }
        payload = {
            "type": "hydrometer.inserted",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "count": 1,
            "first_id": meter_id,
            "last_id": meter_id,
            "first_number": number,
            "last_number": number,
            "location_id": location_id,
        }
        event = lean_sql.event(0, "hydrometer.inserted", now, actor, payload)
        connection.execute(write, lean_sql.params("m_", row) | event)


def _meter_read(sql: SqlBackend, *, by_number: bool) -> sa.Select[Any]:
    """The active catalogue rows of ``:wanted`` ((kind, id) pairs) with the
    meter holding ``:number`` (``by_number``) or the meter ``:meter_id``."""
    catalog, meter = sql.tables["catalog_item"], sql.tables["hydrometer"]
    wanted = sa.tuple_(catalog.c.kind, catalog.c.id).in_(
        sa.bindparam("wanted", expanding=True)
    )
    if by_number:
        holder = (
            sa.select(meter.c.id)
            .where(meter.c.number == sa.bindparam("number"))
            .scalar_subquery()
        )
        return sa.select(
            catalog.c.kind, catalog.c.attributes, holder.label("holder")
        ).where(catalog.c.active.is_(True), wanted)
    return (
        sa.select(meter.c.number, meter.c.version, catalog.c.kind, catalog.c.attributes)
        .select_from(meter.join(catalog, sa.and_(catalog.c.active.is_(True), wanted)))
        .where(meter.c.id == sa.bindparam("meter_id"))
    )


def lean_update_meter(
    sql: SqlBackend,
    meter_id: int,
    *,
    attributes: HydrometerAttributes,
    expected_version: int,
    now: datetime,
    actor: int,
) -> None:
    """Change one meter's attributes, lean: one read of the meter and the
    active catalogue rows its attributes name, then its compare-and-set update
    and its outbox row in one statement."""
    meter = sql.tables["hydrometer"]
    wanted = wanted_references(attributes, None)
    read = lean_sql.built(sql, "update read", lambda: _meter_read(sql, by_number=False))
    changed = [*COPIED, "version"]
    write = _one_write(
        sql,
        "update",
        lambda: [
            sa.update(meter)
            .where(
                meter.c.id == sa.bindparam("k_id"),
                meter.c.version == sa.bindparam("k_version"),
            )
            .values(lean_sql.bound(meter, "m_", *changed))
            .returning(meter.c.id)
        ],
    )
    with sql.engine.begin() as connection:
        rows = list(connection.execute(read, {"wanted": wanted, "meter_id": meter_id}))
        assert len(rows) == len(wanted)
        number, version = rows[0].number, rows[0].version
        assert version == expected_version
        year = check_meter(rows, attributes, number, now.date())
        payload = {
            "type": "hydrometer.changed",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "hydrometer_id": meter_id,
            "version": version + 1,
        }
        values = meter_values(attributes, year) | {"version": version + 1}
        params = lean_sql.params("m_", values) | {
            "k_id": meter_id,
            "k_version": version,
        }
        event = lean_sql.event(0, "hydrometer.changed", now, actor, payload)
        assert len(connection.execute(write, params | event).all()) == 1


# ---------------------------------------------------------------- connections
def _connect_read(sql: SqlBackend) -> sa.Select[Any]:
    """What connecting water reads (:func:`connection_read`), with whether
    the consumption tariffs accept the ``:profile_id`` (V-LA7)."""
    prop, catalog = sql.tables["property"], sql.tables["catalog_item"]
    tariff = catalog.alias("tariff")
    bound = sa.and_(
        tariff.c.kind == "consumption_tariff",
        sa.cast(tariff.c.attributes["water_profile_id"].as_string(), sa.BigInteger)
        == sa.bindparam("profile_id", type_=sa.BigInteger),
    )
    # V-LA7: no tariff bound to the profile, or the property's among them
    tariff_ok = sa.or_(
        ~sa.exists().where(bound),
        sa.exists().where(bound, tariff.c.id == prop.c.consumption_tariff_id),
    )
    return connection_read(sql, "water", tariff_ok.label("tariff_ok"))


def connection_read(
    sql: SqlBackend, network: Network, extra: sa.ColumnElement[Any]
) -> sa.Select[Any]:
    """What connecting ``network`` (water or sewer) reads of ``:k_property``
    (locked), for the connection's ``:wanted`` catalogue rows, ``:actor`` and
    ``:permission_id``, with the ``extra`` (labelled) column the network's
    own rules need."""
    t = sql.tables
    prop, block, connected = t["property"], t["block"], t[f"{network}_connection"]
    route, lock, catalog = t["route"], t["field_lock"], t["catalog_item"]
    granted, user = t["user_permission"], t["user"]
    references = (
        sa.select(sa.func.count())
        .where(
            catalog.c.active.is_(True),
            sa.tuple_(catalog.c.kind, catalog.c.id).in_(
                sa.bindparam("wanted", expanding=True)
            ),
        )
        .scalar_subquery()
    )
    allowed = sa.exists().where(
        granted.c.user_id == sa.bindparam("actor"),
        granted.c.permission_id == sa.bindparam("permission_id"),
        user.c.id == granted.c.user_id,
        user.c.active.is_(True),
    )
    return (
        sa.select(
            prop.c.version,
            prop.c.active,
            prop.c.water_status_id,
            prop.c.sewer_status_id,
            block.c[f"{network}_network"],
            connected.c.id.label(network),
            route.c.simultaneous_printing,
            lock.c.reference,
            references.label("references"),
            extra,
            allowed.label("allowed"),
        )
        .select_from(
            prop.join(block, block.c.id == prop.c.block_id)
            .outerjoin(connected, connected.c.id == prop.c.id)
            .outerjoin(route, route.c.id == prop.c.route_id)
            .outerjoin(lock, lock.c.route_id == route.c.id)
        )
        .where(prop.c.id == sa.bindparam("k_property"))
        .with_for_update(of=prop)
    )


def connection_writes(sql: SqlBackend, network: Network, prefix: str) -> list[Any]:
    """Connecting ``network``'s writes: the property's situation (``p_``),
    the connection row (``prefix``) and the history row (``h_``)."""
    t = sql.tables
    prop, connected = t["property"], t[f"{network}_connection"]
    history = t["situation_change"]
    return [
        sa.update(prop)
        .where(
            prop.c.id == sa.bindparam("k_id"),
            prop.c.version == sa.bindparam("k_version"),
        )
        .values(lean_sql.bound(prop, "p_", f"{network}_status_id", "version"))
        .returning(prop.c.id),
        sa.insert(connected)
        .values(lean_sql.bound(connected, prefix))
        .returning(connected.c.id),
        sa.insert(history)
        .values(lean_sql.bound(history, "h_"))
        .returning(history.c.id),
    ]


def checked_connectable(
    connection: sa.Connection,
    read: Any,
    network: Network,
    property_id: int,
    data: WaterConnectionInput | SewerConnectionInput,
    *,
    permission_id: int,
    allowed_from: frozenset[int],
    actor: int,
    today: date,
) -> Any:
    """The :func:`connection_read` row of ``property_id`` (locked), what
    both networks' connections check of it asserted: the property active,
    the actor allowed, its ``network`` situation one the connection accepts,
    the block's network there, the catalogue rows active, no route in field
    with simultaneous printing, no connection yet, a connection date not
    after ``today``."""
    wanted = [
        (f"{network}_diameter", data.diameter_id),
        (f"{network}_material", data.material_id),
        (f"{network}_profile", data.profile_id),
    ]
    asked = {
        "k_property": property_id,
        "wanted": wanted,
        "profile_id": data.profile_id,
        "actor": actor,
        "permission_id": permission_id,
    }
    row = connection.execute(read, asked).one()
    assert row.active
    assert row.allowed
    assert getattr(row, f"{network}_status_id") in allowed_from
    assert getattr(row, f"{network}_network") != int(NetworkIndicator.NONE)
    assert row.references == len(wanted)
    assert row.reference is None or not row.simultaneous_printing
    assert getattr(row, network) is None
    assert data.connected_on is not None
    assert data.connected_on <= today
    return row


def connection_history(
    row: Any,
    property_id: int,
    *,
    network: Network,
    gsan_operation: int,
    when: date,
    connected: int,
    history_id: int,
    now: datetime,
    actor: int,
) -> dict[str, Any]:
    """The parameters of a ``network`` connection's history row (``h_*``)
    and of its ``connection.operation_applied`` (``o0_*``), of the read
    ``row`` (:func:`connection_read`)."""
    operation = f"{network}.connect_without_order"
    history = {
        "id": history_id,
        "property_id": property_id,
        "kind": network,
        "before_id": getattr(row, f"{network}_status_id"),
        "after_id": connected,
        "effective_on": when,
        "at": now,
        "operation": operation,
        "order_id": None,
        "actor": actor,
        "reading": None,
    }
    after = {
        "water_after": row.water_status_id,
        "sewer_after": row.sewer_status_id,
    } | {f"{network}_after": connected}
    payload = {
        "type": "connection.operation_applied",
        "occurred_at": now.isoformat(),
        "actor": actor,
        "property_id": property_id,
        "operation": operation,
        "gsan_operation": gsan_operation,
        "order_id": None,
        "effective_on": when.isoformat(),
        "water_before": row.water_status_id,
        "water_after": after["water_after"],
        "sewer_before": row.sewer_status_id,
        "sewer_after": after["sewer_after"],
        "removed": [],
    }
    event = lean_sql.event(0, "connection.operation_applied", now, actor, payload)
    return lean_sql.params("h_", history) | event


def lean_connect_water(
    sql: SqlBackend,
    property_id: int,
    *,
    data: WaterConnectionInput,
    permission_id: int,
    allowed_from: frozenset[int],
    connected: int,
    ids: Iterator[int],
    now: datetime,
    actor: int,
) -> None:
    """Connect water without an order, lean: one read, the property locked,
    of what the rules need, then the property's situation, the connection
    row, the history row and the outbox row in one statement."""
    water = sql.tables["water_connection"]
    read = lean_sql.built(sql, "connect read", lambda: _connect_read(sql))
    write = _one_write(sql, "connect", lambda: connection_writes(sql, "water", "w_"))
    today = now.date()
    with sql.engine.begin() as connection:
        row = checked_connectable(
            connection,
            read,
            "water",
            property_id,
            data,
            permission_id=permission_id,
            allowed_from=allowed_from,
            actor=actor,
            today=today,
        )
        assert row.tariff_ok
        assert data.connected_on is not None
        connection_row: dict[str, Any] = {c.name: None for c in water.c}
        connection_row |= {
            name: getattr(data, name)
            for name in (
                "connected_on",
                "diameter_id",
                "material_id",
                "profile_id",
                "branch_location_id",
                "origin_id",
                "seal_number",
                "street_pavement_id",
                "sidewalk_pavement_id",
                "branch_depth",
                "branch_distance",
                "minimum_consumption",
            )
        }
        connection_row |= {"id": property_id, "implanted_on": today, "version": 1}
        moved = {"water_status_id": connected, "version": row.version + 1}
        params = {"k_id": property_id, "k_version": row.version}
        params |= lean_sql.params("p_", moved) | lean_sql.params("w_", connection_row)
        params |= connection_history(
            row,
            property_id,
            network="water",
            gsan_operation=882,
            when=data.connected_on,
            connected=connected,
            history_id=next(ids),
            now=now,
            actor=actor,
        )
        assert len(connection.execute(write, params).all()) == 1


# ---------------------------------------------------------------- measures
def measure_insert(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` meters inserted by each side, on numbers no repeat used."""
    (available,) = gsan.profile.ids("hydrometer_situation.available")
    ids = id_ranges.take("insert_meter")

    def library(n: int) -> None:
        gsan.hydrometers.insert(
            number=f"B23A{100_000 + skip + n:06d}",
            attributes=METER,
            location_id=1,
            actor=scale.ADMIN,
        )

    def baseline(n: int) -> None:
        lean_insert_meter(
            sql,
            number=f"B23A{500_000 + skip + n:06d}",
            attributes=METER,
            location_id=1,
            available=available,
            meter_id=next(ids),
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "insert a meter (lean SQL)", size, library_s, baseline_s
    )


def measure_update(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` meters changed by each side, of a range inserted for the
    repeat (outside the timing)."""
    first = 1 + skip
    inserted = gsan.hydrometers.insert_range(
        fixed="B22A",
        first=first,
        last=first + 2 * count - 1,
        attributes=METER,
        location_id=1,
        actor=scale.ADMIN,
    )
    scale.analyze(sql)
    meters = range(inserted.first_id, inserted.last_id + 1)
    changed = attrs.evolve(METER, warranty_years=2, invoice_number=1234)

    def library(n: int) -> None:
        gsan.hydrometers.update(
            meters[2 * n], expected_version=1, actor=scale.ADMIN, attributes=changed
        )

    def baseline(n: int) -> None:
        lean_update_meter(
            sql,
            meters[2 * n + 1],
            attributes=changed,
            expected_version=1,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a meter (lean SQL)", size, library_s, baseline_s
    )


def connectable(
    sql: SqlBackend, allowed_from: frozenset[int], *, network: Network = "water"
) -> list[int]:
    """Active properties without a ``network`` (water or sewer) connection,
    in a situation the connection accepts, on a block with that network, off
    routes in field."""
    t = sql.tables
    prop, block = t["property"], t["block"]
    connection_table, lock = t[f"{network}_connection"], t["field_lock"]
    statement = (
        sa.select(prop.c.id)
        .join(block, block.c.id == prop.c.block_id)
        .where(
            prop.c.active.is_(True),
            prop.c[f"{network}_status_id"].in_(sorted(allowed_from)),
            block.c[f"{network}_network"] != int(NetworkIndicator.NONE),
            ~sa.exists().where(connection_table.c.id == prop.c.id),
            ~sa.exists().where(lock.c.route_id == prop.c.route_id),
        )
        .order_by(prop.c.id)
    )
    with sql.engine.connect() as connection:
        return list(connection.execute(statement).scalars())


def measure_connect(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` water connections by each side (see
    :func:`measure_connection`)."""
    del skip
    return measure_connection(
        gsan,
        sql,
        size,
        count,
        network="water",
        library_connect=gsan.connections.connect_water_without_order,
        lean_connect=lean_connect_water,
        data=CONNECT,
    )


def measure_connection(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
    *,
    network: Network,
    library_connect: Callable[..., Any],
    lean_connect: Callable[..., Any],
    data: Any,
) -> dict[str, Any]:
    """``count`` ``network`` (water or sewer) connections without an order by
    each side: the library's ``library_connect`` against the lean
    ``lean_connect``; the properties are put back as they were afterwards
    (outside the timing), as few are unconnected."""
    profile = gsan.profile
    (permission,) = profile.ids(f"permission.connect_{network}_without_request")
    (connected,) = profile.ids(f"{network}_status.connected")
    allowed_from = profile.allowed(f"{network}.connect_without_order")
    if not gsan.units.has_permission(user_id=scale.ADMIN, permission_id=permission):
        gsan.units.grant(user_id=scale.ADMIN, permission_id=permission, actor=0)
    homes = connectable(sql, allowed_from, network=network)
    count = min(count, len(homes) // 2)
    homes = homes[: 2 * count]
    before = _situations(sql, homes, network)
    ids = id_ranges.take(f"connect_{network}")

    def library(n: int) -> None:
        library_connect(property_id=homes[2 * n], data=data, actor=scale.ADMIN)

    def baseline(n: int) -> None:
        lean_connect(
            sql,
            homes[2 * n + 1],
            data=data,
            permission_id=permission,
            allowed_from=allowed_from,
            connected=connected,
            ids=ids,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    try:
        library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
        assert set(_situations(sql, homes, network).values()) == {connected}
    finally:
        _put_back(sql, before, network)
    return scale_commands.command_figure(
        f"connect {network} without an order (lean SQL)", size, library_s, baseline_s
    )


def _situations(sql: SqlBackend, homes: list[int], network: Network) -> dict[int, int]:
    prop = sql.tables["property"]
    status = prop.c[f"{network}_status_id"]
    with sql.engine.connect() as connection:
        return dict(
            connection.execute(
                sa.select(prop.c.id, status).where(prop.c.id.in_(homes))
            ).all()
        )


def _put_back(sql: SqlBackend, situations: dict[int, int], network: Network) -> None:
    """The properties' ``network`` situations as before, their new connection
    rows gone (the history rows stay: they are the record of what was done)."""
    prop, connections = sql.tables["property"], sql.tables[f"{network}_connection"]
    with sql.engine.begin() as connection:
        for status in set(situations.values()):
            homes = [h for h, s in situations.items() if s == status]
            connection.execute(
                sa.update(prop)
                .where(prop.c.id.in_(homes))
                .values({f"{network}_status_id": status, "version": prop.c.version + 1})
            )
        connection.execute(
            sa.delete(connections).where(connections.c.id.in_(list(situations)))
        )
    scale.analyze(sql)
