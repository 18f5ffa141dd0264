"""Manual RA numbers (NUM-01..07): the modulo-11 check digit, formatting,
parsing and checks."""

from __future__ import annotations

from gsan_core.errors import Violation
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules.service_requests.messages import (
    MANUAL_ALREADY_USED,
    MANUAL_NOT_ISSUED,
    MANUAL_NOT_NUMERIC,
    MANUAL_QUANTITY_INVALID,
    MANUAL_QUANTITY_OVER_LIMIT,
    MANUAL_TOO_SHORT,
    MANUAL_UNKNOWN_UNIT,
    MANUAL_WRONG_DIGIT,
)


# ================================================================= numbering, NUM
def check_digit(number: int) -> int:
    """The modulo-11 check digit of GSAN (``Util.obterDigitoVerificadorModulo11``).

    Weights 2, 3, ..., 9, 2, ... from the rightmost digit; a remainder of 0 or 1
    gives 0, any other ``r`` gives ``11 - r``. ``121 -> 0``, ``123 -> 6``, ``1 -> 9``.
    """
    if number < 0:
        msg = f"a manual number is not negative: {number}"
        raise ValueError(msg)
    total = 0
    weight = 2
    for digit in reversed(str(number)):
        total += int(digit) * weight
        weight = 2 if weight == 9 else weight + 1
    remainder = total % 11
    return 0 if remainder in (0, 1) else 11 - remainder


def with_check_digit(number: int) -> int:
    """The number followed by its check digit, as GSAN stores it (``123 -> 1236``)."""
    return number * 10 + check_digit(number)


def format_manual_number(number: int) -> str:
    """The printed form: 9 zero-padded digits, a dash and the check digit."""
    return f"{number:09d}-{check_digit(number)}"


def check_manual_generation(
    *, quantity: int, unit: OrganizationalUnit | None, unit_id: int, limit: int
) -> tuple[Violation, ...]:
    """NUM-01 and NUM-02: a quantity within the limit for an active unit."""
    found: list[Violation] = []
    if quantity < 1:
        found.append(MANUAL_QUANTITY_INVALID(quantity=quantity))
    elif quantity > limit:
        found.append(MANUAL_QUANTITY_OVER_LIMIT(quantity=quantity, limit=limit))
    if unit is None or not unit.active:
        found.append(MANUAL_UNKNOWN_UNIT(unit_id=unit_id))
    return tuple(found)


def parse_manual_number(value: str) -> tuple[int | None, tuple[Violation, ...]]:
    """NUM-04: the typed manual number as an integer (number and check digit)."""
    text = value.strip()
    if not text.isdigit():
        return None, (MANUAL_NOT_NUMERIC(value=value),)
    if len(text) < 2:
        return None, (MANUAL_TOO_SHORT(),)
    return int(text), ()


def check_manual_number(
    manual: int, *, last_issued: int | None, used_by: int | None
) -> tuple[Violation, ...]:
    """NUM-05..NUM-07 for a manual number with its check digit (``1236``)."""
    number, given = divmod(manual, 10)
    found: list[Violation] = []
    if last_issued is None or number > last_issued:
        found.append(MANUAL_NOT_ISSUED(number=number, last=last_issued or 0))
    expected = check_digit(number)
    if expected != given:
        found.append(MANUAL_WRONG_DIGIT(number=number, expected=expected, given=given))
    if used_by is not None:
        found.append(MANUAL_ALREADY_USED(manual=manual, other_id=used_by))
    return tuple(found)
