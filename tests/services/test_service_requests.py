"""Service requests through the public API, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import OrderSituation, ServiceType
from gsan_core.model.service_requests import (
    OperationalOccurrence,
    PropertySituationProfile,
    RegulatorSituation,
    Requester,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    RoutingReason,
    ServiceRequestClosed,
    ServiceRequestForwarded,
    SimplifiedKind,
    SituationCriterion,
    UrgentRequestAlert,
)
from gsan_core.services.batches import BatchProgress
from gsan_core.services.hydrometers import install_in
from gsan_core.services.service_requests.hooks import (
    RequestClosedByOrder,
    RequestClosingProposed,
    RequestClosingRefused,
    RequestRoutedBack,
)
from gsan_core.testing import FixedClock
from gsan_core.testing.hydrometers import METER
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    RequestUtility,
    build_request_utility,
    request_profile,
)

ANA = (Requester(name="ANA", address="RUA DAS FLORES 10"),)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    return make_system(request_profile())


@pytest.fixture
def utility(gsan: gsan_core.System) -> RequestUtility:
    return build_request_utility(gsan)


def prop_id(utility: RequestUtility, index: int = 0, locality: int = 1) -> int:
    return [p for p in utility.town.properties if p.locality_id == locality][index].id


def add_property(
    gsan: gsan_core.System, utility: RequestUtility, id: int, **changes: object
) -> Property:
    base = utility.town.properties[0]
    new = attrs.evolve(base, id=id, version=1, **changes)  # type: ignore[arg-type]
    gsan.properties.register(new, actor=0)
    return new


def open_(
    gsan: gsan_core.System,
    utility: RequestUtility,
    specification_id: int = 679,
    **changes: object,
) -> gsan_core.services.service_requests.OpeningResult:
    values: dict[str, object] = {
        "specification_id": specification_id,
        "unit_id": utility.call_centre,
        "channel_id": CHANNEL_PHONE,
        "actor": utility.attendant,
        "location": RequestLocation(property_id=prop_id(utility)),
        "requesters": ANA,
    }
    values.update(changes)
    return gsan.service_requests.open(**values)  # type: ignore[arg-type]


def tick(clock: FixedClock, minutes: int = 5) -> None:
    clock.advance(timedelta(minutes=minutes))


def counts(gsan: gsan_core.System) -> tuple[int, int, int]:
    """How many requests, steps (of request 1..) and orders exist."""
    requests = gsan.service_requests.find_by()
    steps = sum(len(gsan.service_requests.history(r.id)) for r in requests)
    return len(requests), steps, len(gsan.service_orders.find_by())


# ================================================================= opening
def test_open_routes_generates_the_order_and_records_the_step(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """INS-16: both deadlines from the attendance date and the specification;
    INS-20: the specification's service type generates the order in the same
    transaction; INS-24: the opening step is always recorded; INS-25: an urgent
    specification alerts the users of the unit."""
    result = open_(gsan, utility)
    request = result.request
    # locality 1 x water group -> office 102, whose dispatch centre is 101
    assert result.reason is RoutingReason.LOCALITY_GROUP
    assert request.current_unit_id == utility.call_centre
    assert request.situation is RequestSituation.PENDING
    # Monday 2025-01-06 + 1 business day
    assert request.original_due_date == request.current_due_date == date(2025, 1, 7)
    assert result.order is not None
    assert result.order.request_id == request.id
    assert result.order.current_unit_id == request.current_unit_id
    assert result.step.from_unit_id == utility.call_centre
    assert (
        result.step.remark
        == "TRAMITE GERADO PELO SISTEMA NA ABERTURA DO REGISTRO DE ATENDIMENTO"
    )
    assert request.protocol.startswith("20251")
    # the automatic message of the specification fills the observation
    assert (
        request.observation
        == "INFORMAR AO CLIENTE O PRAZO DE ATENDIMENTO E O NUMERO DO PROTOCOLO"
    )
    assert gsan.service_requests.history(request.id) == (result.step,)
    tags = [type(e).tag for e in gsan.events]
    assert "service_request.opened" in tags
    assert "service_order.generated" in tags
    alerts = [e for e in gsan.events if isinstance(e, UrgentRequestAlert)]
    assert [a.unit_id for a in alerts] == [utility.call_centre]


def test_open_large_consumer_unit_wins_over_the_informed_one(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    big = add_property(gsan, utility, 9_000_001, profile_id=2)
    result = open_(
        gsan,
        utility,
        location=RequestLocation(property_id=big.id),
        destination_unit_id=utility.commercial,
    )
    assert (result.request.current_unit_id, result.reason) == (
        utility.large_consumers,
        RoutingReason.LARGE_CONSUMER,
    )


def test_open_collection_situation_routes_to_its_unit(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    judicial = add_property(gsan, utility, 9_000_002, collection_situation_ids={1})
    result = open_(
        gsan, utility, 216, location=RequestLocation(property_id=judicial.id)
    )
    assert (result.request.current_unit_id, result.reason) == (
        utility.judicial,
        RoutingReason.COLLECTION_SITUATION,
    )


def test_open_locality_x_specification(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    result = open_(gsan, utility, 311)
    assert (result.request.current_unit_id, result.reason) == (
        utility.commercial,
        RoutingReason.LOCALITY_SPECIFICATION,
    )


def test_open_specification_unit_and_dispatch_centre(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    base = gsan.service_requests.configuration.specification(232)
    gsan.service_requests.configuration.update_specification(
        attrs.evolve(base, unit_id=utility.office_2), actor=0
    )
    result = open_(gsan, utility, 232)
    # office 2's dispatch centre is call centre 2
    assert (result.request.current_unit_id, result.reason) == (
        utility.call_centre_2,
        RoutingReason.SPECIFICATION,
    )


def test_open_sewer_type_goes_to_the_division_unit(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    result = open_(
        gsan,
        utility,
        717,
        location=RequestLocation(locality_id=1, street_id=40, sewer_division_id=1),
    )
    assert (result.request.current_unit_id, result.reason) == (
        utility.sewer,
        RoutingReason.SEWER_DIVISION,
    )
    assert result.order is not None
    assert result.order.current_unit_id == utility.sewer


def test_open_without_a_match_stays_in_the_opening_unit(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    result = open_(gsan, utility, 3, unit_id=utility.commercial, actor=utility.clerk)
    assert (result.request.current_unit_id, result.reason) == (
        utility.commercial,
        RoutingReason.NONE,
    )
    assert result.step.from_unit_id == result.step.to_unit_id == utility.commercial


def test_open_informed_destination(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    result = open_(
        gsan, utility, 3, destination_unit_id=utility.office, remark="VERIFICAR"
    )
    assert (result.request.current_unit_id, result.reason) == (
        utility.office,
        RoutingReason.INFORMED,
    )
    assert result.step.remark == "VERIFICAR"


def test_suggest_destination_reads_only(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    destination = gsan.service_requests.suggest_destination(
        specification_id=311, location=RequestLocation(property_id=prop_id(utility))
    )
    assert destination == (utility.commercial, RoutingReason.LOCALITY_SPECIFICATION)
    assert gsan.service_requests.find_by() == []
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.suggest_destination(
            specification_id=9999, location=RequestLocation()
        )
    assert refused.value.code == "service_request.open.unknown_specification"


@pytest.mark.parametrize(
    ("changes", "code", "key"),
    [
        (
            {"specification_id": 9999},
            "service_request.open.unknown_specification",
            "atencao.tipo_especificacao.inexistente",
        ),
        (
            {"attended_at": datetime(2025, 1, 7, 12, 0, tzinfo=UTC)},
            "service_request.open.date_in_future",
            "atencao.data_atendimento_posterior_data_corrente",
        ),
        (
            {"destination_unit_id": 9999},
            "service_request.destination.unknown",
            "atencao.label_inexistente",
        ),
        (
            {"manual_number": "1235"},
            "service_request.manual.not_issued",
            "atencao.numeracao_ra_manual_superior",
        ),
    ],
)
def test_open_bad_input_writes_nothing(
    gsan: gsan_core.System,
    utility: RequestUtility,
    changes: dict[str, object],
    code: str,
    key: str,
) -> None:
    before = (counts(gsan), len(gsan.events))
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, **changes)  # type: ignore[arg-type]
    violation = next(v for v in refused.value.violations if v.code == code)
    assert violation.gsan_key == key
    assert (counts(gsan), len(gsan.events)) == before


def test_open_destination_inactive_writes_nothing(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    unit = gsan.units.get(utility.judicial)
    gsan.units.update(attrs.evolve(unit, active=False), actor=0)
    before = counts(gsan)
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 3, destination_unit_id=utility.judicial)
    assert refused.value.code == "service_request.destination.inactive"
    assert refused.value.violations[0].gsan_key == "atencao.unidade_destino_inativa"
    assert counts(gsan) == before


def test_open_blocked_with_only_a_description_then_unblocked(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """UPD-07: a free-text place blocks the request, a structured address makes it
    pending again, on each save."""
    result = open_(
        gsan, utility, 613, location=RequestLocation(description="ESQUINA DO MERCADO")
    )
    assert result.request.situation is RequestSituation.BLOCKED
    tick(clock)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.forward(
            request_id=result.request.id,
            destination_unit_id=utility.office,
            actor=utility.attendant,
        )
    assert refused.value.code == "service_request.forward.closed_or_blocked"
    changed = gsan.service_requests.update_location(
        request_id=result.request.id,
        location=RequestLocation(locality_id=1, street_id=12, number="100"),
        actor=utility.attendant,
        expected_version=result.request.version,
    )
    assert changed.situation is RequestSituation.PENDING
    assert changed.address_number == "100"
    back = gsan.service_requests.update_location(
        request_id=result.request.id,
        location=RequestLocation(description="NOVAMENTE SO TEXTO"),
        actor=utility.attendant,
    )
    assert back.situation is RequestSituation.BLOCKED
    with pytest.raises(RuleViolation) as stale:
        gsan.service_requests.update_location(
            request_id=result.request.id,
            location=RequestLocation(locality_id=1, street_id=1),
            actor=utility.attendant,
            expected_version=1,
        )
    assert stale.value.code == "service_request.update.concurrent"


def test_update_location_moves_the_orders_to_the_new_property(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """UPD-08: a new property takes the request's open orders with it (changing
    the specification is "Manter RA" as a whole, issue #18)."""
    result = open_(gsan, utility)
    other = prop_id(utility, 1)
    gsan.service_requests.update_location(
        request_id=result.request.id,
        location=RequestLocation(property_id=other),
        actor=utility.attendant,
    )
    assert result.order is not None
    assert gsan.service_orders.get(result.order.id).property_id == other
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.update_location(
            request_id=result.request.id,
            location=RequestLocation(),
            actor=utility.attendant,
        )
    assert refused.value.code == "service_request.open.location_required"


def test_upd_06_a_new_place_is_checked_for_duplicates_but_not_against_itself(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """UPD-06: moving a request onto a property with a pending request of the
    same specification is refused like INS-09; its own property is not a
    duplicate."""
    first = open_(gsan, utility, 3)
    second = open_(
        gsan, utility, 3, location=RequestLocation(property_id=prop_id(utility, 1))
    )
    before = gsan.service_requests.get(second.request.id)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.update_location(
            request_id=second.request.id,
            location=RequestLocation(property_id=first.request.property_id),
            actor=utility.attendant,
        )
    assert [(v.code, v.rule) for v in refused.value.violations] == [
        ("service_request.open.duplicate", "INS-09")
    ]
    assert gsan.service_requests.get(second.request.id) == before
    same = gsan.service_requests.update_location(
        request_id=first.request.id,
        location=RequestLocation(property_id=first.request.property_id),
        actor=utility.attendant,
    )
    assert same.version == first.request.version + 1


def test_open_hard_duplicate_and_soft_warnings(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    first = open_(gsan, utility, 3)
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 3)
    assert refused.value.code == "service_request.open.duplicate"
    assert (
        refused.value.violations[0].gsan_key
        == "atencao.imovel_ja_possui_ra_com_mesma_especificacao"
    )
    second = open_(gsan, utility, 311)
    assert [w.code for w in second.warnings] == ["service_request.open.other_pending"]
    assert second.warnings[0].params["others"] == str(first.request.id)
    tick(clock)
    gsan.service_requests.close(
        request_id=first.request.id, reason_id=4, actor=utility.attendant
    )
    again = open_(gsan, utility, 3)
    codes = [w.code for w in again.warnings]
    assert "service_request.open.recently_closed" in codes


def test_check_open_returns_violations_and_warnings_without_writing(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    open_(gsan, utility, 3)
    command = gsan_core.model.service_requests.OpenRequest(
        specification_id=311,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        location=RequestLocation(property_id=prop_id(utility)),
        requesters=ANA,
    )
    before = counts(gsan)
    violations, warnings = gsan.service_requests.check_open(
        command, actor=utility.attendant
    )
    assert violations == ()
    assert [w.code for w in warnings] == ["service_request.open.other_pending"]
    bad, _ = gsan.service_requests.check_open(
        attrs.evolve(command, specification_id=1), actor=utility.attendant
    )
    assert bad[0].code == "service_request.open.unknown_specification"
    assert counts(gsan) == before


def test_open_same_address_warning_and_outage_warnings(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    street = RequestLocation(locality_id=1, street_id=77)
    open_(gsan, utility, 613, location=street)
    warned = open_(gsan, utility, 613, location=street)
    assert [w.code for w in warned.warnings] == ["service_request.open.same_address"]
    area = RequestLocation(
        property_id=prop_id(utility), area_id=3, municipality_id=101, neighbourhood_id=4
    )
    individual = open_(gsan, utility, 684, location=area)
    assert individual.warnings == ()
    general = open_(
        gsan,
        utility,
        683,
        location=RequestLocation(
            locality_id=1, area_id=3, municipality_id=101, neighbourhood_id=4
        ),
        requesters=(),
    )
    assert [w.code for w in general.warnings] == [
        "service_request.open.pending_individual_outages"
    ]
    another = open_(
        gsan, utility, 684, location=attrs.evolve(area, property_id=prop_id(utility, 2))
    )
    assert [w.code for w in another.warnings] == [
        "service_request.open.general_outage_open"
    ]


def test_open_property_situation_debts_and_submission_key(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    configuration = gsan.service_requests.configuration
    configuration.add_situation_profile(
        PropertySituationProfile(
            id=1,
            description="CORTADOS",
            criteria=[SituationCriterion(water_status_id=5)],
        ),
        actor=0,
    )
    base = configuration.specification(216)
    configuration.update_specification(
        attrs.evolve(base, property_situation_id=1), actor=0
    )
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 216)
    assert "service_request.open.situation_mismatch" in refused.value.codes
    cut = add_property(gsan, utility, 9_000_003, water_status_id=5)
    gsan.billing.record_debts(
        [
            OpenDebt(
                id=1, property_id=cut.id, kind=DebtKind.BILL, amount=Decimal("40.00")
            )
        ]
    )
    place = RequestLocation(property_id=cut.id)
    with pytest.raises(RuleViolation) as debts:
        open_(gsan, utility, 216, location=place)
    assert debts.value.code == "service_request.open.property_with_debts"
    clean = add_property(gsan, utility, 9_000_004, water_status_id=5)
    first = open_(
        gsan,
        utility,
        216,
        location=RequestLocation(property_id=clean.id),
        submission_key="form-1",
    )
    with pytest.raises(RuleViolation) as twice:
        open_(gsan, utility, 3, submission_key="form-1")
    assert twice.value.code == "service_request.open.submitted_twice"
    assert twice.value.violations[0].params["other_id"] == first.request.id


def test_ins_10_the_meter_facts_come_from_the_meter_area(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """INS-10: a specification for properties with a meter on the water
    connection refuses a property without one and accepts it once the meter area
    has a meter installed there; the caller no longer says whether it has one."""
    configuration = gsan.service_requests.configuration
    configuration.add_situation_profile(
        PropertySituationProfile(
            id=1,
            description="LIGADOS COM HIDROMETRO",
            criteria=[SituationCriterion(water_status_id=3, water_meter=True)],
        ),
        actor=0,
    )
    base = configuration.specification(216)
    configuration.update_specification(
        attrs.evolve(base, property_situation_id=1), actor=0
    )
    target = add_property(gsan, utility, 9_000_005, water_status_id=3)
    place = RequestLocation(property_id=target.id)
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 216, location=place)
    assert refused.value.codes == ("service_request.open.situation_mismatch",)
    assert refused.value.violations[0].rule == "INS-10"
    meter = gsan.hydrometers.insert(
        number="B24A000077", attributes=METER, location_id=1, actor=0
    )
    at = gsan.clock.now()
    with gsan.uow_factory() as uow:
        install_in(
            uow,
            profile=gsan.profile,
            property_id=target.id,
            point=MeasurementPoint.WATER_CONNECTION,
            installed_on=at.date() - timedelta(days=1),
            reading=0,
            place_id=1,
            protection_id=6,
            actor=0,
            at=at,
            hydrometer_id=meter.id,
            check_field_lock=False,
        )
        uow.commit()
    opened = open_(gsan, utility, 216, location=place)
    assert opened.request.property_id == target.id


def test_ins_13_the_due_date_gate_is_gsans_special_permission_34(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """INS-13: a specification that changes the alternative due date refuses a
    property whose due date changed less than 6 months ago, unless the user holds
    GSAN's special permission 34 (INFORMAR_VENCIMENTO_ALTERNATIVO_ANTES_DO_
    PERIODO_VALIDO, role ``permission.change_due_date_anytime``)."""
    configuration = gsan.service_requests.configuration
    base = configuration.specification(216)
    configuration.update_specification(
        attrs.evolve(base, alternative_due_date=True), actor=0
    )
    assert gsan.profile.ids("permission.change_due_date_anytime") == {34}
    recent = gsan.clock.now().date() - timedelta(days=30)
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 216, last_due_date_change_on=recent)
    assert refused.value.codes == ("service_request.open.due_date_changed_recently",)
    assert refused.value.violations[0].gsan_key == "atencao.imovel.vencimento.alterado"
    gsan.units.grant(user_id=utility.attendant, permission_id=34, actor=0)
    opened = open_(gsan, utility, 216, last_due_date_change_on=recent)
    assert opened.request.specification_id == 216


def test_open_auto_close_specification(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """INS-22: an auto-closing specification closes the request at once with
    reason 2, closed at the attendance time."""
    gsan.service_requests.configuration.add_specification(
        RequestSpecification(
            id=5000,
            request_type_id=1,
            description="INFORMACAO CADASTRAL",
            deadline_days=0,
            auto_close=True,
        ),
        actor=0,
    )
    with pytest.raises(RuleViolation) as refused:
        open_(gsan, utility, 5000)
    assert refused.value.code == "service_request.open.observation_required"
    result = open_(gsan, utility, 5000, observation="INFORMADO POR TELEFONE")
    assert result.closing is not None
    assert result.request.situation is RequestSituation.CLOSED
    assert result.request.closing_reason_id == 2
    assert result.request.closed_at == result.request.attended_at


def test_open_manual_attendance_with_a_manual_number(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    block, numbers = gsan.service_requests.generate_manual_numbers(
        unit_id=utility.call_centre, quantity=3, actor=utility.admin
    )
    assert len(numbers) == 3
    first = block.first_number
    assert (
        numbers[0]
        == f"{first:09d}-{gsan_core.rules.service_requests.check_digit(first)}"
    )
    typed = f"{first}{gsan_core.rules.service_requests.check_digit(first)}"
    yesterday = clock.now() - timedelta(days=1)
    result = open_(gsan, utility, 3, manual_number=typed, attended_at=yesterday)
    assert result.request.manual_number == int(typed)
    assert result.request.online is False
    assert result.request.current_due_date == date(
        2025, 1, 10
    )  # Sun 5 + 5 business days
    with pytest.raises(RuleViolation) as used:
        open_(gsan, utility, 311, manual_number=typed)
    assert used.value.code == "service_request.manual.already_used"
    wrong = f"{first}{(gsan_core.rules.service_requests.check_digit(first) + 1) % 10}"
    with pytest.raises(RuleViolation) as digit:
        open_(gsan, utility, 311, manual_number=wrong)
    assert digit.value.code == "service_request.manual.wrong_digit"
    with pytest.raises(RuleViolation) as limit:
        gsan.service_requests.generate_manual_numbers(
            unit_id=utility.call_centre, quantity=91, actor=utility.admin
        )
    assert limit.value.code == "service_request.manual.quantity_over_limit"


# ================================================================= forwarding
def test_forward_moves_the_request_and_all_its_orders(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    tick(clock)
    forwarded = gsan.service_requests.forward(
        request_id=opened.request.id,
        destination_unit_id=utility.office,
        actor=utility.attendant,
        remark="PARA VISTORIA",
        expected_version=opened.request.version,
    )
    assert forwarded.request.current_unit_id == utility.office
    assert forwarded.orders_moved == 1
    assert opened.order is not None
    assert gsan.service_orders.get(opened.order.id).current_unit_id == utility.office
    history = gsan.service_requests.history(opened.request.id)
    assert [s.to_unit_id for s in history] == [utility.call_centre, utility.office]
    assert history[-1].remark == "PARA VISTORIA"


def test_forward_refuses_a_responsible_user_that_does_not_exist(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    tick(clock)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.forward(
            request_id=opened.request.id,
            destination_unit_id=utility.office,
            actor=utility.attendant,
            responsible_id=424_242,
        )
    assert refused.value.codes == ("service_request.forward.responsible_unknown",)
    unchanged = gsan.service_requests.history(opened.request.id)
    assert [s.to_unit_id for s in unchanged] == [utility.call_centre]


@pytest.mark.parametrize(
    ("destination", "code", "key"),
    [
        (
            "call_centre",
            "service_request.forward.same_unit",
            "atencao.tramitar_ra_unidade_origem_destino_iguais",
        ),
        (
            "judicial",
            "service_request.forward.destination_inactive",
            "atencao.unidade_destino_inativa",
        ),
    ],
)
def test_forward_refused_writes_nothing(
    gsan: gsan_core.System,
    utility: RequestUtility,
    clock: FixedClock,
    destination: str,
    code: str,
    key: str,
) -> None:
    opened = open_(gsan, utility)
    gsan.units.update(
        attrs.evolve(gsan.units.get(utility.judicial), active=False), actor=0
    )
    tick(clock)
    before = (counts(gsan), gsan.service_requests.get(opened.request.id))
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.forward(
            request_id=opened.request.id,
            destination_unit_id=getattr(utility, destination),
            actor=utility.attendant,
        )
    assert (refused.value.code, refused.value.violations[0].gsan_key) == (code, key)
    assert len(refused.value.violations) == 1
    assert (counts(gsan), gsan.service_requests.get(opened.request.id)) == before


def test_forward_authorisation_and_permission_110(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    tick(clock)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.forward(
            request_id=opened.request.id,
            destination_unit_id=utility.office,
            actor=utility.clerk,
        )
    assert refused.value.code == "service_request.forward.not_authorised"
    gsan.units.grant(user_id=utility.clerk, permission_id=110, actor=0)
    moved = gsan.service_requests.forward(
        request_id=opened.request.id,
        destination_unit_id=utility.office,
        actor=utility.clerk,
    )
    assert moved.request.current_unit_id == utility.office


def test_contractor_closing_the_order_routes_the_request_back(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    assert opened.order is not None
    tick(clock)
    gsan.service_requests.forward(
        request_id=opened.request.id,
        destination_unit_id=utility.contractor,
        actor=utility.attendant,
    )
    forwarded = [e for e in gsan.events if isinstance(e, ServiceRequestForwarded)]
    assert forwarded[-1].to_contractor
    tick(clock)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.forward(
            request_id=opened.request.id,
            destination_unit_id=utility.office,
            actor=utility.attendant,
        )
    assert refused.value.code == "service_request.forward.contractor_user"
    tick(clock)
    closing = gsan.service_orders.close_executed(
        order_id=opened.order.id,
        reason_id=2,
        closed_on=clock.now().date(),
        actor=utility.contractor_user,
        activities_given=True,
    )
    (effect,) = closing.effects
    assert isinstance(effect, RequestRoutedBack)
    assert effect.to_unit_id == utility.call_centre
    request = gsan.service_requests.get(opened.request.id)
    assert request.current_unit_id == utility.call_centre
    assert request.situation is RequestSituation.PENDING
    last = gsan.service_requests.history(request.id)[-1]
    assert last.automatic
    assert last.from_unit_id == utility.contractor
    assert (
        gsan.service_orders.get(opened.order.id).current_unit_id == utility.call_centre
    )


def test_forward_many_is_all_or_nothing(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    first = open_(gsan, utility, 3)
    second = open_(
        gsan, utility, 311, location=RequestLocation(property_id=prop_id(utility, 1))
    )
    blocked = open_(gsan, utility, 613, location=RequestLocation(description="PRACA"))
    tick(clock)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.forward_many(
            request_ids=[first.request.id, blocked.request.id, second.request.id],
            destination_unit_id=utility.office,
            actor=utility.admin,
        )
    assert refused.value.codes == ("service_request.forward.closed_or_blocked",)
    assert gsan.service_requests.get(second.request.id).current_unit_id == (
        utility.commercial
    )
    assert (
        gsan.service_requests.get(first.request.id).current_unit_id
        == first.request.current_unit_id
    )
    done = gsan.service_requests.forward_many(
        request_ids=[first.request.id],
        destination_unit_id=utility.office_2,
        actor=utility.admin,
    )
    assert [r.request.current_unit_id for r in done] == [utility.office_2]


# ================================================================= closing
def test_close_not_executed_closes_every_open_order(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-09: a not-executed reason closes every open order with the same reason;
    ENC-10: the request is closed with the reason and remark by the user's unit,
    its current unit unchanged."""
    opened = open_(gsan, utility)
    assert opened.order is not None
    tick(clock)
    result = gsan.service_requests.close(
        request_id=opened.request.id,
        reason_id=4,
        actor=utility.attendant,
        remark="desistiu",
    )
    assert not result.executed
    assert result.request.situation is RequestSituation.CLOSED
    assert result.request.closing_remark == "DESISTIU"
    assert result.request.closing_unit_id == utility.call_centre
    assert [o.id for o in result.closed_orders] == [opened.order.id]
    order = gsan.service_orders.get(opened.order.id)
    assert (order.situation, order.closing_reason_id) == (OrderSituation.CLOSED, 4)
    assert result.request.current_unit_id == opened.request.current_unit_id
    with pytest.raises(RuleViolation) as again:
        gsan.service_requests.close(
            request_id=opened.request.id, reason_id=4, actor=utility.attendant
        )
    assert again.value.code == "service_request.close.already_closed"


def test_close_executed_refused_while_orders_are_open(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility)
    tick(clock)
    before = gsan.service_requests.get(opened.request.id)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.close(
            request_id=opened.request.id, reason_id=2, actor=utility.attendant
        )
    assert (refused.value.code, refused.value.violations[0].gsan_key) == (
        "service_request.close.open_orders",
        "atencao.indicador_execucao_nao",
    )
    assert gsan.service_requests.get(opened.request.id) == before


def test_close_as_duplicate_of_a_reference(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    first = open_(gsan, utility, 3)
    second = open_(
        gsan, utility, 613, location=RequestLocation(locality_id=1, street_id=3)
    )
    tick(clock)
    result = gsan.service_requests.close(
        request_id=second.request.id,
        reason_id=5,
        duplicate_of_id=first.request.id,
        actor=utility.attendant,
    )
    assert result.request.duplicate_of_id == first.request.id
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.reactivate(
            request_id=second.request.id,
            reason_id=1,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
        )
    assert refused.value.code == "service_request.reactivate.duplicate"


def test_close_concluded_charges_the_specification(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-14: closing with reason 2 charges the specification's debit type and
    value."""
    opened = open_(gsan, utility, 216)
    tick(clock)
    result = gsan.service_requests.close(
        request_id=opened.request.id, reason_id=2, actor=utility.attendant
    )
    assert result.charge is not None
    assert result.charge.total == Decimal("25.00")
    assert result.charge.service_request_id == opened.request.id
    assert gsan.billing.charges(prop_id(utility))[0].id == result.charge.id


def test_close_offers_and_opens_the_new_request(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-15: a specification with a follow-up specification offers a new
    request, opened on the same property when accepted."""
    configuration = gsan.service_requests.configuration
    base = configuration.specification(311)
    configuration.update_specification(
        attrs.evolve(base, new_request_specification_id=232), actor=0
    )
    opened = open_(gsan, utility, 311)
    tick(clock)
    result = gsan.service_requests.close(
        request_id=opened.request.id,
        reason_id=2,
        actor=utility.attendant,
        open_new_request=True,
    )
    assert result.new_request_offer == 232
    assert result.new_request is not None
    new = result.new_request.request
    assert (new.specification_id, new.property_id) == (232, opened.request.property_id)


def test_order_closing_closes_the_request_and_sends_the_survey(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-12 / SAT-02: closing with reason 2 a request whose service type sends
    the satisfaction survey requests it; SAT-04: answered once."""
    wants = (
        Requester(
            name="ANA", address="RUA 1", email="ana@example.com", survey_opt_in=True
        ),
    )
    opened = open_(gsan, utility, 684, requesters=wants)
    assert opened.order is not None
    tick(clock)
    closing = gsan.service_orders.close_executed(
        order_id=opened.order.id,
        reason_id=2,
        closed_on=clock.now().date(),
        actor=utility.attendant,
        activities_given=True,
        remark="agua normalizada",
    )
    (effect,) = closing.effects
    assert isinstance(effect, RequestClosedByOrder)
    request = gsan.service_requests.get(opened.request.id)
    assert request.situation is RequestSituation.CLOSED
    assert request.closing_remark == "AGUA NORMALIZADA"
    assert effect.closing.survey_requested
    assert "service_request.survey_requested" in [type(e).tag for e in gsan.events]
    survey = gsan.service_requests.answer_survey(
        request_id=request.id,
        well_served=True,
        resolved=True,
        field_team_contact=False,
        grade=9,
        actor=0,
    )
    assert survey.grade == 9
    with pytest.raises(RuleViolation) as twice:
        gsan.service_requests.answer_survey(
            request_id=request.id,
            well_served=True,
            resolved=True,
            field_team_contact=False,
            grade=9,
            actor=0,
        )
    assert twice.value.code == "service_request.survey.already_answered"


def test_order_closing_proposes_or_refuses_the_request_closing(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility, 109)
    assert opened.order is not None
    tick(clock)
    closing = gsan.service_orders.close_executed(
        order_id=opened.order.id,
        reason_id=2,
        closed_on=clock.now().date(),
        actor=utility.attendant,
        activities_given=True,
    )
    assert closing.effects == (RequestClosingProposed(request_id=opened.request.id),)
    # an auto-closing type while another order of the request is still pending
    leak = open_(
        gsan, utility, 684, location=RequestLocation(property_id=prop_id(utility, 3))
    )
    assert leak.order is not None
    extra = gsan.service_requests.generate_order(
        request_id=leak.request.id, service_type_id=350, actor=utility.attendant
    )
    assert extra.current_unit_id == leak.request.current_unit_id
    tick(clock)
    refused = gsan.service_orders.close_executed(
        order_id=leak.order.id,
        reason_id=2,
        closed_on=clock.now().date(),
        actor=utility.attendant,
        activities_given=True,
    )
    (effect,) = refused.effects
    assert isinstance(effect, RequestClosingRefused)
    assert effect.violations[0].code == "service_request.close.open_orders"
    assert gsan.service_orders.get(leak.order.id).situation is OrderSituation.CLOSED
    assert (
        gsan.service_requests.get(leak.request.id).situation is RequestSituation.PENDING
    )


def test_enc_01_an_order_of_a_request_is_closed_by_who_may_maintain_the_request(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-01 (service orders): the technician of the office may not close the
    order of an RA that stays in the call centre (AUTH-01 on the RA's current
    unit; GSAN ``atencao.nao_possivel_encerramento_os``), nothing is written;
    once the RA is forwarded to his unit he may, and so may the call centre."""
    opened = open_(gsan, utility, 684)
    assert opened.order is not None
    assert opened.request.current_unit_id == utility.call_centre
    tick(clock)
    before = gsan.service_orders.get(opened.order.id)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=opened.order.id,
            reason_id=2,
            closed_on=clock.now().date(),
            actor=utility.technician,
            activities_given=True,
        )
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "service_order.close.request_of_another_unit",
        "ENC-01",
        "atencao.nao_possivel_encerramento_os",
    )
    assert gsan.service_orders.get(opened.order.id) == before
    gsan.service_requests.forward(
        request_id=opened.request.id,
        destination_unit_id=utility.office,
        actor=utility.attendant,
    )
    tick(clock)
    closed = gsan.service_orders.close_executed(
        order_id=opened.order.id,
        reason_id=2,
        closed_on=clock.now().date(),
        actor=utility.technician,
        activities_given=True,
    )
    assert closed.order.situation is OrderSituation.CLOSED


def test_generate_order_for_a_request_follows_gen_rules(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility, 3)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.generate_order(
            request_id=opened.request.id, service_type_id=350, actor=utility.attendant
        )
    assert refused.value.code == "service_order.generate.request_does_not_allow_orders"
    optional = open_(gsan, utility, 232)
    order = gsan.service_requests.generate_order(
        request_id=optional.request.id, service_type_id=350, actor=utility.attendant
    )
    assert order.request_id == optional.request.id


def test_gen_06_07_09_an_order_of_a_request_refers_to_another_order(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """GEN-06 (the reference is required), GEN-07 (of the same RA) and GEN-09
    (the referred OS waits for its release), through the public API."""
    diagnosis = ServiceType(
        id=975, description="DIAGNOSTICO DO RA", abbreviation="DIAG RA", reference_id=1
    )
    gsan.service_orders.add_type(diagnosis, actor=0)
    leak = open_(gsan, utility)
    other = open_(
        gsan, utility, location=RequestLocation(property_id=prop_id(utility, 1))
    )
    assert leak.order is not None
    assert other.order is not None
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.generate_order(
            request_id=leak.request.id, service_type_id=975, actor=utility.attendant
        )
    assert refused.value.violations[0].rule == "GEN-06"
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.generate_order(
            request_id=leak.request.id,
            service_type_id=975,
            actor=utility.attendant,
            reference_order_id=other.order.id,
        )
    assert refused.value.violations[0].rule == "GEN-07"
    order = gsan.service_requests.generate_order(
        request_id=leak.request.id,
        service_type_id=975,
        actor=utility.attendant,
        reference_order_id=leak.order.id,
        reference_service_type_id=350,
    )
    assert (order.request_id, order.reference_order_id) == (
        leak.request.id,
        leak.order.id,
    )
    assert order.reference_service_type_id == 350
    held = gsan.service_orders.get(leak.order.id)
    assert held.situation is OrderSituation.AWAITING_RELEASE


def test_reactivation_opens_a_new_linked_request(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """REA-06: reactivating creates a new pending request linked to the old one,
    with the same protocol and an automatic order; the old one stays closed."""
    opened = open_(gsan, utility)
    tick(clock)
    gsan.service_requests.close(
        request_id=opened.request.id, reason_id=4, actor=utility.attendant
    )
    tick(clock)
    closed_before = gsan.service_requests.get(opened.request.id)
    new = gsan.service_requests.reactivate(
        request_id=opened.request.id,
        reason_id=1,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        actor=utility.attendant,
    )
    assert new.request.id != opened.request.id
    assert new.request.reactivation_of_id == opened.request.id
    assert new.request.protocol == opened.request.protocol
    assert new.request.situation is RequestSituation.PENDING
    assert new.order is not None
    assert gsan.service_requests.get(opened.request.id) == closed_before
    details = gsan.service_requests.details(opened.request.id)
    assert details.successor_id == new.request.id
    with pytest.raises(RuleViolation) as again:
        gsan.service_requests.reactivate(
            request_id=opened.request.id,
            reason_id=1,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
        )
    assert again.value.code == "service_request.reactivate.already"
    with pytest.raises(RuleViolation) as pending:
        gsan.service_requests.reactivate(
            request_id=new.request.id,
            reason_id=1,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
        )
    assert pending.value.code == "service_request.reactivate.not_closed"


def test_reiteration_after_the_deadline(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility, 3)
    with pytest.raises(RuleViolation) as early:
        gsan.service_requests.reiterate(
            request_id=opened.request.id, actor=utility.attendant
        )
    assert early.value.code == "service_request.reiterate.not_due"
    clock.advance(timedelta(days=10))
    request = gsan.service_requests.reiterate(
        request_id=opened.request.id,
        actor=utility.attendant,
        requester_name="ANA",
        remark="DE NOVO",
    )
    assert request.reiterations == 1
    assert (
        gsan.service_requests.details(opened.request.id).reiterations[0].remark
        == "DE NOVO"
    )


def test_queries_pending_overdue_and_validation_codes(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    opened = open_(gsan, utility, 3)
    assert [
        r.id
        for r in gsan.service_requests.pending_of_unit(opened.request.current_unit_id)
    ] == [opened.request.id]
    assert gsan.service_requests.overdue() == []
    assert [r.id for r in gsan.service_requests.overdue(today=date(2025, 2, 1))] == [
        opened.request.id
    ]
    assert gsan.service_requests.has_open_request(
        property_id=prop_id(utility), validation_code="I"
    )
    assert not gsan.service_requests.has_open_request(
        property_id=prop_id(utility), validation_code="V"
    )
    details = gsan.service_requests.details(opened.request.id)
    assert details.steps == gsan.service_requests.history(opened.request.id)
    assert details.previous_id is None
    assert details.successor_id is None


# ================================================================= batch
def test_batch_closing_command_by_locality_resumable_and_idempotent(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """CMD-06: the command closes the pending requests of the period, locality by
    locality, leaving blocked ones; CMD-07: each through the normal closing, with
    the command's reason and remark."""
    opened = [
        open_(
            gsan,
            utility,
            3,
            location=RequestLocation(property_id=prop_id(utility, i, locality)),
        )
        for locality in (1, 2)
        for i in range(3)
    ]
    blocked = open_(gsan, utility, 613, location=RequestLocation(description="X"))
    tick(clock)
    command = gsan.service_requests.issue_closing_command(
        period_start=date(2025, 1, 1),
        period_end=date(2025, 1, 6),
        reason_id=32,
        responsible_id=utility.attendant,
        actor=utility.attendant,
    )
    with pytest.raises(RuleViolation) as duplicate:
        gsan.service_requests.issue_closing_command(
            period_start=date(2025, 1, 2),
            period_end=date(2025, 1, 5),
            reason_id=32,
            responsible_id=utility.attendant,
            actor=utility.attendant,
        )
    assert duplicate.value.code == "service_request.command.exists"
    seen: list[BatchProgress] = []

    def stop_after_first(progress: BatchProgress) -> None:
        seen.append(progress)
        if len(seen) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        gsan.service_requests.execute_closing_command(
            command_id=command.id,
            actor=utility.admin,
            progress=stop_after_first,
            localities_per_chunk=1,
        )
    assert gsan.service_requests.closing_command(command.id).closed_requests == 3
    summary = gsan.service_requests.execute_closing_command(
        command_id=command.id,
        actor=utility.admin,
        progress=seen.append,
        localities_per_chunk=1,
    )
    assert (summary.units, summary.changed) == (1, 3)
    final = gsan.service_requests.closing_command(command.id)
    assert (final.closed_requests, final.closed_orders, final.executed) == (6, 0, True)
    for result in opened:
        request = gsan.service_requests.get(result.request.id)
        assert request.situation is RequestSituation.CLOSED
        assert (
            request.closing_remark
            == f"RA ENCERRADO POR MEIO DO COMANDO DE ENCERRAMENTO {command.id}"
        )
    assert (
        gsan.service_requests.get(blocked.request.id).situation
        is RequestSituation.BLOCKED
    )
    again = gsan.service_requests.execute_closing_command(
        command_id=command.id, actor=utility.admin
    )
    assert (again.units, again.changed) == (0, 0)
    closed_events = [e for e in gsan.events if isinstance(e, ServiceRequestClosed)]
    assert len(closed_events) == 6


def test_batch_closing_closes_orders_and_skips_scheduled_ones(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """CMD-06: filtered by current unit and specification; CMD-07: the request's
    orders are closed with the command's reason and counted."""
    with_order = open_(gsan, utility)
    assert with_order.order is not None
    tick(clock)
    command = gsan.service_requests.issue_closing_command(
        period_start=date(2025, 1, 6),
        period_end=date(2025, 1, 6),
        reason_id=32,
        responsible_id=utility.admin,
        actor=utility.admin,
        current_unit_id=utility.call_centre,
        specification_ids=[679],
    )
    summary = gsan.service_requests.execute_closing_command(
        command_id=command.id, actor=utility.admin
    )
    assert summary.changed == 1
    order = gsan.service_orders.get(with_order.order.id)
    assert (order.situation, order.closing_reason_id) == (OrderSituation.CLOSED, 32)
    assert gsan.service_requests.closing_command(command.id).closed_orders == 1


def test_cmd_07_batch_closing_leaves_out_a_charge_paid_by_a_slip(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """CMD-07 with DEB-02: the batch reads the chunk's payment slips at once;
    a property with a slip of the specification's debit type issued on the
    attendance day gets no charge, one with a slip of another type does."""
    paid = open_(gsan, utility, 216)
    other = open_(
        gsan,
        utility,
        216,
        location=RequestLocation(property_id=prop_id(utility, 1)),
    )
    day = clock.now().date()
    gsan.billing.record_debts(
        [
            OpenDebt(
                id=901 + i,
                property_id=request.request.property_id or 0,
                kind=DebtKind.PAYMENT_SLIP,
                amount=Decimal("25.00"),
                debit_type_id=debit_type,
                issued_on=day,
            )
            for i, (request, debit_type) in enumerate(((paid, 2), (other, 9)))
        ]
    )
    tick(clock)
    command = gsan.service_requests.issue_closing_command(
        period_start=day,
        period_end=day,
        reason_id=32,
        responsible_id=utility.attendant,
        actor=utility.attendant,
    )
    summary = gsan.service_requests.execute_closing_command(
        command_id=command.id, actor=utility.admin
    )
    assert summary.changed == 2
    assert gsan.billing.charges(prop_id(utility)) == []
    (charge,) = gsan.billing.charges(prop_id(utility, 1))
    assert (charge.service_request_id, charge.total) == (
        other.request.id,
        Decimal("25.00"),
    )


# ================================================================= simplified
def test_simplified_requests_and_the_occurrence_registry(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """SIMP-02: the four kinds of simplified request; SIMP-03: an outage call is
    born closed against its occurrence; SIMP-04: a commercial call or an
    operational one without an occurrence goes to the normal opening with the
    same protocol; SIMP-07: the closing unit is recorded (GSAN builds the row but
    never saves it, docs/profiles.md)."""
    outage = gsan.service_requests.register_occurrence(
        OperationalOccurrence(
            id=0,
            type_id=1,
            reason_id=2,
            municipality_id=101,
            locality_id=1,
            description="ROMPIMENTO DA ADUTORA PRINCIPAL",
            occurred_at=clock.now(),
        ),
        actor=utility.attendant,
    )
    with pytest.raises(RuleViolation) as twice:
        gsan.service_requests.register_occurrence(
            attrs.evolve(outage, id=0), actor=utility.attendant
        )
    assert twice.value.code == "service_request.occurrence.exists"
    call = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.OPERATIONAL,
        name="JOSE",
        occurrence_id=outage.id,
        actor=utility.attendant,
    )
    assert call.request is not None
    assert call.request.situation is RequestSituation.CLOSED
    assert call.request.specification_id == 1040
    assert call.request.occurrence_id == outage.id
    assert call.request.closing_unit_id == utility.call_centre
    assert (
        gsan.service_requests.history(call.request.id)[0].to_unit_id
        == utility.call_centre
    )
    commercial = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.COMMERCIAL, name="JOSE", actor=utility.attendant
    )
    assert commercial.redirect
    assert commercial.request is None
    unknown_outage = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.OPERATIONAL, name="JOSE", actor=utility.attendant
    )
    assert (unknown_outage.redirect, unknown_outage.request) == (True, None)
    opened = open_(gsan, utility, 3, protocol=commercial.protocol)
    assert opened.request.protocol == commercial.protocol
    info = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.INFORMATION,
        name="JOSE",
        text="HORARIO DA AGENCIA",
        actor=utility.attendant,
    )
    assert info.request is not None
    assert info.request.specification_id == 1038
    tick(clock)
    reiterated = gsan.service_requests.open_simplified(
        kind=SimplifiedKind.REITERATION,
        name="ANA",
        reference=opened.request.protocol,
        observation="LIGOU DE NOVO",
        actor=utility.attendant,
    )
    assert reiterated.reiterated_id == opened.request.id
    assert (
        reiterated.reiteration_failure is not None
    )  # not due yet: recorded, not raised
    assert gsan.service_requests.get(opened.request.id).reiterations == 0
    concluded = gsan.service_requests.conclude_occurrence(
        occurrence_id=outage.id, actor=utility.attendant
    )
    assert not concluded.open
    assert gsan.service_requests.open_occurrences() == []
    with pytest.raises(RuleViolation) as gone:
        gsan.service_requests.open_simplified(
            kind=SimplifiedKind.OPERATIONAL,
            name="JOSE",
            occurrence_id=outage.id,
            actor=utility.attendant,
        )
    assert gone.value.code == "service_request.simplified.unknown_occurrence"


# ================================================================= regulator
def test_regulator_complaint_and_return(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    opened = open_(gsan, utility, 3)
    record = gsan.service_requests.record_regulator_complaint(
        request_id=opened.request.id,
        protocol_number="ARSEP-2025-1",
        complaint_reason_id=1,
        current_forecast=date(2025, 1, 20),
        actor=utility.attendant,
        complaint="CLIENTE RECLAMOU DA DEMORA",
    )
    assert record.original_forecast == date(2025, 1, 11)  # today + 5 days
    assert record.request_situation is RequestSituation.PENDING
    with pytest.raises(RuleViolation) as twice:
        gsan.service_requests.record_regulator_complaint(
            request_id=opened.request.id,
            protocol_number="ARSEP-2025-1",
            complaint_reason_id=1,
            current_forecast=date(2025, 1, 20),
            actor=utility.attendant,
        )
    assert twice.value.code == "service_request.regulator.duplicate"
    returned = gsan.service_requests.record_regulator_return(
        record_id=record.id,
        return_reason_id=1,
        actor=utility.attendant,
        return_text="ATENDIDO",
    )
    assert returned.situation is RegulatorSituation.CLOSED
    found = gsan.service_requests.regulator_records(situation=RegulatorSituation.CLOSED)
    assert [r.id for r in found] == [record.id]
    with pytest.raises(RuleViolation) as nothing:
        gsan.service_requests.regulator_records()
    assert nothing.value.code == "service_request.regulator.no_filter"


# ================================================================= configuration
def test_configuration_rules_through_the_service(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    configuration = gsan.service_requests.configuration
    with pytest.raises(RuleViolation) as duplicate:
        configuration.add_specification(
            RequestSpecification(
                id=6000,
                request_type_id=603,
                description="vazamento no ramal",
                deadline_days=1,
            ),
            actor=0,
        )
    assert duplicate.value.code == "service_request.config.specification_duplicate"
    rows = configuration.set_locality_specification_units(
        locality_id=2, rows=[(3, utility.commercial), (311, utility.office_2)], actor=0
    )
    assert len(rows) == 2
    replaced = configuration.set_locality_specification_units(
        locality_id=2, rows=[(3, utility.office_2)], actor=0
    )
    assert [
        r.specification_id
        for r in configuration.locality_specification_units(locality_id=2)
    ] == [3]
    assert replaced[0].unit_id == utility.office_2
    with pytest.raises(RuleViolation) as repeated:
        configuration.set_locality_specification_units(
            locality_id=2, rows=[(3, 5), (3, 6)], actor=0
        )
    assert (
        repeated.value.code == "service_request.config.locality_specification_repeated"
    )
    with pytest.raises(RuleViolation) as collection:
        configuration.add_collection_situation_units(
            [(216, 1, utility.commercial)], actor=0
        )
    assert collection.value.code == "service_request.config.collection_repeated"
    (row,) = configuration.collection_situation_units()
    configuration.remove_collection_situation_unit(row.id, actor=0)
    assert configuration.collection_situation_units() == []
    assert [g.group_id for g in configuration.locality_group_units(locality_id=1)] == [
        6
    ]
