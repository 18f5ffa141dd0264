"""Installment agreements on the debt statement: the parcelamentos grouped
with their anticipation (EXT-04) and the cash-payment discount of the
parcelamento profile (EXT-15).

The plans and the terms are billing's (the integrator's parcelamento service
answers through the billing port); these rules only group, check and price
what the port gives.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from gsan_core.errors import Violation
from gsan_core.model.accounts import AccountDebts, Anticipation, DebtLine, PlanLines
from gsan_core.model.billing import (
    CashPaymentTerms,
    DebtKind,
    InstallmentPlan,
    InstallmentPlanStatus,
    OpenDebt,
)
from gsan_core.model.profile import SurchargeRounding
from gsan_core.rules.accounts import messages as m

__all__ = [
    "PLAN_FINANCING_TYPES",
    "anticipate",
    "cash_discount",
    "in_plan",
    "plan_lines",
]

ZERO = Decimal(0)
_CENT = Decimal("0.01")
_SEVEN = Decimal("0.0000001")
#: EXT-03: charges of these ``FinanciamentoTipo`` belong to an installment plan
#: (2 PARCELAMENTO_AGUA, 3 _ESGOTO, 4 _SERVICO, 8 JUROS_PARCELAMENTO).
PLAN_FINANCING_TYPES = frozenset({2, 3, 4, 8})


def in_plan(debt: OpenDebt) -> bool:
    """EXT-03, EXT-05: a charge financed by a plan (a plan-financing type with a
    plan; type 2 without a plan is a migration leftover listed on its own), or
    a credit granted by a plan (origem 6, the plan's discounts)."""
    if debt.installment_plan_id is None:
        return False
    if debt.kind is DebtKind.CHARGE:
        return debt.financing_type_id in PLAN_FINANCING_TYPES
    return debt.kind is DebtKind.CREDIT


def plan_lines(
    debts: AccountDebts, plans: Sequence[InstallmentPlan]
) -> tuple[PlanLines, ...]:
    """EXT-04: every plan of situation NORMAL with its remaining charges and
    credits (credits already refunded are not open, ODB-06); plans whose total
    is zero are hidden."""
    found: list[PlanLines] = []
    for plan in sorted(plans, key=lambda p: p.id):
        if plan.status is not InstallmentPlanStatus.NORMAL:
            continue

        def mine(lines: Sequence[DebtLine], plan_id: int = plan.id) -> list[DebtLine]:
            return [
                x
                for x in lines
                if in_plan(x.debt) and x.debt.installment_plan_id == plan_id
            ]

        group = PlanLines(
            plan=plan, charges=mine(debts.charges), credits=mine(debts.credits)
        )
        if group.lines and group.total != ZERO:
            found.append(group)
    return tuple(found)


def _installment(debt: OpenDebt) -> Decimal:
    """ODB-05's installment: the value over the installments, truncated to cents."""
    return (debt.amount / debt.installments).quantize(_CENT, rounding=ROUND_DOWN)


def anticipate(
    plans: Sequence[PlanLines],
    *,
    ticked_plans: Collection[int],
    wanted: Mapping[int, int],
) -> tuple[tuple[Anticipation, ...], list[Violation]]:
    """EXT-04 ``antecipacaoParcela``: ``wanted`` maps a plan's charge or credit
    to the installments paid ahead. Only items of a plan that is not ticked
    whole, with more than one installment left, and from 1 to the installments
    left; anticipating every installment left takes the remaining value (the
    truncation's cents included)."""
    lines = {
        x.debt.id: x
        for group in plans
        if group.plan.id not in ticked_plans
        for x in group.lines
    }
    made: list[Anticipation] = []
    found: list[Violation] = []
    for debt_id, count in sorted(wanted.items()):
        line = lines.get(debt_id)
        left = 0 if line is None else line.debt.remaining_installments
        if line is None or left <= 1 or not 1 <= count <= left:
            found.append(
                m.ANTICIPATION_INVALID(
                    debt_id=debt_id, installments=count, maximum=left
                )
            )
            continue
        value = line.value if count == left else _installment(line.debt) * count
        made.append(
            Anticipation(
                debt_id=debt_id, kind=line.debt.kind, installments=count, value=value
            )
        )
    return tuple(made), found


def _share(value: Decimal, percent: Decimal, rounding: SurchargeRounding) -> Decimal:
    rate = (percent / Decimal(100)).quantize(_SEVEN, rounding=ROUND_HALF_UP)
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_DOWN
    return (value * rate).quantize(_CENT, rounding=mode)


def cash_discount(
    bills: Sequence[DebtLine],
    terms: CashPaymentTerms,
    *,
    rounding: SurchargeRounding,
) -> Decimal:
    """EXT-15: the part of the ticked bills' surcharges the parcelamento
    profile forgives for a cash payment: each bill's fine, interest and
    correction times the terms' percentages (7 places, then cents by the
    surcharge rounding)."""
    total = ZERO
    for line in bills:
        memo = line.surcharge
        if memo is None:
            continue
        total += _share(memo.fine, terms.fine_discount, rounding)
        total += _share(memo.interest, terms.interest_discount, rounding)
        total += _share(memo.correction, terms.correction_discount, rounding)
    return total
