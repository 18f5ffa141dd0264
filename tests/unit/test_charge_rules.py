"""Charges (``rules/charges.py``, CHG-1..CHG-5) against hand-worked examples.

Worked by hand with GSAN's rounding (every division HALF_UP to 7 places):

* 300.00 in 3 at 1 %: 1/1.01^3 = 0.9705901; factor = 0.0294099 / 0.01 =
  2.9409900; installment = 300 / 2.94099 = 102.0064672; total 306.0194016 ->
  306.02.
* 150.00 in 6 at 2 %: 1/1.02^6 = 0.8879714; factor = 0.1120286 / 0.02 =
  5.6014300; installment = 150 / 5.60143 = 26.7788761; total 160.6732566 ->
  160.67.
* 100.00 in 3 without interest: 33.3333333 x 3 = 99.9999999 -> 100.00.
* 80.00 over 2 + 1 economies: factor 26.66; 53.32 + 26.66 = 79.98, the 0.02 left
  goes to the first category: 53.34 / 26.66.
* 45.50 over 1 + 1 + 1: factor 15.16 (15.1666 truncated); 15.16 x 3 = 45.48, the
  0.02 left to the first: 15.18 / 15.16 / 15.16.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from gsan_core.model.billing import Charge, ChargeShare
from gsan_core.model.properties import Economies
from gsan_core.model.service_orders import ServiceChargeValue
from gsan_core.rules import charges
from tests.unit.orders_helpers import service_type

D = Decimal


def test_chg_2_installment_with_interest_300_in_3_at_1_percent() -> None:
    assert charges.installment_value(D("300.00"), 3, D("1.00")) == D("102.0064672")
    computed = charges.compute_charge(
        value=D("300.00"),
        installments=3,
        interest_rate=D("1.00"),
        charge_interest=True,
    )
    assert computed.installment_value == D("102.0064672")
    assert computed.total == D("306.02")
    assert computed.interest_rate == D("1.00")


def test_chg_2_installment_with_interest_150_in_6_at_2_percent() -> None:
    computed = charges.compute_charge(
        value=D("150.00"),
        installments=6,
        interest_rate=D("2.00"),
        charge_interest=True,
    )
    assert computed.installment_value == D("26.7788761")
    assert computed.total == D("160.67")


def test_chg_2_without_interest_the_base_is_divided() -> None:
    computed = charges.compute_charge(
        value=D("100.00"),
        installments=3,
        interest_rate=D("1.00"),
        charge_interest=False,
    )
    assert computed.installment_value == D("33.3333333")
    assert computed.total == D("100.00")
    assert computed.interest_rate == 0


def test_chg_2_no_interest_on_a_single_installment() -> None:
    computed = charges.compute_charge(
        value=D("300.00"), installments=1, interest_rate=D("1.00"), charge_interest=True
    )
    assert computed.installment_value == D("300.0000000")
    assert computed.interest_rate == 0
    assert charges.installment_value(D("10"), 2, D(0)) == D("5.0000000")


@pytest.mark.parametrize(
    ("percentage", "base"),
    [(100, D("80.00")), (70, D("56.00")), (50, D("40.00")), (80, D("64.00"))],
)
def test_chg_1_percentage_of_the_value(percentage: int, base: Decimal) -> None:
    """Any percentage a profile offers reduces the value (GSAN's Util bills a
    value other than 70 or 50 as 100 %; the services refuse a percentage the
    profile does not offer before computing, COM-06)."""
    assert charges.apply_percentage(D("80.00"), percentage) == base


def test_chg_1_percentage_applies_before_the_installments() -> None:
    computed = charges.compute_charge(value=D("300.00"), percentage=50, installments=2)
    assert computed.base == D("150.00")
    assert computed.installment_value == D("75.0000000")
    assert computed.total == D("150.00")


def test_chg_4_split_80_over_two_plus_one_economies() -> None:
    shares = charges.split_by_category(
        D("80.00"),
        [Economies(category_id=1, count=2), Economies(category_id=2, count=1)],
    )
    assert [(s.category_id, s.economies, s.amount) for s in shares] == [
        (1, 2, D("53.34")),
        (2, 1, D("26.66")),
    ]


def test_chg_4_split_45_50_over_three_categories() -> None:
    shares = charges.split_by_category(
        D("45.50"), [Economies(category_id=c, count=1) for c in (1, 2, 3)]
    )
    assert [s.amount for s in shares] == [D("15.18"), D("15.16"), D("15.16")]
    assert sum(s.amount for s in shares) == D("45.50")


def test_chg_4_no_categories_no_shares() -> None:
    assert charges.split_by_category(D("10.00"), []) == ()


def test_chg_3_total_carries_the_split() -> None:
    computed = charges.compute_charge(
        value=D("300.00"),
        installments=3,
        interest_rate=D("1.00"),
        charge_interest=True,
        categories=[
            Economies(category_id=1, count=2),
            Economies(category_id=2, count=1),
        ],
    )
    assert sum(s.amount for s in computed.shares) == D("306.02")
    assert [s.amount for s in computed.shares] == [D("204.02"), D("102.00")]


# ---------------------------------------------------------------- price lookup
def row(id: int, value: str, **changes: Any) -> ServiceChargeValue:
    values: dict[str, Any] = {
        "id": id,
        "service_type_id": 10,
        "value": D(value),
        "metered": False,
        "valid_from": date(2025, 1, 1),
        "valid_until": date(2025, 12, 31),
    }
    values.update(changes)
    return ServiceChargeValue(**values)


FACTS = charges.PriceFacts(
    metered=False,
    property_profile_id=1,
    capacity_id=None,
    category_id=1,
    subcategory_id=10,
    economies=3,
)
ON = date(2025, 6, 1)


def price(rows: list[ServiceChargeValue], **changes: Any) -> Decimal | None:
    stype = service_type(value=D("9.99"), **changes)
    return charges.lookup_price(rows, service_type=stype, on=ON, facts=FACTS)


def test_chg_5_falls_back_to_the_type_value() -> None:
    assert price([]) == D("9.99")
    assert price([row(1, "1", valid_until=date(2025, 5, 31))]) == D("9.99")
    assert price([row(1, "1", metered=True)]) == D("9.99")
    assert price([row(1, "1", service_type_id=11)]) == D("9.99")
    assert price([row(1, "1", category_id=2)]) == D("9.99")


def test_chg_5_most_specific_row_wins() -> None:
    rows = [
        row(1, "10.00"),
        row(2, "20.00", subcategory_id=10),
        row(3, "30.00", category_id=1),
        row(4, "40.00", capacity_id=None, category_id=1, subcategory_id=10),
        row(5, "50.00", property_profile_id=1),
    ]
    assert price(rows) == D("50.00")
    assert price(rows[:4]) == D("40.00")
    assert price(rows[:3]) == D("30.00")
    assert price(rows[:2]) == D("20.00")
    assert price(rows[:1]) == D("10.00")
    assert (
        charges.select_price_row(rows, service_type=service_type(), on=ON, facts=FACTS)
        == rows[4]
    )


def test_chg_5_economies_only_when_the_type_considers_them() -> None:
    ranged = [row(1, "10.00", economies_from=2, economies_to=4), row(2, "5.00")]
    assert price(ranged, consider_economies=True) == D("10.00")
    assert price(ranged) == D("5.00")
    out = [row(1, "10.00", economies_from=4), row(2, "5.00", economies_to=2)]
    assert price(out, consider_economies=True) == D("9.99")


def test_charge_shares_are_a_tuple() -> None:
    charge = Charge(
        id=1,
        property_id=2,
        debit_type_id=3,
        total=D("1.00"),
        installments=1,
        installment_value=D("1.00"),
        generated_at=datetime(2025, 1, 1, tzinfo=UTC),
        shares=[ChargeShare(category_id=1, economies=1, amount=D("1.00"))],
        actor=1,
    )
    assert isinstance(charge.shares, tuple)
