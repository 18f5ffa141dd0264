"""A sewer command's orders in the batch frame (ESG-01, issue 20, tenth round).

On PostgreSQL a run whose scope fits one chunk locks the scope's properties in
its chunk bounds' statement (in the holding transaction), and its chunk, run
in that transaction, decides them without a lock of its own and updates the
command as the run's start read it, by a compare-and-set:

* a property whose holder opens an order of the command's type commits
  before the selection reads: the run waits for it at the bounds, then skips
  the property (GEN-11), with two connections;
* the bounds of a scope of more than one chunk lock nothing (those chunks
  run in transactions of their own while the holding one stays open);
* a change made to the command since the start read refuses the run
  (``ConcurrencyConflict``, nothing of it written);
* the command and its bounds come from one statement that reads the
  criteria's location bounds from the command's JSON column: the same bounds
  as the criteria applied in Python, for every kind of bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.field_work import SqlSelectiveQueries
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.connections import SewerConnectionInput
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import OrderOrigin, ServiceOrder
from gsan_core.model.sewer_commands import SewerCommand
from gsan_core.model.units import OrganizationalUnit
from gsan_core.services.batches import BatchSummary
from gsan_core.synthetic import generate
from tests.integration.holding import waiting
from tests.services.connections_setup import ACTOR, PPP_BLOCK, add_property, town

INFORM = 1467  # caema "informar esgoto factível faturável"
POSTGRES_ONLY = pytest.mark.parametrize(
    "backend_name",
    [pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
SCOPE = SelectiveCriteria(locality_first=2, locality_last=2, sewer_status_ids={1, 2})


def _caema(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    system = town(make_system("caema"))
    system.units.register(
        OrganizationalUnit(id=2, name="PPP", unit_type_id=12, locality_id=2),
        actor=0,
    )
    for property_id, sewer in ((300, 1), (301, 2), (302, 3), (303, 1)):
        add_property(system, property_id, 3, sewer, block=PPP_BLOCK)
    return system


def _command(system: gsan_core.System) -> int:
    return system.field_work.create_sewer_command(
        description="CONEXAO PPP",
        service_type_id=INFORM,
        criteria=SCOPE,
        connection=SewerConnectionInput(),
        actor=ACTOR,
    ).id


def _command_orders(system: gsan_core.System, command_id: int) -> list[int]:
    """The properties the command ordered."""
    with system.uow_factory() as uow:
        links = uow.sewer_command_orders.find_by(command_id=command_id)
    return sorted(k.property_id for k in links)


@POSTGRES_ONLY
def test_a_one_chunk_run_waits_for_a_property_holder_and_sees_its_order(
    make_system: Callable[..., gsan_core.System],
) -> None:
    caema = _caema(make_system)
    command_id = _command(caema)
    done: list[BatchSummary | BaseException] = []

    def run() -> None:
        try:
            done.append(
                caema.field_work.generate_sewer_orders(
                    command_id=command_id, actor=ACTOR
                )
            )
        except BaseException as error:  # reported by the test
            done.append(error)

    with caema.uow_factory() as other:
        other.properties.lock(300)
        kind = other.service_types.get(INFORM)
        at = caema.clock.now()
        other.service_orders.add(
            ServiceOrder(
                id=other.next_id("service_order"),
                service_type_id=INFORM,
                origin=OrderOrigin.SELECTIVE,
                property_id=300,
                generated_at=at,
                emitted_at=at,
                original_value=kind.value,
                current_unit_id=2,
                original_priority_id=kind.priority_id,
                current_priority_id=kind.priority_id,
            )
        )
        worker = threading.Thread(target=run)
        worker.start()
        waiting(caema.backend.engine, 20)  # the run comes to wait, or 20 s pass
        assert not done, done  # the run waits for property 300
        other.commit()
    worker.join(30)
    (summary,) = done
    assert isinstance(summary, BatchSummary), summary
    assert summary.changed == 2
    assert summary.skipped == {
        "open selective order (GEN-11)": 1,
        "sewer situation not selected": 1,
    }
    assert _command_orders(caema, command_id) == [301, 303]


@POSTGRES_ONLY
def test_the_bounds_lock_a_scope_of_one_chunk_only(
    make_system: Callable[..., gsan_core.System],
) -> None:
    caema = _caema(make_system)
    command_id = _command(caema)
    sql: SqlBackend = caema.backend
    prop = sql.tables["property"]

    def free(size: int, *, with_command: bool) -> bool:
        """Whether property 300 can be locked while a unit of work holds
        the bounds of chunks of ``size`` taken with ``lock_one`` (by the
        criteria, or with the command's read)."""
        with caema.uow_factory() as uow:
            if with_command:
                _, bounds = uow.selective.sewer_command_bounds(
                    command_id, size, lock_one=True
                )
            else:
                bounds = uow.selective.chunk_bounds(SCOPE, size, lock_one=True)
            assert len(bounds) == (1 if size >= 4 else 2)
            with sql.engine.connect() as connection:
                try:
                    connection.execute(
                        sa.select(prop.c.id)
                        .where(prop.c.id == 300)
                        .with_for_update(nowait=True)
                    ).all()
                except sa.exc.OperationalError:
                    return False
                return True

    for with_command in (False, True):
        assert not free(4, with_command=with_command)
        assert free(2, with_command=with_command)


@POSTGRES_ONLY
def test_a_command_changed_since_the_start_read_refuses_the_run(
    make_system: Callable[..., gsan_core.System], monkeypatch: pytest.MonkeyPatch
) -> None:
    caema = _caema(make_system)
    command_id = _command(caema)
    original = SqlSelectiveQueries.sewer_command_bounds

    def changing(self: Any, *args: Any, **kwargs: Any) -> Any:
        read = original(self, *args, **kwargs)  # the command, as read
        with caema.uow_factory() as other:
            current = other.sewer_commands.lock(command_id)
            other.sewer_commands.update(
                attrs.evolve(
                    current, description="ALTERADO", version=current.version + 1
                )
            )
            other.commit()
        return read

    monkeypatch.setattr(SqlSelectiveQueries, "sewer_command_bounds", changing)
    with pytest.raises(ConcurrencyConflict):
        caema.field_work.generate_sewer_orders(command_id=command_id, actor=ACTOR)
    monkeypatch.undo()
    command = caema.field_work.sewer_command(command_id=command_id)
    assert (command.description, command.generated) == ("ALTERADO", 0)
    assert command.executed_at is None
    assert _command_orders(caema, command_id) == []


#: Criteria of every kind of location bound (and none), over the generated
#: town (locality 1, sector 1001, blocks 101-112 and 201-212, routes 1 and 2).
CRITERIA = [
    SelectiveCriteria(),
    SelectiveCriteria(locality_first=1, locality_last=1),
    SelectiveCriteria(locality_first=2),
    SelectiveCriteria(locality_last=1, sector_first=1001),
    SelectiveCriteria(sector_first=1000, sector_last=1000),
    SelectiveCriteria(sector_first=1000, sector_last=1001),
    SelectiveCriteria(locality_first=0, locality_last=1),
    SelectiveCriteria(block_first=103, block_last=110, profile_ids={1}),
    SelectiveCriteria(block_first=205),
    SelectiveCriteria(block_last=104),
    SelectiveCriteria(route_ids={1}),
    SelectiveCriteria(route_ids={2, 3}, block_first=110),
    SelectiveCriteria(property_id=999_999),
]


@pytest.mark.parametrize(
    "backend_name",
    ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_a_command_s_bounds_in_its_read_are_those_of_its_criteria(
    make_system: Callable[..., gsan_core.System],
) -> None:
    system = make_system()
    generate(system, properties=300, seed=5)
    at = system.clock.now()
    with system.uow_factory() as uow:
        fifth = uow.selective.chunk_bounds(SelectiveCriteria(), 1)[4][0]
    criteria_all = [*CRITERIA, SelectiveCriteria(property_id=fifth)]
    with system.uow_factory() as uow:
        for n, criteria in enumerate(criteria_all, start=9_000):
            uow.sewer_commands.add(
                SewerCommand(
                    id=n,
                    description=f"BOUNDS {n}",
                    service_type_id=INFORM,
                    criteria=criteria,
                    created_at=at,
                    created_by=ACTOR,
                )
            )
        uow.commit()
    found, expected = [], []
    with system.uow_factory() as uow:
        for n, criteria in enumerate(criteria_all, start=9_000):
            for size in (1, 7, 100_000):
                command, bounds = uow.selective.sewer_command_bounds(n, size)
                assert command.criteria == criteria
                found.append(list(bounds))
                expected.append(list(uow.selective.chunk_bounds(criteria, size)))
        with pytest.raises(NotFound):
            uow.selective.sewer_command_bounds(1, 10)
    assert found == expected
    # all, none, and six selections of their own (blocks, routes, one property)
    assert len({str(b) for b in found[::3]}) == 8
