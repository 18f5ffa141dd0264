"""Rules of the meter stock (§1.12, H-1..H-13): number layouts, ranges and
the meter's attributes."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import Hydrometer, HydrometerAttributes
from gsan_core.model.profile import HydrometerNumberFormat, UtilityProfile
from gsan_core.rules.hydrometers.messages import (
    ACQUIRED_BEFORE_MANUFACTURE,
    ACQUIRED_IN_FUTURE,
    ACQUIRED_TOO_EARLY,
    BRAND_MISMATCH,
    CAPACITY_MISMATCH,
    DIGITS_OUT_OF_RANGE,
    LOCATION_UNKNOWN,
    MALFORMED_FIXED,
    MALFORMED_NUMBER,
    NEGATIVE_VALUE,
    NUMBER_EXISTS,
    RANGE_HAS_EXISTING,
    RANGE_INVALID,
    RANGE_NEEDS_LAYOUT,
    READING_NOT_A_NUMBER,
    REFERENCE_MISSING,
    REQUIRED_FIELD,
    TURBINE_MISMATCH,
    YEAR_IN_FUTURE,
    YEAR_MISMATCH,
    YEAR_TOO_EARLY,
)


# ================================================================ number layouts
@attrs.frozen(kw_only=True)
class NumberLayout:
    """A meter-number layout: a fixed part and a zero-padded sequence.

    ``4x6`` (GSAN): capacity letter, two-digit year, brand letter, then the
    sequence padded to 6 digits (7 when the profile allows a 7-digit sequence).
    ``5x5`` (CAGEPA) and ``5x7`` (CASAL): a 5th fixed character, the turbine
    type's letter, then 5 or 7 digits. ``free``: any number, inserted one by one.
    """

    name: HydrometerNumberFormat
    fixed_length: int
    sequence_digits: int
    max_sequence_digits: int

    @property
    def free(self) -> bool:
        """The free layout (no fixed part, no ranges)."""
        return self.fixed_length == 0

    @property
    def max_sequence(self) -> int:
        """The highest sequence the layout holds."""
        return int(10**self.max_sequence_digits) - 1

    def number(self, fixed: str, sequence: int) -> str:
        """The number of ``sequence`` in the fixed part ``fixed``."""
        return f"{fixed}{sequence:0{self.sequence_digits}d}"

    def describe(self) -> str:
        """A human description of the layout."""
        if self.free:
            return "1 to 12 letters or digits"
        digits = (
            str(self.sequence_digits)
            if self.max_sequence_digits == self.sequence_digits
            else f"{self.sequence_digits} or {self.max_sequence_digits}"
        )
        return f"{self.fixed_length}-character fixed part + {digits}-digit sequence"

    def describe_pt(self) -> str:
        """The description of the layout in Portuguese."""
        if self.free:
            return "1 a 12 letras ou dígitos"
        digits = (
            str(self.sequence_digits)
            if self.max_sequence_digits == self.sequence_digits
            else f"{self.sequence_digits} ou {self.max_sequence_digits}"
        )
        return (
            f"fixo de {self.fixed_length} caracteres + sequencial de {digits} dígitos"
        )


def number_layout(profile: UtilityProfile) -> NumberLayout:
    """The layout of the utility's meter numbers (``hydrometers.number_format``)."""
    params = profile.hydrometers
    name = params.number_format
    if name == "5x5":
        return NumberLayout(
            name=name, fixed_length=5, sequence_digits=5, max_sequence_digits=5
        )
    if name == "5x7":
        return NumberLayout(
            name=name, fixed_length=5, sequence_digits=7, max_sequence_digits=7
        )
    if name == "free":
        return NumberLayout(
            name=name, fixed_length=0, sequence_digits=0, max_sequence_digits=0
        )
    return NumberLayout(
        name=name,
        fixed_length=4,
        sequence_digits=6,
        max_sequence_digits=7 if params.allow_seven_digit_sequence else 6,
    )


_FIXED = {
    4: re.compile(r"[A-Z0-9][0-9]{2}[A-Z0-9]"),
    5: re.compile(r"[A-Z0-9][0-9]{2}[A-Z0-9]{2}"),
}
_FREE = re.compile(r"[A-Z0-9][A-Z0-9\-/.]{0,11}")


def check_fixed(fixed: object, layout: NumberLayout) -> list[Violation]:
    """H-12: the fixed part has the layout's length and shape (upper case); the
    free layout has none (its ranges are refused by :func:`check_range`)."""
    if layout.free:
        return []
    if isinstance(fixed, str) and _FIXED[layout.fixed_length].fullmatch(fixed):
        return []
    five = layout.fixed_length == 5
    return [
        MALFORMED_FIXED(
            fixed=fixed,
            length=layout.fixed_length,
            extra=", the turbine letter" if five else "",
            extra_pt=", a letra da turbina" if five else "",
        )
    ]


def split_number(number: str, layout: NumberLayout) -> tuple[str, int] | None:
    """``(fixed part, sequence)`` of a number in a fixed layout; ``None`` when the
    number does not follow the layout (the free layout has no parts)."""
    if layout.free:
        return None
    fixed, sequence = number[: layout.fixed_length], number[layout.fixed_length :]
    if check_fixed(fixed, layout) or not sequence.isdigit() or not sequence.isascii():
        return None
    if not layout.sequence_digits <= len(sequence) <= layout.max_sequence_digits:
        return None
    if len(sequence) > layout.sequence_digits and sequence[0] == "0":
        return None
    return fixed, int(sequence)


def check_number(number: object, layout: NumberLayout) -> list[Violation]:
    """H-12: a whole number follows the layout (the free layout: 1 to 12 upper-case
    letters, digits, ``-``, ``/`` or ``.``)."""
    if isinstance(number, str) and (
        _FREE.fullmatch(number)
        if layout.free
        else split_number(number, layout) is not None
    ):
        return []
    return [
        MALFORMED_NUMBER(
            number=number,
            layout=layout.name,
            expected=layout.describe(),
            esperado=layout.describe_pt(),
        )
    ]


def manufacture_year_of(fixed: str, *, today: date) -> int:
    """The year of manufacture the fixed part's 2nd-3rd characters name: up to the
    current two-digit year it is 20yy, above it 19yy (GSAN's insert screen)."""
    yy = int(fixed[1:3])
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


def check_range(first: object, last: object, layout: NumberLayout) -> list[Violation]:
    """H-9: a range of sequences: both positive, ``last >= first``, within the
    layout's digits."""
    if layout.free:
        return [RANGE_NEEDS_LAYOUT()]
    valid = (
        isinstance(first, int)
        and isinstance(last, int)
        and not isinstance(first, bool)
        and not isinstance(last, bool)
        and 0 < first <= last <= layout.max_sequence
    )
    if valid:
        return []
    return [RANGE_INVALID(first=first, last=last, digits=layout.max_sequence_digits)]


def range_numbers(fixed: str, first: int, last: int, layout: NumberLayout) -> list[str]:
    """The exact numbers of the range (what H-10 checks and H-11 inserts)."""
    return [layout.number(fixed, sequence) for sequence in range(first, last + 1)]


def check_no_existing(
    existing: Collection[str], *, first_number: str, last_number: str
) -> list[Violation]:
    """H-10 (range): no generated number exists. GSAN compares the unpadded range
    with a string BETWEEN; this checks the exact generated numbers."""
    if not existing:
        return []
    return [
        RANGE_HAS_EXISTING(
            count=len(existing),
            first_number=first_number,
            last_number=last_number,
            example=min(existing),
        )
    ]


def check_number_free(
    number: str, *, holder: Hydrometer | None, own_id: int | None = None
) -> list[Violation]:
    """H-10 (one meter): no other meter has the number (``atencao.hidrometro_ja_existente``)."""
    if holder is None or holder.id == own_id:
        return []
    return [NUMBER_EXISTS(number=number, other_id=holder.id)]


# ================================================================ meter attributes
#: Catalog rows by kind and id, as the services load them.
References = Mapping[str, Mapping[int, CatalogItem]]

_ATTRIBUTE_REFS: tuple[tuple[str, str, str, str], ...] = (
    ("type_id", "hydrometer_type", "Hydrometer type", "Tipo"),
    ("brand_id", "hydrometer_brand", "Brand", "Marca"),
    ("capacity_id", "hydrometer_capacity", "Capacity", "Capacidade"),
    ("diameter_id", "hydrometer_diameter", "Diameter", "Diâmetro"),
    (
        "metrological_class_id",
        "hydrometer_metrological_class",
        "Metrological class",
        "Classe Metrológica",
    ),
    ("register_id", "hydrometer_register", "Register", "Relojoaria"),
    (
        "turbine_type_id",
        "hydrometer_turbine_type",
        "Turbine type",
        "Tipo de Instalação da Turbina",
    ),
)


def _active(references: References, kind: str, ident: object) -> CatalogItem | None:
    if not isinstance(ident, int):
        return None
    item = references.get(kind, {}).get(ident)
    return item if item is not None and item.active else None


def check_attributes(
    attributes: HydrometerAttributes,
    *,
    fixed: str | None,
    layout: NumberLayout,
    references: References,
    today: date,
    earliest_year: int,
    location_id: int | None = None,
    check_location: bool = False,
) -> tuple[tuple[Violation, ...], int | None]:
    """H-1..H-8, H-12, H-13 for a meter's attributes; returns the violations and
    the year of manufacture (read from ``fixed`` in the fixed layouts).

    ``fixed`` is ``None`` when the number itself is malformed (the letters are then
    not compared) and in the free layout.
    """
    found: list[Violation] = []
    if (
        check_location
        and _active(references, "hydrometer_stock_location", location_id) is None
    ):
        found.append(LOCATION_UNKNOWN(location_id=location_id))
    items: dict[str, CatalogItem | None] = {}
    for field, kind, title, titulo in _ATTRIBUTE_REFS:
        value = getattr(attributes, field)
        if value is None:
            optional = field == "register_id" or (
                field == "turbine_type_id" and layout.name != "5x5"
            )
            if not optional:
                found.append(REQUIRED_FIELD(field=title, campo=titulo))
            items[field] = None
            continue
        items[field] = _active(references, kind, value)
        if items[field] is None:
            found.append(REFERENCE_MISSING(field=title, campo=titulo, value=value))
    capacity, brand, turbine = (
        items["capacity_id"],
        items["brand_id"],
        items["turbine_type_id"],
    )
    if fixed is not None:
        if capacity is not None and capacity.text("code") != fixed[0]:
            found.append(CAPACITY_MISMATCH(code=capacity.text("code"), fixed=fixed))
        if brand is not None and brand.text("code") != fixed[3]:
            found.append(BRAND_MISMATCH(code=brand.text("code"), fixed=fixed))
        if (
            layout.fixed_length == 5
            and turbine is not None
            and turbine.text("code") != fixed[4]
        ):
            found.append(TURBINE_MISMATCH(code=turbine.text("code"), fixed=fixed))
    found += _digits(attributes.reading_digits, capacity, attributes.capacity_id)
    year = attributes.manufacture_year
    if fixed is not None:
        derived = manufacture_year_of(fixed, today=today)
        if year is not None and year != derived:
            found.append(YEAR_MISMATCH(year=year, fixed=fixed, derived=derived))
        year = derived
    elif year is None and layout.free:
        found.append(
            REQUIRED_FIELD(field="Year of manufacture", campo="Ano de Fabricação")
        )
    found += _dates(attributes.acquired_on, year, today=today, earliest=earliest_year)
    for field, title, titulo in (
        ("transition_flow", "Transition flow", "Vazão de Transição"),
        ("nominal_flow", "Nominal flow", "Vazão Nominal"),
        ("minimum_flow", "Minimum flow", "Vazão Mínima"),
        ("invoice_number", "Invoice number", "Nota Fiscal"),
        ("warranty_years", "Warranty", "Tempo de Garantia"),
    ):
        value = getattr(attributes, field)
        if isinstance(value, int | Decimal) and value < 0:
            found.append(NEGATIVE_VALUE(field=title, campo=titulo, value=value))
    return tuple(found), year


def _digits(
    digits: object, capacity: CatalogItem | None, capacity_id: object
) -> list[Violation]:
    if not isinstance(digits, int) or isinstance(digits, bool):
        return [
            READING_NOT_A_NUMBER(
                field="Reading digits", campo="Número de Dígitos", value=digits
            )
        ]
    if capacity is None:
        return []
    low = capacity.integer("min_digits") or 1
    high = capacity.integer("max_digits") or low
    if low <= digits <= high:
        return []
    return [
        DIGITS_OUT_OF_RANGE(
            digits=digits, capacity_id=capacity_id, minimum=low, maximum=high
        )
    ]


def _dates(
    acquired_on: date, year: int | None, *, today: date, earliest: int
) -> list[Violation]:
    found: list[Violation] = []
    if acquired_on > today:
        found.append(ACQUIRED_IN_FUTURE(acquired_on=acquired_on, today=today))
    if acquired_on < date(earliest, 1, 1):
        found.append(ACQUIRED_TOO_EARLY(acquired_on=acquired_on, earliest=earliest))
    if year is None:
        return found
    if year > today.year:
        found.append(YEAR_IN_FUTURE(year=year, current=today.year))
    if year < earliest:
        found.append(YEAR_TOO_EARLY(year=year, earliest=earliest))
    if acquired_on.year < year:
        found.append(
            ACQUIRED_BEFORE_MANUFACTURE(acquired_year=acquired_on.year, year=year)
        )
    return found
