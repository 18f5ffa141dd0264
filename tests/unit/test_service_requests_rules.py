"""One test per numbered rule of the RA lifecycle (pure functions): each asserts the
violation's ``code``, ``rule`` and ``gsan_key``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.model.service_requests import (
    ClosingCommand,
    OpenRequest,
    OperationalOccurrence,
    PropertySituationProfile,
    RequestAction,
    Requester,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    RoutingStep,
    ServiceRequest,
    SimplifiedKind,
    SituationCriterion,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules import service_requests as r

ZONE = ZoneInfo("America/Belem")
NOW = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)  # 09:00 in Belém
PARAMS = ServiceRequestParameters()


def one(
    violations: Sequence[Violation], code: str, rule: str, key: str | None
) -> Violation:
    """The violation with ``code``, checking its rule and GSAN key."""
    found = [v for v in violations if v.code == code]
    assert found, f"{code} not in {[v.code for v in violations]}"
    assert found[0].rule == rule
    assert found[0].gsan_key == key
    return found[0]


def codes(violations: Sequence[Violation]) -> list[str]:
    return [v.code for v in violations]


def item(
    kind: str, id: int, *, active: bool = True, **attributes: object
) -> CatalogItem:
    return CatalogItem(
        kind=kind,
        id=id,
        description=f"{kind} {id}",
        active=active,
        attributes=attributes,
    )


def spec(**changes: object) -> RequestSpecification:
    values: dict[str, object] = {
        "id": 10,
        "request_type_id": 1,
        "description": "VAZAMENTO",
        "deadline_days": 2,
    }
    values.update(changes)
    return RequestSpecification(**values)  # type: ignore[arg-type]


def request(**changes: object) -> ServiceRequest:
    values: dict[str, object] = {
        "id": 1,
        "specification_id": 10,
        "attended_at": NOW - timedelta(hours=2),
        "original_due_date": date(2025, 1, 6),
        "current_due_date": date(2025, 1, 6),
        "channel_id": 1,
        "protocol": "20251000000001",
        "opening_unit_id": 100,
        "opened_by": 7,
        "current_unit_id": 100,
        "locality_id": 1,
    }
    values.update(changes)
    return ServiceRequest(**values)  # type: ignore[arg-type]


def order(
    id: int = 50,
    situation: OrderSituation = OrderSituation.PENDING,
    **changes: object,
) -> ServiceOrder:
    return ServiceOrder(
        id=id,
        service_type_id=changes.pop("service_type_id", 1),  # type: ignore[arg-type]
        situation=situation,
        request_id=1,
        generated_at=NOW - timedelta(hours=1),
        **changes,  # type: ignore[arg-type]
    )


def unit(id: int, type_id: int = 12, **changes: object) -> OrganizationalUnit:
    return OrganizationalUnit(id=id, name=f"U{id}", unit_type_id=type_id, **changes)  # type: ignore[arg-type]


def prop(**changes: object) -> Property:
    values: dict[str, object] = {
        "id": 500,
        "locality_id": 1,
        "sector_id": 11,
        "block_id": 111,
        "profile_id": 1,
        "water_status_id": 3,
        "sewer_status_id": 1,
    }
    values.update(changes)
    return Property(**values)  # type: ignore[arg-type]


# ================================================================= transitions
def test_transition_table_a_closed_request_only_reactivates_unchanged() -> None:
    assert r.transition(None, RequestAction.OPEN) is RequestSituation.PENDING
    assert (
        r.transition(None, RequestAction.OPEN_WITHOUT_ADDRESS)
        is RequestSituation.BLOCKED
    )
    assert (
        r.transition(RequestSituation.BLOCKED, RequestAction.CLOSE)
        is RequestSituation.CLOSED
    )
    assert (
        r.transition(RequestSituation.CLOSED, RequestAction.REACTIVATE)
        is RequestSituation.CLOSED
    )
    for action in RequestAction:
        if action is not RequestAction.REACTIVATE:
            assert r.transition(RequestSituation.CLOSED, action) is None
    assert r.transition(RequestSituation.BLOCKED, RequestAction.FORWARD) is None


# ================================================================= numbering
@pytest.mark.parametrize(
    ("number", "digit"), [(121, 0), (122, 8), (123, 6), (124, 4), (1, 9)]
)
def test_num_03_modulo_11_check_digit(number: int, digit: int) -> None:
    assert r.check_digit(number) == digit
    assert r.with_check_digit(number) == number * 10 + digit


def test_num_03_printed_form_and_weights_restart_after_nine() -> None:
    assert r.format_manual_number(123) == "000000123-6"
    # 10 digits: the weights go 2..9 then restart at 2
    assert r.check_digit(1234567890) == 0
    with pytest.raises(ValueError, match="not negative"):
        r.check_digit(-1)


def test_num_01_quantity_over_the_limit() -> None:
    found = r.check_manual_generation(quantity=91, unit=unit(1), unit_id=1, limit=90)
    one(
        found,
        "service_request.manual.quantity_over_limit",
        "NUM-01",
        "atencao.registro_atendimento_geracao_manual_limite_quantidade_superior",
    )
    found = r.check_manual_generation(quantity=0, unit=unit(1), unit_id=1, limit=90)
    one(
        found,
        "service_request.manual.quantity_invalid",
        "NUM-01",
        "atencao.campo.invalido",
    )
    assert (
        r.check_manual_generation(quantity=90, unit=unit(1), unit_id=1, limit=90) == ()
    )


def test_num_02_unit_must_exist_and_be_active() -> None:
    for missing in (None, unit(1, active=False)):
        found = r.check_manual_generation(quantity=1, unit=missing, unit_id=1, limit=90)
        one(
            found,
            "service_request.manual.unknown_unit",
            "NUM-02",
            "atencao.label_inexistente",
        )


def test_num_04_manual_number_numeric_with_its_digit() -> None:
    number, found = r.parse_manual_number("12a")
    assert number is None
    one(
        found,
        "service_request.manual.not_numeric",
        "NUM-04",
        "atencao.campo_aceita_apenas_numero",
    )
    number, found = r.parse_manual_number("7")
    one(
        found,
        "service_request.manual.too_short",
        "NUM-04",
        "atencao.numero_ra_manual_obrigatorio_numero_digito",
    )
    assert r.parse_manual_number(" 1236 ") == (1236, ())


def test_num_05_number_not_issued_yet() -> None:
    found = r.check_manual_number(1236, last_issued=100, used_by=None)
    one(
        found,
        "service_request.manual.not_issued",
        "NUM-05",
        "atencao.numeracao_ra_manual_superior",
    )
    found = r.check_manual_number(1236, last_issued=None, used_by=None)
    one(
        found,
        "service_request.manual.not_issued",
        "NUM-05",
        "atencao.numeracao_ra_manual_superior",
    )


def test_num_06_wrong_check_digit() -> None:
    found = r.check_manual_number(1235, last_issued=200, used_by=None)
    violation = one(
        found,
        "service_request.manual.wrong_digit",
        "NUM-06",
        "atencao.numeracao_ra_manual_digito_invalido",
    )
    assert violation.params["expected"] == 6
    assert r.check_manual_number(1236, last_issued=200, used_by=None) == ()


def test_num_07_number_already_used() -> None:
    found = r.check_manual_number(1236, last_issued=200, used_by=9)
    one(
        found,
        "service_request.manual.already_used",
        "NUM-07",
        "atencao.numeracao_ra_manual_ja_informado",
    )


# ================================================================= opening
def command(**changes: object) -> OpenRequest:
    values: dict[str, object] = {
        "specification_id": 10,
        "unit_id": 100,
        "channel_id": 1,
        "location": RequestLocation(property_id=500),
        "requesters": (Requester(name="ANA", address="RUA 1"),),
    }
    values.update(changes)
    return OpenRequest(**values)  # type: ignore[arg-type]


GROUP = item("request_type_group", 6, sewer=False)
TYPE = item(
    "request_type", 1, group_id=6, outage=False, social_tariff=False, system_use=False
)


def facts(**changes: object) -> r.OpeningFacts:
    values: dict[str, object] = {
        "now": NOW,
        "zone": ZONE,
        "params": PARAMS,
        "specification": spec(),
        "request_type": TYPE,
        "group": GROUP,
        "channel": item("request_channel", 1),
        "unit": unit(100),
        "prop": prop(),
    }
    values.update(changes)
    return r.OpeningFacts(**values)  # type: ignore[arg-type]


def test_open_valid_request_has_no_violation() -> None:
    assert r.check_open(command(), facts()) == ()


def test_ins_01_unknown_inactive_or_system_specification() -> None:
    for f in (
        facts(specification=None),
        facts(specification=spec(active=False)),
        facts(request_type=None),
        facts(request_type=attrs.evolve(TYPE, active=False)),
        facts(request_type=item("request_type", 1, group_id=6, system_use=True)),
    ):
        one(
            r.check_open(command(), f),
            "service_request.open.unknown_specification",
            "INS-01",
            "atencao.tipo_especificacao.inexistente",
        )


def test_ins_01_unknown_channel() -> None:
    for channel in (None, item("request_channel", 1, active=False)):
        one(
            r.check_open(command(), facts(channel=channel)),
            "service_request.open.unknown_channel",
            "INS-01",
            "atencao.label_inexistente",
        )


def test_ins_02_attendance_in_the_future() -> None:
    tomorrow = command(attended_at=NOW + timedelta(days=1))
    one(
        r.check_open(tomorrow, facts()),
        "service_request.open.date_in_future",
        "INS-02",
        "atencao.data_atendimento_posterior_data_corrente",
    )
    later = command(attended_at=NOW + timedelta(minutes=30))
    one(
        r.check_open(later, facts()),
        "service_request.open.time_in_future",
        "INS-02",
        "atencao.hora_atendimento_posterior_hora_corrente",
    )
    assert r.check_open(command(attended_at=NOW - timedelta(days=3)), facts()) == ()


def test_ins_03_waiting_times() -> None:
    future = command(
        wait_started_at=NOW - timedelta(minutes=5),
        wait_ended_at=NOW + timedelta(minutes=1),
    )
    one(
        r.check_open(future, facts()),
        "service_request.open.wait_in_future",
        "INS-03",
        "atencao.tempo_espera_atendimento_posterior_hora_corrente",
    )
    one(
        r.check_open(command(wait_started_at=NOW + timedelta(minutes=1)), facts()),
        "service_request.open.wait_in_future",
        "INS-03",
        "atencao.tempo_espera_atendimento_posterior_hora_corrente",
    )
    backwards = command(
        wait_started_at=NOW - timedelta(minutes=5),
        wait_ended_at=NOW - timedelta(minutes=10),
    )
    one(
        r.check_open(backwards, facts()),
        "service_request.open.wait_end_before_start",
        "INS-03",
        "atencao.tempo_espera_final_anterior_tempo_espera_final_registro_atendimento",
    )


def test_ins_04_attendance_unit() -> None:
    for missing in (None, unit(100, active=False)):
        one(
            r.check_open(command(), facts(unit=missing)),
            "service_request.open.unknown_unit",
            "INS-04",
            "atencao.label_inexistente",
        )
    one(
        r.check_open(command(), facts(unit=unit(100, may_open_requests=False))),
        "service_request.open.unit_cannot_open",
        "INS-04",
        "atencao.unidade_organizacional_nao_autorizada_registro_atendimento",
    )


def test_ins_05_manual_number_goes_through_num_rules() -> None:
    found = r.check_open(command(manual_number="1235"), facts(last_manual_number=200))
    one(
        found,
        "service_request.manual.wrong_digit",
        "NUM-06",
        "atencao.numeracao_ra_manual_digito_invalido",
    )
    found = r.check_open(command(manual_number="x"), facts())
    one(
        found,
        "service_request.manual.not_numeric",
        "NUM-04",
        "atencao.campo_aceita_apenas_numero",
    )
    assert (
        r.check_open(command(manual_number="1236"), facts(last_manual_number=200)) == ()
    )


def test_ins_06_observation_required_for_auto_close_and_limited() -> None:
    auto = facts(specification=spec(auto_close=True))
    one(
        r.check_open(command(), auto),
        "service_request.open.observation_required",
        "INS-06",
        "atencao.required",
    )
    assert r.check_open(command(observation="ok"), auto) == ()
    one(
        r.check_open(command(observation="x" * 401), facts()),
        "service_request.text_too_long",
        "INS-06",
        "atencao.execedeu_limit_observacao",
    )


def test_ins_07_a_description_alone_is_a_place() -> None:
    text = command(location=RequestLocation(description="ATRAS DO MERCADO"))
    assert r.check_open(text, facts(prop=None)) == ()


def test_ins_07_place_required() -> None:
    one(
        r.check_open(command(location=RequestLocation()), facts(prop=None)),
        "service_request.open.location_required",
        "INS-07",
        "atencao.informar_descricao_ou_dados_local_ocorrencia",
    )


def test_ins_08_property_required_by_the_specification() -> None:
    needs = facts(specification=spec(requires_property=True), prop=None)
    free_text = command(location=RequestLocation(description="PERTO DA PRAÇA"))
    one(
        r.check_open(free_text, needs),
        "service_request.open.location_field_required",
        "INS-08",
        "atencao.required",
    )
    no_property = command(location=RequestLocation(locality_id=1, street_id=9))
    violation = one(
        r.check_open(no_property, needs),
        "service_request.open.location_field_required",
        "INS-08",
        "atencao.required",
    )
    assert violation.params["field"] == "Property"


def test_ins_08_without_property_address_locality_sector_division() -> None:
    sewer_group = item("request_type_group", 7, sewer=True)
    f = facts(prop=None, group=sewer_group)
    loose = command(location=RequestLocation(block_id=3))
    fields = {v.params["field"] for v in r.check_open(loose, f) if v.rule == "INS-08"}
    assert fields == {"Address", "Locality", "Commercial sector", "Sewer division"}
    complete = command(
        location=RequestLocation(
            locality_id=1, sector_id=2, block_id=3, street_id=4, sewer_division_id=5
        )
    )
    assert r.check_open(complete, f) == ()


def test_ins_08_outage_needs_municipality_neighbourhood_and_area() -> None:
    outage = item("request_type", 1, group_id=6, outage=True)
    f = facts(prop=None, request_type=outage)
    found = r.check_open(command(location=RequestLocation(locality_id=1)), f)
    fields = {v.params["field"] for v in found if v.rule == "INS-08"}
    assert fields == {"Municipality", "Neighbourhood", "Neighbourhood area"}


def test_ins_08_pavements_and_unknown_places() -> None:
    f = facts(
        specification=spec(street_pavement=True, sidewalk_pavement=True),
        unknown_places=(("Locality", "Localidade", 99),),
    )
    found = r.check_open(command(), f)
    fields = {
        v.params["field"]
        for v in found
        if v.code == "service_request.open.location_field_required"
    }
    assert fields == {"Street pavement", "Sidewalk pavement"}
    one(
        found,
        "service_request.open.unknown_place",
        "INS-08",
        "atencao.label_inexistente",
    )


def test_ins_09_hard_duplicate_same_property_and_specification() -> None:
    found = r.check_open(command(), facts(pending_same=(request(id=44),)))
    violation = one(
        found,
        "service_request.open.duplicate",
        "INS-09",
        "atencao.imovel_ja_possui_ra_com_mesma_especificacao",
    )
    assert violation.params["other_id"] == 44


def test_ins_09b_soft_warnings() -> None:
    base = spec()
    found = r.opening_warnings(
        property_id=500,
        area_id=None,
        specification=base,
        outage=False,
        pending_on_property=[request(id=2, specification_id=99), request(id=3)],
        pending_same_address=[request(id=4)],
        recently_closed=[request(id=5)],
        general_outage=False,
        pending_outages_in_area=[],
        warning_days=30,
    )
    assert codes(found) == [
        "service_request.open.other_pending",
        "service_request.open.same_address",
        "service_request.open.recently_closed",
    ]
    assert all(v.rule == "INS-09b" and v.gsan_key is None for v in found)
    assert found[0].params["others"] == "2"


def test_ins_23_outage_warnings() -> None:
    general = r.opening_warnings(
        property_id=None,
        area_id=8,
        specification=spec(),
        outage=True,
        pending_on_property=[],
        pending_same_address=[],
        recently_closed=[],
        general_outage=True,
        pending_outages_in_area=[request(id=6)],
        warning_days=30,
    )
    one(general, "service_request.open.pending_individual_outages", "INS-23", None)
    individual = r.opening_warnings(
        property_id=None,
        area_id=8,
        specification=spec(),
        outage=True,
        pending_on_property=[],
        pending_same_address=[],
        recently_closed=[],
        general_outage=False,
        pending_outages_in_area=[request(id=6)],
        warning_days=30,
    )
    one(individual, "service_request.open.general_outage_open", "INS-23", None)


PROFILE = PropertySituationProfile(
    id=1,
    description="CORTADOS",
    criteria=[
        SituationCriterion(water_status_id=5, sewer_status_id=1),
        SituationCriterion(water_status_id=3, sewer_status_id=3, water_meter=True),
    ],
)


def test_ins_10_property_situation_per_row() -> None:
    # water 3 matches row 2, sewer 1 matches row 1: GSAN accepts, per row refuses
    mixed = facts(situation_profile=PROFILE)
    one(
        r.check_open(command(), mixed),
        "service_request.open.situation_mismatch",
        "INS-10",
        "atencao.imovel_especificacao_correspondencia_invalida",
    )
    gsan = facts(
        situation_profile=PROFILE,
        params=ServiceRequestParameters(situation_criteria_per_row=False),
    )
    assert r.check_open(command(), gsan) == ()


def test_ins_10_meter_facts() -> None:
    connected = prop(sewer_status_id=3)
    assert r.property_matches(
        PROFILE,
        water_status_id=3,
        sewer_status_id=3,
        water_meter=None,
        well_meter=None,
        per_row=True,
    )
    assert not r.property_matches(
        PROFILE,
        water_status_id=3,
        sewer_status_id=3,
        water_meter=False,
        well_meter=None,
        per_row=True,
    )
    assert r.property_matches(
        PropertySituationProfile(
            id=2, description="P", criteria=[SituationCriterion(well_meter=True)]
        ),
        water_status_id=connected.water_status_id,
        sewer_status_id=connected.sewer_status_id,
        water_meter=None,
        well_meter=True,
        per_row=False,
    )
    assert r.property_matches(
        PropertySituationProfile(id=3, description="ANY"),
        water_status_id=1,
        sewer_status_id=1,
        water_meter=None,
        well_meter=None,
        per_row=True,
    )


def test_ins_11_division_compatible_with_the_place() -> None:
    f = facts(prop=None, division_compatible=False)
    place = command(
        location=RequestLocation(locality_id=1, street_id=2, sewer_division_id=3)
    )
    one(
        r.check_open(place, f),
        "service_request.open.division_incompatible",
        "INS-11",
        "atencao.divisao_esgoto_nao_compativel_com_localidade_setor_quadra",
    )


def test_ins_12_debts_block_when_the_specification_checks() -> None:
    f = facts(specification=spec(check_debts=True), has_debts=True)
    one(
        r.check_open(command(), f),
        "service_request.open.property_with_debts",
        "INS-12",
        "atencao.imovel_com_debitos",
    )
    assert r.check_open(command(), facts(has_debts=True)) == ()


def test_ins_13_recent_due_date_change() -> None:
    f = facts(specification=spec(alternative_due_date=True))
    recent = command(last_due_date_change_on=date(2024, 8, 31))
    one(
        r.check_open(recent, f),
        "service_request.open.due_date_changed_recently",
        "INS-13",
        "atencao.imovel.vencimento.alterado",
    )
    assert r.check_open(command(last_due_date_change_on=date(2024, 7, 6)), f) == ()
    assert r.check_open(recent, attrs.evolve(f, may_change_due_date=True)) == ()
    assert r.check_open(command(), f) == ()


def test_ins_14_duplicated_payment_required() -> None:
    f = facts(specification=spec(duplicate_payment=True))
    one(
        r.check_open(command(), f),
        "service_request.open.duplicate_payment_required",
        "INS-14",
        "atencao.required",
    )
    assert r.check_open(command(duplicate_payment_ids=[3]), f) == ()


def test_ins_15_free_text_blocks_the_request() -> None:
    assert (
        r.situation_on_open(RequestLocation(description="JUNTO AO POSTO"))
        is RequestSituation.BLOCKED
    )
    assert (
        r.situation_on_open(RequestLocation(locality_id=1, description="X"))
        is RequestSituation.PENDING
    )
    assert (
        r.situation_on_open(RequestLocation(property_id=5)) is RequestSituation.PENDING
    )


def test_ins_17_destination_must_receive_and_be_active() -> None:
    one(
        r.check_destination(3, None),
        "service_request.destination.unknown",
        "INS-17",
        "atencao.label_inexistente",
    )
    one(
        r.check_destination(3, unit(3, accepts_routing=False)),
        "service_request.destination.not_routable",
        "INS-17",
        "atencao.unidade_destino_nao_possivel_encaminhamento",
    )
    one(
        r.check_destination(3, unit(3, active=False)),
        "service_request.destination.inactive",
        "INS-17",
        "atencao.unidade_destino_inativa",
    )
    assert r.check_destination(3, unit(3)) == ()


def test_ins_18_requester_identified() -> None:
    one(
        r.check_open(command(requesters=()), facts()),
        "service_request.open.requester_missing",
        "INS-18",
        "atencao.dados_solicitante_nao_informado",
    )
    assert (
        r.check_open(
            command(requesters=()), facts(specification=spec(requires_requester=False))
        )
        == ()
    )
    customer = facts(specification=spec(requires_customer=True))
    violation = one(
        r.check_open(command(), customer),
        "service_request.open.requester_field_required",
        "INS-18",
        "atencao.required",
    )
    assert violation.params["field"] == "Customer"


def test_ins_18_unit_and_employee_together_and_known() -> None:
    users = {9: User(id=9, name="ZE", unit_id=300)}
    units = {300: unit(300), 301: unit(301, active=False)}
    f = facts(units=units, users=users)
    alone = command(
        requesters=(
            Requester(employee_id=9, address="A"),
            Requester(unit_id=300, address="A"),
        )
    )
    fields = {v.params["field"] for v in r.check_open(alone, f)}
    assert fields == {"Requesting unit", "Responsible employee"}
    wrong = command(requesters=(Requester(unit_id=301, employee_id=8, address="A"),))
    found = [
        v
        for v in r.check_open(wrong, f)
        if v.code == "service_request.open.unknown_requester_unit"
    ]
    assert {v.params["value"] for v in found} == {301, 8}
    assert found[0].rule == "INS-18"
    assert found[0].gsan_key == "atencao.label_inexistente"
    assert (
        r.check_open(
            command(requesters=(Requester(unit_id=300, employee_id=9, address="A"),)), f
        )
        == ()
    )


def test_ins_18_non_customer_requester_needs_an_address() -> None:
    violation = one(
        r.check_open(command(requesters=(Requester(name="ANA"),)), facts()),
        "service_request.open.requester_field_required",
        "INS-18",
        "atencao.required",
    )
    assert violation.params["field"] == "Address"
    assert r.check_open(command(requesters=(Requester(customer_id=4),)), facts()) == ()


def test_ins_19_customer_document() -> None:
    f = facts(specification=spec(document_required=True, requires_customer=True))
    no_doc = command(requesters=(Requester(customer_id=4),))
    one(
        r.check_open(no_doc, f),
        "service_request.open.customer_without_document",
        "INS-19",
        "atencao.cliente_sem_documento",
    )
    assert (
        r.check_open(
            command(requesters=(Requester(customer_id=4, document="123.456.789-09"),)),
            f,
        )
        == ()
    )
    other_channel = facts(
        specification=spec(
            document_required=True, requires_customer=True, document_channel_ids={8}
        )
    )
    assert r.check_open(no_doc, other_channel) == ()


def test_ins_19_responsible_customer_of_the_property() -> None:
    f = facts(
        specification=spec(
            document_required=True,
            requires_customer=True,
            requires_property=True,
            validate_responsible_document=True,
        )
    )
    base = command(requesters=(Requester(customer_id=4),))
    one(
        r.check_open(base, f),
        "service_request.open.property_without_responsible",
        "INS-19",
        "atencao.imovel_sem_cliente_responsavel",
    )
    one(
        r.check_open(attrs.evolve(base, responsible=Requester(customer_id=5)), f),
        "service_request.open.responsible_without_document",
        "INS-19",
        "atencao.imovel_sem_cliente_responsavel_valido",
    )
    assert (
        r.check_open(
            attrs.evolve(
                base, responsible=Requester(customer_id=5, document="11222333000181")
            ),
            f,
        )
        == ()
    )


def test_ins_21_second_submission_refused() -> None:
    found = r.check_open(command(), facts(submitted=request(id=77)))
    violation = one(
        found,
        "service_request.open.submitted_twice",
        "INS-21",
        "atencao.registro_atendimento_insercao_ja_realizada",
    )
    assert violation.params["other_id"] == 77


def test_sat_01_survey_needs_an_email() -> None:
    wants = command(
        requesters=(Requester(name="ANA", address="A", survey_opt_in=True),)
    )
    one(
        r.check_open(wants, facts()),
        "service_request.open.survey_email_required",
        "SAT-01",
        "atencao.required",
    )


def test_rea_05_reactivation_opening_checks_only_the_property() -> None:
    f = facts(
        reactivation=True,
        pending_same=(request(id=3),),
        specification=spec(check_debts=True),
        has_debts=True,
    )
    found = r.check_open(command(requesters=()), f)
    assert codes(found) == ["service_request.open.duplicate"]


def test_text_limit_helper() -> None:
    assert r.check_text(None, field="Remark", campo="Parecer", max_length=3) == ()
    one(
        r.check_text("abcd", field="Remark", campo="Parecer", max_length=3),
        "service_request.text_too_long",
        "INS-06",
        "atencao.execedeu_limit_observacao",
    )


def test_valid_cpf() -> None:
    assert r.valid_cpf("529.982.247-25")
    assert not r.valid_cpf("529.982.247-24")
    assert not r.valid_cpf("111.111.111-11")
    assert not r.valid_cpf("123")
    assert not r.valid_cpf("529.982.247-15")


# ================================================================= place (UPD)
def test_upd_01_02_03_04_05_before_the_place_changes() -> None:
    blocked = request(duplicate_of_id=9, situation=RequestSituation.CLOSED)
    found = r.check_location_change(
        blocked,
        expected_version=3,
        authorised=False,
        orders=[order(scheduled=True), order(51, scheduled=True)],
    )
    one(
        found,
        "service_request.update.not_authorised",
        "UPD-01",
        "atencao.unidade_organizacional_nao_pode_ser_alterada",
    )
    one(
        found,
        "service_request.update.duplicate",
        "UPD-02",
        "atencao.registro_atendimento_duplicidade",
    )
    one(
        found,
        "service_request.update.closed",
        "UPD-03",
        "atencao.registro_atendimento_situacao",
    )
    one(
        found,
        "service_request.update.order_scheduled",
        "UPD-04",
        "atencao.ordem_servico_nao_encerrada_programada_ra",
    )
    one(
        found,
        "service_request.update.concurrent",
        "UPD-05",
        "atencao.atualizacao.timestamp",
    )
    assert (
        r.check_location_change(
            request(), expected_version=1, authorised=True, orders=[order()]
        )
        == ()
    )


# ================================================================= forwarding
CODES = {12: "L", 13: "C", 16: "T"}


def forward(**changes: object) -> r.ForwardFacts:
    units = {
        100: unit(100, 13),  # a dispatch centre (the request is here)
        101: unit(101, 12, dispatch_centre_id=100),
        102: unit(102, 16),  # a contractor
        103: unit(103, 12, accepts_routing=False),
        104: unit(104, 12, active=False),
        105: unit(105, 13),  # another dispatch centre
        106: unit(106, 12, social_tariff=True),
        107: unit(107, 12),
    }
    values: dict[str, object] = {
        "request": request(),
        "destination_id": 101,
        "destination": units[101],
        "origin": units[100],
        "unit_type_codes": CODES,
        "units": units,
        "user": User(id=7, name="ANA", unit_id=100),
        "orders": (),
        "service_types": {
            1: ServiceType(id=1, description="T", abbreviation="T", contractor=True)
        },
        "request_type": TYPE,
        "group_id": 6,
        "locality_group_units": {6: (101,)},
        "last_step": None,
        "at": NOW,
        "now": NOW,
        "zone": ZONE,
        "params": PARAMS,
        "may_forward_anywhere": False,
    }
    values.update(changes)
    if "destination_id" in changes and "destination" not in changes:
        values["destination"] = units.get(values["destination_id"])  # type: ignore[call-overload]
    return r.ForwardFacts(**values)  # type: ignore[arg-type]


def only(facts: r.ForwardFacts, code: str, rule: str, key: str | None) -> None:
    found = r.check_forward(facts)
    assert len(found) == 1, found
    one(found, code, rule, key)


def test_forward_valid() -> None:
    assert r.check_forward(forward()) == ()


def test_trm_01_closed_or_blocked() -> None:
    for situation in (RequestSituation.CLOSED, RequestSituation.BLOCKED):
        only(
            forward(request=request(situation=situation)),
            "service_request.forward.closed_or_blocked",
            "TRM-01",
            "atencao.tramitar_ra_situacao_bloqueado_encerrado",
        )


def test_trm_02_order_in_execution() -> None:
    only(
        forward(
            orders=(
                order(situation=OrderSituation.AWAITING_RELEASE),
                order(51, OrderSituation.IN_EXECUTION),
            )
        ),
        "service_request.forward.order_in_execution",
        "TRM-02",
        "atencao.tramitar_ra_os_em_andamento",
    )


def test_trm_03_order_awaiting_its_reference() -> None:
    only(
        forward(orders=(order(situation=OrderSituation.AWAITING_RELEASE),)),
        "service_request.forward.order_awaiting_reference",
        "TRM-03",
        "atencao.tramitar_ra_os_referencia",
    )


def test_trm_03b_pending_order_scheduled() -> None:
    only(
        forward(orders=(order(scheduled=True),)),
        "service_request.forward.order_scheduled",
        "TRM-03b",
        "atencao.tramitar_ra_os_programada",
    )
    closed = order(situation=OrderSituation.CLOSED, scheduled=True)
    assert r.check_forward(forward(orders=(closed,))) == ()


def test_trm_04_authorisation() -> None:
    outsider = User(id=8, name="ZE", unit_id=107)
    only(
        forward(user=outsider),
        "service_request.forward.not_authorised",
        "TRM-04",
        "atencao.tramitar_ra_tarifa_social",
    )
    assert r.check_forward(forward(user=outsider, may_forward_anywhere=True)) == ()
    assert (
        r.check_forward(
            forward(
                user=outsider, params=ServiceRequestParameters(routing_control=False)
            )
        )
        == ()
    )
    only(
        forward(user=None),
        "service_request.forward.not_authorised",
        "TRM-04",
        "atencao.tramitar_ra_tarifa_social",
    )


def test_trm_04_social_tariff_units_forward_social_tariff_requests() -> None:
    social_user = User(id=8, name="ZE", unit_id=106)
    social_type = item("request_type", 2, group_id=6, social_tariff=True)
    assert r.check_forward(forward(user=social_user, request_type=social_type)) == ()
    only(
        forward(user=social_user),
        "service_request.forward.not_authorised",
        "TRM-04",
        "atencao.tramitar_ra_tarifa_social",
    )


def test_trm_05_date_and_time_not_in_the_future() -> None:
    only(
        forward(at=NOW + timedelta(days=1)),
        "service_request.forward.date_in_future",
        "TRM-05",
        "atencao.tramitar_ra_data_maior_que_atual",
    )
    only(
        forward(at=NOW + timedelta(minutes=10)),
        "service_request.forward.time_in_future",
        "TRM-05",
        "atencao.tramitar_ra_hora_maior_que_atual",
    )


def test_trm_06_destination_equal_to_origin() -> None:
    only(
        forward(destination_id=100),
        "service_request.forward.same_unit",
        "TRM-06",
        "atencao.tramitar_ra_unidade_origem_destino_iguais",
    )


def test_trm_07_destination_must_receive_unless_social_tariff() -> None:
    only(
        forward(destination_id=103),
        "service_request.forward.destination_not_routable",
        "TRM-07",
        "atencao.tramitar_ra_unidade_destino_tramite",
    )
    social_type = item("request_type", 2, group_id=6, social_tariff=True)
    assert r.check_forward(forward(destination_id=103, request_type=social_type)) == ()


def test_trm_08_destination_active_and_existing() -> None:
    only(
        forward(destination_id=104),
        "service_request.forward.destination_inactive",
        "TRM-08",
        "atencao.unidade_destino_inativa",
    )
    only(
        forward(destination_id=999),
        "service_request.forward.unknown_destination",
        "TRM-08",
        "atencao.label_inexistente",
    )


def test_trm_09_contractor_only_from_a_dispatch_centre() -> None:
    pending = (order(service_type_id=1),)
    only(
        forward(
            destination_id=102,
            orders=pending,
            origin=unit(107),
            request=request(current_unit_id=107),
            user=User(id=7, name="A", unit_id=107),
        ),
        "service_request.forward.contractor_from_centre_only",
        "TRM-09",
        "atencao.tramitar_ra_unidade_centralizadora",
    )
    assert r.check_forward(forward(destination_id=102, orders=pending)) == ()


def test_trm_10_contractor_needs_a_contractor_order() -> None:
    other_type = (order(service_type_id=2),)
    only(
        forward(destination_id=102, orders=other_type),
        "service_request.forward.no_contractor_order",
        "TRM-10",
        "atencao.tramitar_ra_os_possui_terceiros",
    )


def test_trm_11_dispatch_centre_of_the_request_locality() -> None:
    at_office = {
        "origin": unit(101, 12),
        "request": request(current_unit_id=101),
        "user": User(id=7, name="A", unit_id=101),
    }
    only(
        forward(destination_id=105, **at_office),
        "service_request.forward.wrong_dispatch_centre",
        "TRM-11",
        "atencao.tramitar_ra_unidade_origem_central",
    )
    assert r.check_forward(forward(destination_id=100, **at_office)) == ()
    # COMPESA: with a pending order any centre of the locality's units (any group)
    compesa = ServiceRequestParameters(
        dispatch_centre_any_group_with_pending_order=True
    )
    other_group = {9: (105,)}
    assert (
        r.check_forward(
            forward(
                destination_id=105,
                orders=(order(),),
                params=compesa,
                locality_group_units=other_group,
                **at_office,
            )
        )
        == ()
    )
    only(
        forward(
            destination_id=105,
            params=compesa,
            locality_group_units=other_group,
            **at_office,
        ),
        "service_request.forward.wrong_dispatch_centre",
        "TRM-11",
        "atencao.tramitar_ra_unidade_origem_central",
    )


def test_trm_12_contractor_requests_leave_by_the_contractor_only() -> None:
    at_contractor = {
        "origin": unit(102, 16),
        "request": request(current_unit_id=102),
        "may_forward_anywhere": True,
    }
    only(
        forward(
            destination_id=107, user=User(id=7, name="A", unit_id=100), **at_contractor
        ),
        "service_request.forward.contractor_user",
        "TRM-12",
        "atencao.tramitar_ra_unidade_usuario",
    )
    assert (
        r.check_forward(
            forward(
                destination_id=107,
                user=User(id=9, name="C", unit_id=102),
                **at_contractor,
            )
        )
        == ()
    )


def test_trm_13_contractor_with_more_than_one_pending_order() -> None:
    only(
        forward(destination_id=102, orders=(order(50), order(51))),
        "service_request.forward.many_pending_orders",
        "TRM-13",
        "atencao.tramitar_ra_possui_mais_de_uma_os_pensente",
    )


def test_trm_14_same_instant_as_the_last_step() -> None:
    last = RoutingStep(
        id=1,
        request_id=1,
        from_unit_id=100,
        to_unit_id=100,
        at=NOW,
        registered_by=7,
        responsible_id=7,
    )
    only(
        forward(last_step=last),
        "service_request.forward.same_instant",
        "TRM-14",
        "atencao.tramite_existente_dia_hora_informada",
    )
    assert r.check_forward(forward(last_step=last, joint=True)) == ()


def test_trm_16_a_step_is_never_dated_before_the_last_one() -> None:
    last = RoutingStep(
        id=1,
        request_id=1,
        from_unit_id=100,
        to_unit_id=100,
        at=NOW - timedelta(hours=1),
        registered_by=7,
        responsible_id=7,
    )
    for joint in (False, True):
        only(
            forward(last_step=last, at=NOW - timedelta(hours=2), joint=joint),
            "service_request.forward.before_last_step",
            "TRM-16",
            None,
        )
    assert (
        r.check_forward(forward(last_step=last, at=NOW - timedelta(minutes=30))) == ()
    )


def test_trm_15_optimistic_lock() -> None:
    only(
        forward(expected_version=3),
        "service_request.forward.concurrent",
        "TRM-15",
        "atencao.tramitar_ra_usuario_concorrente",
    )
    assert r.check_forward(forward(expected_version=1)) == ()


def test_trm_rules_report_the_first_failure_in_gsan_order() -> None:
    # TRM-05, TRM-06 and TRM-15 all fail: TRM-05 comes first
    found = r.check_forward(
        forward(destination_id=100, at=NOW + timedelta(days=1), expected_version=9)
    )
    assert [v.rule for v in found] == ["TRM-05"]


# ================================================================= closing
CONCLUDED = item("closing_reason", 2, executed=True)
GAVE_UP = item("closing_reason", 4, executed=False)
DUPLICATE = item("closing_reason", 5, executed=False, duplicate=True)


def close(**changes: object) -> r.CloseFacts:
    values: dict[str, object] = {
        "request": request(),
        "specification": spec(),
        "reason_id": 4,
        "reason": GAVE_UP,
        "closed_at": NOW,
        "remark": None,
        "duplicate_of_id": None,
        "reference": None,
        "orders": (),
        "authorised": True,
        "now": NOW,
        "zone": ZONE,
        "params": PARAMS,
    }
    values.update(changes)
    return r.CloseFacts(**values)  # type: ignore[arg-type]


def test_close_valid() -> None:
    assert r.check_close(close()) == ()


def test_enc_01_authorisation() -> None:
    one(
        r.check_close(close(authorised=False)),
        "service_request.close.not_authorised",
        "ENC-01",
        "atencao.encerrar_ra_nao_tarifa_social",
    )


def test_enc_02_already_closed_but_blocked_may_close() -> None:
    found = r.check_close(close(request=request(situation=RequestSituation.CLOSED)))
    one(
        found,
        "service_request.close.already_closed",
        "ENC-02",
        "atencao.encerrar_ra_ja_encerrado",
    )
    assert (
        r.check_close(close(request=request(situation=RequestSituation.BLOCKED))) == ()
    )


def test_enc_03_scheduled_open_order() -> None:
    found = r.check_close(
        close(orders=(order(scheduled=True), order(51, scheduled=True)))
    )
    violation = one(
        found,
        "service_request.close.order_scheduled",
        "ENC-03",
        "atencao.encerrar_ra_existe_os_programada",
    )
    assert violation.params["order_id"] == 50


def test_enc_04_reason_remark_and_length() -> None:
    one(
        r.check_close(close(reason_id=None, reason=None)),
        "service_request.close.required",
        "ENC-04",
        "atencao.required",
    )
    one(
        r.check_close(close(reason=None)),
        "service_request.close.unknown_reason",
        "ENC-04",
        "atencao.pesquisa_inexistente",
    )
    inactive = attrs.evolve(GAVE_UP, active=False)
    one(
        r.check_close(close(reason=inactive)),
        "service_request.close.unknown_reason",
        "ENC-04",
        "atencao.pesquisa_inexistente",
    )
    remark = close(specification=spec(closing_remark_required=True))
    violation = one(
        r.check_close(remark),
        "service_request.close.required",
        "ENC-04",
        "atencao.required",
    )
    assert violation.params["field"] == "Closing remark"
    one(
        r.check_close(close(remark="x" * 401)),
        "service_request.text_too_long",
        "INS-06",
        "atencao.execedeu_limit_observacao",
    )


def test_enc_05_duplicate_reference() -> None:
    dup = {"reason_id": 5, "reason": DUPLICATE}
    one(
        r.check_close(close(**dup)),
        "service_request.close.reference_required",
        "ENC-05",
        "atencao.required",
    )
    one(
        r.check_close(close(duplicate_of_id=1, **dup)),
        "service_request.close.reference_itself",
        "ENC-05",
        "atencao.encerrar_ra_referencia_igual_ra",
    )
    one(
        r.check_close(close(duplicate_of_id=8, **dup)),
        "service_request.close.reference_unknown",
        "ENC-05",
        "atencao.encerrar_ra_referencia_inexistente",
    )
    closed = request(id=8, situation=RequestSituation.CLOSED)
    one(
        r.check_close(close(duplicate_of_id=8, reference=closed, **dup)),
        "service_request.close.reference_closed",
        "ENC-05",
        "atencao.encerrar_ra_referencia_ja_encerrado",
    )
    assert r.check_close(close(duplicate_of_id=8, reference=request(id=8), **dup)) == ()
    one(
        r.check_close(close(duplicate_of_id=8)),
        "service_request.close.reference_not_allowed",
        "ENC-05",
        None,
    )


def test_enc_06_closing_instant() -> None:
    one(
        r.check_close(close(closed_at=NOW + timedelta(days=1))),
        "service_request.close.date_in_future",
        "ENC-06",
        "atencao.encerrar_ra_data_encerramento_anterior_data_corrente",
    )
    one(
        r.check_close(close(closed_at=NOW + timedelta(minutes=1))),
        "service_request.close.time_in_future",
        "ENC-06",
        "atencao.encerrar_ra_hora_encerramento_anterior_hora_corrente",
    )
    late = request(attended_at=NOW - timedelta(minutes=30))
    one(
        r.check_close(close(request=late, closed_at=NOW - timedelta(days=1))),
        "service_request.close.date_before_attendance",
        "ENC-06",
        "atencao.encerrar_ra_data_encerramento_posterior_data_atendimento",
    )
    one(
        r.check_close(close(request=late, closed_at=NOW - timedelta(hours=1))),
        "service_request.close.time_before_attendance",
        "ENC-06",
        "atencao.encerrar_ra_hora_encerramento_posterior_hora_atendimento",
    )
    done = order(situation=OrderSituation.CLOSED, closed_at=NOW - timedelta(minutes=10))
    early = request(attended_at=NOW - timedelta(days=3))
    one(
        r.check_close(
            close(request=early, orders=(done,), closed_at=NOW - timedelta(days=1))
        ),
        "service_request.close.date_before_orders",
        "ENC-06",
        "atencao.encerrar_ra_data_encerramento_posterior_maior_data_encerramento_os",
    )
    one(
        r.check_close(
            close(request=early, orders=(done,), closed_at=NOW - timedelta(minutes=20))
        ),
        "service_request.close.time_before_orders",
        "ENC-06",
        "atencao.encerrar_ra_hora_encerramento_posterior_hora_maior_data_encerramento_os",
    )
    assert r.check_close(close(request=early, orders=(done,))) == ()


def test_enc_07_optimistic_lock() -> None:
    one(
        r.check_close(close(expected_version=5)),
        "service_request.close.concurrent",
        "ENC-07",
        "atencao.encerrar_ra_usuario_concorrente",
    )


def test_enc_08_executed_closing_with_pending_orders() -> None:
    found = r.check_close(close(reason_id=2, reason=CONCLUDED, orders=(order(),)))
    one(
        found,
        "service_request.close.open_orders",
        "ENC-08",
        "atencao.indicador_execucao_nao",
    )


def test_enc_11_orders_in_execution_block_unless_gsan_behaviour() -> None:
    running = close(
        reason_id=2,
        reason=CONCLUDED,
        orders=(order(situation=OrderSituation.IN_EXECUTION),),
    )
    one(
        r.check_close(running),
        "service_request.close.open_orders",
        "ENC-08",
        "atencao.indicador_execucao_nao",
    )
    gsan = attrs.evolve(
        running,
        params=ServiceRequestParameters(executed_closing_checks_pending_only=True),
    )
    assert r.check_close(gsan) == ()


# ================================================================= reactivation
def reactivation(**changes: object) -> tuple[Violation, ...]:
    values: dict[str, object] = {
        "authorised": True,
        "authorised_new_unit": True,
        "new_unit_id": 100,
        "successor": None,
        "destination_informed": False,
        "remark": None,
        "reason_id": 1,
        "reason": item("reactivation_reason", 1),
        "observation": None,
    }
    old = changes.pop("request", request(situation=RequestSituation.CLOSED))
    values.update(changes)
    return r.check_reactivate(old, **values)  # type: ignore[arg-type]


def test_reactivate_valid() -> None:
    assert reactivation() == ()


def test_rea_01_authorised_on_both_units() -> None:
    found = reactivation(authorised=False, authorised_new_unit=False, new_unit_id=300)
    assert [v.params["unit_id"] for v in found] == [100, 300]
    one(
        found,
        "service_request.reactivate.not_authorised",
        "REA-01",
        "atencao.unidade_nao_autorizada",
    )


def test_rea_02_only_closed_requests() -> None:
    violation = one(
        reactivation(request=request()),
        "service_request.reactivate.not_closed",
        "REA-02",
        "atencao.ra_nao_encerrado",
    )
    assert violation.params["situacao"] == "pendente"


def test_rea_03_not_a_duplicate() -> None:
    dup = request(situation=RequestSituation.CLOSED, duplicate_of_id=4)
    one(
        reactivation(request=dup),
        "service_request.reactivate.duplicate",
        "REA-03",
        "atencao.ra_duplicidade",
    )


def test_rea_04_not_reactivated_already() -> None:
    violation = one(
        reactivation(successor=request(id=9)),
        "service_request.reactivate.already",
        "REA-04",
        "atencao.ra_reativado",
    )
    assert violation.params["current_id"] == 9


def test_rea_05_reason_remark_and_lengths() -> None:
    one(
        reactivation(reason_id=None, reason=None),
        "service_request.reactivate.required",
        "REA-05",
        "atencao.required",
    )
    one(
        reactivation(reason=item("reactivation_reason", 1, active=False)),
        "service_request.reactivate.required",
        "REA-05",
        "atencao.required",
    )
    one(
        reactivation(destination_informed=True),
        "service_request.reactivate.remark_required",
        "REA-05",
        "atencao.informe_parecer_unidade_destino_selecionada",
    )
    found = reactivation(
        remark="x" * 201, observation="y" * 201, destination_informed=True
    )
    assert codes(found) == [
        "service_request.text_too_long",
        "service_request.text_too_long",
    ]


# ================================================================= reiteration
def test_rei_01_02_03_04() -> None:
    today = date(2025, 1, 6)
    for situation in (RequestSituation.CLOSED, RequestSituation.BLOCKED):
        one(
            r.check_reiterate(
                request(situation=situation),
                today=today,
                authorised=True,
                expected_version=None,
            ),
            "service_request.reiterate.closed_or_blocked",
            "REI-01",
            "atencao.registro_atendimento.cancelado_bloqueado",
        )
    not_due = request(current_due_date=date(2025, 1, 7))
    one(
        r.check_reiterate(not_due, today=today, authorised=True, expected_version=None),
        "service_request.reiterate.not_due",
        "REI-02",
        "atencao.registro_atendimento.prazo_nao_expirado",
    )
    one(
        r.check_reiterate(
            request(), today=today, authorised=False, expected_version=None
        ),
        "service_request.reiterate.not_authorised",
        "REI-03",
        "atencao.registro_atendimento.manutencao_nao_autorizada",
    )
    one(
        r.check_reiterate(request(), today=today, authorised=True, expected_version=2),
        "service_request.reiterate.concurrent",
        "REI-04",
        "atencao.registro_atendimento.timestamp",
    )
    assert (
        r.check_reiterate(request(), today=today, authorised=True, expected_version=1)
        == ()
    )


# ================================================================= command
def cmd(**changes: object) -> ClosingCommand:
    values: dict[str, object] = {
        "id": 1,
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 12, 31),
        "reason_id": 32,
        "responsible_id": 7,
        "issued_at": NOW,
        "issued_by": 7,
    }
    values.update(changes)
    return ClosingCommand(**values)  # type: ignore[arg-type]


COMMAND_UNITS = {
    1: unit(1, 10),
    2: unit(2, 11, superior_id=1),
    3: unit(3, 12, superior_id=2),
    4: unit(4, 13, call_centre=True),
}
OVERDUE = item("closing_reason", 32, executed=False)


def check_cmd(command: ClosingCommand, **changes: object) -> tuple[Violation, ...]:
    values: dict[str, object] = {
        "reason": OVERDUE,
        "specifications": {10: spec(), 11: spec(id=11, auto_close=True)},
        "units": COMMAND_UNITS,
        "responsible": User(id=7, name="A", unit_id=4),
        "presidency_unit_id": 1,
        "others": (),
    }
    values.update(changes)
    return r.check_closing_command(command, **values)  # type: ignore[arg-type]


def test_cmd_valid() -> None:
    assert check_cmd(cmd(specification_ids={10})) == ()
    assert check_cmd(cmd(), responsible=User(id=7, name="P", unit_id=1)) == ()


def test_cmd_01_period_units_and_responsible() -> None:
    one(
        check_cmd(cmd(period_end=date(2023, 1, 1))),
        "service_request.command.period_invalid",
        "CMD-01",
        "atencao.data_final_periodo_anterior_data_inicial",
    )
    one(
        check_cmd(cmd(attendance_unit_id=99)),
        "service_request.command.unknown_unit",
        "CMD-01",
        "atencao.label_inexistente",
    )
    one(
        check_cmd(cmd(), responsible=None),
        "service_request.command.required",
        "CMD-01",
        "atencao.required",
    )


def test_cmd_02_reason_and_specifications_offered() -> None:
    for reason in (None, CONCLUDED, DUPLICATE, attrs.evolve(OVERDUE, active=False)):
        one(
            check_cmd(cmd(), reason=reason),
            "service_request.command.reason_not_allowed",
            "CMD-02",
            "atencao.pesquisa_inexistente",
        )
    found = check_cmd(cmd(specification_ids={11, 12}))
    assert [v.params["specification_id"] for v in found] == [11, 12]
    one(
        found,
        "service_request.command.specification_not_allowed",
        "CMD-02",
        "atencao.pesquisa_inexistente",
    )


def test_cmd_03_superior_unit_needs_subordinates() -> None:
    one(
        check_cmd(cmd(superior_unit_id=3)),
        "service_request.command.no_subordinates",
        "CMD-03",
        "atencao.nao.existe.unidades.subordinadas",
    )
    president = User(id=7, name="P", unit_id=1)
    assert check_cmd(cmd(superior_unit_id=2), responsible=president) == ()


def test_cmd_04_responsible_user_authorisation() -> None:
    clerk = User(id=7, name="C", unit_id=3)
    one(
        check_cmd(cmd(), responsible=clerk),
        "service_request.command.not_authorised",
        "CMD-04",
        "atencao.usuario.responsavel.sem.autorizacao",
    )
    one(
        check_cmd(cmd(current_unit_id=2), responsible=clerk),
        "service_request.command.not_authorised_current_unit",
        "CMD-04",
        "atencao.usuario.responsavel.sem.autorizacao.unidade.atual",
    )
    one(
        check_cmd(cmd(superior_unit_id=2), responsible=clerk),
        "service_request.command.not_authorised_superior_unit",
        "CMD-04",
        "atencao.usuario.responsavel.sem.autorizacao.unidade.superior",
    )
    boss = User(id=7, name="B", unit_id=2)
    assert check_cmd(cmd(current_unit_id=3), responsible=boss) == ()
    assert check_cmd(cmd(superior_unit_id=2), responsible=boss) == ()


def test_cmd_05_duplicate_command() -> None:
    pending_all = cmd(id=2, period_start=date(2023, 1, 1), period_end=date(2025, 1, 1))
    one(
        check_cmd(
            cmd(current_unit_id=3),
            responsible=User(id=7, name="P", unit_id=1),
            others=[pending_all],
        ),
        "service_request.command.exists",
        "CMD-05",
        "atencao.comando.ja.existente",
    )
    same_filters = cmd(id=3, current_unit_id=3)
    one(
        check_cmd(
            cmd(current_unit_id=3),
            responsible=User(id=7, name="P", unit_id=1),
            others=[same_filters],
        ),
        "service_request.command.exists",
        "CMD-05",
        "atencao.comando.ja.existente",
    )
    other_filters = cmd(id=4, current_unit_id=2)
    shorter = cmd(id=5, period_end=date(2024, 6, 30))
    executed = cmd(id=6, finished_at=NOW)
    assert (
        check_cmd(
            cmd(current_unit_id=3),
            responsible=User(id=7, name="P", unit_id=1),
            others=[other_filters, shorter, executed, cmd()],
        )
        == ()
    )


# ================================================================= simplified
def simplified(**changes: object) -> tuple[Violation, ...]:
    values: dict[str, object] = {
        "kind": SimplifiedKind.INFORMATION,
        "name": "ANA",
        "cpf": None,
        "identity": (None, None, None),
        "params": PARAMS,
        "occurrence": None,
        "occurrence_id": None,
        "reference": None,
        "observation": None,
        "text": "HORARIO DA AGENCIA",
    }
    values.update(changes)
    return r.check_simplified(**values)  # type: ignore[arg-type]


OUTAGE = OperationalOccurrence(
    id=1, type_id=1, reason_id=1, locality_id=1, description="ADUTORA", occurred_at=NOW
)


def test_simp_01_requester_name_document_identity() -> None:
    one(
        simplified(name=" "),
        "service_request.simplified.required",
        "SIMP-01",
        "atencao.required",
    )
    one(
        simplified(cpf="123"),
        "service_request.simplified.invalid_cpf",
        "SIMP-01",
        "atencao.cpf_invalido",
    )
    one(
        simplified(identity=("123", None, "PA")),
        "service_request.simplified.identity_incomplete",
        "SIMP-01",
        "atencao.required",
    )
    required = ServiceRequestParameters(simplified_document_operational=True)
    violation = one(
        simplified(
            kind=SimplifiedKind.OPERATIONAL,
            params=required,
            occurrence=OUTAGE,
            occurrence_id=1,
        ),
        "service_request.simplified.required",
        "SIMP-01",
        "atencao.required",
    )
    assert violation.params["field"] == "CPF"
    assert simplified(cpf="529.982.247-25", identity=("1", "SSP", "PA")) == ()


def test_simp_03_occurrence_must_be_open() -> None:
    concluded = attrs.evolve(OUTAGE, concluded_at=NOW)
    for occurrence in (None, concluded):
        one(
            simplified(
                kind=SimplifiedKind.OPERATIONAL, occurrence=occurrence, occurrence_id=1
            ),
            "service_request.simplified.unknown_occurrence",
            "SIMP-03",
            "atencao.label_inexistente",
        )
    assert simplified(kind=SimplifiedKind.OPERATIONAL) == ()


def test_simp_05_reiteration_needs_reference_and_observation() -> None:
    found = simplified(kind=SimplifiedKind.REITERATION)
    one(
        found,
        "service_request.simplified.reference_required",
        "SIMP-05",
        "atencao.required",
    )
    assert {v.params.get("field") for v in found} == {None, "Observation"}


def test_simp_05_reiteration_complete() -> None:
    assert (
        simplified(
            kind=SimplifiedKind.REITERATION, reference="12", observation="DE NOVO"
        )
        == ()
    )


def test_simp_06_information_needs_the_text() -> None:
    one(
        simplified(text=""),
        "service_request.simplified.required",
        "SIMP-01",
        "atencao.required",
    )


def test_simp_occurrence_registry() -> None:
    kind = item("occurrence_type", 1)
    reason = item("occurrence_reason", 1, type_id=1)
    assert (
        r.check_occurrence(
            OUTAGE, occurrence_type=kind, reason=reason, open_same=[OUTAGE]
        )
        == ()
    )
    duplicate = attrs.evolve(OUTAGE, id=2)
    one(
        r.check_occurrence(
            duplicate, occurrence_type=kind, reason=reason, open_same=[OUTAGE]
        ),
        "service_request.occurrence.exists",
        "SIMP-03",
        "atencao.ocorrencia_operacional_ja_existente",
    )
    elsewhere = attrs.evolve(OUTAGE, id=3, locality_id=2)
    assert (
        r.check_occurrence(
            elsewhere, occurrence_type=kind, reason=reason, open_same=[OUTAGE]
        )
        == ()
    )
    found = r.check_occurrence(
        attrs.evolve(OUTAGE, description=" "),
        occurrence_type=None,
        reason=None,
        open_same=[],
    )
    assert {v.params["field"] for v in found} == {
        "Description",
        "Occurrence type",
        "Occurrence reason",
    }
    one(
        r.check_occurrence(
            OUTAGE,
            occurrence_type=kind,
            reason=item("occurrence_reason", 4, type_id=2),
            open_same=[],
        ),
        "service_request.occurrence.reason_of_other_type",
        "SIMP-03",
        "atencao.label_inexistente",
    )
    closed = attrs.evolve(OUTAGE, id=5, concluded_at=NOW)
    assert (
        r.check_occurrence(
            closed, occurrence_type=kind, reason=reason, open_same=[OUTAGE]
        )
        == ()
    )


# ================================================================= survey
def test_sat_03_04() -> None:
    answers = {
        "well_served": True,
        "resolved": False,
        "field_team_contact": True,
        "grade": 8,
    }
    closed = request(situation=RequestSituation.CLOSED)
    assert r.check_survey(closed, 1, already_answered=False, **answers) == ()
    one(
        r.check_survey(request(), 1, already_answered=False, **answers),
        "service_request.survey.not_closed",
        "SAT-03",
        "atencao.registro_atendimento.esta.encerrada",
    )
    one(
        r.check_survey(None, 1, already_answered=False, **answers),
        "service_request.survey.not_closed",
        "SAT-03",
        "atencao.registro_atendimento.esta.encerrada",
    )
    one(
        r.check_survey(closed, 1, already_answered=True, **answers),
        "service_request.survey.already_answered",
        "SAT-03",
        None,
    )
    found = r.check_survey(
        closed,
        1,
        already_answered=False,
        well_served=None,
        resolved=None,
        field_team_contact=None,
        grade=None,
    )
    assert len(found) == 4
    one(
        found,
        "service_request.survey.answer_required",
        "SAT-04",
        "atencao.campo.informada",
    )
    one(
        r.check_survey(closed, 1, already_answered=False, **{**answers, "grade": 11}),
        "service_request.survey.grade_invalid",
        "SAT-04",
        "atencao.campo.invalido",
    )


# ================================================================= regulator
def test_arg_01_02_04() -> None:
    reason = item("regulator_complaint_reason", 1)
    good = {
        "request_id": 1,
        "request": request(),
        "protocol_number": "AG-1",
        "complaint_reason_id": 1,
        "complaint_reason": reason,
        "current_forecast": date(2025, 1, 10),
        "existing_protocols": ["AG-0"],
    }
    assert r.check_regulator_record(**good) == ()  # type: ignore[arg-type]
    one(
        r.check_regulator_record(**{**good, "request": None}),
        "service_request.regulator.unknown_request",
        "ARG-01",
        "atencao.registro_atendimento.inexistente",
    )  # type: ignore[arg-type]
    found = r.check_regulator_record(
        **{
            **good,
            "protocol_number": "",
            "complaint_reason_id": None,
            "current_forecast": None,
        }
    )  # type: ignore[arg-type]
    assert len(found) == 3
    one(found, "service_request.regulator.required", "ARG-02", "atencao.required")
    one(
        r.check_regulator_record(**{**good, "complaint_reason": None}),
        "service_request.regulator.unknown_reason",
        "ARG-02",
        "atencao.label_inexistente",
    )  # type: ignore[arg-type]
    one(
        r.check_regulator_record(**{**good, "existing_protocols": ["AG-1"]}),
        "service_request.regulator.duplicate",
        "ARG-04",
        "atencao.ra_existente_numero_agencia_reguladora",
    )  # type: ignore[arg-type]


def test_arg_07_return_of_a_pending_record() -> None:
    reason = item("regulator_return_reason", 1)
    assert (
        r.check_regulator_return(
            record_id=1, pending=True, return_reason_id=1, return_reason=reason
        )
        == ()
    )
    one(
        r.check_regulator_return(
            record_id=1, pending=False, return_reason_id=1, return_reason=reason
        ),
        "service_request.regulator.not_pending",
        "ARG-07",
        None,
    )
    one(
        r.check_regulator_return(
            record_id=1, pending=True, return_reason_id=None, return_reason=None
        ),
        "service_request.regulator.required",
        "ARG-02",
        "atencao.required",
    )
    one(
        r.check_regulator_return(
            record_id=1, pending=True, return_reason_id=2, return_reason=None
        ),
        "service_request.regulator.unknown_reason",
        "ARG-02",
        "atencao.label_inexistente",
    )
