"""Read ahead for the meter-stock commands (issue 20, sixth round; ADR 0006).

:func:`read_deletion` reads what deleting a meter reads ("Manter
Hidrômetro", remover: the meter at the version its caller read, and GSAN's
dependencies, its installations and its stock movements) in **one**
statement: the meter, how many installation periods name it and how many
movement lines. No lock: the delete is a compare-and-set on the version the
caller read, as before (an installation or a movement written meanwhile by
another transaction still makes the delete fail on its reference).

The rows answer the repository reads the command makes next, once: the
meter by id, the installations' ``count_by(hydrometer_id=...)`` and, when no
line names the meter, its movements (none); a meter with movements has them
read as before (the command refuses it, METER_IN_USE, and names them).

:func:`read_correction` reads what correcting a point's current installation
reads (UC0368 by the property, "sem OS"; issue 20, eleventh round) in **two**
statements: the property's lock (its row: the command's ``properties.lock``),
then one joined read begun after it of both points (one row each, from a
two-row ``VALUES``-like union): the open installation, its meter and the
point's last removal (``MAX(removed_on)``, a scalar subquery). Before, the
three were a statement each after the lock: 7 statements on PostgreSQL, now 5
(BEGIN, the lock, the read, the installation's update with the outbox,
COMMIT). On SQLite the "lock" is a plain read (its writing transaction holds
the database's write lock).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.read_ahead import _aliased, _entity, _labelled
from gsan_core.model.hydrometers import MeasurementPoint

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["read_correction", "read_deletion"]

#: The joined read, built once per set of tables.
_STATEMENTS: dict[int, sa.Select[Any]] = {}
#: The correction's lock and joined read, built once per set of tables.
_CORRECTION: dict[tuple[str, int], tuple[sa.Select[Any], sa.Select[Any]]] = {}


def read_deletion(uow: SqlUnitOfWork, meter_id: int) -> None:
    """Read meter ``meter_id`` and its installations and movement lines
    counted, in one statement, for the deletion's next reads."""
    with translated("hydrometer", meter_id):
        row = (
            uow.connection.execute(_statement(uow), {"k_meter": meter_id})
            .mappings()
            .first()
        )
    meter = None if row is None else _entity(uow, "h", "hydrometer", row)
    uow.keep_ahead("hydrometer", ("id", meter_id), meter)
    if row is None:
        return
    used_by = (("hydrometer_id", meter_id),)
    uow.keep_ahead("hydrometer_installation", ("count", used_by), row["installed"])
    if row["moved"] == 0:
        uow.keep_ahead("hydrometer_movement", ("of_hydrometer", meter_id), [])


def _statement(uow: SqlUnitOfWork) -> sa.Select[Any]:
    key = id(uow.tables["hydrometer"])
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = _build(uow)
    return found


def _build(uow: SqlUnitOfWork) -> sa.Select[Any]:
    t = uow.tables
    meter = t["hydrometer"]

    def counted(table: sa.Table) -> Any:
        return (
            sa.select(sa.func.count())
            .where(table.c.hydrometer_id == meter.c.id)
            .scalar_subquery()
        )

    return sa.select(
        *_labelled({"h": meter}),
        counted(t["hydrometer_installation"]).label("installed"),
        counted(t["hydrometer_movement_line"]).label("moved"),
    ).where(meter.c.id == sa.bindparam("k_meter"))


def read_correction(uow: SqlUnitOfWork, property_id: int) -> None:
    """Lock property ``property_id`` (its own statement, ADR 0004: the root of
    its installations) and read, in one statement after it, what correcting
    the current installation of one of its points reads (UC0368, A-3..A-8),
    for both points: the open installation, its meter and the point's last
    removal. The installation is also kept as read (``read_rows``), so the
    deferred correction sets only the columns it changes."""
    lock, read = _correction(uow)
    params = {"k_property": property_id}
    connection = uow.connection
    with translated("property", property_id):
        row = connection.execute(lock, params).mappings().first()
    if row is None:
        return
    prop = _entity(uow, "p", "property", row)
    uow.keep_ahead("property", ("lock", (property_id,)), {property_id: prop})
    with translated("hydrometer_installation"):
        rows = connection.execute(read, params).mappings().all()
    points = [r["pt"] for r in rows]
    for found in rows:
        point = found["pt"]
        if points.count(point) != 1:
            continue  # two open installations at the point: read as before
        installation = _entity(uow, "i", "hydrometer_installation", found)
        uow.keep_ahead(
            "hydrometer_installation", ("current", property_id, point), installation
        )
        uow.keep_ahead(
            "hydrometer_installation",
            ("last_removal", property_id, point),
            found["last_removal"],
        )
        if installation is None:
            continue
        uow.read_rows("hydrometer_installation", [installation])
        meter = _entity(uow, "h", "hydrometer", found)
        uow.keep_ahead("hydrometer", ("id", installation.hydrometer_id), meter)


def _correction(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The property's lock (its row, as ``properties.lock`` reads it) and the
    joined read of both points (one row each: ``pt``), built once per set of
    tables; the tables aliased, under psycopg's 4 KiB."""
    key = ("correction", id(uow.tables["property"]))
    found = _CORRECTION.get(key)
    if found is not None:
        return found
    a = _aliased(
        uow,
        p="property",
        i="hydrometer_installation",
        h="hydrometer",
        x="hydrometer_installation",
    )
    p, i, h, x = (a[k] for k in "pihx")
    property_id = sa.bindparam("k_property", type_=p.c.id.type)
    lock = (
        sa.select(*_labelled({"p": p})).where(p.c.id == property_id).with_for_update()
    )
    points = sa.union_all(
        *(
            sa.select(sa.literal_column(str(int(point))).label("pt"))
            for point in MeasurementPoint
        )
    ).subquery("pts")
    pt = points.c.pt
    last = (
        sa.select(sa.func.max(x.c.removed_on))
        .where(
            x.c.property_id == property_id,
            x.c.point == pt,
            x.c.removed_on.is_not(None),
        )
        .scalar_subquery()
    )
    joined = points.outerjoin(
        i,
        sa.and_(
            i.c.property_id == property_id, i.c.point == pt, i.c.removed_on.is_(None)
        ),
    ).outerjoin(h, h.c.id == i.c.hydrometer_id)
    read: sa.Select[Any] = (
        sa.select(
            pt.label("pt"), *_labelled({"i": i, "h": h}), last.label("last_removal")
        )
        .select_from(joined)
        .order_by(pt)
    )
    found = _CORRECTION[key] = (lock, read)
    return found
