"""The contractor's measurement bulletin: the quantities asked when an order
of a bulletin type closes with execution and their update (ENC-19), and the
inspection of a concluded selective order (FIS-17, FIS-18); on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.model.bulletins import BulletinInput, InspectionCode
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.units import User
from gsan_core.testing import FixedClock
from tests.services.connections_setup import ACTOR, CONCLUDED, add_property, town

BULLETIN_TYPE = 984
PLAIN_TYPE = 985
INSPECTOR = 60
UPDATE_INSPECTION, UNDO_INSPECTION = 52, 53


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    return bulletin_town(system)


def bulletin_town(system: gsan_core.System) -> gsan_core.System:
    """The town with a bulletin type, a plain type and an inspector."""
    town(system)
    system.service_orders.add_types(
        [
            ServiceType(
                id=BULLETIN_TYPE,
                description="REPOSICAO DE PAVIMENTO",
                abbreviation="REP PAV",
            ),
            ServiceType(id=PLAIN_TYPE, description="VISTORIA", abbreviation="VIST"),
        ],
        actor=0,
    )
    system.catalog.add(
        "service_type_bulletin",
        description="REPOSICAO",
        attributes={
            "service_type_id": BULLETIN_TYPE,
            "asks_pavement": True,
            "asks_asphalt": True,
            "asks_sidewalk": True,
        },
        actor=0,
    )
    system.units.register_users([User(id=INSPECTOR, name="FISCAL", unit_id=1)], actor=0)
    system.units.grant(user_id=ACTOR, permission_id=UPDATE_INSPECTION, actor=0)
    return system


def _order(gsan: gsan_core.System, pid: int, service_type_id: int) -> int:
    add_property(gsan, pid, 3)
    return gsan.service_orders.generate(
        service_type_id=service_type_id, property_id=pid, actor=ACTOR
    ).id


def _close(
    gsan: gsan_core.System, order_id: int, bulletin: BulletinInput | None = None
) -> None:
    gsan.service_orders.close_executed(
        order_id=order_id,
        reason_id=CONCLUDED,
        closed_on=gsan.today(),
        actor=ACTOR,
        bulletin=bulletin,
    )


def test_enc_19_bulletin_asked_on_closing(gsan: gsan_core.System) -> None:
    """ENC-19: closing an order of a bulletin type needs "there was pavement"
    answered and its empty or zero quantities confirmed; refused, nothing is
    written (the order stays open); recorded with the closing; a type without
    the bulletin records nothing and refuses bulletin data."""
    order_id = _order(gsan, 700, BULLETIN_TYPE)
    with pytest.raises(RuleViolation) as refused:
        _close(gsan, order_id, BulletinInput(asphalt=Decimal("3.5")))
    assert [(v.rule, v.gsan_key) for v in refused.value.violations] == [
        ("ENC-19", "atencao.campo_selecionado.obrigatorio"),
        ("ENC-19", "atencao.encerrar_OS_boletim"),
    ]
    assert refused.value.violations[1].params["fields"] == "sidewalk"
    assert gsan.service_orders.get(order_id).closed_at is None
    assert gsan.inspections.bulletin(order_id) is None
    with pytest.raises(RuleViolation) as negative:
        _close(
            gsan,
            order_id,
            BulletinInput(has_pavement=True, asphalt=Decimal(-1), zero_confirmed=True),
        )
    assert negative.value.violations[0].code == "bulletin.quantity_negative"
    _close(
        gsan,
        order_id,
        BulletinInput(
            has_pavement=True,
            asphalt=Decimal("3.5"),
            paving_stone=Decimal(9),  # not asked: recorded as zero
            zero_confirmed=True,
        ),
    )
    recorded = gsan.inspections.bulletin(order_id)
    assert recorded is not None
    assert (
        recorded.has_pavement,
        recorded.asphalt,
        recorded.paving_stone,
        recorded.sidewalk,
    ) == (True, Decimal("3.50"), Decimal(0), Decimal(0))
    plain = _order(gsan, 701, PLAIN_TYPE)
    with pytest.raises(RuleViolation) as not_asked:
        _close(gsan, plain, BulletinInput(has_pavement=False))
    assert (
        not_asked.value.violations[0].gsan_key
        == "atencao.os.solicitam.informacoes.boletim"
    )
    _close(gsan, plain)
    assert gsan.inspections.bulletin(plain) is None


def test_enc_19_update_bulletin_information(gsan: gsan_core.System) -> None:
    """ENC-19 (UC1116): the quantities of a closed order of a bulletin type are
    updated under the same checks; an open order, a type without bulletin and
    a stale copy are refused."""
    order_id = _order(gsan, 702, BULLETIN_TYPE)
    with pytest.raises(RuleViolation) as still_open:
        gsan.inspections.update_bulletin(
            order_id=order_id, bulletin=BulletinInput(has_pavement=True), actor=ACTOR
        )
    assert still_open.value.violations[0].gsan_key == "atencao.ordem_servico_situacao"
    _close(
        gsan,
        order_id,
        BulletinInput(has_pavement=False, zero_confirmed=True),
    )
    full = BulletinInput(
        has_pavement=True, asphalt=Decimal(2), sidewalk=Decimal("1.25")
    )
    changed = gsan.inspections.update_bulletin(
        order_id=order_id, bulletin=full, actor=ACTOR, expected_version=1
    )
    assert (changed.version, changed.asphalt, changed.sidewalk) == (
        2,
        Decimal(2),
        Decimal("1.25"),
    )
    assert gsan.inspections.bulletin(order_id) == changed
    with pytest.raises(ConcurrencyConflict):
        gsan.inspections.update_bulletin(
            order_id=order_id, bulletin=full, actor=ACTOR, expected_version=1
        )
    plain = _order(gsan, 703, PLAIN_TYPE)
    _close(gsan, plain)
    with pytest.raises(RuleViolation) as no_bulletin:
        gsan.inspections.update_bulletin(order_id=plain, bulletin=full, actor=ACTOR)
    assert (
        no_bulletin.value.violations[0].gsan_key
        == "atencao.os.solicitam.informacoes.boletim"
    )


def test_fis_17_inspection_dates_of_a_concluded_order(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """FIS-17: up to three dates; the last one given must be before today (GSAN:
    today is refused), not before the order's closing nor before the date
    before it; the earlier dates are not checked again."""
    order_id = _order(gsan, 704, PLAIN_TYPE)
    _close(gsan, order_id)
    closed_on = gsan.today()
    clock.advance(timedelta(days=10))
    today = gsan.today()
    cases = [
        ([today], "atencao.data_fiscalizacao_anterior_corrente"),
        (
            [closed_on - timedelta(days=1)],
            "atencao.data_fiscalizacao_anterior_data_encerramento_os",
        ),
        (
            [closed_on + timedelta(days=3), closed_on + timedelta(days=2)],
            "atencao.data_fiscalizacao_menor_data_fiscalizacao_anterior",
        ),
        ([closed_on] * 4, None),
    ]
    for dates, key in cases:
        with pytest.raises(RuleViolation) as refused:
            gsan.inspections.inspect_concluded(
                order_id=order_id,
                code=InspectionCode.APPROVED,
                inspected_on=dates,
                inspector_id=INSPECTOR,
                actor=ACTOR,
            )
        assert [(v.rule, v.gsan_key) for v in refused.value.violations] == [
            ("FIS-17", key)
        ]
    assert gsan.inspections.concluded_inspection(order_id) is None
    record = gsan.inspections.inspect_concluded(
        order_id=order_id,
        code=InspectionCode.APPROVED,
        # the first date is after the second: only the last pair is compared
        inspected_on=[closed_on + timedelta(days=5), closed_on, closed_on],
        inspector_id=INSPECTOR,
        register_swapped=True,
        actor=ACTOR,
    )
    assert record.inspection_dates == (
        closed_on + timedelta(days=5),
        closed_on,
        closed_on,
    )
    assert gsan.inspections.concluded_inspection(order_id) == record


def test_fis_17_profile_accepts_today(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """FIS-17 decided: ``concluded_inspection_today`` accepts an inspection
    dated today (still not after it)."""
    order_id = _order(gsan, 705, PLAIN_TYPE)
    _close(gsan, order_id)
    loaded = profiles.default()
    profile = loaded.profile
    lenient = gsan_core.System(
        uow_factory=gsan.uow_factory,
        profile=attrs.evolve(
            loaded,
            profile=attrs.evolve(
                profile,
                service_orders=attrs.evolve(
                    profile.service_orders, concluded_inspection_today=True
                ),
            ),
        ),
        clock=clock,
    )
    today = lenient.today()
    with pytest.raises(RuleViolation) as future:
        lenient.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.NONE,
            inspected_on=[today + timedelta(days=1)],
            actor=ACTOR,
        )
    assert future.value.violations[0].code == "bulletin.inspection.in_future"
    record = lenient.inspections.inspect_concluded(
        order_id=order_id, code=InspectionCode.NONE, inspected_on=[today], actor=ACTOR
    )
    assert record.inspected_on_1 == today


def test_fis_18_inspector_permissions_and_lock(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """FIS-18: a non-zero code needs a registered inspector; updating needs
    the permission (52); a stale copy is a conflict; undoing an inspection
    already in a bulletin needs the undo permission (53)."""
    order_id = _order(gsan, 706, PLAIN_TYPE)
    _close(gsan, order_id)
    clock.advance(timedelta(days=2))
    day = gsan.today() - timedelta(days=1)
    with pytest.raises(RuleViolation) as unknown:
        gsan.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.REPROVED,
            inspected_on=[day],
            inspector_id=999,
            actor=ACTOR,
        )
    assert unknown.value.violations[0].gsan_key == "pesquisa.funcionario.inexistente"
    with pytest.raises(RuleViolation) as not_allowed:
        gsan.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.REPROVED,
            inspected_on=[day],
            inspector_id=INSPECTOR,
            actor=INSPECTOR,
        )
    assert not_allowed.value.violations[0].code == "bulletin.inspection.not_allowed"
    record = gsan.inspections.inspect_concluded(
        order_id=order_id,
        code=InspectionCode.REPROVED,
        inspected_on=[day],
        inspector_id=INSPECTOR,
        actor=ACTOR,
    )
    (included,) = gsan.inspections.include_in_bulletin(
        order_ids=[order_id], month=202612, closed_on=day, actor=ACTOR
    )
    with pytest.raises(ConcurrencyConflict):
        gsan.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.NONE,
            inspected_on=[],
            actor=ACTOR,
            expected_version=record.version,
        )
    with pytest.raises(RuleViolation) as undo:
        gsan.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.NONE,
            inspected_on=[],
            actor=ACTOR,
            expected_version=included.version,
        )
    assert [v.code for v in undo.value.violations] == [
        "bulletin.inspection.undo_not_allowed"
    ]
    gsan.units.grant(user_id=ACTOR, permission_id=UNDO_INSPECTION, actor=0)
    undone = gsan.inspections.inspect_concluded(
        order_id=order_id,
        code=InspectionCode.NONE,
        inspected_on=[],
        actor=ACTOR,
        expected_version=included.version,
    )
    assert (undone.code, undone.inspection_dates, undone.bulletin_month) == (
        InspectionCode.NONE,
        (),
        202612,
    )
