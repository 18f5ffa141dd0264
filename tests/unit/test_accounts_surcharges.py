"""UC0216 late-payment surcharges (ACR-), the index table (IDX-) as pure rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import IndexLookup, SurchargeIndex, ZeroReason
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.profile import SurchargeParameters
from gsan_core.rules.accounts.surcharges import (
    IndexTable,
    add_months,
    assess,
    check_index,
    divide7,
    factor_from_rate,
    months_between,
)

D = Decimal
TODAY = date(2025, 1, 6)  # a Monday
P = SurchargeParameters()  # GSAN's main line (prodigasistemas)
CS = SurchargeParameters(
    index_month_offset=0, grace_uses_vencimento_cobranca=False, rounding="down"
)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def index(month: int, **changes: object) -> SurchargeIndex:
    base = SurchargeIndex(
        id=month,
        fine_rate=D("2"),
        interest_rate=D("1"),
        correction_factor=D("1.0000"),
    )
    return attrs.evolve(base, **changes)


def bill(**changes: object) -> OpenDebt:
    base = OpenDebt(
        id=10,
        property_id=1,
        kind=DebtKind.BILL,
        amount=D("100.00"),
        due_date=date(2024, 11, 10),
        reference=202410,
    )
    return attrs.evolve(base, **changes)


TABLE = IndexTable(
    [index(202410), index(202411), index(202501, correction_factor=D("1.0100"))]
)


def test_acr_07_08_09_10_13_the_three_surcharges_of_a_late_bill() -> None:
    memo = assess(
        bill(), today=TODAY, indices=TABLE, params=P, is_business_day=weekdays
    )
    assert memo.days_late == 57
    assert memo.months_late == 2
    assert memo.index_month == 202410  # ACR-06: due month − 1
    assert memo.index_lookup is IndexLookup.EXACT
    assert memo.fine == D("2.00")
    assert memo.interest == D("2.00")  # 100 × 2 months × 1 %
    assert memo.correction_ratio == D("1.0100000")
    assert memo.correction == D("1.00")
    assert memo.total == D("5.00")
    assert memo.zero_reason is None


def test_acr_01_only_bills_are_priced_unless_the_profile_prices_slips() -> None:
    slip = bill(kind=DebtKind.PAYMENT_SLIP, reference=None)
    memo = assess(slip, today=TODAY, indices=TABLE, params=P, is_business_day=weekdays)
    assert memo.total == 0
    assert memo.zero_reason is ZeroReason.NOT_A_BILL
    priced = assess(
        slip,
        today=TODAY,
        indices=TABLE,
        params=attrs.evolve(P, price_guias=True),
        is_business_day=weekdays,
    )
    assert priced.total > 0


def test_acr_02_03_no_municipality_or_automatic_debit_means_zero() -> None:
    none = assess(
        bill(),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
        has_municipality=False,
    )
    assert (none.total, none.zero_reason) == (0, ZeroReason.NO_MUNICIPALITY)
    auto = assess(
        bill(automatic_debit=True),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
    )
    assert (auto.total, auto.zero_reason) == (0, ZeroReason.AUTOMATIC_DEBIT)


def test_acr_04_05_grace_in_business_days_counts_the_due_date() -> None:
    # due Friday 2025-01-03, today Monday 2025-01-06: Fri counts (the quirk),
    # Sat and Sun do not -> 1 business day late
    due = date(2025, 1, 3)
    late = bill(due_date=due, reference=202412)
    one_day = attrs.evolve(P, grace_business_days=1)
    within = assess(
        late, today=TODAY, indices=TABLE, params=one_day, is_business_day=weekdays
    )
    assert within.business_days_late == 1
    assert within.zero_reason is ZeroReason.WITHIN_GRACE
    assert within.total == 0
    no_grace = assess(
        late, today=TODAY, indices=TABLE, params=P, is_business_day=weekdays
    )
    assert no_grace.fine == D("2.00")
    # ACR-04 (P): the grace end is today minus numeroDiasVencimentoCobranca
    shifted = assess(
        late,
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
        overdue_after_days=3,
    )
    assert shifted.grace_end == date(2025, 1, 3)
    assert shifted.zero_reason is ZeroReason.WITHIN_GRACE
    # CS/CE: the subtraction is discarded
    cs = assess(
        late,
        today=TODAY,
        indices=TABLE,
        params=CS,
        is_business_day=weekdays,
        overdue_after_days=3,
    )
    assert cs.grace_end == TODAY
    assert cs.fine > 0


def test_acr_05_holidays_are_not_business_days() -> None:
    due = date(2025, 1, 3)
    holiday = {date(2025, 1, 3)}
    memo = assess(
        bill(due_date=due, reference=202412),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=lambda d: weekdays(d) and d not in holiday,
    )
    assert memo.zero_reason is ZeroReason.WITHIN_GRACE


def test_acr_06_index_lookup_exact_previous_earliest_none() -> None:
    offset0 = assess(
        bill(), today=TODAY, indices=TABLE, params=CS, is_business_day=weekdays
    )
    assert offset0.index_month == 202411  # CS: the due month itself
    sparse = IndexTable([index(202301), index(202305)])
    previous = assess(
        bill(), today=TODAY, indices=sparse, params=P, is_business_day=weekdays
    )
    assert (previous.index_month, previous.index_lookup) == (
        202305,
        IndexLookup.PREVIOUS,
    )
    later = IndexTable([index(202412), index(202501)])
    earliest = assess(
        bill(), today=TODAY, indices=later, params=P, is_business_day=weekdays
    )
    assert (earliest.index_month, earliest.index_lookup) == (
        202412,
        IndexLookup.EARLIEST,
    )
    empty = assess(
        bill(), today=TODAY, indices=IndexTable([]), params=P, is_business_day=weekdays
    )
    assert empty.index_lookup is IndexLookup.NONE
    assert empty.total == 0


def test_acr_07_months_ignore_days() -> None:
    assert months_between(date(2025, 1, 31), date(2025, 2, 1)) == 1
    assert months_between(date(2025, 1, 5), date(2025, 1, 30)) == 0
    assert add_months(202501, -1) == 202412
    assert add_months(202412, 1) == 202501


def test_acr_08_fine_daily_capped_and_not_twice() -> None:
    daily = IndexTable(
        [index(202410, fine_monthly=False, fine_rate=D("0.1"), fine_limit=D("2"))]
    )
    memo = assess(
        bill(), today=TODAY, indices=daily, params=P, is_business_day=weekdays
    )
    assert memo.fine_capped
    assert memo.fine_rate == D("2")
    assert memo.fine == D("2.00")
    uncapped = IndexTable([index(202410, fine_monthly=False, fine_rate=D("0.01"))])
    memo = assess(
        bill(), today=TODAY, indices=uncapped, params=P, is_business_day=weekdays
    )
    assert memo.fine_rate == D("0.57")  # 0.01 % × 57 days
    assert memo.fine == D("0.57")
    charged = assess(
        bill(fine_charged=True),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
    )
    assert charged.fine == 0
    assert charged.interest > 0
    billed = assess(
        bill(fines_billed=D("50")),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
    )
    assert billed.fine == D("1.00")  # (100 − 50) × 2 %
    assert billed.interest == D("2.00")  # ACR-09: on the full value


def test_acr_09_daily_interest_capped() -> None:
    daily = IndexTable(
        [
            index(
                202410,
                interest_monthly=False,
                interest_rate=D("0.033"),
                interest_limit=D("1.5"),
            )
        ]
    )
    memo = assess(
        bill(), today=TODAY, indices=daily, params=P, is_business_day=weekdays
    )
    assert memo.interest_capped
    assert memo.interest == D("1.50")


def test_acr_10_correction_threshold_and_missing_factor() -> None:
    two = attrs.evolve(P, correction_min_months=2)
    memo = assess(
        bill(), today=TODAY, indices=TABLE, params=two, is_business_day=weekdays
    )
    assert not memo.correction_applies
    assert memo.correction == 0
    zero = IndexTable([index(202410, correction_factor=D(0)), index(202501)])
    memo = assess(bill(), today=TODAY, indices=zero, params=P, is_business_day=weekdays)
    assert memo.correction == 0


def test_acr_11_collection_time_keeps_only_the_fine_of_a_later_bill() -> None:
    kept = assess(
        bill(),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
        collection_month=202412,
    )
    assert kept.total == D("5.00")
    later = assess(
        bill(),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
        collection_month=202410,
    )
    assert (later.fine, later.interest, later.correction) == (D("2.00"), 0, 0)


def test_acr_13_rounding_half_up_or_down() -> None:
    odd = bill(amount=D("33.33"))
    up = assess(odd, today=TODAY, indices=TABLE, params=P, is_business_day=weekdays)
    down = assess(odd, today=TODAY, indices=TABLE, params=CS, is_business_day=weekdays)
    assert up.raw_fine == D("0.6666000")
    assert up.fine == D("0.67")
    assert down.fine == D("0.66")
    assert divide7(D(1), D(3)) == D("0.3333333")
    assert divide7(D(2), D(3)) == D("0.6666667")


def test_acr_16_the_memo_explains_the_result() -> None:
    memo = assess(
        bill(), today=TODAY, indices=TABLE, params=P, is_business_day=weekdays
    )
    assert memo.base_date == TODAY
    assert not memo.paid
    assert memo.base_value == D("100.00")
    assert memo.initial_factor == D("1.0000")
    assert memo.final_factor == D("1.0100")
    assert memo.final_factor_month == 202501
    assert memo.raw_fine + memo.raw_interest + memo.raw_correction == D("5.0000000")
    paid = assess(
        bill(),
        today=TODAY,
        indices=TABLE,
        params=P,
        is_business_day=weekdays,
        paid_on=date(2024, 12, 2),
    )
    assert paid.paid
    assert paid.base_date == date(2024, 12, 2)
    assert paid.months_late == 1


def test_idx_01_02_03_the_index_form() -> None:
    existing = [index(202410)]
    assert check_index(index(202411), existing=existing) == []
    late = check_index(index(202412), existing=existing)
    assert [v.rule for v in late] == ["IDX-01"]
    assert late[0].gsan_key == "atencao.mes_ano_referencia_maior"
    bad = check_index(
        index(202411, fine_rate=D(0), interest_rate=D(101), fine_limit=D(1000)),
        existing=existing,
    )
    assert [v.rule for v in bad] == ["IDX-02", "IDX-02", "IDX-03"]
    assert {v.gsan_key for v in bad} == {"atencao.percentual_invalido"}
    nan = check_index(index(202411, interest_rate=D("NaN")), existing=existing)
    assert [v.rule for v in nan] == ["IDX-02"]
    negative = check_index(index(202411, correction_factor=D(-1)), existing=existing)
    assert [v.code for v in negative] == ["accounts.amount.invalid"]


def test_idx_04_factor_from_the_monthly_rate() -> None:
    assert factor_from_rate(D("0.5"), previous=index(202410)) == D("1.0050")
    assert factor_from_rate(D("0.5"), previous=None) == D("0.5")  # GSAN's quirk
    with pytest.raises(RuleViolation):
        factor_from_rate(D("150"), previous=None)


money = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)


@given(
    amount=money,
    days=st.integers(min_value=0, max_value=2000),
    fine=st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
    interest=st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
    down=st.booleans(),
)
def test_acr_13_15_totals_are_the_sum_of_the_rounded_items(
    amount: Decimal, days: int, fine: Decimal, interest: Decimal, down: bool
) -> None:
    """Property: each surcharge has cents, rounding moves it less than a cent,
    and the memo's total is exactly the sum of the three."""
    params = CS if down else P
    table = IndexTable(
        [index(202410, fine_rate=fine, interest_rate=interest), index(202501)]
    )
    due = TODAY - timedelta(days=days)
    memo = assess(
        bill(
            amount=amount,
            due_date=due,
            reference=add_months(due.year * 100 + due.month, -1),
        ),
        today=TODAY,
        indices=table,
        params=params,
        is_business_day=lambda _: True,
    )
    assert memo.total == memo.fine + memo.interest + memo.correction
    for raw, rounded in (
        (memo.raw_fine, memo.fine),
        (memo.raw_interest, memo.interest),
        (memo.raw_correction, memo.correction),
    ):
        assert rounded == rounded.quantize(D("0.01"))
        assert abs(raw - rounded) < D("0.01")
        if down:
            assert abs(rounded) <= abs(raw)
