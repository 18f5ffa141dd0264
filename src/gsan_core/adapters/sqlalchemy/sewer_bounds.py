"""A sewer command read with its chunk bounds, in one statement (PostgreSQL).

ESG-01's run starts from the command (its criteria) and the chunk bounds of
the properties its criteria's location bounds take in (issue 20, tenth round:
a statement each before). On PostgreSQL one statement reads both: the command
as a CTE, its criteria's location bounds applied from its JSON column (each
bound absent in the JSON is the widest one; the locality range an index
condition of the property scan, parameterised by the command's row), the
bounds as :meth:`SqlSelectiveQueries.chunk_bounds` numbers them, and, with
``lock_one``, the scope's properties locked where they fit one chunk. Other
dialects read the command, then the bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.statement_cache import prepared
from gsan_core.errors import NotFound
from gsan_core.model.sewer_commands import SewerCommand

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["sewer_command_bounds"]

_LOW, _HIGH = -(2**63), 2**63 - 1


def sewer_command_bounds(
    uow: SqlUnitOfWork, command_id: int, size: int, *, lock_one: bool
) -> tuple[SewerCommand, Sequence[tuple[int, int]]]:
    """The command (``NotFound``) and its chunk bounds (see the module)."""
    if uow.connection.dialect.name != "postgresql":
        command = uow.sewer_commands.get(command_id)
        return command, uow.selective.chunk_bounds(
            command.criteria, size, lock_one=lock_one
        )
    table = uow.tables["sewer_command"]
    statement = prepared(
        table,
        f"bounds, lock {lock_one}",
        lambda: _statement(uow.tables, lock_one=lock_one),
    )
    with translated("sewer_command", command_id):
        rows = uow.connection.execute(
            statement, {"p_command": command_id, "p_size": size}
        ).all()
    if not rows:
        raise NotFound("sewer_command", command_id)
    values = rows[0]._mapping
    command = uow.mappers.sewer_command.from_row(
        {c.key: values[c.key] for c in table.c}
    )
    firsts = [int(row.b_first) for row in rows if row.b_first is not None]
    if not firsts:
        return command, []
    ends = [f - 1 for f in firsts[1:]] + [int(rows[0].b_final)]
    return command, list(zip(firsts, ends, strict=True))


def _statement(tables: Any, *, lock_one: bool) -> sa.Select[Any]:
    command, prop = tables["sewer_command"], tables["property"]
    cmd = (
        sa.select(command)
        .where(command.c.id == sa.bindparam("p_command", type_=command.c.id.type))
        .cte("cmd")
    )
    criteria = sa.cast(cmd.c.criteria, postgresql.JSONB)

    def bound(name: str, widest: int) -> sa.ColumnElement[Any]:
        value = criteria[name].astext.cast(sa.BigInteger)
        return sa.func.coalesce(value, sa.literal(widest, sa.BigInteger))

    routes = criteria["route_ids"]
    scope = sa.and_(
        prop.c.locality_id.between(
            bound("locality_first", _LOW), bound("locality_last", _HIGH)
        ),
        prop.c.sector_id.between(
            bound("sector_first", _LOW), bound("sector_last", _HIGH)
        ),
        prop.c.block_id.between(bound("block_first", _LOW), bound("block_last", _HIGH)),
        sa.or_(
            sa.func.jsonb_array_length(routes) == 0,
            routes.op("@>")(sa.func.to_jsonb(prop.c.route_id)),
        ),
        prop.c.id
        == sa.func.coalesce(
            criteria["property_id"].astext.cast(sa.BigInteger), prop.c.id
        ),
    )
    numbered = (
        sa.select(
            prop.c.id,
            sa.func.row_number().over(order_by=prop.c.id).label("n"),
            sa.func.max(prop.c.id).over().label("final"),
        )
        .select_from(cmd)
        .join(prop, scope)
        .cte("numbered")
    )
    size = sa.bindparam("p_size", type_=sa.Integer)
    starts = (
        sa.select(numbered.c.id, numbered.c.final)
        .where((numbered.c.n - 1) % size == 0)
        .subquery("starts")
    )
    columns: list[Any] = [
        *cmd.c,
        starts.c.id.label("b_first"),
        starts.c.final.label("b_final"),
    ]
    if lock_one:
        fits = sa.select(sa.func.count()).select_from(numbered).scalar_subquery()
        locked = (
            sa.select(prop.c.id)
            .select_from(cmd)
            .join(prop, scope)
            .where(fits <= size)
            .order_by(prop.c.id)
            .with_for_update(of=prop)
            .subquery("locked")
        )
        held = sa.select(sa.func.count()).select_from(locked).scalar_subquery()
        columns.append(held.label("b_locked"))
    return (
        sa.select(*columns)
        .select_from(cmd.outerjoin(starts, sa.true()))
        .order_by(starts.c.id)
    )
