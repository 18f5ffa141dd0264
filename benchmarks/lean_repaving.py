"""A repaving service's change beside its lean SQL (issue 20, eleventh round).

``repaving.update_service`` ("Manter Serviço Repavimentadora", PAV-09) sends
8 statements on PostgreSQL: ``BEGIN``, the kind's key, the changed row, the
kind's rows, the user, whether the user's unit and the service's unit repave
(the groupings and the unit apart), the update, the outbox, ``COMMIT``. Its
lean version, in the pattern of :mod:`benchmarks.lean_upkeep` (PostgreSQL's,
each statement built once with bound parameters, the checks asserts, the
rules the library's pure ones):

* :func:`lean_update_repaving_service`: ``BEGIN``, the kind's key locked (the
  library's named key, its ``counter`` row), then one read after the lock:
  the kind's rows, each with whether its unit repaves, and the user's unit
  and whether it repaves (PAV-10: it serves a neighbourhood grouping, or is
  active and of a unit type of role ``unit_type.repaving``); then the
  compare-and-set update and ``catalog.item_changed`` in one statement,
  ``COMMIT``: 5 statements. It changes a service's value (its unit stays,
  so the unit read with the row is the unit checked).

A second run of the same change writes nothing: its compare-and-set finds
the version moved, and the lean version refuses it before writing.
:func:`measure_update_repaving_service` times it beside the library
(``python -m benchmarks.commands --only update_repaving_service``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_sql, lean_upkeep, scale, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.catalog import CatalogItem, CatalogKind
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules import catalog as catalog_rules
from gsan_core.rules import repaving_costs as repaving_rules

__all__ = [
    "COMMANDS",
    "SERVICE",
    "lean_update_repaving_service",
    "measure_update_repaving_service",
    "repaving_services",
]

#: The commands measured here (names of ``benchmarks.commands``).
COMMANDS = ("update_repaving_service",)
#: The catalogue kind of the repaving services and of the groupings.
SERVICE = "repaving_service"
GROUPING = "repaving_neighbourhood"


def _unit_of(item: Any) -> Any:
    """The ``unit_id`` attribute of a catalogue row, as a ``bigint`` (ids of
    :mod:`benchmarks.id_ranges` exceed an ``integer``)."""
    return sa.cast(item.c.attributes["unit_id"].as_string(), sa.BigInteger)


def _service_read(sql: SqlBackend) -> Any:
    """The rows of :data:`SERVICE` by id, the changed one ``:k_id`` with
    whether its unit repaves (``x_repaves``), and the unit of the user ``:k_actor`` (``x_unit``) with
    whether it repaves (``x_user_repaves``); the repaving unit types
    ``:k_types``."""
    t = sql.tables
    item, unit, user = t["catalog_item"], t["unit"], t["user"]
    grouping = item.alias("g")
    types: Any = sa.bindparam("k_types", expanding=True)

    def repaves(unit_id: Any) -> Any:
        served = sa.exists().where(
            grouping.c.kind == GROUPING,
            grouping.c.active.is_(True),
            _unit_of(grouping) == unit_id,
        )
        typed = sa.exists().where(
            unit.c.id == unit_id,
            unit.c.active.is_(True),
            unit.c.unit_type_id.in_(types),
        )
        return sa.or_(served, typed)

    actor = sa.bindparam("k_actor", type_=user.c.id.type)
    users = sa.select(user.c.unit_id).where(user.c.id == actor).subquery("u")
    return (
        sa.select(
            item,
            sa.case(
                (
                    item.c.id == sa.bindparam("k_id", type_=item.c.id.type),
                    repaves(_unit_of(item)),
                ),
                else_=None,
            ).label("x_repaves"),
            users.c.unit_id.label("x_unit"),
            repaves(users.c.unit_id).label("x_user_repaves"),
        )
        .select_from(item.outerjoin(users, sa.true()))
        .where(item.c.kind == SERVICE)
        .order_by(item.c.id)
    )


def lean_update_repaving_service(
    sql: SqlBackend,
    spec: CatalogKind,
    service_id: int,
    *,
    expected_version: int,
    value: Decimal,
    profile: UtilityProfile,
    now: datetime,
    actor: int,
) -> CatalogItem:
    """A repaving service given a new value (PAV-09), lean: ``BEGIN``, the
    kind's key locked, its rows read with the units' repaving flags and the
    user's unit, the library's pure ``check_item`` (CAT-1..CAT-4) and
    ``check_service_unit``, the compare-and-set update and its event in one
    statement, ``COMMIT``: 5 statements."""
    lock = lean_sql.built(
        sql, "catalog change lock", lambda: lean_upkeep._catalog_lock(sql)
    )
    read = lean_sql.built(sql, "repaving service read", lambda: _service_read(sql))
    write = lean_sql.built(
        sql, "catalog change", lambda: lean_upkeep._catalog_write(sql)
    )
    types = sorted(profile.ids("unit_type.repaving"))
    with sql.engine.begin() as connection:
        connection.execute(lock, {"k_keys": [f"catalog.{SERVICE}"]})
        rows = (
            connection.execute(
                read, {"k_id": service_id, "k_actor": actor, "k_types": types}
            )
            .mappings()
            .all()
        )
        siblings = [lean_upkeep._item(r) for r in rows]
        (row,) = [r for r in rows if r["id"] == service_id]
        current = lean_upkeep._item(row)
        assert current.version == expected_version
        changed = attrs.evolve(
            current,
            attributes={**current.attributes, "value": value},
            version=current.version + 1,
        )
        found = list(
            catalog_rules.check_item(
                changed, kind=spec, siblings=siblings, lookup=lean_upkeep._no_lookup
            )
        )
        found += repaving_rules.check_service_unit(
            unit_id=changed.integer("unit_id"),
            user_unit_id=row["x_unit"],
            user_repaves=bool(row["x_user_repaves"]),
            repaves=bool(row["x_repaves"]),
        )
        assert not found, found
        typed, wrong = catalog_rules.coerce_attributes(spec, changed.attributes)
        assert not wrong, wrong
        changed = attrs.evolve(changed, attributes=typed)
        values = lean_upkeep.catalog_write_values(
            changed, expected_version, now=now, actor=actor
        )
        assert len(connection.execute(write, values).all()) == 1
    return changed


def repaving_services(
    gsan: gsan_core.System,
    count: int,
    *,
    name: str,
    unit_id: int,
    unit_type: int | None = None,
) -> list[CatalogItem]:
    """A repaving unit ``unit_id`` (of ``unit_type``, by default the profile's
    first repaving unit type) and ``count`` services of it, added through the
    library (by the administrator, whose unit does not repave)."""
    if unit_type is None:
        (unit_type,) = sorted(gsan.profile.ids("unit_type.repaving"))[:1]
    gsan.units.register(
        OrganizationalUnit(
            id=unit_id, name=f"{name} {unit_id}"[:80], unit_type_id=unit_type
        ),
        actor=scale.ADMIN,
    )
    return [
        gsan.repaving.add_service(
            description=f"{name} {n}",
            unit_id=unit_id,
            measure_unit_id=1,
            value=Decimal("45.90"),
            actor=scale.ADMIN,
        )
        for n in range(count)
    ]


def measure_update_repaving_service(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """Two services of a repaving unit of the repeat (added before the
    timing), one each side's, given a new value ``count`` times (a kind of a
    few rows, as a utility's is: the lean version and the library read them
    all, so a service added per call would measure the kind's growth)."""
    unit = id_ranges.take("update_repaving_service: units").block(1)
    mine, theirs = repaving_services(gsan, 2, name=f"RECOMPOSICAO {skip}", unit_id=unit)
    spec = gsan.catalog.kind(SERVICE)

    def value(n: int) -> Decimal:
        return Decimal("47.00") + n

    def library(n: int) -> None:
        gsan.repaving.update_service(
            service_id=mine.id,
            expected_version=mine.version + n,
            attributes={"value": value(n)},
            actor=scale.ADMIN,
        )

    def baseline(n: int) -> None:
        lean_update_repaving_service(
            sql,
            spec,
            theirs.id,
            expected_version=theirs.version + n,
            value=value(n),
            profile=gsan.profile,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a repaving service's value (lean SQL)", size, library_s, baseline_s
    )
