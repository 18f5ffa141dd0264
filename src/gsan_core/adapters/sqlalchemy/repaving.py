"""SQL repaving works: the automatic acceptance (PAV-03) is one select of a
chunk of returned, not yet accepted works and one set-based update of those
that converge."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import SqlRepository
from gsan_core.adapters.sqlalchemy.types import Money
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork

__all__ = ["AUTOMATIC", "SqlRepavingRepository", "convergent"]

AUTOMATIC = "ACEITE AUTOMATICO"


def convergent(
    t: sa.Table, percentage: sa.ColumnElement[Decimal]
) -> sa.ColumnElement[bool]:
    """PAV-03 in SQL: same street pavement and the area within the percentage."""
    return sa.and_(
        t.c.returned_street_pavement_id.is_not_distinct_from(t.c.street_pavement_id),
        sa.or_(
            sa.and_(t.c.street_area.is_(None), t.c.returned_street_area.is_(None)),
            sa.func.abs(t.c.returned_street_area - t.c.street_area)
            <= t.c.street_area * percentage / 100,
        ),
    )


class SqlRepavingRepository(SqlRepository[RepavingWork]):
    """Repaving works in the ``repaving_work`` table."""

    def accept_convergent(
        self, *, percentage: Decimal, after_id: int, limit: int, user_id: int
    ) -> tuple[Sequence[int], Sequence[int]]:
        t = self._table
        chunk = (
            sa.select(t.c.id)
            .where(
                t.c.id > after_id,
                t.c.returned_on.is_not(None),
                t.c.acceptance.is_(None),
            )
            .order_by(t.c.id)
            .limit(limit)
        )
        with translated(self._entity):
            ids = list(self._conn.execute(chunk).scalars())
            if not ids:
                return [], []
            remark = sa.case(
                (t.c.acceptance_remark.is_(None), sa.literal(AUTOMATIC)),
                else_=t.c.acceptance_remark + " " + AUTOMATIC,
            )
            statement = (
                sa.update(t)
                .where(
                    t.c.id.in_(ids),
                    t.c.acceptance.is_(None),
                    convergent(t, sa.literal(percentage, Money())),
                )
                .values(
                    acceptance=int(RepavingAcceptance.ACCEPTED),
                    accepted_on=t.c.returned_on,
                    accepted_by=user_id,
                    acceptance_remark=remark,
                    version=t.c.version + 1,
                )
                .returning(t.c.id)
            )
            accepted = sorted(self._conn.execute(statement).scalars())
        return ids, accepted
