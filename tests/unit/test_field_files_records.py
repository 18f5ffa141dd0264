"""Pure rules of the remaining smartphone-file records: record 17's formats
(UC1484 IT0021) and the closed code sets of return records 5, 7 and 9
(UC1487)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gsan_core.model.field_files import LineError
from gsan_core.rules import field_files


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.565"), "1.234,57"),
        (Decimal(0), "0,00"),
        (Decimal("1234567.1"), "1.234.567,10"),
        (Decimal("-5"), "-5,00"),
        (Decimal("999.994"), "999,99"),
    ],
)
def test_txt_uc1484_record_17_value_in_brazilian_currency(
    value: Decimal, text: str
) -> None:
    assert field_files.brazilian_money(value) == text


def test_txt_uc1484_record_17_fields() -> None:
    """The reference as ``MM/AAAA``, the due date ``dd/MM/yyyy``, the situation
    cleaned of separators, the value last with no separator after it."""
    assert (
        field_files.debt_fields(
            5, 202401, date(2024, 2, 9), "NOR|MAL", Decimal("1234.5")
        )
        == "17|5|01/2024|09/02/2024|NOR MAL|1.234,50\n"
    )
    assert field_files.debt_fields(5, None, None, "", Decimal(1)) == "17|5||||1,00\n"


def test_txt_uc1484_records_06_and_15_fixed_codes() -> None:
    assert [code for code, _ in field_files.DELIVERED_DOCUMENTS] == [1, 2, 3, 4]
    assert [code for code, _ in field_files.PHOTO_TYPES] == [11, 12, 13, 14]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("5|9|4|", True),
        ("5|9|5|", False),
        ("5|9|0|", False),
        ("7|9|10|3|1|2|44|1|7|", True),
        ("7|9||3|1|1|||", True),  # optional fields empty
        ("7|9|10|3|1|0|44|1|7|", False),  # meter type 0
        ("7|9|10|3|1|1|44|3|7|", False),  # stand 3
        ("9|9|3|7|1|2|", True),
        ("9|9|3|7|2|3|", False),
        ("9|9|3|7|0|1|", False),
    ],
)
def test_ret_01_records_5_7_9_closed_code_sets(text: str, ok: bool) -> None:
    parsed = field_files.parse_return_line(text, 4)
    if ok:
        assert isinstance(parsed, field_files.ParsedLine)
    else:
        assert isinstance(parsed, LineError)
        assert (parsed.line, parsed.code) == (4, "return.code")
