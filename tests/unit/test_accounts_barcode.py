"""The FEBRABAN arrecadação barcode of the collection documents (EXT-18)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsan_core.rules.accounts.barcode import (
    arrecadacao,
    collection_document_field,
    is_valid,
    line_of,
    modulo10,
    modulo11,
)

#: Two printed "linhas digitáveis" of Brazilian utility bills (arrecadação
#: layout, value identifier 6): every block's digit and the general digit check.
WORKED = [
    "846700000017435900240209024050002435842210108119",
    "836200000005667800481000180975657313001589636081",
]


def _barcode_of(line: str) -> str:
    return "".join(line[i : i + 11] for i in range(0, 48, 12))


@pytest.mark.parametrize("line", WORKED)
def test_ext_18_worked_examples_verify(line: str) -> None:
    digits = _barcode_of(line)
    assert len(digits) == 44
    assert is_valid(line)
    assert is_valid(digits)
    assert line_of(digits) == line
    # the general check digit (position 4) is modulo 10 of the other 43
    assert modulo10(digits[:3] + digits[4:]) == int(digits[3])


def test_ext_18_a_wrong_digit_does_not_verify() -> None:
    line = WORKED[0]
    broken = line[:20] + str((int(line[20]) + 1) % 10) + line[21:]
    assert not is_valid(broken)
    assert not is_valid("123")
    assert not is_valid("9" * 44)


def test_ext_18_modulo_rules() -> None:
    # modulo 10: 2,1,2,1 from the right, products above 9 count their digits
    assert modulo10("0") == 0
    assert modulo10("5") == 9  # 5 x 2 = 10 counts 1; 10 - 1
    assert modulo10("01230067896") == 3  # FEBRABAN's own example
    # modulo 11: weights 2..9 from the right; rests 0/1 -> 0, 10 -> 1
    assert modulo11("0") == 0
    assert modulo11("1") == 9  # 1*2 = 2 -> 11 - 2
    assert modulo11("5") == 1  # 10 -> 1


def test_ext_18_our_barcode_of_a_statement() -> None:
    field = collection_document_field(
        locality_id=1, property_id=123456, document_id=987, document_type_id=14
    )
    assert field == "001000123456000000987" + "14" + "0" + "5"
    code = arrecadacao(value=Decimal("150.75"), company=1234, free_field=field)
    assert code.digits[:3] == "826"
    assert code.digits[4:15] == "00000015075"
    assert code.digits[15:19] == "1234"
    assert code.digits[19:] == field
    assert is_valid(code.digits)
    assert is_valid(code.line)
    assert code.formatted_line.count("-") == 4
    mod11 = arrecadacao(value=Decimal("1"), company=1, free_field=field, identifier="8")
    assert is_valid(mod11.line)
    with pytest.raises(ValueError, match="11 digits"):
        arrecadacao(value=Decimal("-1"), company=1, free_field=field)
    with pytest.raises(ValueError, match="25 digits"):
        arrecadacao(value=Decimal("1"), company=1, free_field="1")


@given(
    cents=st.integers(min_value=0, max_value=99_999_999_999),
    company=st.integers(min_value=0, max_value=9999),
    free=st.text(alphabet="0123456789", min_size=25, max_size=25),
    identifier=st.sampled_from("68"),
)
def test_ext_18_every_barcode_we_make_verifies(
    cents: int, company: int, free: str, identifier: str
) -> None:
    code = arrecadacao(
        value=Decimal(cents) / 100,
        company=company,
        free_field=free,
        identifier=identifier,
    )
    assert len(code.digits) == 44
    assert len(code.line) == 48
    assert is_valid(code.digits)
    assert is_valid(code.line)
