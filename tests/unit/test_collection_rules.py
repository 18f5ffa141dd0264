"""CUT-1..CUT-4: which properties of a route get a cut order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gsan_core.model.billing import DebtKind, OpenDebt, OverdueBills
from gsan_core.model.collection import CutFact
from gsan_core.model.profile import CollectionParameters
from gsan_core.rules.collection import CutDecision, decide_cut, overdue_limit

TODAY = date(2025, 3, 10)
ALLOWED = frozenset({3, 4})


def fact(**changes: object) -> CutFact:
    values: dict[str, object] = {
        "property_id": 1,
        "route_id": 3,
        "locality_id": 7,
        "water_status_id": 3,
        "active": True,
        "has_open_cut_order": False,
    }
    values.update(changes)
    return CutFact(**values)  # type: ignore[arg-type]


def bill(days_overdue: int, amount: str = "50.00", ident: int = 1) -> OpenDebt:
    return OpenDebt(
        id=ident,
        property_id=1,
        kind=DebtKind.BILL,
        amount=Decimal(amount),
        due_date=TODAY - timedelta(days=days_overdue),
    )


def decide(
    subject: CutFact,
    debts: list[OpenDebt],
    *,
    criteria: CollectionParameters | None = None,
    unit_id: int | None = 5,
) -> CutDecision:
    criteria = criteria or CollectionParameters(
        min_overdue_bills=2, overdue_after_days=5
    )
    return decide_cut(
        subject,
        overdue=OverdueBills.of(debts, due_before=overdue_limit(TODAY, criteria)),
        allowed_situations=ALLOWED,
        criteria=criteria,
        unit_id=unit_id,
    )


def test_cut_1_inactive_property_is_skipped() -> None:
    assert (
        decide(fact(active=False), [bill(40), bill(70, ident=2)])
        is CutDecision.INACTIVE
    )


@pytest.mark.parametrize("situation", [1, 2, 5, 6, 8])
def test_cut_1_situation_must_allow_a_cut(situation: int) -> None:
    debts = [bill(40), bill(70, ident=2)]
    assert decide(fact(water_status_id=situation), debts) is CutDecision.SITUATION


def test_cut_2_an_open_cut_order_blocks_a_second_one() -> None:
    debts = [bill(40), bill(70, ident=2)]
    assert decide(fact(has_open_cut_order=True), debts) is CutDecision.OPEN_ORDER


def test_cut_3_needs_the_minimum_number_of_overdue_bills() -> None:
    assert decide(fact(), [bill(40)]) is CutDecision.NO_DEBT
    assert decide(fact(), [bill(40), bill(70, ident=2)]) is CutDecision.GENERATE


def test_cut_3_a_bill_counts_only_after_the_grace_days() -> None:
    grace = CollectionParameters(min_overdue_bills=1, overdue_after_days=5)
    assert decide(fact(), [bill(5)], criteria=grace) is CutDecision.NO_DEBT
    assert decide(fact(), [bill(6)], criteria=grace) is CutDecision.GENERATE


def test_cut_3_needs_the_minimum_amount() -> None:
    rich = CollectionParameters(
        min_overdue_bills=1, min_overdue_amount=Decimal("100.00")
    )
    assert decide(fact(), [bill(40, "99.99")], criteria=rich) is CutDecision.NO_DEBT
    assert decide(fact(), [bill(40, "60"), bill(50, "40", 2)], criteria=rich) is (
        CutDecision.GENERATE
    )


def test_cut_3_only_bills_count() -> None:
    slip = OpenDebt(
        id=9,
        property_id=1,
        kind=DebtKind.PAYMENT_SLIP,
        amount=Decimal(500),
        due_date=TODAY - timedelta(days=90),
    )
    one = CollectionParameters(min_overdue_bills=1)
    assert decide(fact(), [slip], criteria=one) is CutDecision.NO_DEBT


def test_cut_4_needs_a_unit_for_the_locality() -> None:
    debts = [bill(40), bill(70, ident=2)]
    assert decide(fact(), debts, unit_id=None) is CutDecision.NO_UNIT


def test_cut_3_overdue_bills_count_and_add_up_only_bills_due_before_the_limit() -> None:
    slip = OpenDebt(
        id=9, property_id=1, kind=DebtKind.PAYMENT_SLIP, amount=Decimal(500)
    )
    debts = [bill(40, "10.50"), bill(6, "4.25", 2), bill(5, "100", 3), slip]
    limit = overdue_limit(TODAY, CollectionParameters(overdue_after_days=5))
    assert limit == TODAY - timedelta(days=5)
    assert OverdueBills.of(debts, due_before=limit) == OverdueBills(
        count=2, amount=Decimal("14.75")
    )
    assert OverdueBills.of([], due_before=limit) == OverdueBills()
