"""The memory adapter's transaction mechanics beyond the contract suite."""

from __future__ import annotations

import attrs
import pytest

from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.units import OrganizationalUnit
from gsan_core.testing import SequentialIds

UNIT = OrganizationalUnit(id=1, name="SEDE", unit_type_id=10)


@pytest.fixture
def factory() -> object:
    return memory_uow_factory(MemoryStore(), SequentialIds())


def test_a_batch_with_the_same_id_twice_is_a_duplicate(factory) -> None:
    with factory() as uow:
        with pytest.raises(DuplicateEntity) as caught:
            uow.units.add_many([UNIT, attrs.evolve(UNIT, name="OUTRA")])
        assert (caught.value.entity, caught.value.id) == ("unit", 1)
        with pytest.raises(DuplicateEntity):
            uow.catalog.add_many(
                [
                    CatalogItem(kind="cut_reason", id=1, description="A"),
                    CatalogItem(kind="cut_reason", id=1, description="B"),
                ]
            )
        assert uow.units.find_by() == []


def test_concurrent_inserts_of_one_id_the_second_commit_fails(factory) -> None:
    with factory() as first, factory() as second:
        first.units.add(UNIT)
        second.units.add(attrs.evolve(UNIT, name="OUTRA"))
        first.commit()
        with pytest.raises(DuplicateEntity):
            second.commit()
    with factory() as uow:
        assert uow.units.get(1).name == "SEDE"


def test_concurrent_updates_the_second_commit_conflicts(factory) -> None:
    with factory() as uow:
        uow.units.add(UNIT)
        uow.commit()
    changed = attrs.evolve(UNIT, name="A", version=2)
    with factory() as first, factory() as second:
        first.units.update(changed)
        second.units.update(attrs.evolve(changed, name="B"))
        second.units.update(attrs.evolve(changed, name="B2", version=3))  # own write
        first.commit()
        with pytest.raises(ConcurrencyConflict) as caught:
            second.commit()
        assert caught.value.expected_version == 1
    with factory() as uow:
        assert uow.units.get(1).name == "A"


def test_a_row_deleted_meanwhile_conflicts(factory) -> None:
    item = CatalogItem(kind="cut_reason", id=1, description="A")
    with factory() as uow:
        uow.catalog.add(item)
        uow.commit()
    with factory() as first, factory() as second:
        first.catalog.remove(item)
        second.catalog.update(attrs.evolve(item, description="B", version=2))
        first.commit()
        with pytest.raises(ConcurrencyConflict):
            second.commit()


def test_rows_see_the_unit_of_work_own_changes(factory) -> None:
    a = CatalogItem(kind="cut_reason", id=1, description="A")
    b = CatalogItem(kind="cut_reason", id=2, description="B")
    with factory() as uow:
        uow.catalog.add_many([a, b])
        uow.commit()
    with factory() as uow:
        uow.catalog.update(attrs.evolve(a, description="A2", version=2))
        uow.catalog.remove(b)
        uow.catalog.add(CatalogItem(kind="cut_reason", id=3, description="C"))
        assert [(i.id, i.description) for i in uow.catalog.list("cut_reason")] == [
            (1, "A2"),
            (3, "C"),
        ]
        assert uow.catalog.find("cut_reason", 2) is None
        assert uow.committed_version("catalog", ("cut_reason", 1)) == 1
        assert uow.committed_version("catalog", ("cut_reason", 3)) is None
        with pytest.raises(NotFound):
            uow.catalog.remove(b)


def test_get_many_and_count(factory) -> None:
    with factory() as uow:
        uow.units.add_many([UNIT, attrs.evolve(UNIT, id=2, name="B", active=False)])
        assert set(uow.units.get_many([1, 2, 3])) == {1, 2}
        assert uow.units.count_by(active=True) == 1
        assert uow.units.count_by(id=[1, 2]) == 2
        with pytest.raises(NotFound):
            uow.units.update_many([attrs.evolve(UNIT, id=9, version=2)])
