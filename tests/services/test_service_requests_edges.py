"""Less travelled paths of the service requests, in memory: unknown places, the
sewer-division compatibility, orders closed along with their request, the
order-closed hook's early exits, the simplified references and the
configuration's reads and conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    NotFound,
    RuleViolation,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import (
    OperationalOccurrence,
    PropertySituationProfile,
    RegulatorRecord,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    RoutingReason,
    RoutingStep,
    SimplifiedKind,
    SituationCriterion,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.services.service_requests.batches import descendants
from gsan_core.services.service_requests.hooks import RequestOrderClosedHook
from gsan_core.services.service_requests.registry import filter_regulator_records
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    GROUP_SEWER,
    GROUP_WATER,
    RequestUtility,
    build_request_utility,
    request_profile,
)

from .test_service_requests import open_, prop_id, tick

SEWER_SPEC = 717


@pytest.fixture
def gsan(clock: FixedClock) -> gsan_core.System:
    return gsan_core.in_memory(request_profile(), clock=clock)


@pytest.fixture
def utility(gsan: gsan_core.System) -> RequestUtility:
    return build_request_utility(gsan)


def block_of(utility: RequestUtility, sector_id: int) -> int:
    return next(b.id for b in utility.town.blocks if b.sector_id == sector_id)


# ================================================================= places
def test_unknown_places_are_each_reported(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    with pytest.raises(RuleViolation) as refused:
        open_(
            gsan,
            utility,
            SEWER_SPEC,
            location=RequestLocation(
                locality_id=99,
                sector_id=98,
                block_id=97,
                street_id=40,
                street_pavement_id=99,
                sidewalk_pavement_id=99,
                sewer_division_id=99,
            ),
        )
    unknown = [
        v
        for v in refused.value.violations
        if v.code == "service_request.open.unknown_place"
    ]
    assert {v.gsan_key for v in unknown} == {"atencao.label_inexistente"}
    assert sorted(str(v.params["field"]) for v in unknown) == [
        "Block",
        "Commercial sector",
        "Locality",
        "Sewer division",
        "Sidewalk pavement",
        "Street pavement",
    ]
    with pytest.raises(RuleViolation) as no_property:
        open_(gsan, utility, 3, location=RequestLocation(property_id=12345))
    assert no_property.value.code == "service_request.open.unknown_place"
    assert gsan.service_requests.find_by() == []


def test_a_sector_of_another_locality_and_a_block_of_another_sector(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    with pytest.raises(RuleViolation) as refused:
        open_(
            gsan,
            utility,
            3,
            location=RequestLocation(
                locality_id=1,
                sector_id=21,
                block_id=block_of(utility, 11),
                street_id=40,
            ),
        )
    fields = sorted(
        str(v.params["field"])
        for v in refused.value.violations
        if v.code == "service_request.open.unknown_place"
    )
    assert fields == ["Block", "Commercial sector"]


def test_the_sewer_division_comes_from_the_property_block(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    result = open_(gsan, utility, SEWER_SPEC)
    assert result.request.sewer_division_id == utility.sewer_division
    assert (result.request.current_unit_id, result.reason) == (
        utility.sewer,
        RoutingReason.SEWER_DIVISION,
    )


@pytest.mark.parametrize(
    ("location", "serves"),
    [
        (RequestLocation(locality_id=1, sector_id=11, street_id=40), True),
        (
            RequestLocation(locality_id=1, sector_id=11, block_id=110001, street_id=40),
            True,
        ),
        (RequestLocation(locality_id=2, sector_id=21, street_id=40), False),
        (RequestLocation(locality_id=2, street_id=40), False),
        (RequestLocation(street_id=40), None),
    ],
)
def test_the_division_must_serve_the_sector_or_the_locality(
    gsan: gsan_core.System,
    utility: RequestUtility,
    location: RequestLocation,
    serves: bool | None,
) -> None:
    place = attrs.evolve(location, sewer_division_id=utility.sewer_division)
    if serves is None:  # nothing to check it against: only the locality is missing
        with pytest.raises(RuleViolation) as missing:
            open_(gsan, utility, SEWER_SPEC, location=place)
        assert missing.value.codes == ("service_request.open.location_field_required",)
        return
    if serves:
        result = open_(gsan, utility, SEWER_SPEC, location=place)
        assert result.request.current_unit_id == utility.sewer
        return
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, SEWER_SPEC, location=place)
    assert refused.value.code == "service_request.open.division_incompatible"
    assert refused.value.violations[0].rule == "INS-11"


def test_a_manual_number_that_is_not_a_number(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 3, manual_number="12A-4")
    assert refused.value.code == "service_request.manual.not_numeric"
    assert refused.value.violations[0].rule == "NUM-04"


# ================================================================= closing
def test_closing_closes_awaiting_orders_and_those_closed_with_the_referring_one(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    assert opened.order is not None
    first = opened.order
    with gsan.uow_factory() as uow:
        referenced = attrs.evolve(first, id=first.id + 1000, version=1)
        awaiting = attrs.evolve(
            first,
            id=first.id + 2000,
            situation=OrderSituation.AWAITING_RELEASE,
            version=1,
        )
        uow.service_orders.add(referenced)
        uow.service_orders.add(awaiting)
        uow.service_orders.update(
            attrs.evolve(
                first, reference_order_id=referenced.id, version=first.version + 1
            )
        )
        uow.commit()
    tick(clock)
    result = gsan.service_requests.close(
        request_id=opened.request.id, reason_id=4, actor=utility.attendant
    )
    assert sorted(o.id for o in result.closed_orders) == [first.id, awaiting.id]
    for ident in (first.id, referenced.id, awaiting.id):
        assert gsan.service_orders.get(ident).situation is OrderSituation.CLOSED
    assert gsan.service_orders.get(awaiting.id).closing_reason_id == 4


def test_no_charge_without_a_property_and_a_new_place_without_orders(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    configuration = gsan.service_requests.configuration
    configuration.update_specification(
        attrs.evolve(
            configuration.specification(3),
            debit_type_id=2,
            debit_value=Decimal("10.00"),
            requires_property=False,
        ),
        actor=0,
    )
    anywhere = open_(
        gsan, utility, 3, location=RequestLocation(locality_id=1, street_id=40)
    )
    moved = open_(gsan, utility, 3)
    gsan.service_requests.update_location(
        request_id=moved.request.id,
        location=RequestLocation(property_id=prop_id(utility, 1)),
        actor=utility.attendant,
    )
    assert gsan.service_requests.get(moved.request.id).property_id == prop_id(
        utility, 1
    )
    tick(clock)
    result = gsan.service_requests.close(
        request_id=anywhere.request.id, reason_id=2, actor=utility.attendant
    )
    assert (result.executed, result.charge) == (True, None)
    charged = gsan.service_requests.close(
        request_id=moved.request.id, reason_id=2, actor=utility.attendant
    )
    assert charged.charge is not None
    assert charged.charge.total == Decimal("10.00")


# ================================================================= hook
def test_the_hook_ignores_orders_without_a_request_and_closed_requests(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    assert opened.order is not None
    hook = RequestOrderClosedHook()
    at = clock.now()
    with gsan.uow_factory() as uow:
        service_type = uow.service_types.get(opened.order.service_type_id)
        loose = attrs.evolve(opened.order, request_id=None)
        assert (
            hook(
                uow,
                order=loose,
                service_type=service_type,
                executed=True,
                at=at,
                actor=utility.attendant,
            )
            is None
        )
        with pytest.raises(ConfigurationError):
            hook(
                uow,
                order=opened.order,
                service_type=service_type,
                executed=True,
                at=at,
                actor=utility.attendant,
            )
    tick(clock)
    gsan.service_requests.close(
        request_id=opened.request.id, reason_id=4, actor=utility.attendant
    )
    context = gsan.service_requests._ctx  # the hook is called as OS closing calls it
    with gsan.uow_factory() as uow:
        assert (
            hook(
                uow,
                order=opened.order,
                service_type=service_type,
                executed=True,
                at=at,
                actor=utility.attendant,
                context=context,
            )
            is None
        )


def test_the_hook_proposes_nothing_while_another_order_is_pending(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility, 232)
    first = gsan.service_requests.generate_order(
        request_id=opened.request.id, service_type_id=350, actor=utility.attendant
    )
    with gsan.uow_factory() as uow:
        uow.service_orders.add(attrs.evolve(first, id=first.id + 1000, version=1))
        uow.commit()
    tick(clock)
    closing = gsan.service_orders.close_not_executed(
        order_id=first.id,
        reason_id=4,
        closed_on=date(2025, 1, 6),
        actor=utility.attendant,
    )
    assert closing.effects == ()
    assert (
        gsan.service_requests.get(opened.request.id).situation
        is RequestSituation.PENDING
    )


# ================================================================= simplified
def test_simplified_references_by_id_or_protocol_and_a_concluded_occurrence(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility, 3)
    tick(clock)
    by_id = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.REITERATION,
        name="ANA",
        reference=str(opened.request.id),
        observation="DE NOVO",
        actor=utility.attendant,
    )
    assert by_id.reiterated_id == opened.request.id
    assert by_id.protocol.startswith("20252")  # its own sequence: origin 2
    assert by_id.protocol != opened.request.protocol
    by_protocol = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.REITERATION,
        name="ANA",
        reference=opened.request.protocol,
        observation="DE NOVO",
        actor=utility.attendant,
    )
    assert by_protocol.reiterated_id == opened.request.id
    with pytest.raises(RuleViolation) as unknown:
        gsan.service_requests.open_simplified(
            kind=SimplifiedKind.REITERATION,
            name="ANA",
            reference="RA-999",
            observation="DE NOVO",
            actor=utility.attendant,
        )
    assert unknown.value.code == "service_request.simplified.unknown_reference"
    outage = gsan.service_requests.register_occurrence(
        OperationalOccurrence(
            id=0,
            type_id=1,
            reason_id=2,
            municipality_id=101,
            locality_id=1,
            description="FALTA DE AGUA",
            occurred_at=clock.now(),
        ),
        actor=utility.attendant,
    )
    gsan.service_requests.conclude_occurrence(
        occurrence_id=outage.id, actor=utility.attendant
    )
    with pytest.raises(RuleViolation) as twice:
        gsan.service_requests.conclude_occurrence(
            occurrence_id=outage.id, actor=utility.attendant
        )
    assert twice.value.code == "service_request.occurrence.concluded"


def test_a_simplified_role_the_utility_does_not_use(clock: FixedClock) -> None:
    loaded = request_profile()
    roles = dict(loaded.profile.roles)
    del roles["request_specification.simplified_information"]
    profile = attrs.evolve(loaded.profile, roles=roles)
    gsan = gsan_core.in_memory(attrs.evolve(loaded, profile=profile), clock=clock)
    utility = build_request_utility(gsan, properties=10)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.open_simplified(
            kind=SimplifiedKind.INFORMATION,
            name="JOSE",
            text="HORARIO",
            actor=utility.attendant,
        )
    assert refused.value.code == "service_request.open.unknown_specification"


# ================================================================= configuration
def test_configuration_reads_and_stale_writes(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    configuration = gsan.service_requests.configuration
    spec = configuration.specification(3)
    configuration.update_specification(
        attrs.evolve(spec, description="OUTRA DESCRICAO"), actor=0
    )
    with pytest.raises(ConcurrencyConflict):
        configuration.update_specification(spec, actor=0)
    of_type = configuration.specifications(request_type_id=spec.request_type_id)
    assert spec.id in {s.id for s in of_type}
    assert all(s.request_type_id == spec.request_type_id for s in of_type)
    configuration.update_specification(
        attrs.evolve(configuration.specification(3), active=False), actor=0
    )
    active = configuration.specifications(active_only=True)
    assert 3 not in {s.id for s in active}
    assert len(active) == len(configuration.specifications()) - 1
    added = configuration.add_situation_profile(
        PropertySituationProfile(
            id=1,
            description="CORTADOS",
            criteria=[SituationCriterion(water_status_id=5)],
        ),
        actor=0,
    )
    changed = configuration.update_situation_profile(
        attrs.evolve(added, description="CORTADOS E SUPRIMIDOS"), actor=0
    )
    assert changed.version == 2
    with pytest.raises(ConcurrencyConflict):
        configuration.update_situation_profile(added, actor=0)
    assert [p.description for p in configuration.situation_profiles()] == [
        "CORTADOS E SUPRIMIDOS"
    ]
    assert {r.locality_id for r in configuration.locality_group_units()} == {1, 2}
    assert [
        r.specification_id for r in configuration.locality_specification_units()
    ] == [311]


# ================================================================= configuration
def test_cfg_01_request_type_description_unique_group_required(
    gsan: gsan_core.System,
) -> None:
    """CFG-01: a request type's description is unique
    (``atencao.tipo.solicitacao.ja.existe``), its group is required, its flags
    default to "no" and it is inserted active."""
    with pytest.raises(RuleViolation) as duplicate:
        gsan.catalog.add(
            "request_type",
            description="tarifa  social",
            attributes={"group_id": 1},
            actor=0,
        )
    (violation,) = duplicate.value.violations
    assert (violation.code, violation.gsan_key) == (
        "catalog.duplicate_description",
        "atencao.tipo.solicitacao.ja.existe",
    )
    with pytest.raises(RuleViolation) as no_group:
        gsan.catalog.add("request_type", description="NOVO TIPO", actor=0)
    assert no_group.value.codes == ("common.required",)
    added = gsan.catalog.add(
        "request_type", description="NOVO TIPO", attributes={"group_id": 1}, actor=0
    )
    assert added.active
    assert not any(added.flag(f) for f in ("outage", "social_tariff", "system_use"))


# ================================================================= batch
def test_batch_closing_below_a_superior_unit_charges_the_specification(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """CMD-06: the requests of the superior unit and its subordinates only;
    CMD-07: closed like any request, so the specification's charge is made."""
    charged = open_(gsan, utility, 216)
    elsewhere = open_(
        gsan,
        utility,
        3,
        location=RequestLocation(property_id=prop_id(utility, 0, 2)),
        destination_unit_id=utility.judicial,
    )
    tick(clock)
    command = gsan.service_requests.issue_closing_command(
        period_start=date(2025, 1, 6),
        period_end=date(2025, 1, 6),
        reason_id=32,
        responsible_id=utility.admin,
        actor=utility.admin,
        superior_unit_id=utility.call_centre,
    )
    summary = gsan.service_requests.execute_closing_command(
        command_id=command.id, actor=utility.admin, localities_per_chunk=1
    )
    assert (summary.units, summary.changed) == (2, 1)
    assert gsan.service_requests.get(charged.request.id).situation is (
        RequestSituation.CLOSED
    )
    assert gsan.service_requests.get(elsewhere.request.id).situation is (
        RequestSituation.PENDING
    )
    (charge,) = gsan.billing.charges(prop_id(utility))
    assert charge.service_request_id == charged.request.id


def test_model_values_are_checked() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        RequestSpecification(id=1, request_type_id=1, description="X", deadline_days=-1)
    assert not RequestSpecification(
        id=1, request_type_id=1, description="X"
    ).automatic_order
    assert RequestSpecification(
        id=1, request_type_id=1, description="X", service_type_id=679
    ).automatic_order
    with pytest.raises(ValueError, match="timezone-aware"):
        RoutingStep(
            id=1,
            request_id=1,
            from_unit_id=1,
            to_unit_id=2,
            at=datetime(2025, 1, 6, 12, 0),  # noqa: DTZ001
            registered_by=1,
            responsible_id=1,
        )
    assert (
        RoutingStep(
            id=1,
            request_id=1,
            from_unit_id=1,
            to_unit_id=2,
            at=datetime(2025, 1, 6, 12, 0, tzinfo=UTC),
            registered_by=1,
            responsible_id=1,
        ).at.tzinfo
        is UTC
    )


def test_descendants_stop_at_a_cycle() -> None:
    def unit(id: int, superior: int | None) -> OrganizationalUnit:
        return OrganizationalUnit(
            id=id,
            name=f"U{id}",
            acronym=f"U{id}",
            unit_type_id=11,
            superior_id=superior,
        )

    units = {
        u.id: u for u in (unit(1, 3), unit(2, 1), unit(3, 2), unit(4, 2), unit(5, None))
    }
    assert descendants(2, units) == {1, 2, 3, 4}
    assert descendants(5, units) == {5}


def test_regulator_records_filtered_by_period() -> None:
    def record(id: int, day: int, returned: int | None) -> RegulatorRecord:
        return RegulatorRecord(
            id=id,
            request_id=id,
            protocol_number=f"P{id}",
            request_situation=RequestSituation.PENDING,
            complaint_reason_id=1,
            complained_at=datetime(2025, 1, day, tzinfo=UTC),
            original_forecast=date(2025, 1, 20),
            current_forecast=date(2025, 1, 20),
            returned_at=None
            if returned is None
            else datetime(2025, 1, returned, tzinfo=UTC),
        )

    records = [record(1, 2, None), record(2, 5, 6), record(3, 8, 12)]

    def ids(**period: datetime) -> list[int]:
        return [r.id for r in filter_regulator_records(records, **period)]

    day = {d: datetime(2025, 1, d, tzinfo=UTC) for d in range(1, 15)}
    assert ids() == [1, 2, 3]
    assert ids(complained_from=day[3]) == [2, 3]
    assert ids(complained_until=day[5]) == [1]
    assert ids(returned_from=day[7]) == [3]
    assert ids(returned_until=day[7]) == [2]
    assert ids(returned_from=day[1], returned_until=day[14]) == [2, 3]


@pytest.mark.parametrize(
    ("profile", "expected"),
    [("gsan_default", RoutingReason.NONE), ("caema", RoutingReason.LOCALITY_GROUP)],
)
def test_caema_routes_sewer_types_by_locality_and_group(
    clock: FixedClock, profile: str, expected: RoutingReason
) -> None:
    gsan = gsan_core.in_memory(profile, clock=clock)
    utility = build_request_utility(gsan)
    gsan.service_requests.configuration.set_locality_group_units(
        locality_id=2,
        rows=[(GROUP_WATER, utility.office_2), (GROUP_SEWER, utility.sewer)],
        actor=0,
    )
    # locality 2's blocks have no sewer division: only the group can route it
    result = open_(
        gsan,
        utility,
        SEWER_SPEC,
        location=RequestLocation(property_id=prop_id(utility, 0, 2)),
    )
    assert result.reason is expected
    assert result.request.current_unit_id == (
        utility.sewer
        if expected is RoutingReason.LOCALITY_GROUP
        else utility.call_centre
    )


def test_forward_many_reads_each_request_once_and_knows_a_missing_one(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """UC0503 set-based (issue 20): a request the list names that does not
    exist is not found (nothing moves); a request named twice moves once, then
    is refused as any request already at the destination (TRM-06), as
    forwarding it twice one after the other is."""
    first = open_(gsan, utility, 3)
    second = open_(
        gsan, utility, 3, location=RequestLocation(property_id=prop_id(utility, 1))
    )
    tick(clock)
    with pytest.raises(NotFound):
        gsan.service_requests.forward_many(
            request_ids=[first.request.id, 999_999],
            destination_unit_id=utility.office_2,
            actor=utility.admin,
        )
    assert gsan.service_requests.get(first.request.id) == first.request
    with pytest.raises(RuleViolation) as twice:
        gsan.service_requests.forward_many(
            request_ids=[first.request.id, second.request.id, first.request.id],
            destination_unit_id=utility.office_2,
            actor=utility.admin,
        )
    assert twice.value.codes == ("service_request.forward.same_unit",)
    assert gsan.service_requests.get(first.request.id) == first.request
    done = gsan.service_requests.forward_many(
        request_ids=[second.request.id, first.request.id],
        destination_unit_id=utility.office_2,
        actor=utility.admin,
    )
    assert [r.request.id for r in done] == [second.request.id, first.request.id]
    assert {r.request.current_unit_id for r in done} == {utility.office_2}
    assert [r.step.from_unit_id for r in done] == [
        second.request.current_unit_id,
        first.request.current_unit_id,
    ]
