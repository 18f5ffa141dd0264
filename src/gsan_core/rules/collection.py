"""Which properties of a route get a cut order (the collection action "corte").

* CUT-1: the property is active and its water situation allows a cut
  (``profile.allowed("water.cut")``, GEN-12);
* CUT-2: it has no open cut order already (GEN-13: only one pending cut order);
* CUT-3: its overdue bills (due more than ``overdue_after_days`` ago) are at
  least ``min_overdue_bills`` and add up to at least ``min_overdue_amount``
  (GEN-14);
* CUT-4: a unit is mapped to its locality (GEN-10).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.collection import CutFact
from gsan_core.model.profile import CollectionParameters

__all__ = ["CutDecision", "decide_cut"]


class CutDecision(StrEnum):
    """Why a property does or does not get a cut order."""

    GENERATE = "generate"
    INACTIVE = "inactive property"
    SITUATION = "water situation does not allow a cut"
    OPEN_ORDER = "open cut order"
    NO_DEBT = "overdue debts below the criteria"
    NO_UNIT = "no unit for the locality"


def decide_cut(
    fact: CutFact,
    *,
    debts: Iterable[OpenDebt],
    allowed_situations: frozenset[int],
    criteria: CollectionParameters,
    today: date,
    unit_id: int | None,
) -> CutDecision:
    """CUT-1..CUT-4 for one property, in that order."""
    if not fact.active:
        return CutDecision.INACTIVE
    if fact.water_status_id not in allowed_situations:
        return CutDecision.SITUATION
    if fact.has_open_cut_order:
        return CutDecision.OPEN_ORDER
    limit = today - timedelta(days=criteria.overdue_after_days)
    overdue = [
        d
        for d in debts
        if d.kind is DebtKind.BILL and d.due_date is not None and d.due_date < limit
    ]
    amount = sum((d.amount for d in overdue), Decimal(0))
    if (
        len(overdue) < max(1, criteria.min_overdue_bills)
        or amount < criteria.min_overdue_amount
    ):
        return CutDecision.NO_DEBT
    if unit_id is None:
        return CutDecision.NO_UNIT
    return CutDecision.GENERATE
