"""Which properties of a route get a cut order (the collection action "corte").

* CUT-1: the property is active and its water situation allows a cut
  (``profile.allowed("water.cut")``, GEN-12);
* CUT-2: it has no open cut order already (GEN-13: only one pending cut order);
* CUT-3: its overdue bills (due more than ``overdue_after_days`` ago) are at
  least ``min_overdue_bills`` and add up to at least ``min_overdue_amount``
  (GEN-14);
* CUT-4: a unit is mapped to its locality (GEN-10);
* CUT-5: with a restriction window for the cut type (GEN-18, CAGEPA), its last
  cut order closed at least that many days ago (a batch skips the property
  where a single generation would refuse it).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from gsan_core.model.billing import OverdueBills
from gsan_core.model.collection import CutFact
from gsan_core.model.profile import CollectionParameters

__all__ = ["CutDecision", "decide_cut", "overdue_limit"]


class CutDecision(StrEnum):
    """Why a property does or does not get a cut order."""

    GENERATE = "generate"
    INACTIVE = "inactive property"
    SITUATION = "water situation does not allow a cut"
    OPEN_ORDER = "open cut order"
    NO_DEBT = "overdue debts below the criteria"
    NO_UNIT = "no unit for the locality"
    RESTRICTED = "within the new order restriction window"


def overdue_limit(today: date, criteria: CollectionParameters) -> date:
    """CUT-3: a bill counts as overdue when it fell due before this day
    (``overdue_after_days`` of grace after its due date)."""
    return today - timedelta(days=criteria.overdue_after_days)


def decide_cut(
    fact: CutFact,
    *,
    overdue: OverdueBills,
    allowed_situations: frozenset[int],
    criteria: CollectionParameters,
    unit_id: int | None,
) -> CutDecision:
    """CUT-1..CUT-4 for one property, in that order; ``overdue`` holds its bills
    due before :func:`overdue_limit`."""
    if not fact.active:
        return CutDecision.INACTIVE
    if fact.water_status_id not in allowed_situations:
        return CutDecision.SITUATION
    if fact.has_open_cut_order:
        return CutDecision.OPEN_ORDER
    if (
        overdue.count < max(1, criteria.min_overdue_bills)
        or overdue.amount < criteria.min_overdue_amount
    ):
        return CutDecision.NO_DEBT
    if unit_id is None:
        return CutDecision.NO_UNIT
    return CutDecision.GENERATE
