"""Service charges: percentage, installments with or without interest, and the
split of a charge over the property's categories (``domain/service-orders.md`` §4).

* CHG-1 (§4.2): the base is the percentage of the value (the percentages a
  charge may use are checked before, COM-06: GSAN's 100, 70, 50);
* CHG-2 (§4.3): with interest ``i`` (% per month, only when the type charges
  interest and there is more than one installment) the installment is the Price
  (French amortisation) payment; every division rounds HALF_UP to 7 places, as
  GSAN's ``Util.dividirArredondando``; without interest it is ``B / n``;
* CHG-3 (§4.3): the total is installment x n, stored with 2 places (GSAN keeps 7
  until its ``numeric(13,2)`` column rounds; the stored value is the same);
* CHG-5 (§4.1): the price lookup ("obter valor do débito"): rows of the type whose
  validity contains the day, with the same metered flag, whose profile, capacity,
  category and subcategory equal the property's or are empty, and whose economies
  range contains the property's economies when the type considers them (else 0);
  the most specific row wins (profile, then capacity, category, subcategory);
  without a row, the type's own value;
* CHG-4 (§4.4): split by category: ``factor = total / economies`` truncated to 2
  places, each category gets ``factor x its economies`` truncated, the leftover
  cents go to the first category.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import attrs

from gsan_core.model.billing import ChargeShare
from gsan_core.model.properties import Economies
from gsan_core.model.service_orders import ServiceChargeValue, ServiceType

__all__ = [
    "ChargeComputation",
    "PriceFacts",
    "apply_percentage",
    "compute_charge",
    "installment_value",
    "lookup_price",
    "select_price_row",
    "split_by_category",
]

SEVEN = Decimal("0.0000001")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(SEVEN, rounding=ROUND_HALF_UP)


def apply_percentage(value: Decimal, percentage: int) -> Decimal:
    """CHG-1: the base of the charge, ``value x percentage / 100``.

    GSAN's ``Util.calcularValorDebitoComPorcentagem`` reduces only by 70 and 50
    and bills any other value as 100 %; the services refuse a percentage the
    profile does not offer before computing (COM-06)."""
    if percentage == 100:
        return value
    return value * Decimal(percentage) / HUNDRED


def installment_value(base: Decimal, installments: int, rate: Decimal) -> Decimal:
    """CHG-2: one installment of ``base`` over ``installments`` at ``rate`` % a month."""
    n = Decimal(installments)
    if rate <= 0 or installments <= 1:
        return _divide(base, n)
    monthly = rate / HUNDRED
    discount = _divide(Decimal(1), (Decimal(1) + monthly) ** installments)
    factor = _divide(Decimal(1) - discount, monthly)
    return _divide(base, factor)


def split_by_category(
    total: Decimal, categories: Sequence[Economies]
) -> tuple[ChargeShare, ...]:
    """CHG-4: the shares of ``total`` per category (leftover cents to the first)."""
    if not categories:
        return ()
    economies = sum(c.count for c in categories)
    factor = (total / Decimal(economies)).quantize(CENT, rounding=ROUND_DOWN)
    amounts = [
        (factor * c.count).quantize(CENT, rounding=ROUND_DOWN) for c in categories
    ]
    amounts[0] += total - sum(amounts)
    return tuple(
        ChargeShare(category_id=c.category_id, economies=c.count, amount=amount)
        for c, amount in zip(categories, amounts, strict=True)
    )


@attrs.frozen(kw_only=True)
class ChargeComputation:
    """What a charge comes to (the "calcular valores" preview of the screens)."""

    value: Decimal
    percentage: int
    base: Decimal
    installments: int
    interest_rate: Decimal
    installment_value: Decimal
    total: Decimal
    shares: tuple[ChargeShare, ...]


def compute_charge(
    *,
    value: Decimal,
    percentage: int = 100,
    installments: int = 1,
    interest_rate: Decimal = Decimal(0),
    charge_interest: bool = False,
    categories: Sequence[Economies] = (),
) -> ChargeComputation:
    """CHG-1..CHG-4 together: base, installment, total and split."""
    base = apply_percentage(value, percentage)
    rate = interest_rate if charge_interest and installments > 1 else Decimal(0)
    installment = installment_value(base, installments, rate)
    total = (installment * installments).quantize(CENT, rounding=ROUND_HALF_UP)
    return ChargeComputation(
        value=value,
        percentage=percentage,
        base=base,
        installments=installments,
        interest_rate=rate,
        installment_value=installment,
        total=total,
        shares=split_by_category(total, categories),
    )


@attrs.frozen(kw_only=True)
class PriceFacts:
    """What the price lookup reads from the property and its meter."""

    metered: bool
    property_profile_id: int | None = None
    capacity_id: int | None = None
    category_id: int | None = None
    subcategory_id: int | None = None
    economies: int = 0


def _fits(row_value: int | None, actual: int | None) -> bool:
    return row_value is None or row_value == actual


def select_price_row(
    rows: Sequence[ServiceChargeValue],
    *,
    service_type: ServiceType,
    on: date,
    facts: PriceFacts,
) -> ServiceChargeValue | None:
    """CHG-5: the price-table row that prices ``service_type`` for a property on
    day ``on`` (the most specific one), or ``None``."""
    economies = facts.economies if service_type.consider_economies else 0
    candidates = [
        row
        for row in rows
        if row.service_type_id == service_type.id
        and row.valid_from <= on <= row.valid_until
        and row.metered == facts.metered
        and _fits(row.property_profile_id, facts.property_profile_id)
        and _fits(row.capacity_id, facts.capacity_id)
        and _fits(row.category_id, facts.category_id)
        and _fits(row.subcategory_id, facts.subcategory_id)
        and (row.economies_from is None or row.economies_from <= economies)
        and (row.economies_to is None or row.economies_to >= economies)
    ]
    if not candidates:
        return None

    def specificity(row: ServiceChargeValue) -> tuple[bool, bool, bool, bool, int]:
        return (
            row.property_profile_id is None,
            row.capacity_id is None,
            row.category_id is None,
            row.subcategory_id is None,
            row.id,
        )

    return min(candidates, key=specificity)


def lookup_price(
    rows: Sequence[ServiceChargeValue],
    *,
    service_type: ServiceType,
    on: date,
    facts: PriceFacts,
) -> Decimal | None:
    """CHG-5: the price of ``service_type`` for a property on day ``on``: the most
    specific row's value, else the type's own value."""
    row = select_price_row(rows, service_type=service_type, on=on, facts=facts)
    return service_type.value if row is None else row.value
