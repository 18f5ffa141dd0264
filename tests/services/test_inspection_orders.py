"""Inspection orders (fiscalização): the return of an infraction-inspection
order (UC0488) with its effects, the closing that waits for it (ENC-04) and the
infraction notices (AUT), on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.model.billing import (
    CategoryTariff,
    DebtKind,
    OpenDebt,
    Tariff,
    TariffRange,
)
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.events import DomainEvent
from gsan_core.model.inspections import (
    InspectionOrdersGenerated,
    NoticeSituation,
    SituationFound,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    Route,
)
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.model.service_requests import Requester
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules.inspections import sample_rank, sample_size
from gsan_core.services.inspections import NoticeInput
from gsan_core.testing import FixedClock
from tests.integration.test_statement_budgets import Counter
from tests.services.connections_setup import (
    ACTOR,
    CONCLUDED,
    CUT,
    DESISTED,
    PPP_BLOCK,
    add_property,
    order_for,
    town,
)

INSPECTION = 980
PLAIN = 981
FINE_TYPE = 7
ILLEGAL = 1  # found using water while the connection is cut: validates water
IRREGULAR = 2  # irregular consumption on a connected property: cuts it
NOTICE = 3  # controls infraction notices
BLOCKED = 4  # validates water, another indicator
REINCIDENT = 5  # checks reincidence, charged


def _codes(refused: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [v.code for v in refused.value.violations]


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    return inspection_town(system)


def inspection_town(system: gsan_core.System) -> gsan_core.System:
    """The town with the inspection types, situations, effects and charges."""
    town(system)
    system.service_orders.add_types(
        [
            ServiceType(
                id=INSPECTION,
                description="FISCALIZACAO DE INFRACAO",
                abbreviation="FISC INFR",
                infraction_inspection=True,
                value=Decimal("40.00"),
            ),
            ServiceType(id=PLAIN, description="VISITA SIMPLES", abbreviation="VISITA"),
        ],
        actor=0,
    )
    catalog = system.catalog
    fine = catalog.get("debit_type", FINE_TYPE)
    catalog.update(
        "debit_type",
        FINE_TYPE,
        attributes={"suggested_value": Decimal("25.00")},
        expected_version=fine.version,
        actor=0,
    )
    situations: list[tuple[int, str, dict[str, object]]] = [
        (ILLEGAL, "LIGACAO CLANDESTINA", {"validates_water": True}),
        (IRREGULAR, "CONSUMO IRREGULAR", {"validates_water": True}),
        (NOTICE, "AUTO DE INFRACAO", {"controls_notices": True}),
        (BLOCKED, "HIDROMETRO VIOLADO", {"validates_water": True}),
        (
            REINCIDENT,
            "FRAUDE REINCIDENTE",
            {"checks_reincidence": True, "collection_situation_id": 2},
        ),
    ]
    for sid, description, flags in situations:
        catalog.add(
            "inspection_situation",
            id=sid,
            description=description,
            attributes=flags,
            actor=0,
        )
    catalog.add(
        "inspection_water_effect",
        id=1,
        description="CLANDESTINA EM CORTADO",
        attributes={"situation_id": ILLEGAL, "status_id": 5},
        actor=0,
    )
    catalog.add(
        "inspection_water_effect",
        id=2,
        description="IRREGULAR EM LIGADO",
        attributes={
            "situation_id": IRREGULAR,
            "status_id": 3,
            "operation": "water.cut",
        },
        actor=0,
    )
    for calculation, times in ((4, 1), (10, 2)):
        catalog.add(
            "inspection_charge",
            id=calculation,
            description=f"MULTA {calculation}",
            attributes={
                "situation_id": REINCIDENT,
                "debit_type_id": FINE_TYPE,
                "calculation": calculation,
                "times": times,
                "times_reincident": 3,
            },
            actor=0,
        )
    return system


def _inspection(gsan: gsan_core.System, pid: int, water: int = 3) -> int:
    add_property(gsan, pid, water)
    return order_for(gsan, INSPECTION, pid).id


def _today(gsan: gsan_core.System) -> date:
    return gsan.today()


def test_enc_04_inspection_order_waits_for_its_return(gsan: gsan_core.System) -> None:
    """ENC-04: an infraction-inspection order does not close with execution
    before its return; after the return it closes through the usual closing."""
    order_id = _inspection(gsan, 400)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order_id, reason_id=CONCLUDED, closed_on=_today(gsan), actor=ACTOR
        )
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "inspection.return_not_informed",
        "ENC-04",
        "atencao.ordem_servico_fiscalizacao_imovel",
    )
    assert gsan.service_orders.get(order_id).situation is OrderSituation.PENDING
    gsan.inspections.inform_return(
        order_id=order_id,
        found=[SituationFound(situation_id=REINCIDENT, found_on=_today(gsan))],
        actor=ACTOR,
    )
    closed = gsan.service_orders.close_executed(
        order_id=order_id, reason_id=CONCLUDED, closed_on=_today(gsan), actor=ACTOR
    )
    assert closed.order.situation is OrderSituation.CLOSED


def test_enc_04_cancelling_an_inspection_needs_no_return(
    gsan: gsan_core.System,
) -> None:
    """ENC-04 is about the executed closing: an inspection that will not happen
    is cancelled (closed without execution) without a return."""
    order_id = _inspection(gsan, 401)
    result = gsan.service_orders.close_not_executed(
        order_id=order_id, reason_id=DESISTED, closed_on=_today(gsan), actor=ACTOR
    )
    assert result.order.situation is OrderSituation.CLOSED


def test_uc0488_a_finding_opens_the_request_its_matrix_names(
    gsan: gsan_core.System,
) -> None:
    """UC0488: a new situation whose water matrix row (for the property's
    current situation) names a request specification opens that RA for the
    property through the requests' opening rules, in the return's unit of
    work; refused there (INS-18: a requester without its address), nothing of
    the return is written."""
    gsan.catalog.add(
        "inspection_water_effect",
        description="HIDROMETRO VIOLADO EM LIGADO",
        attributes={"situation_id": BLOCKED, "status_id": 3, "specification_id": 311},
        actor=0,
    )
    order_id = _inspection(gsan, 430)
    found = [SituationFound(situation_id=BLOCKED, found_on=_today(gsan))]
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.inform_return(
            order_id=order_id,
            found=found,
            actor=ACTOR,
            requester=Requester(name="FISCAL"),
        )
    assert [v.rule for v in refused.value.violations] == ["INS-18"]
    assert gsan.inspections.findings(order_id) == []
    assert gsan.service_requests.find_by(property_id=430) == []
    result = gsan.inspections.inform_return(order_id=order_id, found=found, actor=ACTOR)
    (request,) = result.requests
    assert (request.specification_id, request.property_id) == (311, 430)
    assert gsan.service_requests.get(request.id) == request
    assert gsan.service_requests.find_by(property_id=430) == [request]
    again = gsan.inspections.inform_return(order_id=order_id, found=found, actor=ACTOR)
    assert again.requests == ()


def test_fis_01_02_return_only_for_a_pending_inspection(gsan: gsan_core.System) -> None:
    """FIS-01: the order's type is an infraction inspection; FIS-02: it is pending."""
    add_property(gsan, 402, 3)
    plain = order_for(gsan, PLAIN, 402)
    found = [SituationFound(situation_id=REINCIDENT, found_on=_today(gsan))]
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.inform_return(order_id=plain.id, found=found, actor=ACTOR)
    assert refused.value.violations[0].rule == "FIS-01"
    assert (
        refused.value.violations[0].gsan_key
        == "atencao.os.servico_tipo_nao_fiscalizacao"
    )
    order_id = _inspection(gsan, 403)
    gsan.service_orders.close_not_executed(
        order_id=order_id, reason_id=DESISTED, closed_on=_today(gsan), actor=ACTOR
    )
    with pytest.raises(RuleViolation) as closed:
        gsan.inspections.inform_return(order_id=order_id, found=found, actor=ACTOR)
    assert _codes(closed) == ["inspection.order_not_pending"]
    assert gsan.inspections.findings(order_id) == []


def test_fis_03_incompatible_water_situation_writes_nothing(
    gsan: gsan_core.System,
) -> None:
    """FIS-03: a situation that validates the water situation needs a matrix
    row for the property's current one ("clandestine" on a connected property
    has none)."""
    order_id = _inspection(gsan, 404, water=3)
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.inform_return(
            order_id=order_id,
            found=[SituationFound(situation_id=ILLEGAL, found_on=_today(gsan))],
            actor=ACTOR,
        )
    violation = refused.value.violations[0]
    assert (violation.rule, violation.gsan_key) == (
        "FIS-03",
        "atencao.situacao.agua.incompativel",
    )
    assert gsan.inspections.findings(order_id) == []


def test_fis_03_the_effect_runs_the_connection_operation(
    gsan: gsan_core.System,
) -> None:
    """FIS-03/04: the matrix row for the current situation names the connection
    operation (a cut here), run through the connection operations in the same
    unit of work; its data is required."""
    order_id = _inspection(gsan, 405, water=3)
    found = [SituationFound(situation_id=IRREGULAR, found_on=_today(gsan))]
    with pytest.raises(RuleViolation) as missing:
        gsan.inspections.inform_return(order_id=order_id, found=found, actor=ACTOR)
    assert _codes(missing) == ["inspection.connection_data_required"]
    result = gsan.inspections.inform_return(
        order_id=order_id, found=found, actor=ACTOR, connection_data=CUT
    )
    assert result.operation == "water.cut"
    assert gsan.properties.get(405).water_status_id == 5
    assert [f.operation for f in gsan.inspections.findings(order_id)] == ["water.cut"]
    assert gsan.service_orders.get(order_id).situation is OrderSituation.PENDING


def test_fis_05_09_10_selection_rules(gsan: gsan_core.System) -> None:
    """FIS-05: one water-validating situation; FIS-10: no situation twice, at
    least one known situation."""
    order_id = _inspection(gsan, 406, water=5)
    today = _today(gsan)
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.inform_return(
            order_id=order_id,
            found=[
                SituationFound(situation_id=ILLEGAL, found_on=today),
                SituationFound(situation_id=BLOCKED, found_on=today),
                SituationFound(situation_id=REINCIDENT, found_on=today),
                SituationFound(situation_id=REINCIDENT, found_on=today),
            ],
            actor=ACTOR,
        )
    codes = _codes(refused)
    assert "inspection.only_one.validates_water" in codes
    assert "inspection.situation_twice" in codes
    with pytest.raises(RuleViolation) as empty:
        gsan.inspections.inform_return(order_id=order_id, found=[], actor=ACTOR)
    assert _codes(empty) == ["inspection.situation_required"]
    with pytest.raises(RuleViolation) as future:
        gsan.inspections.inform_return(
            order_id=order_id,
            found=[SituationFound(situation_id=ILLEGAL, found_on=today + timedelta(1))],
            actor=ACTOR,
        )
    assert _codes(future) == ["inspection.found_in_future"]
    assert gsan.inspections.findings(order_id) == []


def test_fis_13_debts_once_with_reincidence(gsan: gsan_core.System) -> None:
    """FIS-13: the situation's debts are charged once per order and situation
    (code 4: the order type's price; code 10: the debit type's suggested value
    times the configured times); a property with a reincidence-checking
    finding on an earlier order is charged the reincidence times; the
    situation's collection situation is added to the property."""
    today = _today(gsan)
    first = _inspection(gsan, 407)
    found = [SituationFound(situation_id=REINCIDENT, found_on=today, charge=True)]
    result = gsan.inspections.inform_return(order_id=first, found=found, actor=ACTOR)
    assert sorted(c.total for c in result.charges) == [
        Decimal("40.00"),
        Decimal("50.00"),
    ]
    assert 2 in gsan.properties.get(407).collection_situation_ids
    again = gsan.inspections.inform_return(order_id=first, found=found, actor=ACTOR)
    assert again.charges == ()
    assert len(gsan.billing.charges(407)) == 2
    second = order_for(gsan, INSPECTION, 407).id
    repeated = gsan.inspections.inform_return(order_id=second, found=found, actor=ACTOR)
    assert sorted(c.total for c in repeated.charges) == [
        Decimal("75.00"),
        Decimal("120.00"),
    ]


def _months_ago(day: date, months: int) -> date:
    """The first day of the month ``months`` before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def test_fis_13_times_capped_by_the_months_since_the_cut(
    gsan: gsan_core.System,
) -> None:
    """FIS-13: on a cut connection the configured times are capped by the
    whole months since the cut (at least once; GSAN's "no multiplication when
    they are equal" quirk is not copied): cut last month, the code-10 row
    configured twice is charged once; cut three months ago, twice."""
    today = _today(gsan)
    totals = []
    for pid, months in ((440, 1), (441, 3)):
        cut_on = _months_ago(today, months)
        add_property(gsan, pid, 5, water_changes={"cut_on": cut_on})
        order_id = order_for(gsan, INSPECTION, pid).id
        result = gsan.inspections.inform_return(
            order_id=order_id,
            found=[
                SituationFound(situation_id=REINCIDENT, found_on=today, charge=True)
            ],
            actor=ACTOR,
        )
        totals.append(sorted(c.total for c in result.charges))
    assert totals == [
        [Decimal("25.00"), Decimal("40.00")],
        [Decimal("40.00"), Decimal("50.00")],
    ]


def test_fis_12_a_charged_situation_stays(gsan: gsan_core.System) -> None:
    """FIS-12: a situation that was charged cannot be left out of a later
    return; one that did nothing can."""
    today = _today(gsan)
    order_id = _inspection(gsan, 408)
    gsan.inspections.inform_return(
        order_id=order_id,
        found=[
            SituationFound(situation_id=REINCIDENT, found_on=today, charge=True),
            SituationFound(situation_id=NOTICE, found_on=today),
        ],
        actor=ACTOR,
        notice=NoticeInput(employee_id=ACTOR, issued_on=today),
    )
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.inform_return(
            order_id=order_id,
            found=[SituationFound(situation_id=NOTICE, found_on=today)],
            actor=ACTOR,
        )
    assert refused.value.violations[0].rule == "FIS-12"
    kept = gsan.inspections.inform_return(
        order_id=order_id,
        found=[SituationFound(situation_id=REINCIDENT, found_on=today)],
        actor=ACTOR,
    )
    assert [f.situation_id for f in kept.findings] == [REINCIDENT]
    assert [f.situation_id for f in gsan.inspections.findings(order_id)] == [REINCIDENT]


def test_fis_11_aut_01_notice_issued_from_the_return(gsan: gsan_core.System) -> None:
    """FIS-11/AUT-01: a situation that controls notices needs the notice's
    employee and date, and an appeal period not before the notice (AUT-02);
    the return then issues it."""
    today = _today(gsan)
    order_id = _inspection(gsan, 409)
    found = [SituationFound(situation_id=NOTICE, found_on=today)]
    with pytest.raises(RuleViolation) as missing:
        gsan.inspections.inform_return(order_id=order_id, found=found, actor=ACTOR)
    assert _codes(missing) == ["inspection.notice_data_required"]
    with pytest.raises(RuleViolation) as bad:
        gsan.inspections.inform_return(
            order_id=order_id,
            found=found,
            actor=ACTOR,
            notice=NoticeInput(
                employee_id=None,
                issued_on=today,
                appeal_from=today - timedelta(days=1),
            ),
        )
    assert {v.rule for v in bad.value.violations} == {"FIS-11", "AUT-02"}
    assert gsan.inspections.notices(property_id=409) == []
    result = gsan.inspections.inform_return(
        order_id=order_id,
        found=found,
        actor=ACTOR,
        notice=NoticeInput(
            employee_id=ACTOR,
            issued_on=today,
            appeal_until=today + timedelta(days=15),
            debit_type_id=FINE_TYPE,
        ),
    )
    assert result.notice is not None
    assert gsan.inspections.notices(property_id=409) == [result.notice]
    assert result.notice.situation is NoticeSituation.APPEAL_OPEN


def test_aut_05_batch_charges_expired_notices_once(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """AUT-05: notices whose appeal ended are charged their fine and move to
    "appeal expired"; a second run does nothing. AUT-03: a charged notice
    cannot be changed."""
    today = _today(gsan)
    order_id = _inspection(gsan, 410)
    notice = gsan.inspections.inform_return(
        order_id=order_id,
        found=[SituationFound(situation_id=NOTICE, found_on=today)],
        actor=ACTOR,
        notice=NoticeInput(
            employee_id=ACTOR,
            issued_on=today,
            appeal_until=today + timedelta(days=10),
            debit_type_id=FINE_TYPE,
        ),
    ).notice
    assert notice is not None
    assert gsan.inspections.expire_notices(actor=ACTOR) == ()
    clock.advance(timedelta(days=11))
    expired = gsan.inspections.expire_notices(actor=ACTOR)
    assert [n.situation for n in expired] == [NoticeSituation.APPEAL_EXPIRED]
    assert [c.total for c in gsan.billing.charges(410)] == [Decimal("25.00")]
    assert gsan.inspections.expire_notices(actor=ACTOR) == ()
    stored = gsan.inspections.notice(notice.id)
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.update_notice(
            attrs.evolve(stored, observation="RECURSO"), actor=ACTOR
        )
    assert refused.value.violations[0].rule == "AUT-03"


def test_aut_05_batch_is_chunked_and_set_based(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """AUT-05: the batch runs by chunks of notices (here one per chunk),
    reporting its progress; each expired notice with a fine gets one charge,
    a notice without a debit type only moves to "appeal expired"; a notice
    still in its appeal period is left alone."""
    today = _today(gsan)
    notices = []
    for pid, until, debit_type in (
        (420, 5, FINE_TYPE),
        (421, 6, None),
        (422, 7, FINE_TYPE),
        (423, 40, FINE_TYPE),
    ):
        order_id = _inspection(gsan, pid)
        notice = gsan.inspections.inform_return(
            order_id=order_id,
            found=[SituationFound(situation_id=NOTICE, found_on=today)],
            actor=ACTOR,
            notice=NoticeInput(
                employee_id=ACTOR,
                issued_on=today,
                appeal_until=today + timedelta(days=until),
                debit_type_id=debit_type,
            ),
        ).notice
        assert notice is not None
        notices.append(notice)
    clock.advance(timedelta(days=10))
    seen: list[int] = []
    expired = gsan.inspections.expire_notices(
        actor=ACTOR, chunk_size=1, progress=lambda p: seen.append(p.units_done)
    )
    assert seen == [1, 2, 3]
    assert [n.id for n in expired] == [n.id for n in notices[:3]]
    assert [n.charge_id is not None for n in expired] == [True, False, True]
    assert [gsan.inspections.notice(n.id) for n in expired] == list(expired)
    assert [len(gsan.billing.charges(pid)) for pid in (420, 421, 422, 423)] == [
        1,
        0,
        1,
        0,
    ]
    assert gsan.inspections.notice(notices[3].id).situation is (
        NoticeSituation.APPEAL_OPEN
    )
    assert gsan.inspections.expire_notices(actor=ACTOR) == ()


def test_aut_02_notice_update_checks_dates_and_version(gsan: gsan_core.System) -> None:
    """AUT-02: the appeal period may not start before the notice; a stale
    copy is a concurrency conflict."""
    today = _today(gsan)
    order_id = _inspection(gsan, 411)
    notice = gsan.inspections.inform_return(
        order_id=order_id,
        found=[SituationFound(situation_id=NOTICE, found_on=today)],
        actor=ACTOR,
        notice=NoticeInput(employee_id=ACTOR, issued_on=today),
    ).notice
    assert notice is not None
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.update_notice(
            attrs.evolve(notice, appeal_from=today - timedelta(days=3)), actor=ACTOR
        )
    assert (
        refused.value.violations[0].gsan_key == "atencao.data_final_menor_data_inicial"
    )
    changed = gsan.inspections.update_notice(
        attrs.evolve(notice, appeal_until=today + timedelta(days=30)), actor=ACTOR
    )
    assert changed.version == notice.version + 1
    with pytest.raises(ConcurrencyConflict):
        gsan.inspections.update_notice(notice, actor=ACTOR)


def _closed_orders(gsan: gsan_core.System, reasons: list[int]) -> list[int]:
    """Orders closed today by a contractor unit (company 3), one per reason."""
    gsan.units.register(
        OrganizationalUnit(id=60, name="EMPREITEIRA", unit_type_id=16, company_id=3),
        actor=0,
    )
    gsan.service_orders.add_type(
        ServiceType(id=705, description="FISCALIZACAO DE OS", abbreviation="FISC OS"),
        actor=0,
    )
    add_property(gsan, 420, 3)
    now = gsan.clock.now()
    orders = [
        ServiceOrder(
            id=9_000 + n,
            service_type_id=PLAIN,
            situation=OrderSituation.CLOSED,
            property_id=420,
            generated_at=now - timedelta(days=3),
            closed_at=now - timedelta(days=1),
            closing_reason_id=reason,
            current_unit_id=60,
        )
        for n, reason in enumerate(reasons)
    ]
    with gsan.uow_factory() as uow:
        uow.service_orders.add_many(orders)
        uow.commit()
    return [o.id for o in orders]


def test_uc1176_inspection_orders_for_closed_orders(gsan: gsan_core.System) -> None:
    """UC1176 (service-orders §2.9.3): every order closed by the contractor's
    units with a reason other than conclusion (2) and overdue (32) gets an
    inspection order; of the concluded ones, the percentage rounded half down
    (50 % of 3 is 1); each new order has its "opened" unit-trail record; a
    re-run skips the orders under inspection."""
    ids = _closed_orders(gsan, [4, 2, 2, 2, 32, 3])
    now = gsan.clock.now()
    summary = gsan.inspections.generate_for_closed(
        company_id=3, days=5, sample_percentage=50, actor=ACTOR, chunk_size=4
    )
    assert (summary.processed, summary.changed) == (6, 3)
    generated = [o for o in gsan.service_orders.find_by() if o.service_type_id == 705]
    referenced = sorted(o.reference_order_id or 0 for o in generated)
    assert ids[0] in referenced
    assert ids[5] in referenced
    assert len(set(referenced) & set(ids[1:4])) == 1
    assert all(
        o.situation is OrderSituation.PENDING
        and o.current_unit_id == 60
        and o.property_id == 420
        and o.emitted_at is not None
        for o in generated
    )
    with gsan.uow_factory() as uow:
        trail = {
            r.order_id: r
            for o in generated
            for r in uow.order_units.find_by(order_id=o.id)
        }
    assert sorted(trail) == sorted(o.id for o in generated)
    assert all(
        r.relation is OrderUnitRelation.OPENED
        and r.unit_id == 60
        and r.user_id == ACTOR
        and r.at == now
        for r in trail.values()
    )
    again = gsan.inspections.generate_for_closed(
        company_id=3, days=5, sample_percentage=0, actor=ACTOR
    )
    assert (again.processed, again.changed) == (3, 0)
    with pytest.raises(RuleViolation) as refused:
        gsan.inspections.generate_for_closed(
            company_id=3, days=0, sample_percentage=101, actor=ACTOR
        )
    assert refused.value.violations[0].code == "inspection.batch_invalid"


def test_uc1176_same_orders_and_skips_on_every_backend(
    gsan: gsan_core.System,
) -> None:
    """UC1176 (service-orders §2.9.3) as the pure rules specify it, on memory,
    SQLite and PostgreSQL alike (the PostgreSQL adapter inserts each chunk in
    one statement): the orders inspected are the non-concluded ones and the
    concluded ones of lowest ``sample_rank`` (``sample_size`` of them); each
    chunk's new orders have consecutive ids numbered in inspected-order
    order; the events carry exactly what was stored; the skips count the
    concluded orders not sampled; ids given afterwards do not collide."""
    reasons = [2, 4, 2, 2, 32, 3, 2, 2, 4, 2, 2, 2, 32]
    ids = _closed_orders(gsan, reasons)
    by_reason = dict(zip(ids, reasons, strict=True))
    concluded = [i for i in ids if by_reason[i] == 2]
    ranked = sorted(concluded, key=lambda i: (sample_rank(7, i), i))
    sampled = ranked[: sample_size(len(concluded), 40)]
    # the overdue ones (32) are never inspected
    expected = sorted({*sampled, *(i for i in ids if by_reason[i] not in (2, 32))})
    received: list[DomainEvent] = []
    gsan.subscribe(received.extend)
    summary = gsan.inspections.generate_for_closed(
        company_id=3, days=5, sample_percentage=40, actor=ACTOR, seed=7, chunk_size=4
    )
    assert (summary.processed, summary.changed) == (13, len(expected))
    assert summary.skipped == {"not sampled": 13 - len(expected)}
    made = sorted(
        (o for o in gsan.service_orders.find_by() if o.service_type_id == 705),
        key=lambda o: o.id,
    )
    assert [o.reference_order_id for o in made] == expected
    events = [e for e in received if isinstance(e, InspectionOrdersGenerated)]
    assert [i for e in events for i in e.order_ids] == [o.id for o in made]
    assert [i for e in events for i in e.referenced_ids] == expected
    for event in events:
        first = event.order_ids[0]
        assert event.order_ids == tuple(range(first, first + len(event.order_ids)))
    with gsan.uow_factory() as uow:
        trail = [r for o in made for r in uow.order_units.find_by(order_id=o.id)]
        later = uow.next_ids("service_order", 3)
        later_trail = uow.next_ids("order_unit", 3)
    assert [r.order_id for r in trail] == [o.id for o in made]
    assert not set(later) & {o.id for o in made}
    assert not set(later_trail) & {r.id for r in trail}


def test_uc1176_filters_by_service_type_and_locality(
    gsan: gsan_core.System,
) -> None:
    """UC1176's other filters: only the closed orders of the service types
    given, and of properties in the locality range given (a reversed range is
    refused, nothing written)."""
    ids = _closed_orders(gsan, [4, 3])
    add_property(gsan, 421, 3, block=PPP_BLOCK)  # locality 2
    other = ServiceOrder(
        id=9_100,
        service_type_id=INSPECTION,
        situation=OrderSituation.CLOSED,
        property_id=421,
        generated_at=gsan.clock.now() - timedelta(days=3),
        closed_at=gsan.clock.now() - timedelta(days=1),
        closing_reason_id=4,
        current_unit_id=60,
    )
    with gsan.uow_factory() as uow:
        uow.service_orders.add(other)
        uow.commit()
    with pytest.raises(RuleViolation) as reversed_range:
        gsan.inspections.generate_for_closed(
            company_id=3,
            days=5,
            sample_percentage=0,
            actor=ACTOR,
            locality_from=2,
            locality_until=1,
        )
    assert _codes(reversed_range) == ["inspection.batch_locality_range"]
    by_type = gsan.inspections.generate_for_closed(
        company_id=3,
        days=5,
        sample_percentage=0,
        actor=ACTOR,
        service_type_ids=[INSPECTION],
    )
    assert (by_type.processed, by_type.changed) == (1, 1)
    by_locality = gsan.inspections.generate_for_closed(
        company_id=3,
        days=5,
        sample_percentage=0,
        actor=ACTOR,
        locality_from=1,
        locality_until=1,
    )
    assert (by_locality.processed, by_locality.changed) == (2, 2)
    referenced = sorted(
        o.reference_order_id or 0
        for o in gsan.service_orders.find_by()
        if o.service_type_id == 705
    )
    assert referenced == sorted([*ids, other.id])


def test_uc1176_filters_by_collection_group_gerencia_and_business_unit(
    gsan: gsan_core.System,
) -> None:
    """UC1176's location filters: the collection group of the property's route
    (``cbgr_id``), the gerência regional (``greg_id``) and unidade de negócio
    (``uneg_id``) of the property's locality; each narrows the candidates."""
    ids = _closed_orders(gsan, [4])
    gsan.properties.load_locations(
        actor=0,
        localities=[
            Locality(id=3, name="LESTE", regional_management_id=7, business_unit_id=8)
        ],
        sectors=[CommercialSector(id=31, locality_id=3, code=1)],
        blocks=[Block(id=301, locality_id=3, sector_id=31, number=1)],
        routes=[Route(id=310, locality_id=3, sector_id=31, code=1, group_id=4)],
    )
    add_property(gsan, 422, 3, block=301, locality_id=3, sector_id=31, route_id=310)
    east = ServiceOrder(
        id=9_200,
        service_type_id=PLAIN,
        situation=OrderSituation.CLOSED,
        property_id=422,
        generated_at=gsan.clock.now() - timedelta(days=3),
        closed_at=gsan.clock.now() - timedelta(days=1),
        closing_reason_id=4,
        current_unit_id=60,
    )
    with gsan.uow_factory() as uow:
        uow.service_orders.add(east)
        uow.commit()

    def run(**filters: int) -> tuple[int, int]:
        done = gsan.inspections.generate_for_closed(
            company_id=3, days=5, sample_percentage=0, actor=ACTOR, **filters
        )
        return done.processed, done.changed

    assert run(collection_group_id=5) == (0, 0)
    assert run(regional_management_id=9) == (0, 0)
    assert run(business_unit_id=9, regional_management_id=7) == (0, 0)
    assert run(collection_group_id=4, regional_management_id=7, business_unit_id=8) == (
        1,
        1,
    )
    assert run() == (1, 1)
    referenced = sorted(
        o.reference_order_id or 0
        for o in gsan.service_orders.find_by()
        if o.service_type_id == 705
    )
    assert referenced == sorted([*ids, east.id])


def test_closing_an_inspection_not_accepted_refuses_the_inspected_order(
    gsan: gsan_core.System,
) -> None:
    """service-orders §2.9.4: closing an inspection order with the service not
    accepted records the order it refers to as not accepted, once, with the
    first active reason flagged for inspection and GSAN's observation; an
    accepted service records nothing."""
    (inspected, other) = _closed_orders(gsan, [4, 3])
    gsan.catalog.add(
        "non_acceptance_reason",
        id=8,
        description="SERVICO MAL EXECUTADO",
        attributes={"for_inspection": True},
        actor=0,
    )
    gsan.inspections.generate_for_closed(
        company_id=3, days=5, sample_percentage=0, actor=ACTOR
    )
    by_reference = {
        o.reference_order_id: o.id
        for o in gsan.service_orders.find_by()
        if o.service_type_id == 705
    }
    gsan.service_orders.close_executed(
        order_id=by_reference[inspected],
        reason_id=CONCLUDED,
        closed_on=_today(gsan),
        actor=ACTOR,
        service_accepted=False,
    )
    refused = gsan.inspections.order_acceptance(inspected)
    assert refused is not None
    assert (refused.accepted, refused.reason_id, refused.observation) == (
        False,
        8,
        f"USUÁRIO {ACTOR} REJEITOU A ORDEM DE SERVIÇO",
    )
    gsan.service_orders.close_executed(
        order_id=by_reference[other],
        reason_id=CONCLUDED,
        closed_on=_today(gsan),
        actor=ACTOR,
    )
    assert gsan.inspections.order_acceptance(other) is None


def test_fis_14_15_16_contractor_order_acceptance(gsan: gsan_core.System) -> None:
    """FIS-16: the non-acceptance reasons are a catalog (description required,
    in use or not); FIS-14: an executed order is inspected once: accepted,
    accepted with a reservation, or refused with an active reason; FIS-15: a
    reason flagged so needs the observation."""
    reasons = gsan.catalog
    with pytest.raises(RuleViolation):
        reasons.add("non_acceptance_reason", id=1, description="", actor=0)
    reasons.add(
        "non_acceptance_reason",
        id=1,
        description="SERVICO INCOMPLETO",
        attributes={"observation_required": True},
        actor=0,
    )
    reasons.add("non_acceptance_reason", id=2, description="SUJEIRA NO LOCAL", actor=0)
    add_property(gsan, 430, 3)
    open_order = order_for(gsan, PLAIN, 430)
    with pytest.raises(RuleViolation) as pending:
        gsan.inspections.inspect_order(
            order_id=open_order.id, accepted=True, actor=ACTOR
        )
    assert _codes(pending) == ["inspection.acceptance_order_not_executed"]
    executed = []
    for _ in range(3):
        order = order_for(gsan, PLAIN, 430)
        gsan.service_orders.close_executed(
            order_id=order.id, reason_id=CONCLUDED, closed_on=_today(gsan), actor=ACTOR
        )
        executed.append(order.id)
    done = gsan.inspections.inspect_order(
        order_id=executed[0], accepted=True, actor=ACTOR
    )
    assert (done.accepted, done.reason_id) == (True, None)
    with pytest.raises(RuleViolation) as twice:
        gsan.inspections.inspect_order(
            order_id=executed[0], accepted=False, reason_id=2, actor=ACTOR
        )
    assert _codes(twice) == ["inspection.acceptance_twice"]
    reserved = gsan.inspections.inspect_order(
        order_id=executed[1], accepted=True, reason_id=2, actor=ACTOR
    )
    assert (reserved.accepted, reserved.reason_id) == (True, 2)
    with pytest.raises(RuleViolation) as no_reason:
        gsan.inspections.inspect_order(
            order_id=executed[2], accepted=False, actor=ACTOR
        )
    assert _codes(no_reason) == ["inspection.acceptance_reason_required"]
    with pytest.raises(RuleViolation) as no_observation:
        gsan.inspections.inspect_order(
            order_id=executed[2], accepted=False, reason_id=1, actor=ACTOR
        )
    assert [v.rule for v in no_observation.value.violations] == ["FIS-15"]
    refused = gsan.inspections.inspect_order(
        order_id=executed[2],
        accepted=False,
        reason_id=1,
        observation="FALTOU RECOMPOR A CALCADA",
        actor=ACTOR,
    )
    assert gsan.inspections.order_acceptance(executed[2]) == refused
    assert gsan.inspections.order_acceptance(open_order.id) is None


def _minimum_tariff_charge(gsan: gsan_core.System, calculation: int = 11) -> int:
    """A situation whose debt is valued at the tariff (calculation 11 or 1)."""
    situation = gsan.catalog.add(
        "inspection_situation",
        description="CONSUMO NAO FATURADO",
        attributes={},
        actor=0,
    )
    gsan.catalog.add(
        "inspection_charge",
        description="TARIFA MINIMA",
        attributes={
            "situation_id": situation.id,
            "debit_type_id": FINE_TYPE,
            "calculation": calculation,
            "times": 2 if calculation == 11 else 1,
        },
        actor=0,
    )
    return situation.id


def _minimum(value: str, category_id: int = 1) -> CategoryTariff:
    return CategoryTariff(category_id=category_id, minimum_value=Decimal(value))


def test_fis_13_code_11_charges_the_minimum_tariff_in_force(
    gsan: gsan_core.System,
) -> None:
    """FIS-13 code 11: the debt is the minimum tariff of the property's main
    category in the tariff in force today (billing port), times its economies
    capped at four, times the row's times; without a tariff nothing is charged."""
    situation_id = _minimum_tariff_charge(gsan)
    today = _today(gsan)
    gsan.billing.record_tariffs(
        [
            Tariff(
                id=1,
                tariff_id=2,
                valid_from=today - timedelta(days=400),
                categories=[_minimum("9.00")],
            ),
            Tariff(
                id=2,
                tariff_id=2,
                valid_from=today - timedelta(days=30),
                categories=[_minimum("12.50"), _minimum("40.00", 2)],
            ),
            Tariff(
                id=3,
                tariff_id=2,
                valid_from=today + timedelta(days=30),
                categories=[_minimum("99.00")],
            ),
        ]
    )
    economies = [Economies(category_id=1, count=5), Economies(category_id=2, count=1)]
    for pid, tariff_id in ((470, 2), (471, None)):
        add_property(
            gsan, pid, 3, categories=economies, consumption_tariff_id=tariff_id
        )
        order_id = order_for(gsan, INSPECTION, pid).id
        gsan.inspections.inform_return(
            order_id=order_id,
            found=[
                SituationFound(situation_id=situation_id, found_on=today, charge=True)
            ],
            actor=ACTOR,
        )
    # 12.50 x min(6 economies, 4) x 2 times
    assert [c.total for c in gsan.billing.charges(470)] == [Decimal("100.00")]
    assert list(gsan.billing.charges(471)) == []


def test_fis_13_code_1_charges_the_average_consumption_at_the_tariff(
    gsan: gsan_core.System,
) -> None:
    """FIS-13 code 1: the water and sewer, at the tariff in force, of the
    average of the property's last six billed water volumes (billing port's
    consumption history), re-priced as ACR-12 re-prices a bill; a plugged sewer
    adds nothing and no history values the minimum of each economy."""
    situation_id = _minimum_tariff_charge(gsan, calculation=1)
    today = _today(gsan)
    part = CategoryTariff(
        category_id=1,
        minimum_volume=10,
        minimum_value=Decimal("20.00"),
        ranges=[TariffRange(start=10, price=Decimal("3.00"))],
    )
    gsan.billing.record_tariffs(
        [
            Tariff(
                id=1,
                tariff_id=2,
                valid_from=today - timedelta(days=30),
                categories=[part],
            )
        ]
    )
    volumes = {202401: 500, 202402: 20, 202403: 22, 202404: 24, 202405: 26}
    volumes |= {202406: 28, 202407: 30}
    gsan.billing.record_consumption(
        ConsumptionRecord(
            property_id=472, reference=month, consumption_type_id=1, billed_volume=v
        )
        for month, v in volumes.items()
    )
    two = [Economies(category_id=1, count=2)]
    for pid, sewer in ((472, 3), (473, 6)):
        add_property(gsan, pid, 3, sewer, categories=two, consumption_tariff_id=2)
        gsan.inspections.inform_return(
            order_id=order_for(gsan, INSPECTION, pid).id,
            found=[
                SituationFound(situation_id=situation_id, found_on=today, charge=True)
            ],
            actor=ACTOR,
        )
    # average 25 m3, 12.5 per economy: (20.00 + 2.5 x 3.00) x 2 = 55.00 water,
    # + 100 % sewer
    assert [c.total for c in gsan.billing.charges(472)] == [Decimal("110.00")]
    assert [c.total for c in gsan.billing.charges(473)] == [Decimal("40.00")]


def _expired_notice(
    gsan: gsan_core.System, pid: int, *, until: int = 5, debit_type: int = FINE_TYPE
) -> None:
    today = _today(gsan)
    notice = gsan.inspections.inform_return(
        order_id=_inspection(gsan, pid),
        found=[SituationFound(situation_id=NOTICE, found_on=today)],
        actor=ACTOR,
        notice=NoticeInput(
            employee_id=ACTOR,
            issued_on=today,
            appeal_until=today + timedelta(days=until),
            debit_type_id=debit_type,
        ),
    ).notice
    assert notice is not None


def test_aut_05_deb_02_no_fine_where_a_payment_slip_was_issued_that_day(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """AUT-05 with DEB-02: of two expired notices, the one whose property had
    a payment slip of the fine's debit type issued on the day of the batch
    gets no charge (both still move to "appeal expired"), the other its fine;
    the slips of the chunk are read at once (``Billing.payment_slips_issued``)."""
    _expired_notice(gsan, 430)
    _expired_notice(gsan, 431)
    clock.advance(timedelta(days=10))
    gsan.billing.record_debts(
        [
            OpenDebt(
                id=930,
                property_id=430,
                kind=DebtKind.PAYMENT_SLIP,
                amount=Decimal("25.00"),
                debit_type_id=FINE_TYPE,
                issued_on=_today(gsan),
            )
        ]
    )
    expired = gsan.inspections.expire_notices(actor=ACTOR)
    assert [n.property_id for n in expired] == [430, 431]
    assert {n.situation for n in expired} == {NoticeSituation.APPEAL_EXPIRED}
    assert [n.charge_id is not None for n in expired] == [False, True]
    assert [len(gsan.billing.charges(pid)) for pid in (430, 431)] == [0, 1]


@pytest.mark.parametrize("backend_name", ["sqlite", "postgres"], indirect=True)
def test_aut_05_a_chunks_statements_do_not_grow_with_its_notices(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """AUT-05 set-based: a run of one chunk sends as many statements with one
    charged notice as with four (properties, orders, DEB-02's payment slips,
    charges and notices: one round trip each per chunk, none per notice)."""
    backend = gsan.backend
    assert isinstance(backend, SqlBackend)
    counter = Counter(backend.engine)
    found: list[int] = []
    pid = 440
    for notices in (1, 1, 4):  # the first run warms the caches and id blocks
        for _ in range(notices):
            _expired_notice(gsan, pid)
            pid += 1
        clock.advance(timedelta(days=10))
        with counter.counting():
            expired = gsan.inspections.expire_notices(actor=ACTOR, chunk_size=10)
        assert [n.charge_id is not None for n in expired] == [True] * notices
        found.append(counter.count)
    assert found[1] == found[2], counter.statements
