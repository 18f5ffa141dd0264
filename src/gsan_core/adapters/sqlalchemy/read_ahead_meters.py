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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.read_ahead import _entity, _labelled

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["read_deletion"]

#: The joined read, built once per set of tables.
_STATEMENTS: dict[int, sa.Select[Any]] = {}


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
