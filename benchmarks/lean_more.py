"""More commands beside their lean SQL (issue 20, ninth round).

Commands of docs/scale.md's list of those without a lean version, in the
pattern of :mod:`benchmarks.lean_meters` (PostgreSQL's, each statement built
once with bound parameters, their checks asserts):

* :func:`lean_connect_sewer`: "Efetuar Ligação de Esgoto sem RA" (UC0353,
  special permission 67): ``BEGIN``, one read, the property locked, of its
  block's sewer network, its sewer connection, its route's field lock, the
  connection's catalogue rows (the profile's sewer percentage among them)
  and the permission; then the property's situation, the connection row, the
  history row and ``connection.operation_applied`` in one statement,
  ``COMMIT``;
* :func:`lean_update_property`: a property's cadastral change (PRO-1..PRO-3):
  ``BEGIN``, one read of the stored row and the rows it points to, the
  compare-and-set update and ``property.changed`` in one statement,
  ``COMMIT``;
* :func:`lean_relate` and :func:`lean_end_relation`: a customer related to a
  property and a relation ended: ``BEGIN``, the property locked, its
  relations read (a statement after the lock: in the lock's own, a relation
  committed while it waited would be missed), the relation's insert or
  compare-and-set update and ``accounts.customer_changed`` in one
  statement, ``COMMIT``.

The ``measure_*`` functions time them beside the library (``python -m
benchmarks.commands --only connect_sewer,update_property,relate,end_relation``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import (
    id_ranges,
    lean_accounts,
    lean_meters,
    lean_sql,
    scale,
    scale_commands,
)
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.mappers import decode_attributes
from gsan_core.model.accounts.customers import (
    CustomerChanged,
    CustomerProperty,
    RelationType,
)
from gsan_core.model.connections import HUNDRED, SewerConnection, SewerConnectionInput
from gsan_core.model.properties import Property, PropertyChanged
from gsan_core.rules import properties as rules
from gsan_core.rules.accounts import customers as accounts_rules
from gsan_core.rules.properties import PropertyReferences

__all__ = [
    "COMMANDS",
    "SEWER",
    "lean_connect_sewer",
    "lean_end_relation",
    "lean_relate",
    "lean_update_property",
    "measure_connect_sewer",
    "measure_end_relation",
    "measure_relate",
    "measure_update_property",
    "sewer_connectable",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("connect_sewer", "update_property", "relate", "end_relation")
#: The sewer connection the benchmark makes (catalogue rows of the default
#: seeds; the profile's sewer percentage taken).
SEWER = SewerConnectionInput(
    connected_on=scale.TODAY,
    diameter_id=1,
    material_id=1,
    profile_id=1,
    grease_trap=False,
)

_OPERATION = "sewer.connect_without_order"
#: The properties a property's change passes over (those of the other
#: figures' first rows).
PROPERTY_SKIP = 5_000


# ---------------------------------------------------------------- sewer
def _sewer_read(sql: SqlBackend) -> sa.Select[Any]:
    """What connecting sewer reads
    (:func:`benchmarks.lean_meters.connection_read`), with the attributes of
    the ``:profile_id`` sewer profile (its percentage)."""
    profile = sql.tables["catalog_item"].alias("profile")
    percentage = (
        sa.select(profile.c.attributes)
        .where(
            profile.c.kind == "sewer_profile",
            profile.c.id == sa.bindparam("profile_id", type_=sa.BigInteger),
        )
        .scalar_subquery()
    )
    return lean_meters.connection_read(sql, "sewer", percentage.label("percentage"))


def _sewer_of(
    property_id: int, data: SewerConnectionInput, attributes: Any
) -> SewerConnection:
    """The new connection of ``data`` (V-LE7..V-LE9 asserted), the sewer
    profile's percentage (its catalogue ``attributes``) when none is given."""
    assert data.collection_percentage in (None, HUNDRED)  # no permission 76
    assert data.connected_on is not None
    assert data.grease_trap is not None
    assert data.diameter_id
    assert data.material_id
    assert data.profile_id
    return SewerConnection(
        id=property_id,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        collection_percentage=HUNDRED,
        sewer_percentage=data.sewer_percentage or _percentage(attributes),
        grease_trap=data.grease_trap,
        connection_indicator=data.connection_indicator,
        minimum_volume=data.minimum_volume,
        drainage_id=data.drainage_id,
        waste_destination_id=data.waste_destination_id,
        inspection_box_id=data.inspection_box_id,
        rainwater_destination_id=data.rainwater_destination_id,
        origin_id=data.origin_id,
    )


def lean_connect_sewer(
    sql: SqlBackend,
    property_id: int,
    *,
    data: SewerConnectionInput,
    permission_id: int,
    allowed_from: frozenset[int],
    connected: int,
    ids: Iterator[int],
    now: datetime,
    actor: int,
) -> SewerConnection:
    """Connect sewer without an order, lean: one read, the property locked,
    of what the rules need (V-LE1..V-LE9), then the property's situation, the
    connection row, the history row and the outbox row in one statement."""
    read = lean_sql.built(sql, "sewer connect read", lambda: _sewer_read(sql))
    write = lean_meters._one_write(
        sql, "sewer connect", lambda: lean_meters.connection_writes(sql, "sewer", "s_")
    )
    with sql.engine.begin() as connection:
        row = lean_meters.checked_connectable(
            connection,
            read,
            "sewer",
            property_id,
            data,
            permission_id=permission_id,
            allowed_from=allowed_from,
            actor=actor,
            today=now.date(),
        )
        assert data.connected_on is not None
        stored = _sewer_of(property_id, data, row.percentage)
        params = lean_meters.connection_history(
            row,
            property_id,
            network="sewer",
            gsan_operation=1002,
            when=data.connected_on,
            connected=connected,
            history_id=next(ids),
            now=now,
            actor=actor,
        )
        moved = {"sewer_status_id": connected, "version": row.version + 1}
        params |= {"k_id": property_id, "k_version": row.version}
        params |= lean_sql.params("p_", moved)
        params |= lean_sql.params("s_", sql.mappers.sewer_connection.to_row(stored))
        assert len(connection.execute(write, params).all()) == 1
    return stored


def _percentage(attributes: Any) -> Decimal:
    """The sewer profile's percentage (its catalogue row's attribute, as
    the library's catalogue decodes it), 100 without one."""
    value = decode_attributes(attributes).get("sewer_percentage")
    return HUNDRED if value is None else Decimal(value)


def sewer_connectable(sql: SqlBackend, allowed_from: frozenset[int]) -> list[int]:
    """Active properties without a sewer connection, in a situation the
    connection accepts, on a block with a sewer network, off routes in field."""
    return lean_meters.connectable(sql, allowed_from, network="sewer")


# ---------------------------------------------------------------- property
#: The location rows a property points to: (tag, table, the value read).
_LINKS = (
    ("locality", "locality"),
    ("sector", "locality_id"),
    ("block", "sector_id"),
    ("route", "locality_id"),
)


def _property_read(sql: SqlBackend) -> Any:
    """What a property's change reads, as one statement: the stored row's
    ``(version, water, sewer)`` (``:k_id``), the catalogue rows ``:wanted``
    (active, attributes) and the location rows ``:locality``, ``:sector``,
    ``:block``, ``:route`` (the locality's active flag, the others' parent):
    rows ``(tag, id, value, other, attributes)``."""
    t = sql.tables
    prop, catalog = t["property"], t["catalog_item"]
    text = sa.null().cast(sa.Text)
    parts: list[Any] = [
        sa.select(
            sa.literal("property").label("tag"),
            prop.c.id,
            prop.c.version.label("value"),
            prop.c.water_status_id.label("other"),
            sa.cast(prop.c.sewer_status_id, sa.Text).label("attributes"),
        ).where(prop.c.id == sa.bindparam("k_id", type_=prop.c.id.type)),
        sa.select(
            catalog.c.kind,
            catalog.c.id,
            sa.case((catalog.c.active, 1), else_=0),
            sa.null(),
            sa.cast(catalog.c.attributes, sa.Text),
        ).where(
            sa.tuple_(catalog.c.kind, catalog.c.id).in_(
                sa.bindparam("wanted", expanding=True)
            )
        ),
    ]
    for tag, value in _LINKS:
        table = t[tag]
        column = (
            sa.case((table.c.active, 1), else_=0)
            if value == "locality"
            else table.c[value]
        )
        parts.append(
            sa.select(sa.literal(tag), table.c.id, column, sa.null(), text).where(
                table.c.id.in_(sa.bindparam(tag, expanding=True))
            )
        )
    return sa.union_all(*parts)


def _property_write(sql: SqlBackend) -> Any:
    """The property's compare-and-set update (``p_*``, ``k_version`` the one
    read) and its event."""
    t = sql.tables["property"]
    update = (
        sa.update(t)
        .where(
            t.c.id == sa.bindparam("k_id", type_=t.c.id.type),
            t.c.version == sa.bindparam("k_version", type_=t.c.version.type),
        )
        .values(lean_sql.bound(t, "p_", *(c.name for c in t.c if c.name != "id")))
        .returning(t.c.id)
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


def _wanted(prop: Property) -> list[tuple[str, int]]:
    """The catalogue rows ``prop`` points to."""
    wanted = [
        ("property_profile", prop.profile_id),
        ("water_status", prop.water_status_id),
        ("sewer_status", prop.sewer_status_id),
    ]
    wanted += [("category", e.category_id) for e in prop.categories]
    wanted += [
        ("subcategory", e.subcategory_id)
        for e in prop.categories
        if e.subcategory_id is not None
    ]
    wanted += [("collection_situation", s) for s in prop.collection_situation_ids]
    if prop.consumption_tariff_id is not None:
        wanted.append(("consumption_tariff", prop.consumption_tariff_id))
    if prop.well_type_id is not None:
        wanted.append(("well_type", prop.well_type_id))
    return sorted(set(wanted))


def _references(rows: Sequence[Any]) -> PropertyReferences:
    """The rules' references of the rows of :func:`_property_read`."""

    def active(kind: str) -> frozenset[int]:
        return frozenset(r.id for r in rows if r.tag == kind and r.value == 1)

    def parent(tag: str) -> dict[int, int]:
        return {r.id: r.value for r in rows if r.tag == tag}

    return PropertyReferences(
        localities=active("locality"),
        sector_locality=parent("sector"),
        block_sector=parent("block"),
        route_locality=parent("route"),
        profiles=active("property_profile"),
        water_statuses=active("water_status"),
        sewer_statuses=active("sewer_status"),
        categories=active("category"),
        subcategory_category={
            r.id: int(
                decode_attributes(json.loads(r.attributes)).get("category_id") or 0
            )
            for r in rows
            if r.tag == "subcategory" and r.value == 1
        },
        collection_situations=active("collection_situation"),
        consumption_tariffs=active("consumption_tariff"),
        well_types=active("well_type"),
    )


def lean_update_property(
    sql: SqlBackend, prop: Property, *, now: datetime, actor: int
) -> Property:
    """Store a cadastral change of a property read at ``prop.version``,
    lean: ``BEGIN``, one read of the stored row and of the rows it points to,
    PRO-1..PRO-3 checked (the library's pure rules), then the compare-and-set
    update and ``property.changed`` in one statement, ``COMMIT``."""
    read = lean_sql.built(sql, "property change read", lambda: _property_read(sql))
    write = lean_sql.built(sql, "property change", lambda: _property_write(sql))
    asked = {
        "k_id": prop.id,
        "wanted": _wanted(prop),
        "locality": [prop.locality_id],
        "sector": [prop.sector_id],
        "block": [prop.block_id],
        "route": [] if prop.route_id is None else [prop.route_id],
    }
    with sql.engine.begin() as connection:
        rows = connection.execute(read, asked).all()
        (stored,) = [r for r in rows if r.tag == "property"]
        assert stored.value == prop.version  # the version read
        before = attrs.evolve(
            prop, water_status_id=stored.other, sewer_status_id=int(stored.attributes)
        )
        found = rules.check_change(before, prop, refs=_references(rows))
        assert not found, found
        changed = attrs.evolve(prop, version=prop.version + 1)
        event = PropertyChanged(
            occurred_at=now, actor=actor, property_id=prop.id, version=changed.version
        )
        row = sql.mappers.property.to_row(changed)
        values = lean_sql.params("p_", {k: v for k, v in row.items() if k != "id"})
        values |= {"k_id": prop.id, "k_version": prop.version}
        (payload,) = serialization.to_dicts([event])
        values |= lean_sql.event(0, event.tag, now, actor, payload)
        assert len(connection.execute(write, values).all()) == 1
    return changed


# ---------------------------------------------------------------- relation
def _property_lock(sql: SqlBackend) -> Any:
    """The property ``:k_property`` locked (its id)."""
    prop = sql.tables["property"]
    return (
        sa.select(prop.c.id)
        .where(prop.c.id == sa.bindparam("k_property", type_=prop.c.id.type))
        .with_for_update()
    )


def _relate_read(sql: SqlBackend) -> Any:
    """The customer ``:k_customer``'s existence and the relations of the
    property ``:k_property`` (one row each, or one of nulls). A statement
    after the lock's: one read with the lock would miss a relation committed
    while it waited (its snapshot is taken before)."""
    t = sql.tables
    rel, customer = t["customer_property"], t["customer"]
    exists = sa.exists().where(
        customer.c.id == sa.bindparam("k_customer", type_=customer.c.id.type)
    )
    one = sa.select(sa.literal(1).label("one")).subquery("one")
    return sa.select(exists.label("k_customer"), *rel.c).select_from(
        one.outerjoin(
            rel,
            rel.c.property_id
            == sa.bindparam("k_property", type_=rel.c.property_id.type),
        )
    )


def _relate_write(sql: SqlBackend) -> Any:
    t = sql.tables["customer_property"]
    insert = sa.insert(t).values(lean_sql.bound(t, "r_")).returning(t.c.id)
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def lean_relate(
    sql: SqlBackend,
    relation: CustomerProperty,
    *,
    now: datetime,
    actor: int,
) -> CustomerProperty:
    """Relate a customer to a property, lean: ``BEGIN``, the property locked,
    its relations and the customer's existence in one read, the rules
    checked (the library's pure ``check_relation``), then the relation and
    ``accounts.customer_changed`` in one statement, ``COMMIT``: 5."""
    lock = lean_sql.built(sql, "relate lock", lambda: _property_lock(sql))
    read = lean_sql.built(sql, "relate read", lambda: _relate_read(sql))
    write = lean_sql.built(sql, "relate", lambda: _relate_write(sql))
    names = [c.key for c in sql.tables["customer_property"].c]
    asked = {"k_property": relation.property_id, "k_customer": relation.customer_id}
    with sql.engine.begin() as connection:
        locked = connection.execute(lock, asked).all()
        rows = connection.execute(read, asked).mappings().all()
        existing = [
            sql.mappers.customer_property.from_row({n: r[n] for n in names})
            for r in rows
            if r["id"] is not None
        ]
        found = accounts_rules.check_relation(
            relation,
            existing=existing,
            customer_exists=bool(rows[0]["k_customer"]),
            property_exists=bool(locked),
        )
        assert not found, found
        event = CustomerChanged(
            occurred_at=now,
            actor=actor,
            customer_id=relation.customer_id,
            property_id=relation.property_id,
        )
        values = lean_sql.params("r_", sql.mappers.customer_property.to_row(relation))
        (payload,) = serialization.to_dicts([event])
        values |= lean_sql.event(0, event.tag, now, actor, payload)
        assert len(connection.execute(write, values).all()) == 1
    return relation


def _end_lock(sql: SqlBackend) -> Any:
    """The property of relation ``:k_id`` locked (its id): the library's
    lock order, the property, then its relations."""
    t = sql.tables
    prop, rel = t["property"], t["customer_property"]
    return (
        sa.select(prop.c.id)
        .select_from(rel.join(prop, prop.c.id == rel.c.property_id))
        .where(rel.c.id == sa.bindparam("k_id", type_=rel.c.id.type))
        .with_for_update(of=prop)
    )


def _end_read(sql: SqlBackend) -> Any:
    """The relations of the property ``:k_property``, read after its lock."""
    rel = sql.tables["customer_property"]
    return sa.select(rel).where(
        rel.c.property_id == sa.bindparam("k_property", type_=rel.c.property_id.type)
    )


def _end_write(sql: SqlBackend) -> Any:
    t = sql.tables["customer_property"]
    update = (
        sa.update(t)
        .where(
            t.c.id == sa.bindparam("k_id", type_=t.c.id.type),
            t.c.version == sa.bindparam("k_version", type_=t.c.version.type),
        )
        .values(lean_sql.bound(t, "r_", "end", "version"))
        .returning(t.c.id)
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


def lean_end_relation(
    sql: SqlBackend, relation_id: int, *, end: date, now: datetime, actor: int
) -> CustomerProperty:
    """End a relation on ``end``, lean: ``BEGIN``, the relation's property
    locked, its relations (the ended one among them) read, the rules checked
    (the library's pure ``check_relation``), then the compare-and-set update
    and ``accounts.customer_changed`` in one statement, ``COMMIT``: 5."""
    read = lean_sql.built(sql, "end relation read", lambda: _end_read(sql))
    lock = lean_sql.built(sql, "end relation lock", lambda: _end_lock(sql))
    write = lean_sql.built(sql, "end relation", lambda: _end_write(sql))
    with sql.engine.begin() as connection:
        (home,) = connection.execute(lock, {"k_id": relation_id}).scalars().all()
        existing = [
            sql.mappers.customer_property.from_row(r)
            for r in connection.execute(read, {"k_property": home}).mappings()
        ]
        (current,) = [r for r in existing if r.id == relation_id]
        changed = attrs.evolve(current, end=end, version=current.version + 1)
        found = accounts_rules.check_relation(
            changed, existing=existing, customer_exists=True, property_exists=True
        )
        assert not found, found
        event = CustomerChanged(
            occurred_at=now,
            actor=actor,
            customer_id=current.customer_id,
            property_id=current.property_id,
        )
        values: dict[str, Any] = {"k_id": relation_id, "k_version": current.version}
        values |= {"r_end": end, "r_version": changed.version}
        (payload,) = serialization.to_dicts([event])
        values |= lean_sql.event(0, event.tag, now, actor, payload)
        assert len(connection.execute(write, values).all()) == 1
    return changed


# ---------------------------------------------------------------- measures
def measure_connect_sewer(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` sewer connections by each side, as the water ones
    (:func:`benchmarks.lean_meters.measure_connection`)."""
    del skip
    return lean_meters.measure_connection(
        gsan,
        sql,
        size,
        count,
        network="sewer",
        library_connect=gsan.connections.connect_sewer_without_order,
        lean_connect=lean_connect_sewer,
        data=SEWER,
    )


def _properties(sql: SqlBackend, count: int, *, skip: int) -> list[int]:
    """``count`` active properties' ids, the ``skip`` first passed."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(prop.c.id)
                .where(prop.c.active.is_(True))
                .order_by(prop.c.id)
                .offset(skip)
                .limit(count)
            ).scalars()
        )


def measure_update_property(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` properties given a new block face by each side (read
    outside the timing), on properties no repeat used."""
    homes = [
        gsan.properties.get(i)
        for i in _properties(sql, 2 * count, skip=PROPERTY_SKIP + 2 * skip)
    ]

    def changed(prop: Property) -> Property:
        return attrs.evolve(prop, block_face=(prop.block_face or 0) + 1)

    def library(n: int) -> None:
        gsan.properties.update(changed(homes[2 * n]), actor=scale.ADMIN)

    def baseline(n: int) -> None:
        lean_update_property(
            sql, changed(homes[2 * n + 1]), now=scale.NOW, actor=scale.ADMIN
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a property (lean SQL)", size, library_s, baseline_s
    )


#: The period of the benchmark's relations: before the synthetic utility's
#: own (a property's responsible then overlaps none).
RELATED = (date(1980, 1, 1), date(1980, 2, 1))


def customer(gsan: gsan_core.System, sql: SqlBackend, name: str) -> int:
    """A new customer registered through the library (of the first customer
    type, the reference rows :func:`benchmarks.lean_accounts.owners` loads
    when missing)."""
    kinds = sql.tables["customer_type"]
    with sql.engine.connect() as connection:
        kind = connection.execute(sa.select(sa.func.min(kinds.c.id))).scalar()
    if kind is None:
        lean_accounts.owners(gsan, sql, [])
        return customer(gsan, sql, name)
    return gsan.accounts.register_customer(
        actor=scale.ADMIN, name=name, customer_type_id=kind
    ).id


def measure_relate(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` properties given a responsible customer (January 1980) by
    each side, on properties no repeat used."""
    who = customer(gsan, sql, f"LEAN RELATE {skip}")
    homes = _properties(sql, 2 * count, skip=PROPERTY_SKIP // 2 + 2 * skip)
    ids = id_ranges.take("relate")
    start, end = RELATED

    def library(n: int) -> None:
        gsan.accounts.relate(
            actor=scale.ADMIN,
            customer_id=who,
            property_id=homes[2 * n],
            relation=RelationType.RESPONSIBLE,
            start=start,
            end=end,
        )

    def baseline(n: int) -> None:
        relation = CustomerProperty(
            id=next(ids),
            customer_id=who,
            property_id=homes[2 * n + 1],
            relation=RelationType.RESPONSIBLE,
            start=start,
            end=end,
        )
        lean_relate(sql, relation, now=scale.NOW, actor=scale.ADMIN)

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "relate a customer to a property (lean SQL)", size, library_s, baseline_s
    )


def measure_end_relation(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` open relations (a responsible since January 1980, made
    through the library outside the timing) ended by each side, on
    properties no repeat used."""
    who = customer(gsan, sql, f"LEAN END {skip}")
    homes = _properties(sql, 2 * count, skip=8_000 + 2 * skip)
    start, end = RELATED
    made = [
        gsan.accounts.relate(
            actor=scale.ADMIN,
            customer_id=who,
            property_id=home,
            relation=RelationType.RESPONSIBLE,
            start=start,
        ).id
        for home in homes
    ]
    scale.analyze(sql)

    def library(n: int) -> None:
        gsan.accounts.end_relation(actor=scale.ADMIN, relation_id=made[2 * n], end=end)

    def baseline(n: int) -> None:
        lean_end_relation(
            sql, made[2 * n + 1], end=end, now=scale.NOW, actor=scale.ADMIN
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "end a customer's relation (lean SQL)", size, library_s, baseline_s
    )
