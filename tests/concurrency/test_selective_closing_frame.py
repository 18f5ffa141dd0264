"""Closing a selective command in the batch frame (issue 20, ninth round):
on PostgreSQL the command read at the run's start, in the holding
transaction, is closed by a compare-and-set update instead of being locked
again; a change made to it meanwhile refuses the run (nothing of it stays).
SQLite reads in a unit of work of its own and locks the command again."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import gsan_core
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.field_work import CommandSituation
from gsan_core.model.service_orders import OrderSituation
from gsan_core.services.field_work import service as field_work_service
from gsan_core.synthetic import generate
from tests.field_commands import command_orders, emitted_inspections
from tests.integration.test_statement_budgets_field import SQL_ONLY


def _changed_meanwhile(
    system: gsan_core.System, monkeypatch: pytest.MonkeyPatch, command_id: int
) -> None:
    """Before the run's first page: another unit of work changes the command
    (its description) and commits."""
    original = field_work_service.close_pending_chunk

    def changing(uow: Any, **kwargs: Any) -> list[int]:
        if kwargs["after_order_id"] == 0:
            with system.uow_factory() as other:
                current = other.selective_commands.lock(command_id)
                other.selective_commands.update(
                    attrs.evolve(
                        current, description="ALTERADO", version=current.version + 1
                    )
                )
                other.commit()
        return original(uow, **kwargs)

    monkeypatch.setattr(field_work_service, "close_pending_chunk", changing)


@SQL_ONLY
def test_a_command_changed_during_its_closing(
    system: gsan_core.System, backend_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(system, properties=300, seed=9)
    command_id = emitted_inspections(system, max_orders=5)
    orders = command_orders(system, command_id)
    assert orders
    _changed_meanwhile(system, monkeypatch, command_id)
    if backend_name == "postgres":
        with pytest.raises(ConcurrencyConflict):
            system.field_work.close_selective_command(
                command_id=command_id, reason_id=4, actor=1
            )
        with system.uow_factory() as uow:
            command = uow.selective_commands.get(command_id)
            assert command.situation is not CommandSituation.CLOSED
            assert command.description == "ALTERADO"
            situations = {uow.service_orders.get(i).situation for i in orders}
        assert situations == {OrderSituation.PENDING}
        return
    closed = system.field_work.close_selective_command(
        command_id=command_id, reason_id=4, actor=1
    )
    assert closed.situation is CommandSituation.CLOSED
    assert closed.description == "ALTERADO"
