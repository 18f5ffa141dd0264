"""Selective commands of inspection orders the field-work tests start from."""

from __future__ import annotations

import gsan_core
from gsan_core.model.field_work import SelectiveCriteria

#: The inspection service type of the tests' selective commands.
INSPECTION = 350


def emitted_inspections(
    system: gsan_core.System, *, max_orders: int | None = None
) -> int:
    """A selective command of inspection orders over ``system``'s first
    locality (at most ``max_orders``), emitted: its id."""
    with system.uow_factory() as uow:
        first = min(p.locality_id for p in uow.properties.find_by())
    command = system.field_work.create_selective_command(
        description="INSPECAO",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=first, locality_last=first),
        actor=1,
        max_orders=max_orders,
    )
    system.field_work.emit_selective_orders(command_id=command.id, actor=1)
    return command.id


def command_orders(system: gsan_core.System, command_id: int) -> list[int]:
    """The ids of the orders command ``command_id`` emitted, in order."""
    with system.uow_factory() as uow:
        return sorted(
            link.order_id
            for link in uow.selective_orders.find_by(command_id=command_id)
        )
