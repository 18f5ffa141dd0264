"""Segunda Via da Conta (UC0482, SVS-01..SVS-08), with or without its fee."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.accounts import AccountDebts, DebtLine
from gsan_core.model.billing import Charge
from gsan_core.model.profile import SecondCopyParameters
from gsan_core.rules.accounts import messages as m

__all__ = [
    "PLAN_ENTRY_REVIEW_REASON",
    "SECOND_COPY_DEBIT_TYPE",
    "chosen_bills",
    "fee_charges",
    "fee_value",
    "fee_wanted",
]

#: ``DebitoTipo.TAXA_2_VIA_CONTA``.
SECOND_COPY_DEBIT_TYPE = 101
#: ``REVISAO_ENTRADA_DE_PARCELAMENTO``: the one review reason that allows a copy.
PLAN_ENTRY_REVIEW_REASON = 101
_CENT = Decimal("0.01")


def chosen_bills(
    debts: AccountDebts,
    *,
    property_id: int,
    bill_ids: Collection[int] | None,
    needs_document: bool,
    has_document: bool,
    special_situation_blocks: bool = False,
    drop_contract_bills: bool = False,
) -> tuple[DebtLine, ...]:
    """SVS-04, SVS-05, SVS-06, SVS-08: the bills to reprint (every open bill
    when ``bill_ids`` is None), or every reason not to. ``drop_contract_bills``
    (SVS-07, the "manter conjunto de contas" mode with its contract block):
    bills tied to an active contract of parcelamento are left out of the set,
    silently, as GSAN drops them."""
    offered = debts.bills + debts.previous_bills
    if drop_contract_bills:
        contract = {x.debt.id for x in offered if x.debt.contract_id is not None}
        offered = tuple(x for x in offered if x.debt.id not in contract)
        if bill_ids is not None:
            bill_ids = set(bill_ids) - contract
    if not offered:
        raise RuleViolation([m.NO_OPEN_BILL(property_id=property_id)])
    by_id = {x.debt.id: x for x in offered}
    found: list[Violation] = []
    if bill_ids is not None:
        found += [
            m.BILL_NOT_OPEN(debt_id=i, property_id=property_id)
            for i in sorted(set(bill_ids) - set(by_id))
        ]
    chosen = tuple(x for x in offered if bill_ids is None or x.debt.id in bill_ids)
    found += [
        m.BILL_IN_REVIEW(debt_id=x.debt.id)
        for x in chosen
        if x.debt.in_review and x.debt.review_reason_id != PLAN_ENTRY_REVIEW_REASON
    ]
    if special_situation_blocks:
        found.append(m.COPY_SPECIAL_SITUATION(property_id=property_id))
    if needs_document and not has_document:
        found.append(m.CUSTOMER_WITHOUT_DOCUMENT(property_id=property_id))
    if found:
        raise RuleViolation(found)
    return chosen


def fee_wanted(
    *, with_fee: bool, property_profile_id: int, params: SecondCopyParameters
) -> bool:
    """SVS-01: a fee unless the copy is "sem taxa" or the property's profile
    generates no fee."""
    return with_fee and property_profile_id not in params.perfis_sem_taxa


def fee_value(*, social_tariff: bool, params: SecondCopyParameters) -> Decimal:
    """SVS-02: 10 % of the minimum tariff (social for the social-tariff profile)
    HALF_UP to cents, or the parameter value."""
    if params.fee_rule == "parametro":
        return params.valor
    minimum = params.tarifa_minima_social if social_tariff else params.tarifa_minima
    return (minimum * Decimal("0.10")).quantize(_CENT, rounding=ROUND_HALF_UP)


def fee_charges(
    chosen: Sequence[DebtLine],
    *,
    property_id: int,
    value: Decimal,
    ids: Iterable[int],
    at: datetime,
    actor: int,
) -> list[Charge]:
    """SVS-01, SVS-02: the copy's fees, one of ``value`` in a single
    installment per ``chosen`` bill (its reference), ids from ``ids``."""
    return [
        Charge(
            id=ident,
            property_id=property_id,
            debit_type_id=SECOND_COPY_DEBIT_TYPE,
            total=value,
            installments=1,
            installment_value=value,
            generated_at=at,
            reference=line.debt.reference,
            actor=actor,
        )
        for line, ident in zip(chosen, ids, strict=True)
    ]
