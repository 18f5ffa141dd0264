"""The sewer-connection command (ESG-01..ESG-03), on every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

import gsan_core
from gsan_core.model.connections import SewerConnectionInput
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.model.sewer_commands import SewerOrdersClosed, SewerOrdersGenerated
from gsan_core.model.units import OrganizationalUnit
from gsan_core.testing.clocks import FixedClock
from tests.services.connections_setup import ACTOR, PPP_BLOCK, add_property, town

INFORM = 1467  # caema "informar esgoto factível faturável"
TECHNICAL = SewerConnectionInput(
    diameter_id=1, material_id=1, profile_id=1, grease_trap=True
)


@pytest.fixture
def caema(make_system) -> gsan_core.System:  # type: ignore[no-untyped-def]
    system = town(make_system("caema"))
    system.units.register(
        OrganizationalUnit(id=2, name="PPP", unit_type_id=12, locality_id=2),
        actor=0,
    )
    add_property(system, 300, 3, 1, block=PPP_BLOCK)
    add_property(system, 301, 3, 2, block=PPP_BLOCK)
    add_property(system, 302, 3, 3, block=PPP_BLOCK)  # connected: not selected
    add_property(system, 303, 3, 1, block=PPP_BLOCK)
    return system


def _command(system: gsan_core.System, type_id: int = INFORM) -> int:
    return system.field_work.create_sewer_command(
        description="CONEXAO PPP",
        service_type_id=type_id,
        criteria=SelectiveCriteria(
            locality_first=2, locality_last=2, sewer_status_ids={1, 2}
        ),
        connection=TECHNICAL,
        actor=ACTOR,
        automatic_close=True,
        closing_remark="CONEXAO NOTIFICADA",
    ).id


def _orders(system: gsan_core.System) -> dict[int, int]:
    """Property -> order of the command's type."""
    return {
        o.property_id or 0: o.id
        for o in system.service_orders.find_by(service_type_id=INFORM)
    }


def test_esg_01_one_order_per_selected_property_idempotent(
    caema: gsan_core.System,
) -> None:
    """ESG-01: one emitted order per selected property; the command gets its
    realisation time; a re-run generates nothing."""
    command_id = _command(caema)
    run = caema.field_work.generate_sewer_orders(command_id=command_id, actor=ACTOR)
    orders = _orders(caema)
    assert sorted(orders) == [300, 301, 303]
    assert run.changed == 3
    assert run.skipped == {"sewer situation not selected": 1}
    assert all(
        caema.service_orders.get(o).emitted_at is not None for o in orders.values()
    )
    command = caema.field_work.sewer_command(command_id=command_id)
    assert (command.generated, command.executed_at is not None) == (3, True)
    again = caema.field_work.generate_sewer_orders(command_id=command_id, actor=ACTOR)
    assert again.changed == 0
    assert len(_orders(caema)) == 3
    assert any(isinstance(e, SewerOrdersGenerated) for e in caema.events)


def test_esg_01_in_chunks_of_one_property(caema: gsan_core.System) -> None:
    """ESG-01 chunked (each chunk's writes and outbox row sent together at
    its commit on PostgreSQL, issue 20, ninth round): the same orders, trail
    and links as one chunk, the command's count summed, one event a chunk
    that generated orders."""
    command_id = _command(caema)
    run = caema.field_work.generate_sewer_orders(
        command_id=command_id, actor=ACTOR, chunk_size=1
    )
    orders = _orders(caema)
    assert sorted(orders) == [300, 301, 303]
    assert (run.changed, run.units) == (3, 4)
    command = caema.field_work.sewer_command(command_id=command_id)
    assert command.generated == 3
    with caema.uow_factory() as uow:
        for order_id in orders.values():
            trail = uow.order_units.find_by(order_id=order_id)
            assert [r.relation for r in trail] == [OrderUnitRelation.OPENED]
        links = uow.sewer_command_orders.find_by(command_id=command_id)
    assert sorted(k.order_id for k in links) == sorted(orders.values())
    generated = [e for e in caema.events if isinstance(e, SewerOrdersGenerated)]
    assert sorted(i for e in generated for i in e.order_ids) == sorted(orders.values())
    assert [len(e.order_ids) for e in generated] == [1, 1, 1]


def test_esg_01_a_type_running_another_operation_is_refused(
    caema: gsan_core.System,
) -> None:
    with pytest.raises(gsan_core.RuleViolation) as refused:
        _command(caema, 1468)  # "retirar factível faturável"
    assert refused.value.violations[0].rule == "ESG-01"


def test_esg_02_03_the_automatic_close_of_notified_old_orders(
    caema: gsan_core.System, clock: FixedClock
) -> None:
    """ESG-02: only notified orders at least the profile's days old close;
    ESG-03: their sewer becomes factível faturável with the command's data
    and they close executed; the command finishes when none is left open."""
    command_id = _command(caema)
    caema.field_work.generate_sewer_orders(command_id=command_id, actor=ACTOR)
    orders = _orders(caema)
    caema.field_work.notify_sewer_connection(order_id=orders[300], actor=ACTOR)
    caema.field_work.notify_sewer_connection(order_id=orders[301], actor=ACTOR)
    early = caema.field_work.close_sewer_orders(actor=ACTOR)
    assert early.closed == ()  # not old enough
    clock.advance(timedelta(days=31))
    run = caema.field_work.close_sewer_orders(actor=ACTOR)
    assert sorted(run.closed) == [orders[300], orders[301]]
    assert run.failed == ()
    assert run.finished_command_ids == ()  # 303 was never notified
    for pid in (300, 301):
        order = caema.service_orders.get(orders[pid])
        assert order.situation is OrderSituation.CLOSED
        assert order.closing_reason_id == 2
        assert caema.properties.get(pid).sewer_status_id == 8
        sewer = caema.connections.sewer_connection(pid)
        assert sewer is not None
        assert (sewer.diameter_id, sewer.grease_trap) == (1, True)
    assert caema.properties.get(303).sewer_status_id == 1
    assert caema.service_orders.get(orders[303]).situation is OrderSituation.PENDING
    caema.field_work.notify_sewer_connection(order_id=orders[303], actor=ACTOR)
    last = caema.field_work.close_sewer_orders(actor=ACTOR)
    assert last.closed == (orders[303],)
    assert last.finished_command_ids == (command_id,)
    assert caema.field_work.close_sewer_orders(actor=ACTOR).closed == ()
    assert any(isinstance(e, SewerOrdersClosed) for e in caema.events)


def test_esg_03_an_order_closed_after_the_command_was_read_fails_alone(
    caema: gsan_core.System, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The automatic close reads the command's orders once, before each
    order's own unit of work: an order another user closes in between fails
    alone (the closing re-reads it under its lock), its property's sewer
    untouched; the other order closes."""
    command_id = _command(caema)
    caema.field_work.generate_sewer_orders(command_id=command_id, actor=ACTOR)
    orders = _orders(caema)
    for pid in (300, 301):
        caema.field_work.notify_sewer_connection(order_id=orders[pid], actor=ACTOR)
    clock.advance(timedelta(days=31))
    fw = caema.field_work
    real = fw._work
    meanwhile: list[int] = []

    def work(**kwargs: bool) -> object:
        if kwargs.get("defer") and not meanwhile:
            meanwhile.append(orders[300])
            caema.service_orders.close_not_executed(
                order_id=orders[300],
                reason_id=4,
                closed_on=clock.now().date(),
                actor=ACTOR,
            )
        return real(**kwargs)

    monkeypatch.setattr(fw, "_work", work)
    run = fw.close_sewer_orders(actor=ACTOR)
    assert meanwhile == [orders[300]]
    assert run.closed == (orders[301],)
    assert [f[0] for f in run.failed] == [orders[300]]
    assert caema.service_orders.get(orders[300]).closing_reason_id == 4
    assert caema.properties.get(300).sewer_status_id == 1
    assert caema.properties.get(301).sewer_status_id == 8


def test_esg_02_only_a_command_order_takes_a_notice(caema: gsan_core.System) -> None:
    with pytest.raises(gsan_core.NotFound):
        caema.field_work.notify_sewer_connection(order_id=999_999, actor=ACTOR)
