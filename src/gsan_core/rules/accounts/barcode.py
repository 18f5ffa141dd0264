"""The FEBRABAN arrecadação barcode GSAN prints on its collection documents.

44 digits, drawn as Interleaved 2 of 5:

====  =========  =====================================================
pos   size       content
====  =========  =====================================================
1     1          product: ``8`` (arrecadação)
2     1          segment: ``2`` saneamento (profile ``extrato.segmento``)
3     1          value identifier: ``6`` effective value, check digits modulo 10
                 (``8``: modulo 11)
4     1          general check digit over the other 43 digits
5     11         value in cents
16    4          FEBRABAN company code (profile ``extrato.codigo_empresa_febraban``)
20    25         free field (GSAN's layout of the payment type)
====  =========  =====================================================

The "linha digitável" splits the 44 digits in four blocks of 11, each followed by
its own check digit of the same modulo (48 digits).
"""

from __future__ import annotations

from decimal import Decimal

from gsan_core.model.accounts import Barcode

__all__ = [
    "PAYMENT_TYPE_COLLECTION_DOCUMENT",
    "arrecadacao",
    "check_digit",
    "collection_document_field",
    "is_valid",
    "line_of",
    "modulo10",
    "modulo11",
]

#: GSAN's payment type 5: documento de cobrança (extrato).
PAYMENT_TYPE_COLLECTION_DOCUMENT = 5


def modulo10(digits: str) -> int:
    """FEBRABAN modulo 10: weights 2, 1, 2, 1... from the right; a product above
    9 counts the sum of its digits; the digit completes the sum to a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    rest = total % 10
    return 0 if rest == 0 else 10 - rest


def modulo11(digits: str) -> int:
    """FEBRABAN modulo 11 of the arrecadação layout: weights 2..9 from the right;
    rest 0 or 1 gives 0, rest 10 gives 1, otherwise ``11 − rest``."""
    total = sum(int(c) * (2 + i % 8) for i, c in enumerate(reversed(digits)))
    rest = total % 11
    if rest in (0, 1):
        return 0
    if rest == 10:
        return 1
    return 11 - rest


def check_digit(digits: str, identifier: str) -> int:
    """The check digit of ``digits`` for the value identifier (6/7: modulo 10,
    8/9: modulo 11)."""
    return modulo10(digits) if identifier in "67" else modulo11(digits)


def line_of(digits: str) -> str:
    """The 48-digit linha digitável of a 44-digit barcode."""
    identifier = digits[2]
    blocks = [digits[i : i + 11] for i in range(0, 44, 11)]
    return "".join(f"{b}{check_digit(b, identifier)}" for b in blocks)


def arrecadacao(
    *,
    value: Decimal,
    company: int,
    free_field: str,
    segment: int = 2,
    identifier: str = "6",
) -> Barcode:
    """The barcode of an arrecadação document of ``value`` reais."""
    cents = int((value * 100).to_integral_value())
    if cents < 0 or cents > 99_999_999_999:
        msg = f"value {value} does not fit the barcode's 11 digits"
        raise ValueError(msg)
    if len(free_field) != 25 or not free_field.isdigit():
        msg = f"the free field must be 25 digits, got {free_field!r}"
        raise ValueError(msg)
    body = f"8{segment}{identifier}" + f"{cents:011d}{company:04d}{free_field}"
    general = check_digit(body, identifier)
    digits = body[:3] + str(general) + body[3:]
    return Barcode(digits=digits, line=line_of(digits))


def collection_document_field(
    *, locality_id: int, property_id: int, document_id: int, document_type_id: int
) -> str:
    """The free field of a collection document (payment type 5): locality (3),
    property (9), document number (9, its last nine digits), document type (2),
    ``0`` and the payment type."""
    return (
        f"{locality_id % 1000:03d}{property_id % 10**9:09d}"
        f"{document_id % 10**9:09d}{document_type_id % 100:02d}0"
        f"{PAYMENT_TYPE_COLLECTION_DOCUMENT}"
    )


def is_valid(digits: str) -> bool:
    """Whether a 44-digit barcode or a 48-digit line carries right check digits."""
    if len(digits) == 48 and digits.isdigit():
        blocks = [digits[i : i + 12] for i in range(0, 48, 12)]
        identifier = digits[2]
        if any(check_digit(b[:11], identifier) != int(b[11]) for b in blocks):
            return False
        digits = "".join(b[:11] for b in blocks)
    if len(digits) != 44 or not digits.isdigit() or digits[0] != "8":
        return False
    identifier = digits[2]
    return check_digit(digits[:3] + digits[4:], identifier) == int(digits[3])
