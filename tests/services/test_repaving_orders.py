"""Repaving of executed orders (PAV): opening the work for the unit serving the
neighbourhood, the repaving unit's return, the automatic acceptance within the
convergence percentage, acceptance by hand and rejection; on memory, SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.errors import RuleViolation
from gsan_core.model.repaving import RepavingAcceptance
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.testing import FixedClock
from tests.services.connections_setup import ACTOR, CONCLUDED, add_property, town

PAVED = 982
UNPAVED = 983
PAVER_UNIT = 50
PAVER = 51  # a user of the repaving unit
NEIGHBOURHOOD = 7
ASPHALT, STONE = 1, 2


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    town(system)
    system.service_orders.add_types(
        [
            ServiceType(
                id=PAVED,
                description="CONSERTO DE VAZAMENTO NA RUA",
                abbreviation="VAZ RUA",
                street_pavement=True,
            ),
            ServiceType(id=UNPAVED, description="VISTORIA", abbreviation="VIST"),
        ],
        actor=0,
    )
    system.units.register(
        OrganizationalUnit(id=PAVER_UNIT, name="REPAVIMENTADORA", unit_type_id=18),
        actor=0,
    )
    system.units.register_users(
        [User(id=PAVER, name="ASFALTO", unit_id=PAVER_UNIT)], actor=0
    )
    system.catalog.add(
        "repaving_neighbourhood",
        id=1,
        description="CENTRO",
        attributes={"neighbourhood_id": NEIGHBOURHOOD, "unit_id": PAVER_UNIT},
        actor=0,
    )
    return system


def _closed(gsan: gsan_core.System, pid: int, service_type_id: int = PAVED) -> int:
    add_property(gsan, pid, 3)
    order = gsan.service_orders.generate(
        service_type_id=service_type_id, property_id=pid, actor=ACTOR
    )
    gsan.service_orders.close_executed(
        order_id=order.id, reason_id=CONCLUDED, closed_on=gsan.today(), actor=ACTOR
    )
    return order.id


def _open(gsan: gsan_core.System, pid: int, area: str = "10.00") -> int:
    order_id = _closed(gsan, pid)
    return gsan.repaving.open_work(
        order_id=order_id,
        street_pavement_id=ASPHALT,
        street_area=Decimal(area),
        neighbourhood_id=NEIGHBOURHOOD,
        actor=ACTOR,
    ).id


def _with_convergence(gsan: gsan_core.System, percentage: str) -> gsan_core.System:
    loaded = profiles.default()
    profile = loaded.profile
    changed = attrs.evolve(
        profile,
        service_orders=attrs.evolve(
            profile.service_orders, repaving_convergence_percentage=Decimal(percentage)
        ),
    )
    return gsan_core.System(
        uow_factory=gsan.uow_factory,
        profile=attrs.evolve(loaded, profile=changed),
        clock=gsan.clock,
    )


def test_enc_16_pav_10_work_opens_for_the_neighbourhood_unit(
    gsan: gsan_core.System,
) -> None:
    """ENC-16: an order closed with execution by a type with pavement opens the
    work with positive areas, for a repaving unit; PAV-10: the unit is the one
    the neighbourhood is grouped under."""
    work_id = _open(gsan, 500)
    work = gsan.repaving.work(work_id)
    assert (work.unit_id, work.street_area, work.closed_on) == (
        PAVER_UNIT,
        Decimal("10.00"),
        gsan.today(),
    )
    assert gsan.repaving.in_repaving(unit_id=PAVER_UNIT) == [work]
    order_id = _closed(gsan, 501)
    with pytest.raises(RuleViolation) as refused:
        gsan.repaving.open_work(
            order_id=order_id,
            street_pavement_id=ASPHALT,
            street_area=Decimal("-1"),
            unit_id=1,
            actor=ACTOR,
        )
    assert {(v.rule, v.gsan_key) for v in refused.value.violations} == {
        ("ENC-16", "atencao.metragemSomentePositiva"),
        ("ENC-16", "erro.nao_existe_unidade_repavimentadora"),
    }
    unpaved = _closed(gsan, 502, UNPAVED)
    with pytest.raises(RuleViolation) as no_pavement:
        gsan.repaving.open_work(
            order_id=unpaved, street_area=Decimal(1), unit_id=PAVER_UNIT, actor=ACTOR
        )
    assert (
        no_pavement.value.violations[0].code
        == "repaving.order_not_executed_with_pavement"
    )


def test_pav_01_02_return_by_the_unit_with_valid_dates_and_areas(
    gsan: gsan_core.System,
) -> None:
    """PAV-01: only the repaving unit's users return; PAV-02: the execution date
    is not before the closing nor after today; areas are not negative nor
    beyond the order's; nothing written on refusal."""
    work_id = _open(gsan, 503)
    today = gsan.today()
    with pytest.raises(RuleViolation) as outsider:
        gsan.repaving.inform_return(
            work_id=work_id, returned_on=today, street_area=Decimal(10), actor=ACTOR
        )
    assert (
        outsider.value.violations[0].gsan_key
        == "atencao.nao_possui_permissao_para_atualizar"
    )
    with pytest.raises(RuleViolation) as bad:
        gsan.repaving.inform_return(
            work_id=work_id,
            returned_on=today - timedelta(days=1),
            street_area=Decimal("10.50"),
            sidewalk_area=Decimal("-1"),
            actor=PAVER,
        )
    assert [v.code for v in bad.value.violations] == [
        "repaving.executed_before_closing",
        "repaving.area_invalid",
        "repaving.area_invalid",
    ]
    assert gsan.repaving.work(work_id).returned_on is None
    returned = gsan.repaving.inform_return(
        work_id=work_id,
        returned_on=today,
        street_pavement_id=ASPHALT,
        street_area=Decimal("10.00"),
        actor=PAVER,
    )
    assert gsan.repaving.in_acceptance(unit_id=PAVER_UNIT) == [returned]
    assert gsan.repaving.in_repaving(unit_id=PAVER_UNIT) == []


def test_pav_03_automatic_acceptance_within_the_percentage(
    gsan: gsan_core.System,
) -> None:
    """PAV-03: the batch accepts, on the execution date, the returns of the same
    street pavement whose area is within the convergence percentage; the others
    wait for a decision by hand; a second run accepts nothing."""
    today = gsan.today()
    tolerant = _with_convergence(gsan, "5")
    returns = [
        ("10.00", ASPHALT),
        ("10.40", ASPHALT),
        ("9.40", ASPHALT),
        ("10.00", STONE),
    ]
    ids = []
    for n, (area, pavement) in enumerate(returns):
        work_id = _open(gsan, 510 + n)
        tolerant.repaving.inform_return(
            work_id=work_id,
            returned_on=today,
            street_pavement_id=pavement,
            street_area=Decimal(area),
            actor=PAVER,
        )
        ids.append(work_id)
    summary = tolerant.repaving.accept_automatically(actor=ACTOR, chunk_size=2)
    assert (summary.processed, summary.changed) == (4, 2)
    works = [tolerant.repaving.work(i) for i in ids]
    assert [w.acceptance for w in works] == [
        RepavingAcceptance.ACCEPTED,
        RepavingAcceptance.ACCEPTED,
        None,
        None,
    ]
    assert works[0].accepted_on == today
    assert works[0].acceptance_remark == "ACEITE AUTOMATICO"
    again = tolerant.repaving.accept_automatically(actor=ACTOR)
    assert again.changed == 0


def test_pav_04_bulk_acceptance_refused_when_one_is_accepted(
    gsan: gsan_core.System,
) -> None:
    """PAV-04: accepting by hand is refused when a selected work is already
    accepted or was not returned; refusing sends the work back for a new
    return whose date is not before the refusal (PAV-02)."""
    today = gsan.today()
    first, second = _open(gsan, 520), _open(gsan, 521)
    for work_id in (first, second):
        gsan.repaving.inform_return(
            work_id=work_id, returned_on=today, street_area=Decimal(9), actor=PAVER
        )
    gsan.repaving.accept(
        work_ids=[first], acceptance=RepavingAcceptance.ACCEPTED, on=today, actor=PAVER
    )
    with pytest.raises(RuleViolation) as refused:
        gsan.repaving.accept(
            work_ids=[first, second],
            acceptance=RepavingAcceptance.ACCEPTED,
            on=today,
            actor=PAVER,
        )
    assert (
        refused.value.violations[0].gsan_key
        == "atencao.os.repavimentacao.aceite_selecionada"
    )
    refusal = gsan.repaving.accept(
        work_ids=[second],
        acceptance=RepavingAcceptance.REFUSED,
        on=today,
        remark="AREA MENOR",
        actor=PAVER,
    )
    assert refusal[0].acceptance is RepavingAcceptance.REFUSED
    again = gsan.repaving.inform_return(
        work_id=second, returned_on=today, street_area=Decimal(10), actor=PAVER
    )
    assert again.acceptance is None


def test_pav_05_rejection_date_rules(gsan: gsan_core.System, clock: FixedClock) -> None:
    """PAV-05: the rejection date is mandatory, not in the future and not
    before the order's closing; a rejected return goes back to the unit."""
    today = gsan.today()
    work_id = _open(gsan, 530)
    gsan.repaving.inform_return(
        work_id=work_id, returned_on=today, street_area=Decimal(10), actor=PAVER
    )
    for on, code in (
        (None, "repaving.date_required"),
        (today + timedelta(days=1), "repaving.date_in_future"),
        (today - timedelta(days=1), "repaving.date_before_closing"),
    ):
        with pytest.raises(RuleViolation) as refused:
            gsan.repaving.reject_return(work_id=work_id, rejected_on=on, actor=ACTOR)
        assert [v.code for v in refused.value.violations] == [code]
    rejected = gsan.repaving.reject_return(
        work_id=work_id, rejected_on=today, remark="SEM SINALIZACAO", actor=ACTOR
    )
    assert rejected.returned_on is None
    assert gsan.repaving.in_repaving(unit_id=PAVER_UNIT) == [rejected]
    _ = (clock, date)
