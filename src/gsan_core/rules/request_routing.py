"""Where a service request goes, when it is due, and who may maintain it.

Pure functions (``domain/service-requests.md`` §2 and §4):

* :func:`due_date` — the deadline of a request (§4), in calendar or business days;
* :func:`dispatch_centre` — the dispatch-centre substitution (FS0018);
* :func:`initial_destination` — the first destination of a new request with the
  fixed priority of §2.2, returning the unit *and the reason* it was chosen;
* :func:`reactivation_destination` — the same for a reactivated request (§2.3);
* :func:`is_authorised` — AUTH-01 over the unit tree (§2.8).

They read only what they are given: the service loads the specification, the
routing associations and the units, and passes them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

import attrs

from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.service_requests import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    RequestSpecification,
    RoutingReason,
)
from gsan_core.model.units import OrganizationalUnit

__all__ = [
    "Destination",
    "RoutingFacts",
    "RoutingTables",
    "dispatch_centre",
    "due_date",
    "initial_destination",
    "is_authorised",
    "reactivation_destination",
    "receives",
]


# ---------------------------------------------------------------- §4 the deadline
def due_date(
    attended_on: date,
    days: int | None,
    *,
    business_days: bool,
    is_business_day: Callable[[date], bool],
) -> date:
    """The request's deadline (``dataPrevistaOriginal``), §4.

    ``None`` or ``0`` days: the attendance day itself. In calendar mode the
    result may fall on a weekend or a holiday (GSAN does not roll it forward). In
    business-day mode counting starts on the next day; the attendance day never
    counts, and a day counts only when ``is_business_day`` says so (the service
    passes the business calendar with the profile's holiday scope).
    """
    if not days:
        return attended_on
    if not business_days:
        return attended_on + timedelta(days=days)
    day = attended_on
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


# ---------------------------------------------------------------- primitives
def receives(unit: OrganizationalUnit | None) -> bool:
    """The unit is active and accepts forwarded requests (``unid_ictramite``).

    GSAN's suggestion only checks the routing flag; an inactive unit would then
    be refused at once by FS0021, so it is never suggested here.
    """
    return unit is not None and unit.active and unit.accepts_routing


def dispatch_centre(unit_id: int, units: Mapping[int, OrganizationalUnit]) -> int:
    """FS0018: the unit's dispatch centre when it has one that receives requests,
    else the unit itself. One level only: the centre's own centre is not followed."""
    unit = units.get(unit_id)
    if unit is None or unit.dispatch_centre_id is None:
        return unit_id
    centre = units.get(unit.dispatch_centre_id)
    if centre is not None and receives(centre):
        return centre.id
    return unit_id


# ---------------------------------------------------------------- §2.2 destination
class Destination(NamedTuple):
    """The suggested destination and why it was chosen; ``unit_id`` is ``None``
    when nothing matched (the request then stays in the unit that opened it)."""

    unit_id: int | None
    reason: RoutingReason


def _ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class RoutingFacts:
    """What the routing reads about the new request."""

    specification: RequestSpecification
    #: The request type's group and whether it is a sewer group (``sotg_icesgoto``).
    group_id: int | None
    sewer: bool
    locality_id: int | None
    #: A property was informed.
    has_property: bool = False
    #: The property's profile is a large consumer (``iper_icgrandeconsumidor``).
    large_consumer: bool = False
    #: The property's active collection situations.
    collection_situation_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_ids
    )
    #: The sewer division of the place (sewer types only use it).
    sewer_division_id: int | None = None


def _collection_units(
    value: Iterable[CollectionSituationUnit],
) -> tuple[CollectionSituationUnit, ...]:
    return tuple(value)


def _locality_units(
    value: Iterable[LocalitySpecificationUnit],
) -> tuple[LocalitySpecificationUnit, ...]:
    return tuple(value)


def _group_units(value: Iterable[LocalityGroupUnit]) -> tuple[LocalityGroupUnit, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RoutingTables:
    """The routing associations that may apply (more rows are harmless)."""

    collection: tuple[CollectionSituationUnit, ...] = attrs.field(
        factory=tuple, converter=_collection_units
    )
    locality_specification: tuple[LocalitySpecificationUnit, ...] = attrs.field(
        factory=tuple, converter=_locality_units
    )
    locality_group: tuple[LocalityGroupUnit, ...] = attrs.field(
        factory=tuple, converter=_group_units
    )
    #: The unit of the request's sewer division (``divisao_esgoto.unid_id``).
    sewer_division_unit_id: int | None = None


def _first(
    candidates: Iterable[int], units: Mapping[int, OrganizationalUnit]
) -> int | None:
    for unit_id in candidates:
        if receives(units.get(unit_id)):
            return unit_id
    return None


def _by_collection(
    facts: RoutingFacts,
    tables: RoutingTables,
    units: Mapping[int, OrganizationalUnit],
) -> int | None:
    rows = sorted(
        (
            row
            for row in tables.collection
            if row.specification_id == facts.specification.id
            and row.collection_situation_id in facts.collection_situation_ids
        ),
        key=lambda row: (row.collection_situation_id, row.id),
    )
    return _first((row.unit_id for row in rows), units)


def _by_locality_specification(
    facts: RoutingFacts,
    tables: RoutingTables,
    units: Mapping[int, OrganizationalUnit],
) -> int | None:
    rows = sorted(
        (
            row
            for row in tables.locality_specification
            if row.locality_id == facts.locality_id
            and row.specification_id == facts.specification.id
        ),
        key=lambda row: row.id,
    )
    return _first((row.unit_id for row in rows), units)


def _by_locality_group(
    facts: RoutingFacts,
    tables: RoutingTables,
    units: Mapping[int, OrganizationalUnit],
) -> int | None:
    rows = sorted(
        (
            row
            for row in tables.locality_group
            if row.locality_id == facts.locality_id and row.group_id == facts.group_id
        ),
        key=lambda row: row.id,
    )
    return _first((row.unit_id for row in rows), units)


def _by_division(
    tables: RoutingTables, units: Mapping[int, OrganizationalUnit]
) -> int | None:
    unit_id = tables.sewer_division_unit_id
    return unit_id if unit_id is not None and receives(units.get(unit_id)) else None


def _by_place(
    facts: RoutingFacts,
    tables: RoutingTables,
    units: Mapping[int, OrganizationalUnit],
    params: ServiceRequestParameters,
) -> Destination | None:
    """SB0035 then SB0005 (``destinoLocalidade``) or SB0007 (``destinoDivisaoEsgoto``)."""
    found = _by_locality_specification(facts, tables, units)
    if found is not None:
        return Destination(
            dispatch_centre(found, units), RoutingReason.LOCALITY_SPECIFICATION
        )
    if facts.specification.unit_id is not None:
        return None
    by_division = facts.sewer and facts.sewer_division_id is not None
    if not facts.sewer or by_division or params.locality_group_for_sewer_types:
        found = _by_locality_group(facts, tables, units)
        if found is not None:
            return Destination(
                dispatch_centre(found, units), RoutingReason.LOCALITY_GROUP
            )
    if by_division:
        found = _by_division(tables, units)
        if found is not None:
            return Destination(
                dispatch_centre(found, units), RoutingReason.SEWER_DIVISION
            )
    return None


def initial_destination(
    facts: RoutingFacts,
    tables: RoutingTables,
    units: Mapping[int, OrganizationalUnit],
    params: ServiceRequestParameters,
) -> Destination:
    """The destination of a new request (§2.2), first match wins:

    1. the large-consumer unit, for a large consumer's property (no substitution);
    2. specification x the property's collection situation;
    3. locality x specification;
    4. the specification's own unit;
    5. locality x group (non-sewer types), or for sewer types locality x group
       then the sewer division's unit — only when the specification has no unit;
    6. nothing: ``Destination(None, RoutingReason.NONE)``.

    Levels 2 to 5 go through the dispatch-centre substitution and only run when
    ``params.routing_suggestion`` is on.
    """
    if (
        facts.has_property
        and facts.large_consumer
        and params.large_consumer_unit_id is not None
    ):
        return Destination(params.large_consumer_unit_id, RoutingReason.LARGE_CONSUMER)
    if not params.routing_suggestion:
        return Destination(None, RoutingReason.NONE)
    if facts.has_property:
        found = _by_collection(facts, tables, units)
        if found is not None:
            return Destination(
                dispatch_centre(found, units), RoutingReason.COLLECTION_SITUATION
            )
    by_place = _by_place(facts, tables, units, params)
    if by_place is not None:
        return by_place
    own = facts.specification.unit_id
    if own is not None and receives(units.get(own)):
        return Destination(dispatch_centre(own, units), RoutingReason.SPECIFICATION)
    return Destination(None, RoutingReason.NONE)


def reactivation_destination(
    facts: RoutingFacts,
    tables: RoutingTables,
    units: Mapping[int, OrganizationalUnit],
    params: ServiceRequestParameters,
) -> Destination:
    """The destination of a reactivated request.

    With ``params.reactivation_routing == "opening"`` (the default) it is
    :func:`initial_destination`. With ``"gsan"`` it is GSAN's older algorithm
    (§2.3): the specification's unit (without checking that it receives
    requests), else locality x group for non-sewer types, else the sewer
    division's unit for sewer types; then the dispatch-centre substitution.
    """
    if params.reactivation_routing == "opening":
        return initial_destination(facts, tables, units, params)
    if not params.routing_suggestion:
        return Destination(None, RoutingReason.NONE)
    own = facts.specification.unit_id
    if own is not None:
        return Destination(dispatch_centre(own, units), RoutingReason.SPECIFICATION)
    if not facts.sewer:
        found = _by_locality_group(facts, tables, units)
        if found is not None:
            return Destination(
                dispatch_centre(found, units), RoutingReason.LOCALITY_GROUP
            )
        return Destination(None, RoutingReason.NONE)
    found = _by_division(tables, units)
    if found is not None:
        return Destination(dispatch_centre(found, units), RoutingReason.SEWER_DIVISION)
    return Destination(None, RoutingReason.NONE)


# ---------------------------------------------------------------- AUTH-01
def is_authorised(
    *,
    user_unit_id: int | None,
    unit_id: int,
    units: Mapping[int, OrganizationalUnit],
    may_forward_anywhere: bool,
) -> bool:
    """AUTH-01 (UC0419): may the user maintain a request now in ``unit_id``?

    Yes when the user holds special permission 110, works in that unit, works in
    a call centre, or works in one of its superiors at any depth. Climbing the
    tree stops at a cycle (GSAN loops forever; CAGEPA added the same guard).
    """
    if may_forward_anywhere:
        return True
    if user_unit_id is None:
        return False
    if user_unit_id == unit_id:
        return True
    home = units.get(user_unit_id)
    if home is not None and home.call_centre:
        return True
    seen = {unit_id}
    current = units.get(unit_id)
    while current is not None and current.superior_id is not None:
        if current.superior_id == user_unit_id:
            return True
        if current.superior_id in seen:
            return False
        seen.add(current.superior_id)
        current = units.get(current.superior_id)
    return False
