"""Hypothesis strategies for the model types, shipped for integrators' tests.

Names follow Hypothesis' own style: plural nouns, keyword-only arguments,
``min_value`` / ``max_value`` bounds. Every datetime is timezone-aware. The
defaults draw ids that the ``gsan_default`` profile seeds, and the location of
:func:`gsan_core.testing.contracts.location` (locality 1, sector 10, block 100,
route 1000), so the values pass the rules of a freshly seeded system::

    from hypothesis import given
    from gsan_core.testing import strategies as gst

    @given(gst.properties())
    def test_register(prop):
        ...

Needs ``gsan-core[testing]`` (Hypothesis).
"""

from __future__ import annotations

import string
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from gsan_core.model.catalog import (
    AttributeSpec,
    AttributeValue,
    CatalogItem,
    CatalogKind,
)
from gsan_core.model.events import DomainEvent, all_event_types
from gsan_core.model.properties import (
    Block,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
)
from gsan_core.model.units import OrganizationalUnit, User

__all__ = [
    "DEFAULT_CATEGORIES",
    "DEFAULT_LOCATION",
    "LocationIds",
    "attribute_values",
    "aware_datetimes",
    "blocks",
    "catalog_items",
    "descriptions",
    "economies",
    "events",
    "localities",
    "money",
    "organizational_units",
    "properties",
    "users",
]

#: ``(locality, sector, block, route)`` ids a property points to.
LocationIds = tuple[int, int, int, int | None]
#: The location of :func:`gsan_core.testing.contracts.location`.
DEFAULT_LOCATION: LocationIds = (1, 10, 100, 1000)
#: ``(category, subcategory)`` pairs seeded by ``gsan_default``.
DEFAULT_CATEGORIES: tuple[tuple[int, int | None], ...] = (
    (1, 10),
    (1, 11),
    (1, None),
    (2, 20),
    (3, 30),
    (4, 40),
)
#: UTC and Brazil's offsets. Fixed offsets only: a local time repeated by a DST
#: change never equals the same instant in another zone (PEP 495).
_ZONES = (
    UTC,
    timezone(timedelta(hours=-2)),
    timezone(timedelta(hours=-3)),
    timezone(timedelta(hours=-4)),
    timezone(timedelta(hours=-5)),
)
_LETTERS = string.ascii_uppercase + string.digits + " ÇÃÉÍÓÚ"


def aware_datetimes(
    *,
    min_value: datetime = datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value: datetime = datetime(2099, 12, 31),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Aware datetimes in UTC or one of Brazil's offsets (-02:00 to -05:00)."""
    return st.datetimes(
        min_value=min_value, max_value=max_value, timezones=st.sampled_from(_ZONES)
    )


def money(
    *,
    min_value: Decimal | int = 0,
    max_value: Decimal | int = 10**9,
    places: int = 2,
) -> st.SearchStrategy[Decimal]:
    """Finite decimals with ``places`` digits after the point."""
    return st.decimals(
        min_value=min_value,
        max_value=max_value,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def descriptions(*, min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    """Upper-case descriptions like GSAN's (never blank, no outer spaces)."""
    return (
        st.text(alphabet=_LETTERS, min_size=min_size, max_size=max_size)
        .map(lambda text: " ".join(text.split()))
        .filter(lambda text: len(text) >= min_size)
    )


def attribute_values(
    *, spec: AttributeSpec, references: Mapping[str, Sequence[int]] | None = None
) -> st.SearchStrategy[AttributeValue]:
    """Valid values of one catalog attribute (``None`` when it is optional).

    A ``ref`` attribute draws from ``references[spec.ref]`` when given.
    """
    value: st.SearchStrategy[AttributeValue]
    if spec.type == "bool":
        value = st.booleans()
    elif spec.type == "int":
        value = st.integers(
            min_value=None if spec.min_value is None else int(spec.min_value),
            max_value=None if spec.max_value is None else int(spec.max_value),
        )
    elif spec.type == "decimal":
        value = money(
            min_value=-(10**6) if spec.min_value is None else spec.min_value,
            max_value=10**6 if spec.max_value is None else spec.max_value,
        )
    elif spec.type == "ref":
        targets = (references or {}).get(spec.ref or "")
        value = st.sampled_from(targets) if targets else st.integers(1, 10**6)
    else:
        value = descriptions(max_size=spec.max_length or 20)
    return value if spec.required else st.none() | value


def catalog_items(
    *,
    kind: CatalogKind,
    ids: st.SearchStrategy[int] | None = None,
    references: Mapping[str, Sequence[int]] | None = None,
    active: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[CatalogItem]:
    """Rows of ``kind`` that pass CAT-1..CAT-3 (uniqueness is up to the caller)."""
    attribute_strategies = {
        spec.name: attribute_values(spec=spec, references=references)
        for spec in kind.attributes
    }
    abbreviation = descriptions(max_size=kind.abbreviation_max_length)

    def ordered(values: dict[str, Any]) -> dict[str, Any]:
        """Swap the pairs a ``not_below`` spec orders (max digits >= min digits)."""
        fixed = dict(values)
        for spec in kind.attributes:
            low = spec.not_below
            if low is None or fixed.get(spec.name) is None or fixed.get(low) is None:
                continue
            if fixed[spec.name] < fixed[low]:
                fixed[spec.name], fixed[low] = fixed[low], fixed[spec.name]
        return fixed

    return st.builds(
        CatalogItem,
        kind=st.just(kind.name),
        id=ids if ids is not None else st.integers(1, 10**6),
        description=descriptions(max_size=kind.description_max_length),
        abbreviation=abbreviation
        if kind.abbreviation_required
        else st.none() | abbreviation,
        active=active if active is not None else st.just(value=True),
        attributes=st.fixed_dictionaries(attribute_strategies).map(ordered),
    )


def economies(
    *,
    categories: Sequence[tuple[int, int | None]] = DEFAULT_CATEGORIES,
    min_count: int = 1,
    max_count: int = 30,
) -> st.SearchStrategy[Economies]:
    """The economies of one ``(category, subcategory)`` pair."""
    return st.builds(
        lambda pair, count: Economies(
            category_id=pair[0], subcategory_id=pair[1], count=count
        ),
        st.sampled_from(list(categories)),
        st.integers(min_count, max_count),
    )


def _distinct_categories(
    categories: Sequence[tuple[int, int | None]], *, max_size: int
) -> st.SearchStrategy[tuple[Economies, ...]]:
    return st.lists(
        economies(categories=categories),
        min_size=1,
        max_size=max_size,
        unique_by=lambda e: (e.category_id, e.subcategory_id),
    ).map(tuple)


def properties(
    *,
    ids: st.SearchStrategy[int] | None = None,
    locations: Sequence[LocationIds] = (DEFAULT_LOCATION,),
    profile_ids: Sequence[int] = (1, 2, 3, 4),
    water_status_ids: Sequence[int] = (1, 2, 3, 4, 5, 6, 7, 8),
    sewer_status_ids: Sequence[int] = (1, 2, 3, 4, 5, 6),
    categories: Sequence[tuple[int, int | None]] = DEFAULT_CATEGORIES,
    collection_situation_ids: Sequence[int] = (1, 2, 3),
    max_categories: int = 3,
    consumption_tariff_ids: Sequence[int] = (),
    well_type_ids: Sequence[int] = (),
) -> st.SearchStrategy[Property]:
    """Properties whose references are drawn from the given ids (PRO-1, PRO-2);
    the tariff and the well type are ``None`` or one of the ids given (always
    ``None`` when none is)."""

    def build(
        *,
        ident: int,
        where: LocationIds,
        face: int | None,
        profile: int,
        water: int,
        sewer: int,
        entries: tuple[Economies, ...],
        situations: frozenset[int],
        tariff: int | None,
        well_type: int | None,
    ) -> Property:
        locality, sector, block, route = where
        return Property(
            id=ident,
            locality_id=locality,
            sector_id=sector,
            block_id=block,
            block_face=face,
            route_id=route,
            profile_id=profile,
            categories=entries,
            water_status_id=water,
            sewer_status_id=sewer,
            consumption_tariff_id=tariff,
            well_type_id=well_type,
            collection_situation_ids=situations,
        )

    def optional(ids: Sequence[int]) -> st.SearchStrategy[int | None]:
        return st.none() | st.sampled_from(list(ids)) if ids else st.none()

    return st.builds(
        build,
        ident=ids if ids is not None else st.integers(1, 10**9),
        where=st.sampled_from(list(locations)),
        face=st.none() | st.integers(1, 9),
        profile=st.sampled_from(list(profile_ids)),
        water=st.sampled_from(list(water_status_ids)),
        sewer=st.sampled_from(list(sewer_status_ids)),
        entries=_distinct_categories(categories, max_size=max_categories),
        situations=st.frozensets(
            st.sampled_from(list(collection_situation_ids)), max_size=2
        )
        if collection_situation_ids
        else st.just(frozenset()),
        tariff=optional(consumption_tariff_ids),
        well_type=optional(well_type_ids),
    )


def localities(
    *, ids: st.SearchStrategy[int] | None = None
) -> st.SearchStrategy[Locality]:
    """Localities with a name and an optional municipality."""
    return st.builds(
        Locality,
        id=ids if ids is not None else st.integers(1, 10**6),
        name=descriptions(max_size=30),
        municipality_id=st.none() | st.integers(1, 10**4),
        stock_location_id=st.none() | st.integers(1, 100),
        ppp_contract=st.booleans(),
    )


def blocks(
    *,
    ids: st.SearchStrategy[int] | None = None,
    sectors: Sequence[tuple[int, int]] = ((1, 10),),
) -> st.SearchStrategy[Block]:
    """Blocks of the given ``(locality, sector)`` pairs with network indicators."""
    return st.builds(
        lambda ident, where, number, water, sewer: Block(
            id=ident,
            locality_id=where[0],
            sector_id=where[1],
            number=number,
            water_network=water,
            sewer_network=sewer,
        ),
        ids if ids is not None else st.integers(1, 10**6),
        st.sampled_from(list(sectors)),
        st.integers(1, 9999),
        st.sampled_from(NetworkIndicator),
        st.sampled_from(NetworkIndicator),
    )


def organizational_units(
    *,
    ids: st.SearchStrategy[int] | None = None,
    unit_type_ids: Sequence[int] = (10, 11, 12, 13, 16, 18),
    superior_ids: Sequence[int] = (),
) -> st.SearchStrategy[OrganizationalUnit]:
    """Units; a superior is drawn from ``superior_ids`` when there are any."""
    return st.builds(
        OrganizationalUnit,
        id=ids if ids is not None else st.integers(1, 10**6),
        name=descriptions(max_size=40),
        acronym=st.none() | descriptions(max_size=8),
        unit_type_id=st.sampled_from(list(unit_type_ids)),
        superior_id=st.none() | st.sampled_from(list(superior_ids))
        if superior_ids
        else st.none(),
        accepts_routing=st.booleans(),
        may_open_requests=st.booleans(),
        call_centre=st.booleans(),
    )


def users(
    *, ids: st.SearchStrategy[int] | None = None, unit_ids: Sequence[int] = (1,)
) -> st.SearchStrategy[User]:
    """Users of the given home units."""
    return st.builds(
        User,
        id=ids if ids is not None else st.integers(1, 10**6),
        name=descriptions(max_size=40),
        unit_id=st.sampled_from(list(unit_ids)),
        login=st.none()
        | st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=12),
    )


def _strip_optional(tp: object) -> tuple[object, bool]:
    args = typing.get_args(tp)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else tp), True
    return tp, False


def _event_strategy(cls: type[DomainEvent]) -> st.SearchStrategy[DomainEvent]:
    # Hypothesis infers the other fields from the attrs types, which are strings
    # under ``from __future__ import annotations`` until resolved.
    attrs.resolve_types(cls)
    hints = typing.get_type_hints(cls)
    overrides: dict[str, st.SearchStrategy[object]] = {
        "occurred_at": aware_datetimes(),
        "actor": st.integers(0, 10**6),
    }
    for field in attrs.fields(cls):
        if field.name in overrides:
            continue
        base, optional = _strip_optional(hints[field.name])
        value: st.SearchStrategy[object] | None = None
        if base is Decimal:
            value = money(min_value=-(10**9), places=7)
        elif base is datetime:
            value = aware_datetimes()
        elif base is int:
            value = st.integers(-(2**62), 2**62)
        if value is not None:
            overrides[field.name] = st.none() | value if optional else value
    return st.builds(cls, **overrides)


def events(
    *, types: Iterable[type[DomainEvent]] | None = None
) -> st.SearchStrategy[DomainEvent]:
    """Events of the given types (every registered type by default)."""
    chosen = (
        list(types)
        if types is not None
        else [all_event_types()[tag] for tag in sorted(all_event_types())]
    )
    return st.one_of([_event_strategy(cls) for cls in chosen])
