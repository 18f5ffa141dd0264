"""UC0216 late-payment surcharges (ACR-01..ACR-16) and the index table (IDX-).

:func:`assess` prices one open item and returns its "memória de cálculo"
(:class:`~gsan_core.model.accounts.SurchargeMemo`): every intermediate value
GSAN uses, so any result can be explained item by item. Money is ``Decimal``:
intermediate ratios are rounded HALF_UP to 7 places (``Util.dividirArredondando``)
and each final value to cents, HALF_UP (P) or DOWN (CS, CE) by profile.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.accounts import (
    IndexLookup,
    SurchargeIndex,
    SurchargeMemo,
    ZeroReason,
)
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.profile import SurchargeParameters
from gsan_core.rules.accounts import messages as m

__all__ = [
    "IndexTable",
    "add_months",
    "assess",
    "check_amount",
    "check_index",
    "divide7",
    "factor_from_rate",
    "month_of",
    "months_between",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_SEVEN = Decimal("0.0000001")
_CENT = Decimal("0.01")
_FOUR = Decimal("0.0001")


@functools.lru_cache(maxsize=4096, typed=True)
def divide7(a: Decimal, b: Decimal) -> Decimal:
    """``Util.dividirArredondando``: ``a / b`` HALF_UP to 7 decimal places
    (memoised: a statement divides the same few index rates for every bill)."""
    return (a / b).quantize(_SEVEN, rounding=ROUND_HALF_UP)


def month_of(day: date) -> int:
    """``yyyymm`` of a date."""
    return day.year * 100 + day.month


def add_months(month: int, count: int) -> int:
    """``yyyymm`` plus ``count`` months."""
    total = (month // 100) * 12 + (month % 100 - 1) + count
    return (total // 12) * 100 + total % 12 + 1


def months_between(first: date, last: date) -> int:
    """ACR-07 ``Util.dataDiff``: difference of ``year × 12 + month``, days ignored."""
    return (last.year * 12 + last.month) - (first.year * 12 + first.month)


class IndexTable:
    """The index table, sorted by month, with ACR-06/ACR-10's lookups."""

    def __init__(self, rows: Iterable[SurchargeIndex]) -> None:
        self.rows: tuple[SurchargeIndex, ...] = tuple(sorted(rows, key=lambda r: r.id))
        self._months = [r.id for r in self.rows]
        self._finals: dict[int, SurchargeIndex | None] = {}

    def exact(self, month: int) -> SurchargeIndex | None:
        at = bisect.bisect_left(self._months, month)
        if at < len(self.rows) and self.rows[at].id == month:
            return self.rows[at]
        return None

    def latest_before(self, month: int) -> SurchargeIndex | None:
        """The latest row with month < ``month``."""
        at = bisect.bisect_left(self._months, month)
        return self.rows[at - 1] if at else None

    def earliest(self) -> SurchargeIndex | None:
        return self.rows[0] if self.rows else None

    def latest(self) -> SurchargeIndex | None:
        return self.rows[-1] if self.rows else None

    def initial(
        self, *, due_date: date, reference: int | None, offset: int
    ) -> tuple[SurchargeIndex | None, IndexLookup]:
        """ACR-06: the due month (+ offset), else the latest before the bill's
        reference month, else the earliest row, else none."""
        found = self.exact(add_months(month_of(due_date), offset))
        if found is not None:
            return found, IndexLookup.EXACT
        before = self.latest_before(reference or month_of(due_date))
        if before is not None:
            return before, IndexLookup.PREVIOUS
        first = self.earliest()
        if first is not None:
            return first, IndexLookup.EARLIEST
        return None, IndexLookup.NONE

    def final(self, base: date) -> SurchargeIndex | None:
        """ACR-10: the index of the data base's month, else the latest before."""
        month = month_of(base)
        if month in self._finals:  # every item of a statement asks for today's
            return self._finals[month]
        found = self._finals[month] = self.exact(month) or self.latest_before(month)
        return found


def _business_days(
    start: date, end: date, is_business_day: Callable[[date], bool], stop_after: int
) -> int:
    """ACR-05 (UC0747): business days from ``start`` inclusive to ``end``
    exclusive, counted up to ``stop_after`` (enough to decide the grace)."""
    count = 0
    day = start
    while day < end and count <= stop_after:
        if is_business_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def _cents(value: Decimal, rounding: str) -> Decimal:
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_DOWN
    return value.quantize(_CENT, rounding=mode)


def _daily(rate: Decimal, days: int, limit: Decimal | None) -> tuple[Decimal, bool]:
    value = rate * days
    if limit is not None and value > limit:
        return limit, True
    return value, False


def assess(
    debt: OpenDebt,
    *,
    today: date,
    indices: IndexTable,
    params: SurchargeParameters,
    is_business_day: Callable[[date], bool],
    has_municipality: bool = True,
    exempt: ZeroReason | None = None,
    paid_on: date | None = None,
    overdue_after_days: int = 0,
    collection_month: int | None = None,
    tariff_difference: Decimal | None = None,
) -> SurchargeMemo:
    """ACR-01..ACR-13 for one item: its fine, interest and monetary correction
    with every value used (ACR-16). ``exempt`` is an ODB-08 exemption found by
    the caller (category or customer). ``collection_month`` (``yyyymm``) is the
    collection-time variant (ACR-11): a bill due after that month carries its
    fine only. ``tariff_difference`` is ACR-12's re-priced value minus the
    billed one (never negative) when the profile updates by tariff."""
    memo: dict[str, Any] = {
        "debt_id": debt.id,
        "reference": debt.reference,
        "due_date": debt.due_date,
        "base_value": debt.amount,
        "fines_billed": debt.fines_billed,
        "fine_charged": debt.fine_charged,
        "grace_days": params.grace_business_days,
    }
    priced = debt.kind is DebtKind.BILL or (
        params.price_guias and debt.kind is DebtKind.PAYMENT_SLIP
    )
    if not priced or debt.due_date is None:
        return SurchargeMemo(**memo, zero_reason=ZeroReason.NOT_A_BILL)  # ACR-01
    if exempt is not None:
        return SurchargeMemo(**memo, zero_reason=exempt)  # ACR-14 / ODB-08
    if not has_municipality:
        return SurchargeMemo(**memo, zero_reason=ZeroReason.NO_MUNICIPALITY)  # ACR-02
    if debt.automatic_debit:
        return SurchargeMemo(**memo, zero_reason=ZeroReason.AUTOMATIC_DEBIT)  # ACR-03
    due = debt.due_date
    base = paid_on if paid_on is not None else today  # ACR-04
    grace_end = base
    if paid_on is None and params.grace_uses_vencimento_cobranca:
        grace_end = today - timedelta(days=overdue_after_days)
    memo |= {"base_date": base, "paid": paid_on is not None, "grace_end": grace_end}
    if base <= due:
        return SurchargeMemo(**memo, zero_reason=ZeroReason.NOT_DUE)
    counted = _business_days(
        due, grace_end, is_business_day, params.grace_business_days
    )
    memo["business_days_late"] = counted
    if counted <= params.grace_business_days:  # ACR-05
        return SurchargeMemo(**memo, zero_reason=ZeroReason.WITHIN_GRACE)
    memo |= _priced(debt, due=due, base=base, indices=indices, params=params)
    if params.tariff_update and debt.kind is DebtKind.BILL:  # ACR-12
        memo |= _tariff_updated(debt, tariff_difference, params)
    if collection_month is not None and month_of(due) > collection_month:  # ACR-11
        memo |= {"interest": ZERO, "correction": ZERO}
    return SurchargeMemo(**memo)


def _priced(
    debt: OpenDebt,
    *,
    due: date,
    base: date,
    indices: IndexTable,
    params: SurchargeParameters,
) -> dict[str, Any]:
    days = (base - due).days  # ACR-07
    months = months_between(due, base)
    index, lookup = indices.initial(
        due_date=due, reference=debt.reference, offset=params.index_month_offset
    )
    value = debt.amount
    fine_rate = interest_rate = ZERO
    fine_capped = interest_capped = False
    raw_fine = raw_interest = raw_correction = ZERO
    initial = final = ratio = ZERO
    final_month: int | None = None
    applies = (
        params.correction_min_months is None or months > params.correction_min_months
    )
    if index is not None:
        # ACR-08: the fine, only while not yet charged
        if index.fine_monthly:
            fine_rate = index.fine_rate
        else:
            fine_rate, fine_capped = _daily(index.fine_rate, days, index.fine_limit)
        if not debt.fine_charged:
            raw_fine = (value - debt.fines_billed) * divide7(fine_rate, HUNDRED)
        # ACR-09: interest on the full value
        if index.interest_monthly:
            interest_rate = index.interest_rate
            if months > 0:
                raw_interest = value * months * divide7(interest_rate, HUNDRED)
        else:
            interest_rate, interest_capped = _daily(
                index.interest_rate, days, index.interest_limit
            )
            raw_interest = value * divide7(interest_rate, HUNDRED)
        # ACR-10: monetary correction between the two factors
        initial = index.correction_factor
        closing = indices.final(base)
        if closing is not None:
            final, final_month = closing.correction_factor, closing.id
        if applies and ZERO not in (initial, final):
            ratio = divide7(final, initial)
            raw_correction = value * ratio - value
    return {
        "days_late": days,
        "months_late": months,
        "index_month": None if index is None else index.id,
        "index_lookup": lookup,
        "fine_rate": fine_rate,
        "fine_capped": fine_capped,
        "interest_rate": interest_rate,
        "interest_capped": interest_capped,
        "initial_factor": initial,
        "final_factor": final,
        "final_factor_month": final_month,
        "correction_ratio": ratio,
        "correction_applies": applies,
        "raw_fine": raw_fine,
        "raw_interest": raw_interest,
        "raw_correction": raw_correction,
        "fine": _cents(raw_fine, params.rounding),  # ACR-13
        "interest": _cents(raw_interest, params.rounding),
        "correction": _cents(raw_correction, params.rounding),
    }


def _tariff_updated(
    debt: OpenDebt, difference: Decimal | None, params: SurchargeParameters
) -> dict[str, Any]:
    """ACR-12: a bill of a reference before ``tariff_update_before`` carries
    its re-priced difference as its correction; any other bill none (the
    monetary correction does not apply in this mode)."""
    before = params.tariff_update_before
    due = before is None or (debt.reference or 0) < before
    value = difference if due and difference is not None else ZERO
    return {
        "raw_correction": value,
        "correction": _cents(value, params.rounding),
        "correction_ratio": ZERO,
        "correction_applies": due and difference is not None,
        "tariff_updated": due and difference is not None,
    }


def check_amount(value: Decimal, *, field: str, field_pt: str) -> list[Violation]:
    """A money amount must be finite and not negative."""
    if not value.is_finite() or value < 0:
        return [m.AMOUNT_INVALID(field=field, field_pt=field_pt, value=value)]
    return []


def _rate(value: Decimal, field: str, field_pt: str, limit: int) -> list[Violation]:
    if not value.is_finite() or value <= 0 or value > limit:
        message = m.RATE_INVALID if limit == 100 else m.LIMIT_INVALID
        return [message(field=field, field_pt=field_pt, value=value, limit=limit)]
    return []


def check_index(
    row: SurchargeIndex, *, existing: Sequence[SurchargeIndex]
) -> list[Violation]:
    """IDX-01..IDX-03: the month is at most one after the latest stored, the
    rates are in ``(0, 100]``, the caps (when informed) in ``(0, 999]``, and the
    factor finite and not negative."""
    found: list[Violation] = []
    months = [r.id for r in existing]
    if months and row.id not in months and row.id > add_months(max(months), 1):
        found.append(m.MONTH_TOO_LATE(month=row.id, limit=add_months(max(months), 1)))
    found += _rate(row.fine_rate, "Fine", "Multa", 100)
    found += _rate(row.interest_rate, "Interest", "Juros Mora", 100)
    if row.interest_limit is not None:
        found += _rate(row.interest_limit, "Interest limit", "Limite dos Juros", 999)
    if row.fine_limit is not None:
        found += _rate(row.fine_limit, "Fine limit", "Limite da Multa", 999)
    found += check_amount(
        row.correction_factor,
        field="correction factor",
        field_pt="fator de atualização",
    )
    return found


def factor_from_rate(rate: Decimal, *, previous: SurchargeIndex | None) -> Decimal:
    """IDX-04: the month's cumulative factor from its correction rate ``q`` (%):
    ``round4(previous × (1 + q/100))``; with no previous month, ``q`` itself
    (GSAN's quirk, kept so the screen's figures match)."""
    violations = _rate(rate, "Correction", "Atualização", 100)
    if violations:
        raise RuleViolation(violations)
    if previous is None or previous.correction_factor == ZERO:
        return rate
    grown = previous.correction_factor * (1 + rate / HUNDRED)
    return grown.quantize(_FOUR, rounding=ROUND_HALF_UP)


def ensure_index(row: SurchargeIndex, *, existing: Iterable[SurchargeIndex]) -> None:
    """:func:`check_index`, raising :class:`RuleViolation`."""
    found = check_index(row, existing=list(existing))
    if found:
        raise RuleViolation(found)
