"""§4 deadlines, §2.2/§2.3 destinations, FS0018 and AUTH-01 (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest

from gsan_core.adapters.calendar import HolidaysCalendar
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.service_requests import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    RequestSpecification,
    RoutingReason,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules.request_routing import (
    Destination,
    RoutingFacts,
    RoutingTables,
    dispatch_centre,
    due_date,
    initial_destination,
    is_authorised,
    reactivation_destination,
    receives,
)

NATIONAL = HolidaysCalendar()


def business(day: date) -> bool:
    return NATIONAL.is_business_day(day, scope="national")


# ---------------------------------------------------------------- §4 deadline
def test_deadline_calendar_days_may_end_on_a_sunday() -> None:
    assert due_date(
        date(2024, 11, 14), 3, business_days=False, is_business_day=business
    ) == date(2024, 11, 17)


def test_deadline_business_days_skip_holidays_and_the_weekend() -> None:
    # 15 Nov (Proclamação) and 20 Nov (Consciência Negra) are national holidays.
    assert not business(date(2024, 11, 15))
    assert not business(date(2024, 11, 20))
    assert due_date(
        date(2024, 11, 14), 3, business_days=True, is_business_day=business
    ) == date(2024, 11, 21)


def test_deadline_friday_plus_two_business_days_is_tuesday() -> None:
    assert due_date(
        date(2024, 6, 7), 2, business_days=True, is_business_day=business
    ) == date(2024, 6, 11)


def test_deadline_saturday_plus_one_business_day_is_monday() -> None:
    assert due_date(
        date(2024, 6, 8), 1, business_days=True, is_business_day=business
    ) == date(2024, 6, 10)


@pytest.mark.parametrize("days", [None, 0])
@pytest.mark.parametrize("business_days", [True, False])
def test_deadline_without_days_is_the_attendance_day(
    days: int | None, business_days: bool
) -> None:
    assert due_date(
        date(2024, 11, 16), days, business_days=business_days, is_business_day=business
    ) == date(2024, 11, 16)


def test_deadline_state_holidays_go_beyond_gsan() -> None:
    # 15 Aug (Adesão do Pará) is a state holiday: skipped only with scope "state".
    calendar = HolidaysCalendar(state="PA")
    pa_day = date(2024, 8, 15)  # Adesão do Pará
    assert calendar.is_holiday(pa_day, scope="state")
    national = due_date(
        date(2024, 8, 14),
        1,
        business_days=True,
        is_business_day=lambda d: calendar.is_business_day(d, scope="national"),
    )
    state = due_date(
        date(2024, 8, 14),
        1,
        business_days=True,
        is_business_day=lambda d: calendar.is_business_day(d, scope="state"),
    )
    assert (national, state) == (date(2024, 8, 15), date(2024, 8, 16))


# ---------------------------------------------------------------- units
def unit(
    id: int,
    *,
    centre: int | None = None,
    superior: int | None = None,
    routing: bool = True,
    active: bool = True,
    call_centre: bool = False,
) -> OrganizationalUnit:
    return OrganizationalUnit(
        id=id,
        name=f"U{id}",
        unit_type_id=12,
        dispatch_centre_id=centre,
        superior_id=superior,
        accepts_routing=routing,
        active=active,
        call_centre=call_centre,
    )


UNITS = {
    u.id: u
    for u in (
        unit(1),
        unit(10, centre=1),  # substituted by its dispatch centre 1
        unit(11, centre=12),  # centre 12 does not receive requests
        unit(12, routing=False),
        unit(13, centre=10),  # centre 10 has its own centre: not followed
        unit(20),
        unit(21, active=False),
        unit(30),
        unit(40),
        unit(50),
        unit(60),
    )
}


def test_receives_needs_an_active_unit_accepting_requests() -> None:
    assert receives(UNITS[1])
    assert not receives(UNITS[12])
    assert not receives(UNITS[21])
    assert not receives(None)


def test_dispatch_centre_substitution_is_one_level_only() -> None:
    assert dispatch_centre(10, UNITS) == 1
    assert dispatch_centre(11, UNITS) == 11
    assert dispatch_centre(13, UNITS) == 10
    assert dispatch_centre(20, UNITS) == 20
    assert dispatch_centre(999, UNITS) == 999


def test_dispatch_centre_that_does_not_exist_keeps_the_unit() -> None:
    assert dispatch_centre(5, {5: unit(5, centre=77)}) == 5


# ---------------------------------------------------------------- §2.2 destination
SPEC = RequestSpecification(id=7, request_type_id=1, description="X", deadline_days=1)
PARAMS = ServiceRequestParameters(large_consumer_unit_id=60)
TABLES = RoutingTables(
    collection=[
        CollectionSituationUnit(
            id=1, specification_id=7, collection_situation_id=2, unit_id=10
        ),
        CollectionSituationUnit(
            id=2, specification_id=8, collection_situation_id=1, unit_id=20
        ),
    ],
    locality_specification=[
        LocalitySpecificationUnit(id=1, locality_id=5, specification_id=7, unit_id=30),
    ],
    locality_group=[LocalityGroupUnit(id=1, locality_id=5, group_id=3, unit_id=40)],
    sewer_division_unit_id=50,
)


def facts(**changes: object) -> RoutingFacts:
    values: dict[str, object] = {
        "specification": SPEC,
        "group_id": 3,
        "sewer": False,
        "locality_id": 5,
        "has_property": True,
        "large_consumer": False,
        "collection_situation_ids": {2},
        "sewer_division_id": None,
    }
    values.update(changes)
    return RoutingFacts(**values)  # type: ignore[arg-type]


def route(
    f: RoutingFacts, tables: RoutingTables = TABLES, **params: object
) -> Destination:
    p = ServiceRequestParameters(**{"large_consumer_unit_id": 60, **params})  # type: ignore[arg-type]
    return initial_destination(f, tables, UNITS, p)


def test_routing_level_1_large_consumer_wins_without_substitution() -> None:
    assert route(facts(large_consumer=True)) == (60, RoutingReason.LARGE_CONSUMER)


def test_routing_large_consumer_applies_even_without_suggestion() -> None:
    destination = route(facts(large_consumer=True), routing_suggestion=False)
    assert destination == Destination(60, RoutingReason.LARGE_CONSUMER)


def test_routing_large_consumer_needs_the_parameter_and_the_property() -> None:
    assert route(facts(large_consumer=True), large_consumer_unit_id=None).reason is (
        RoutingReason.COLLECTION_SITUATION
    )
    assert route(facts(large_consumer=True, has_property=False)).reason is (
        RoutingReason.LOCALITY_SPECIFICATION
    )


def test_routing_level_2_collection_situation_through_the_dispatch_centre() -> None:
    unit_id, reason = route(facts())
    assert (unit_id, reason) == (1, RoutingReason.COLLECTION_SITUATION)


def test_routing_collection_situation_needs_an_active_situation_of_the_property() -> (
    None
):
    assert route(facts(collection_situation_ids=set())).reason is (
        RoutingReason.LOCALITY_SPECIFICATION
    )


def test_routing_level_3_locality_x_specification() -> None:
    assert route(facts(has_property=False)) == (
        30,
        RoutingReason.LOCALITY_SPECIFICATION,
    )


def test_routing_level_3_wins_over_the_specification_unit() -> None:
    own = facts(
        has_property=False,
        specification=RequestSpecification(**{**_spec_fields(), "unit_id": 20}),  # type: ignore[arg-type]
    )
    assert route(own) == (30, RoutingReason.LOCALITY_SPECIFICATION)


def _spec_fields() -> dict[str, object]:
    return {"id": 7, "request_type_id": 1, "description": "X", "deadline_days": 1}


def test_routing_level_4_specification_unit_through_the_dispatch_centre() -> None:
    spec = RequestSpecification(**{**_spec_fields(), "unit_id": 10})  # type: ignore[arg-type]
    assert route(facts(has_property=False, locality_id=9, specification=spec)) == (
        1,
        RoutingReason.SPECIFICATION,
    )


def test_routing_specification_unit_that_does_not_receive_suggests_nothing() -> None:
    spec = RequestSpecification(**{**_spec_fields(), "unit_id": 12})  # type: ignore[arg-type]
    # and, having a unit, the specification never falls to locality x group
    assert route(
        facts(has_property=False, specification=spec, locality_id=5),
        RoutingTables(locality_group=TABLES.locality_group),
    ) == (
        None,
        RoutingReason.NONE,
    )


def test_routing_level_5_locality_x_group_for_non_sewer_types() -> None:
    tables = RoutingTables(locality_group=TABLES.locality_group)
    assert route(facts(has_property=False), tables) == (
        40,
        RoutingReason.LOCALITY_GROUP,
    )


def test_routing_level_5_sewer_type_uses_locality_group_then_division() -> None:
    sewer = facts(has_property=False, sewer=True, sewer_division_id=4)
    assert route(
        sewer,
        RoutingTables(locality_group=TABLES.locality_group, sewer_division_unit_id=50),
    ) == (
        40,
        RoutingReason.LOCALITY_GROUP,
    )
    assert route(sewer, RoutingTables(sewer_division_unit_id=50)) == (
        50,
        RoutingReason.SEWER_DIVISION,
    )


def test_routing_sewer_type_without_division_skips_locality_group() -> None:
    sewer = facts(has_property=False, sewer=True, sewer_division_id=None)
    tables = RoutingTables(
        locality_group=TABLES.locality_group, sewer_division_unit_id=50
    )
    assert route(sewer, tables) == (None, RoutingReason.NONE)
    # CAEMA: locality x group also serves sewer types
    assert route(sewer, tables, locality_group_for_sewer_types=True) == (
        40,
        RoutingReason.LOCALITY_GROUP,
    )


def test_routing_division_unit_that_does_not_receive_is_skipped() -> None:
    sewer = facts(has_property=False, sewer=True, sewer_division_id=4)
    assert route(sewer, RoutingTables(sewer_division_unit_id=12)) == (
        None,
        RoutingReason.NONE,
    )


def test_routing_level_6_no_match() -> None:
    assert route(facts(has_property=False, locality_id=99)) == (
        None,
        RoutingReason.NONE,
    )


def test_routing_without_suggestion_returns_nothing() -> None:
    assert route(facts(), routing_suggestion=False) == (None, RoutingReason.NONE)


def test_routing_skips_candidates_that_do_not_receive() -> None:
    tables = RoutingTables(
        collection=[
            CollectionSituationUnit(
                id=1, specification_id=7, collection_situation_id=2, unit_id=12
            )
        ],
        locality_specification=[
            LocalitySpecificationUnit(
                id=1, locality_id=5, specification_id=7, unit_id=21
            )
        ],
    )
    assert route(facts(), tables) == (None, RoutingReason.NONE)


# ---------------------------------------------------------------- §2.3 reactivation
def reactivate(
    f: RoutingFacts, tables: RoutingTables = TABLES, **params: object
) -> Destination:
    p = ServiceRequestParameters(**params)  # type: ignore[arg-type]
    return reactivation_destination(f, tables, UNITS, p)


def test_reactivation_routing_defaults_to_the_opening_algorithm() -> None:
    assert reactivate(facts()) == route(facts(), large_consumer_unit_id=None)


def test_reactivation_gsan_mode_uses_the_specification_unit_unchecked() -> None:
    spec = RequestSpecification(**{**_spec_fields(), "unit_id": 11})  # type: ignore[arg-type]
    assert reactivate(facts(specification=spec), reactivation_routing="gsan") == (
        11,
        RoutingReason.SPECIFICATION,
    )


def test_reactivation_gsan_mode_locality_group_then_nothing() -> None:
    assert reactivate(facts(), reactivation_routing="gsan") == (
        40,
        RoutingReason.LOCALITY_GROUP,
    )
    assert reactivate(facts(locality_id=9), reactivation_routing="gsan") == (
        None,
        RoutingReason.NONE,
    )


def test_reactivation_gsan_mode_sewer_division() -> None:
    sewer = facts(sewer=True)
    assert reactivate(sewer, reactivation_routing="gsan") == (
        50,
        RoutingReason.SEWER_DIVISION,
    )
    assert reactivate(sewer, RoutingTables(), reactivation_routing="gsan") == (
        None,
        RoutingReason.NONE,
    )


def test_reactivation_gsan_mode_without_suggestion() -> None:
    assert reactivate(
        facts(), reactivation_routing="gsan", routing_suggestion=False
    ) == (
        None,
        RoutingReason.NONE,
    )


# ---------------------------------------------------------------- AUTH-01
TREE = {
    u.id: u
    for u in (
        unit(1),
        unit(2, superior=1),
        unit(3, superior=2),
        unit(4, call_centre=True),
        unit(5, superior=6),
        unit(6, superior=5),
    )
}


def test_auth_01_special_permission_110() -> None:
    assert is_authorised(
        user_unit_id=None, unit_id=3, units=TREE, may_forward_anywhere=True
    )


def test_auth_01_same_unit_and_ancestors() -> None:
    assert is_authorised(
        user_unit_id=3, unit_id=3, units=TREE, may_forward_anywhere=False
    )
    assert is_authorised(
        user_unit_id=1, unit_id=3, units=TREE, may_forward_anywhere=False
    )
    assert not is_authorised(
        user_unit_id=3, unit_id=1, units=TREE, may_forward_anywhere=False
    )


def test_auth_01_call_centre_users_maintain_any_request() -> None:
    assert is_authorised(
        user_unit_id=4, unit_id=3, units=TREE, may_forward_anywhere=False
    )


def test_auth_01_without_a_home_unit() -> None:
    assert not is_authorised(
        user_unit_id=None, unit_id=3, units=TREE, may_forward_anywhere=False
    )


def test_auth_01_stops_at_a_cycle() -> None:
    # GSAN loops forever on 5 <-> 6; the library answers "no".
    assert not is_authorised(
        user_unit_id=1, unit_id=5, units=TREE, may_forward_anywhere=False
    )
    assert is_authorised(
        user_unit_id=6, unit_id=5, units=TREE, may_forward_anywhere=False
    )
