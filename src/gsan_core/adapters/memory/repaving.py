"""In-memory repaving works: the automatic acceptance done row by row (the
reference the SQL statement is compared with)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.rules.repaving import converges

__all__ = ["MemoryRepavingRepository", "automatic_remark"]

AUTOMATIC = "ACEITE AUTOMATICO"


def automatic_remark(remark: str | None) -> str:
    """The remark of an automatic acceptance, appended to an existing one."""
    return AUTOMATIC if not remark else f"{remark} {AUTOMATIC}"


class MemoryRepavingRepository(MemoryRepository[RepavingWork]):
    """Repaving works in memory."""

    def accept_convergent(
        self, *, percentage: Decimal, after_id: int, limit: int, user_id: int
    ) -> tuple[Sequence[int], Sequence[int]]:
        pending = [
            w
            for w in self._uow.rows(self._table)
            if w.id > after_id and w.returned_on is not None and w.acceptance is None
        ]
        pending.sort(key=lambda w: w.id)
        chunk = pending[:limit]
        accepted = []
        for work in chunk:
            if converges(work, percentage=percentage):
                self.update(
                    attrs.evolve(
                        work,
                        acceptance=RepavingAcceptance.ACCEPTED,
                        accepted_on=work.returned_on,
                        accepted_by=user_id,
                        acceptance_remark=automatic_remark(work.acceptance_remark),
                        version=work.version + 1,
                    )
                )
                accepted.append(work.id)
        return [w.id for w in chunk], accepted
