"""The service-request repositories' own reads and set-based writes, on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.service_orders import OrderOrigin, OrderSituation, ServiceOrder
from gsan_core.model.service_requests import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    OrderRef,
    RequestRef,
    RequestSituation,
    ServiceRequest,
)
from gsan_core.ports.unit_of_work import UnitOfWork

AT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)

Factory = Callable[[], UnitOfWork]


@pytest.fixture
def uow_factory(backend_uow_factory: Callable[[], object]) -> Factory:
    return backend_uow_factory  # type: ignore[return-value]


def request(id: int, **changes: object) -> ServiceRequest:
    values: dict[str, object] = {
        "id": id,
        "specification_id": 3,
        "attended_at": AT - timedelta(hours=id),
        "original_due_date": date(2025, 1, 1),
        "current_due_date": date(2025, 1, 1),
        "channel_id": 6,
        "protocol": f"P{id}",
        "locality_id": 1,
        "opening_unit_id": 10,
        "opened_by": 1,
        "current_unit_id": 10,
    }
    values.update(changes)
    return ServiceRequest(**values)  # type: ignore[arg-type]


def order(id: int, request_id: int, **changes: object) -> ServiceOrder:
    return ServiceOrder(
        id=id,
        service_type_id=1,
        origin=OrderOrigin.REQUEST,
        request_id=request_id,
        generated_at=AT,
        **changes,  # type: ignore[arg-type]
    )


@pytest.fixture
def loaded(uow_factory: Factory) -> Factory:
    with uow_factory() as uow:
        from gsan_core.model.service_orders import ServiceType  # noqa: PLC0415

        uow.service_types.add(ServiceType(id=1, description="T", abbreviation="T"))
        uow.service_requests.add_many(
            [
                request(1),
                request(2, opening_unit_id=11, current_unit_id=20),
                request(3, specification_id=4),
                request(4, locality_id=None),
                request(5, situation=RequestSituation.BLOCKED),
                request(6),  # has a scheduled open order
                request(7, attended_at=AT - timedelta(days=30)),
            ]
        )
        uow.service_orders.add_many(
            [
                order(1, 1),
                order(2, 1, situation=OrderSituation.IN_EXECUTION),
                order(3, 1, situation=OrderSituation.CLOSED),
                order(4, 6, scheduled=True),
            ]
        )
        uow.commit()
    return uow_factory


def test_closing_localities_and_candidates(loaded: Factory) -> None:
    since, until = AT - timedelta(days=1), AT
    with loaded() as uow:
        repo = uow.service_requests
        assert list(repo.closing_localities(since=since, until=until)) == [1, None]
        found = repo.closing_candidates(locality_id=1, since=since, until=until)
        assert [r.id for r in found] == [1, 2, 3]
        assert found[0] == RequestRef(
            id=1,
            version=1,
            specification_id=3,
            property_id=None,
            attended_at=AT - timedelta(hours=1),
        )
        none = repo.closing_candidates(locality_id=None, since=since, until=until)
        assert [r.id for r in none] == [4]
        filtered = repo.closing_candidates(
            locality_id=1,
            since=since,
            until=until,
            attendance_unit_id=11,
            current_unit_ids=[20],
            specification_ids=[3],
        )
        assert [r.id for r in filtered] == [2]


def test_open_orders_and_set_based_closing(loaded: Factory) -> None:
    with loaded() as uow:
        repo = uow.service_requests
        orders = repo.open_orders_of([1, 2, 6])
        assert [(o.id, o.situation) for o in orders] == [(1, 1), (2, 3), (4, 1)]
        repo.close_orders(orders[:2], closed_at=AT, reason_id=32, remark="X")
        refs = repo.closing_candidates(
            locality_id=1, since=AT - timedelta(days=1), until=AT
        )
        repo.close_requests(
            refs, closed_at=AT, reason_id=32, remark="Y", unit_id=10, actor=1
        )
        uow.commit()
    with loaded() as uow:
        closed = uow.service_requests.get(1)
        assert (closed.situation, closed.version, closed.closing_remark) == (
            RequestSituation.CLOSED,
            2,
            "Y",
        )
        assert (closed.closed_by, closed.closing_unit_id) == (1, 10)
        first = uow.service_orders.get(1)
        assert (first.situation, first.closing_reason_id, first.version) == (
            OrderSituation.CLOSED,
            32,
            2,
        )


def test_set_based_closing_is_a_compare_and_set(loaded: Factory) -> None:
    stale = RequestRef(
        id=1, version=7, specification_id=3, property_id=None, attended_at=AT
    )
    missing = attrs.evolve(stale, id=999, version=1)
    with loaded() as uow, pytest.raises(ConcurrencyConflict):
        uow.service_requests.close_requests(
            [stale], closed_at=AT, reason_id=32, remark=None, unit_id=None, actor=1
        )
    with loaded() as uow, pytest.raises(NotFound):
        uow.service_requests.close_requests(
            [missing], closed_at=AT, reason_id=32, remark=None, unit_id=None, actor=1
        )
    with loaded() as uow, pytest.raises(ConcurrencyConflict):
        uow.service_requests.close_orders(
            [OrderRef(id=1, version=9, request_id=1, situation=1)],
            closed_at=AT,
            reason_id=32,
            remark=None,
        )
    with loaded() as uow:
        assert uow.service_requests.get(1).situation is RequestSituation.PENDING


def test_overdue_by_due_date_and_unit(loaded: Factory) -> None:
    with loaded() as uow:
        repo = uow.service_requests
        assert [r.id for r in repo.overdue(today=date(2025, 1, 2))] == [
            1,
            2,
            3,
            4,
            5,
            6,
            7,
        ]
        assert [r.id for r in repo.overdue(today=date(2025, 1, 2), unit_id=20)] == [2]
        assert repo.overdue(today=date(2025, 1, 1)) == []


def test_routing_associations_in_one_read(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.collection_situation_units.add_many(
            [
                CollectionSituationUnit(
                    id=1, specification_id=3, collection_situation_id=2, unit_id=7
                ),
                CollectionSituationUnit(
                    id=2, specification_id=3, collection_situation_id=5, unit_id=8
                ),
            ]
        )
        uow.locality_specification_units.add(
            LocalitySpecificationUnit(
                id=1, locality_id=1, specification_id=3, unit_id=9
            )
        )
        uow.locality_group_units.add(
            LocalityGroupUnit(id=1, locality_id=1, group_id=6, unit_id=10)
        )
        uow.commit()
    with uow_factory() as uow:
        repo = uow.service_requests
        collection, by_locality, by_group = repo.routing_associations(
            specification_id=3,
            locality_id=1,
            group_id=6,
            collection_situation_ids=[2],
        )
        assert [r.unit_id for r in collection] == [7]
        assert [r.unit_id for r in by_locality] == [9]
        assert [r.unit_id for r in by_group] == [10]
        assert repo.routing_associations(
            specification_id=3,
            locality_id=None,
            group_id=6,
            collection_situation_ids=[5],
        ) == (
            [
                CollectionSituationUnit(
                    id=2, specification_id=3, collection_situation_id=5, unit_id=8
                )
            ],
            [],
            [],
        )
        assert repo.routing_associations(
            specification_id=3,
            locality_id=1,
            group_id=None,
            collection_situation_ids=[],
        ) == ([], by_locality, [])
        assert repo.routing_associations(
            specification_id=3,
            locality_id=None,
            group_id=None,
            collection_situation_ids=[],
        ) == ([], [], [])


def test_association_rows_removed_at_their_version(uow_factory: Factory) -> None:
    row = LocalityGroupUnit(id=1, locality_id=1, group_id=6, unit_id=10)
    with uow_factory() as uow:
        uow.locality_group_units.add(row)
        uow.commit()
    with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.locality_group_units.remove_many([attrs.evolve(row, version=3)])
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.locality_group_units.remove_many([attrs.evolve(row, id=99)])
    with uow_factory() as uow:
        uow.locality_group_units.remove_many([row])
        uow.commit()
    with uow_factory() as uow:
        assert uow.locality_group_units.find_by() == []


def test_close_by_command_applies_the_filters_given_as_parameters(
    loaded: Factory,
) -> None:
    """CMD-06's filters (attendance unit, current units, specifications) and
    every value of the run are the statement's parameters (issue 20: one
    statement per shape, compiled once): a run with filters closes what
    ``closing_candidates`` selects, and a later run of the same shape with
    other values closes what those select."""
    since, until = AT - timedelta(days=1), AT
    options: dict[str, Any] = {
        "since": since,
        "until": until,
        "reason_id": 32,
        "closed_at": AT,
        "order_remark": "closed",
        "request_remark": "CLOSED",
        "actor": 1,
    }
    with loaded() as uow:
        first = uow.service_requests.close_by_command(
            command_id=1,
            locality_ids=[1],
            attendance_unit_id=11,
            current_unit_ids=[20],
            specification_ids=[3],
            **options,
        )
        if first is None:  # SQLite and memory run the steps in the service
            return
        uow.commit()
    assert [r.id for r in first.requests] == [2]
    with loaded() as uow:
        second = uow.service_requests.close_by_command(
            command_id=2,
            locality_ids=[1],
            attendance_unit_id=10,
            current_unit_ids=[10, 20],
            specification_ids=[4],
            **options,
        )
        assert second is not None
        uow.commit()
    assert [r.id for r in second.requests] == [3]
    with loaded() as uow:
        closed = [uow.service_requests.get(i).situation for i in (1, 2, 3)]
    assert closed == [
        RequestSituation.PENDING,
        RequestSituation.CLOSED,
        RequestSituation.CLOSED,
    ]


def test_close_by_command_closes_a_chunk_of_localities_together(
    loaded: Factory,
) -> None:
    """Issue 20: a chunk of localities (here locality 1 and the requests
    without a locality) closed by one call, what each alone would close."""
    since, until = AT - timedelta(days=1), AT
    options = {
        "command_id": 1,
        "since": since,
        "until": until,
        "attendance_unit_id": None,
        "current_unit_ids": None,
        "specification_ids": None,
        "reason_id": 32,
        "closed_at": AT,
        "order_remark": "closed",
        "request_remark": "CLOSED",
        "actor": 1,
    }
    with loaded() as uow:
        repo = uow.service_requests
        both = repo.close_by_command(locality_ids=[1, None, 1], **options)  # type: ignore[arg-type]
        if both is None:  # SQLite and memory run the steps in the service
            return
        uow.commit()
    assert [r.id for r in both.requests] == [1, 2, 3, 4]
    assert [o.id for o in both.orders] == [1, 2]
    with loaded() as uow:
        assert {uow.service_requests.get(i).situation for i in (1, 2, 3, 4)} == {
            RequestSituation.CLOSED
        }
        again = uow.service_requests.close_by_command(locality_ids=[None, 1], **options)  # type: ignore[arg-type]
        assert again is not None
        assert again.requests == ()


def test_close_by_command_for_no_locality_and_a_locality(loaded: Factory) -> None:
    """CMD-06 in one statement (PostgreSQL), built once per run: the requests
    without a locality, then locality 1 through the same run's statements."""
    since, until = AT - timedelta(days=1), AT
    options = {
        "command_id": 1,
        "since": since,
        "until": until,
        "attendance_unit_id": None,
        "current_unit_ids": None,
        "specification_ids": None,
        "reason_id": 32,
        "closed_at": AT,
        "order_remark": "closed",
        "request_remark": "CLOSED",
        "actor": 1,
    }
    with loaded() as uow:
        repo = uow.service_requests
        none = repo.close_by_command(locality_ids=[None], **options)  # type: ignore[arg-type]
        if none is None:  # SQLite and memory run the steps in the service
            return
        one = repo.close_by_command(locality_ids=[1], **options)  # type: ignore[arg-type]
        assert one is not None
        uow.commit()
    assert [r.id for r in none.requests] == [4]
    assert [r.id for r in one.requests] == [1, 2, 3]
    assert sorted(o.id for o in one.orders) == [1, 2]
    with loaded() as uow:
        assert uow.service_requests.get(4).situation is RequestSituation.CLOSED
        again = uow.service_requests.close_by_command(locality_ids=[None], **options)  # type: ignore[arg-type]
        assert again is not None
        assert again.requests == ()


def test_association_rows_removed_together_or_not_at_all(uow_factory: Factory) -> None:
    """One statement for the rows (issue 20); a row missing, or one at
    another version, among them fails the whole removal."""
    rows = [
        LocalityGroupUnit(id=i, locality_id=1, group_id=i, unit_id=10)
        for i in (1, 2, 3)
    ]
    with uow_factory() as uow:
        uow.locality_group_units.add_many(rows)
        uow.commit()
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.locality_group_units.remove_many(
            [rows[0], attrs.evolve(rows[1], id=99), rows[2]]
        )
    with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.locality_group_units.remove_many(
            [rows[0], attrs.evolve(rows[1], version=4), rows[2]]
        )
    with uow_factory() as uow:
        assert len(uow.locality_group_units.find_by()) == 3
        uow.locality_group_units.remove_many(rows)
        uow.commit()
    with uow_factory() as uow:
        assert uow.locality_group_units.find_by() == []
