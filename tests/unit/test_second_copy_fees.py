"""SVS-01, SVS-02: the second copy's fees (``second_copy.fee_charges``), the
pure part the library and its lean benchmark version share."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from gsan_core.model.accounts import DebtLine
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.rules.accounts import second_copy


def _line(debt_id: int, reference: int) -> DebtLine:
    debt = OpenDebt(
        id=debt_id,
        property_id=7,
        kind=DebtKind.BILL,
        amount=Decimal("50.00"),
        reference=reference,
    )
    return DebtLine(debt=debt, value=debt.amount)


def test_svs_01_02_one_fee_a_chosen_bill_in_one_installment() -> None:
    at = datetime(2025, 1, 6, 12, tzinfo=UTC)
    fees = second_copy.fee_charges(
        [_line(1, 202411), _line(2, 202412)],
        property_id=7,
        value=Decimal("1.23"),
        ids=range(90, 92),
        at=at,
        actor=3,
    )
    assert [(f.id, f.reference) for f in fees] == [(90, 202411), (91, 202412)]
    for fee in fees:
        assert fee.property_id == 7
        assert fee.debit_type_id == second_copy.SECOND_COPY_DEBIT_TYPE
        assert (fee.total, fee.installments, fee.installment_value) == (
            Decimal("1.23"),
            1,
            Decimal("1.23"),
        )
        assert (fee.generated_at, fee.actor) == (at, 3)


def test_no_chosen_bill_no_fee() -> None:
    fees = second_copy.fee_charges(
        [],
        property_id=7,
        value=Decimal(1),
        ids=(),
        at=datetime(2025, 1, 6, tzinfo=UTC),
        actor=3,
    )
    assert fees == []
