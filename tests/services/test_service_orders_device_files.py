"""UPD-05: an order a field device returned cannot be updated, on every
backend (the device files of ``gsan.field_work``)."""

from __future__ import annotations

import pytest

import gsan_core
from gsan_core.model.field_files import FileSituation
from tests.services.test_field_work_maintenance import (
    EXECUTED,
    INSPECTION,
    _ready,
    _return,
    emitted,
)

__all__ = ["emitted"]


def test_upd_05_an_order_a_device_returned_cannot_be_updated(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """UPD-05: once the device transmitted the file, its orders do not change
    by hand; an order of a file still in the field does."""
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    first = system.service_orders.get(orders[0])
    updated = system.service_orders.update(
        order_id=first.id,
        expected_version=first.version,
        actor=1,
        observation="IN THE FIELD",
    )
    assert updated.observation == "IN THE FIELD"
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    data = _return(file_id, [f"1|{orders[1]}|1|{EXECUTED}|{when}|OK|{INSPECTION}|"])
    assert system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    ).ok
    assert (
        system.field_work.field_file(file_id=file_id).situation
        is FileSituation.TRANSMITTED
    )
    for order_id in (orders[0], orders[1]):
        order = system.service_orders.get(order_id)
        with pytest.raises(gsan_core.RuleViolation) as refused:
            system.service_orders.update(
                order_id=order_id,
                expected_version=order.version,
                actor=1,
                observation="TOO LATE",
            )
        violation = refused.value.violations[0]
        assert violation.rule == "UPD-05"
        assert violation.gsan_key == (
            "atencao.nao_possivel.atualizar_os.situacao_finalizado"
        )
        assert system.service_orders.get(order_id).observation != "TOO LATE"
