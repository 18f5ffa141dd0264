"""CAGEPA-like and CAEMA-like profiles change what the connection operations do."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.connections import ReconnectionInput, SewerConnectionInput
from gsan_core.model.service_orders import ServiceType
from tests.services.connections_setup import (
    ACTOR,
    CONCLUDED,
    CUT,
    PPP_BLOCK,
    TODAY,
    add_property,
    closed_not_applied,
    order_for,
    town,
)

Make = Callable[..., gsan_core.System]


def _situations(system: gsan_core.System, pid: int) -> tuple[int, int]:
    prop = system.properties.get(pid)
    return prop.water_status_id, prop.sewer_status_id


def test_default_cuts_from_connected_under_analysis(make_system: Make) -> None:
    default = town(make_system())
    add_property(default, 100, 4)
    closed = closed_not_applied(default, 242, 100)
    default.service_orders.apply_operation(
        operation="water.cut", order_id=closed.id, actor=ACTOR, data=CUT
    )
    assert _situations(default, 100) == (5, 1)


def test_cagepa_cuts_only_from_connected(make_system: Make) -> None:
    cagepa = town(make_system("cagepa"))
    add_property(cagepa, 100, 4)
    refused_order = closed_not_applied(cagepa, 242, 100)
    with pytest.raises(RuleViolation) as refused:
        cagepa.service_orders.apply_operation(
            operation="water.cut", order_id=refused_order.id, actor=ACTOR, data=CUT
        )
    assert refused.value.code == "connection.water.cut.water_status_not_allowed"
    assert _situations(cagepa, 100) == (4, 1)


def test_cagepa_reconnects_cut_on_request(make_system: Make) -> None:
    cagepa = town(make_system("cagepa"))
    add_property(cagepa, 110, 10, 5)
    order = order_for(cagepa, 243, 110)
    cagepa.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=ReconnectionInput(),
    )
    assert _situations(cagepa, 110) == (3, 3)


def test_cagepa_cut_role_maps_to_several_service_types(make_system: Make) -> None:
    cagepa = town(make_system("cagepa"))
    add_property(cagepa, 120, 3)
    magnetic = closed_not_applied(cagepa, 2421, 120)
    cagepa.service_orders.apply_operation(
        operation="water.cut", order_id=magnetic.id, actor=ACTOR, data=CUT
    )
    assert _situations(cagepa, 120) == (5, 1)


def test_default_refuses_an_unlisted_cut_type(make_system: Make) -> None:
    default = town(make_system())
    default.service_orders.add_type(
        ServiceType(
            id=2421,
            description="CORTE NO REGISTRO MAGNETICO",
            abbreviation="CORTE REG MAG",
            priority_id=1,
        ),
        actor=0,
    )
    add_property(default, 120, 3)
    elsewhere = closed_not_applied(default, 2421, 120)
    with pytest.raises(RuleViolation) as refused:
        default.service_orders.apply_operation(
            operation="water.cut", order_id=elsewhere.id, actor=ACTOR, data=CUT
        )
    assert refused.value.violations[0].rule == "V-CO2"


def test_cagepa_deactivates_the_sewer_to_out_of_use(make_system: Make) -> None:
    cagepa = town(make_system("cagepa"))
    add_property(cagepa, 130, 1, 3)
    order = order_for(cagepa, 752, 130)
    cagepa.service_orders.close_executed(
        order_id=order.id, reason_id=CONCLUDED, closed_on=TODAY, actor=ACTOR
    )
    assert _situations(cagepa, 130) == (1, 5)


SEWER = SewerConnectionInput(
    connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1, grease_trap=True
)


def test_caema_informs_and_withdraws_feasible_billable(make_system: Make) -> None:
    caema = town(make_system("caema"))
    add_property(caema, 200, 3, 1, block=PPP_BLOCK)
    add_property(caema, 201, 3, 2, block=PPP_BLOCK)
    add_property(caema, 202, 3, 3, block=PPP_BLOCK)
    changed = caema.connections.inform_feasible_billable(
        locality_id=2, data=SEWER, actor=ACTOR, request_id=55
    )
    assert changed == [200, 201]
    assert _situations(caema, 201) == (3, 8)
    sewer = caema.connections.sewer_connection(201)
    assert sewer is not None
    assert (sewer.previous_status_id, sewer.request_id) == (2, 55)
    assert caema.connections.withdraw_feasible_billable(locality_id=2, actor=ACTOR) == [
        200,
        201,
    ]
    assert _situations(caema, 200) == (3, 1)
    assert _situations(caema, 201) == (3, 2)
    assert caema.connections.sewer_connection(201) is None
    assert _situations(caema, 202) == (3, 3)


def test_caema_feasible_billable_by_order_and_then_connected(make_system: Make) -> None:
    caema = town(make_system("caema"))
    add_property(caema, 210, 3, 2, block=PPP_BLOCK)
    order = order_for(caema, 1467, 210)
    caema.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=SEWER,
    )
    assert _situations(caema, 210) == (3, 8)
    connect = order_for(caema, 726, 210)
    caema.service_orders.close_executed(
        order_id=connect.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=SEWER,
    )
    assert _situations(caema, 210) == (3, 3)


def test_default_profile_has_no_feasible_billable_flow(make_system: Make) -> None:
    default = town(make_system())
    add_property(default, 220, 3, 2, block=PPP_BLOCK)
    with pytest.raises(RuleViolation) as refused:
        default.connections.inform_feasible_billable(
            locality_id=2, data=SEWER, actor=ACTOR
        )
    assert refused.value.code == "connection.feature_disabled"
