"""UC0067 "Obter Débito do Imóvel ou Cliente": the one definition of an open debt.

:func:`select_debts` takes the open items billing returned for a set of
properties and keeps those UC0067 counts, by the query's filters (ODB-01..ODB-08),
pricing the bills' late-payment surcharges through the ``price`` callback.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date

import attrs

from gsan_core.model.accounts import (
    AccountDebts,
    DebtLine,
    DebtOwner,
    SurchargeMemo,
    WrittenOffFilter,
)
from gsan_core.model.billing import BillStatus, DebtKind, OpenDebt

__all__ = ["ENTRY_SLIP_DOCUMENT_TYPE", "DebtQuery", "select_debts"]

#: ``DocumentoTipo.ENTRADA_DE_PARCELAMENTO``: the down-payment slip of a plan.
ENTRY_SLIP_DOCUMENT_TYPE = 2
_LISTED_STATUSES = frozenset(
    {BillStatus.NORMAL, BillStatus.RETIFIED, BillStatus.INCLUDED, BillStatus.PARCELLED}
)


@attrs.frozen(kw_only=True)
class DebtQuery:
    """The inputs of UC0067 (§1.1), with GSAN's flags as booleans."""

    owner: DebtOwner = DebtOwner.PROPERTY
    #: (GSAN's "000101" and "999912" mean "any month"; these are the
    #: widest references the library takes.)
    reference_from: int = 190001
    reference_to: int = 299912
    due_from: date = date(1900, 1, 1)
    due_to: date = date(2999, 12, 31)
    #: ``indicadorConta``: include bills under review.
    include_in_review: bool = True
    bills: bool = True
    payment_slips: bool = True
    charges: bool = True
    credits: bool = True
    written_off: WrittenOffFilter = WrittenOffFilter.BOTH
    #: ``indicadorCalcularAcrescimoImpontualidade``.
    surcharges: bool = True


def _bill_kept(debt: OpenDebt, query: DebtQuery) -> bool:
    """ODB-01: situation, reference and due ranges, positive value, review and
    dívida-ativa filters."""
    if debt.status not in _LISTED_STATUSES or debt.amount <= 0:
        return False
    reference = debt.reference or 0
    if not query.reference_from <= reference <= query.reference_to:
        return False
    if debt.due_date is None or not query.due_from <= debt.due_date <= query.due_to:
        return False
    if debt.in_review and not query.include_in_review:
        return False
    written_off = debt.written_off_reference is not None
    if query.written_off is WrittenOffFilter.ONLY and not written_off:
        return False
    return not (query.written_off is WrittenOffFilter.EXCLUDE and written_off)


def _confirmed_plans(items: Sequence[OpenDebt]) -> Callable[[OpenDebt], bool]:
    """ODB-03: a parcelled bill stays listed while its plan's down-payment slip
    is unpaid (the plan is not confirmed); otherwise it is removed."""
    pending = {
        (d.property_id, d.installment_plan_id)
        for d in items
        if d.kind is DebtKind.PAYMENT_SLIP
        and d.document_type_id == ENTRY_SLIP_DOCUMENT_TYPE
    }

    def unconfirmed(debt: OpenDebt) -> bool:
        return (debt.property_id, debt.installment_plan_id) in pending or (
            debt.installment_plan_id is None
            and any(p == debt.property_id for p, _ in pending)
        )

    return unconfirmed


def select_debts(
    items: Sequence[OpenDebt],
    *,
    property_ids: Sequence[int],
    query: DebtQuery,
    current_user: Mapping[int, int | None],
    split_previous_occupants: bool,
    price: Callable[[OpenDebt], SurchargeMemo] | None = None,
    charge_property_ids: Sequence[int] | None = None,
    contract_blocked: Collection[DebtKind] = (),
) -> AccountDebts:
    """UC0067 over the items of ``property_ids``.

    ``contract_blocked`` are the kinds an active contract of parcelamento by
    customer hides (ODB-04: the items naming a contract are not open debts).

    ``current_user`` maps each property to its current USER customer (ODB-02);
    bills of another user go to ``previous_bills`` when
    ``split_previous_occupants``. ``charge_property_ids`` widens charges and
    credits to every property ever related (owner modes 2 and 4)."""
    wanted = set(property_ids)
    charge_scope = wanted if charge_property_ids is None else set(charge_property_ids)
    unconfirmed = _confirmed_plans(items)
    bills: list[DebtLine] = []
    previous: list[DebtLine] = []
    slips: list[DebtLine] = []
    charges: list[DebtLine] = []
    credit_lines: list[DebtLine] = []
    ordered = sorted(items, key=lambda d: (d.property_id, d.reference or 0, d.id))
    for debt in ordered:
        if debt.contract_id is not None and debt.kind in contract_blocked:
            continue  # ODB-04
        if debt.kind is DebtKind.BILL and query.bills and debt.property_id in wanted:
            line = _bill_line(debt, query, unconfirmed, price)
            if line is None:
                continue
            user = current_user.get(debt.property_id)
            if (
                split_previous_occupants
                and debt.user_customer_id is not None
                and user is not None
                and debt.user_customer_id != user
            ):
                previous.append(line)  # ODB-02
            else:
                bills.append(line)
        elif (
            debt.kind is DebtKind.PAYMENT_SLIP
            and query.payment_slips
            and debt.property_id in wanted
            and debt.status is BillStatus.NORMAL
            and debt.due_date is not None
            and query.due_from <= debt.due_date <= query.due_to
        ):
            slips.append(_priced(debt, query, price))  # ODB-07
        elif (
            debt.kind is DebtKind.CHARGE
            and query.charges
            and debt.property_id in charge_scope
            and debt.status is BillStatus.NORMAL
            and debt.remaining > 0
        ):
            charges.append(DebtLine(debt=debt, value=debt.remaining))  # ODB-05
        elif (
            debt.kind is DebtKind.CREDIT
            and query.credits
            and debt.property_id in charge_scope
            and debt.status is BillStatus.NORMAL
            and not debt.refunded
            and debt.remaining > 0
        ):
            credit_lines.append(DebtLine(debt=debt, value=debt.remaining))  # ODB-06
    return AccountDebts(
        property_ids=tuple(sorted(wanted | charge_scope)),
        bills=bills,
        previous_bills=previous,
        payment_slips=slips,
        charges=charges,
        credits=credit_lines,
    )


def _bill_line(
    debt: OpenDebt,
    query: DebtQuery,
    unconfirmed: Callable[[OpenDebt], bool],
    price: Callable[[OpenDebt], SurchargeMemo] | None,
) -> DebtLine | None:
    """A bill's line, priced when the query asks for surcharges; None for a
    bill the query leaves out or one parcelled by a confirmed plan (ODB-03)."""
    if not _bill_kept(debt, query):
        return None
    if debt.status is BillStatus.PARCELLED and not unconfirmed(debt):
        return None  # ODB-03
    return _priced(debt, query, price)


def _priced(
    debt: OpenDebt,
    query: DebtQuery,
    price: Callable[[OpenDebt], SurchargeMemo] | None,
) -> DebtLine:
    """A bill's or slip's line, with its surcharges when the query asks."""
    memo = price(debt) if (price is not None and query.surcharges) else None
    return DebtLine(debt=debt, value=debt.amount, surcharge=memo)
