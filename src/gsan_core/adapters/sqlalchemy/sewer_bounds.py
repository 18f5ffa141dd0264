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


def _command(command: sa.Table) -> sa.CTE:
    """The command's row with its criteria's location bounds as columns,
    taken out of its JSON once (a bound absent: the widest one): the scan of
    the scope compares columns, not JSON, per property."""
    criteria = sa.cast(command.c.criteria, postgresql.JSONB)

    def bound(name: str, widest: int) -> sa.ColumnElement[Any]:
        value = criteria[name].astext.cast(sa.BigInteger)
        return sa.func.coalesce(value, sa.literal(widest, sa.BigInteger)).label(
            f"k_{name}"
        )

    return (
        sa.select(
            command,
            *(
                bound(f"{name}_{end}", _LOW if end == "first" else _HIGH)
                for name in ("locality", "sector", "block")
                for end in ("first", "last")
            ),
            criteria["route_ids"].label("k_routes"),
            sa.func.jsonb_array_length(criteria["route_ids"]).label("k_route_count"),
            criteria["property_id"].astext.cast(sa.BigInteger).label("k_property"),
        )
        .where(command.c.id == sa.bindparam("p_command", type_=command.c.id.type))
        .cte("cmd")
    )


def _statement(tables: Any, *, lock_one: bool) -> sa.Select[Any]:
    command, prop = tables["sewer_command"], tables["property"]
    cmd = _command(command)
    k = cmd.c
    scope = sa.and_(
        prop.c.locality_id.between(k.k_locality_first, k.k_locality_last),
        prop.c.sector_id.between(k.k_sector_first, k.k_sector_last),
        prop.c.block_id.between(k.k_block_first, k.k_block_last),
        sa.or_(
            k.k_route_count == 0,
            k.k_routes.op("@>")(sa.func.to_jsonb(prop.c.route_id)),
        ),
        prop.c.id == sa.func.coalesce(k.k_property, prop.c.id),
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
        *(k[c.key] for c in command.c),
        starts.c.id.label("b_first"),
        starts.c.final.label("b_final"),
    ]
    if lock_one:
        # the numbered ids locked by their primary key (the scope is not
        # scanned twice), only where they fit one chunk
        fits = sa.select(sa.func.count()).select_from(numbered).scalar_subquery()
        ids = sa.cast(
            sa.select(sa.func.array_agg(numbered.c.id)).scalar_subquery(),
            postgresql.ARRAY(sa.BigInteger),
        )  # an array, not ANY's subquery form
        locked = (
            sa.select(prop.c.id)
            .where(prop.c.id == sa.any_(ids), fits <= size)
            .order_by(prop.c.id)
            .with_for_update()
            .subquery("locked")
        )
        held = sa.select(sa.func.count()).select_from(locked).scalar_subquery()
        columns.append(held.label("b_locked"))
    return (
        sa.select(*columns)
        .select_from(cmd.outerjoin(starts, sa.true()))
        .order_by(starts.c.id)
    )
