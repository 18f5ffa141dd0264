"""The contract of the batch statements of a unit of work (issue 20).

Subclass it with a ``uow_factory`` fixture over an empty, migrated store, as
:class:`~gsan_core.testing.contracts.UnitOfWorkContract`::

    from gsan_core.testing.contracts_batches import BatchStatementsContract

    class TestMyBatches(BatchStatementsContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

It checks the chunk of the overdue closing (``close_next_pending``), the
set-based cut-order decision (``CollectionQueries.select_cut_orders``: an
adapter may decline with ``None``; when it decides, it must decide as the pure
rules CUT-1..CUT-5 do), the set-based writing of a cut-order chunk
(``CollectionQueries.write_cut_orders``, the same), and ``refresh_statistics``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.model.billing import DebtKind, OpenDebt, OverdueBills
from gsan_core.model.collection import CutCriteria, CutOrderTemplate
from gsan_core.model.profile import CollectionParameters
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.collection import CutDecision, decide_cut
from gsan_core.testing.contracts import location, sample_property

__all__ = ["BatchStatementsContract"]

Factory = Callable[[], UnitOfWork]
NOW = datetime(2025, 1, 6, 12, tzinfo=UTC)
CUT = 242


def _order(ident: int, property_id: int, **changes: Any) -> ServiceOrder:
    order = ServiceOrder(
        id=ident,
        service_type_id=CUT,
        origin=OrderOrigin.COLLECTION,
        property_id=property_id,
        generated_at=NOW - timedelta(days=400),
        current_unit_id=1,
    )
    return attrs.evolve(order, **changes)


def _cut_type() -> ServiceType:
    return ServiceType(id=CUT, description="CORTE", abbreviation="CORTE")


def _cut_utility(
    uow_factory: Factory,
) -> tuple[Any, CutCriteria, CollectionParameters, date, int]:
    """A route of seven properties, one of which qualifies (property 1): the
    route, the criteria, the profile's parameters, the due limit and the
    number of properties."""
    loc, sector, block, route = location()
    criteria = CollectionParameters(
        min_overdue_bills=2, min_overdue_amount=Decimal("20.5")
    )
    limit = date(2025, 1, 1)
    props = [
        attrs.evolve(sample_property(1), water_status_id=3),
        attrs.evolve(sample_property(2), water_status_id=5),
        attrs.evolve(sample_property(3), water_status_id=3, active=False),
        attrs.evolve(sample_property(4), water_status_id=3),
        attrs.evolve(sample_property(5), water_status_id=3),
        attrs.evolve(sample_property(6), water_status_id=3),
        attrs.evolve(sample_property(7), water_status_id=3),
    ]
    bills = [
        (1, "10.25"),
        (1, "10.25"),
        (2, "50"),
        (2, "50"),
        (4, "50"),
        (4, "50"),
        (5, "20"),
        (6, "10"),
        (6, "10"),
        (7, "30"),
        (7, "30"),
    ]
    with uow_factory() as uow:
        uow.localities.add(loc)
        uow.sectors.add(sector)
        uow.blocks.add(block)
        uow.routes.add(route)
        uow.units.add(
            OrganizationalUnit(id=5, name="SEDE", unit_type_id=1, locality_id=1)
        )
        uow.properties.add_many(props)
        uow.service_types.add(_cut_type())
        uow.seeding.record_debts(
            OpenDebt(
                id=n,
                property_id=pid,
                kind=DebtKind.BILL,
                amount=Decimal(amount),
                due_date=date(2024, 11, 1),
            )
            for n, (pid, amount) in enumerate(bills, start=1)
        )
        first, second = uow.next_ids("service_order", 2)
        uow.service_orders.add_many(
            [
                _order(first, 4),  # open: CUT-2
                _order(
                    second,
                    7,
                    situation=OrderSituation.CLOSED,
                    closed_at=NOW - timedelta(days=3),
                ),  # closed 3 days ago: CUT-5 with a 30-day window
            ]
        )
        uow.commit()
    wanted = CutCriteria(
        cut_service_type_ids={CUT},
        allowed_situations={3},
        due_before=limit,
        min_bills=criteria.min_overdue_bills,
        min_amount=criteria.min_overdue_amount,
        restricted_type_id=CUT,
        restricted_since=NOW - timedelta(days=29),
    )
    return route, wanted, criteria, limit, len(props)


class BatchStatementsContract:
    """What the batches ask of a unit of work beyond the repositories."""

    @pytest.fixture
    def uow_factory(self) -> Factory:  # pragma: no cover - overridden
        raise NotImplementedError

    def test_a_chunk_of_the_overdue_closing_closes_and_records_its_trail(
        self, uow_factory: Factory
    ) -> None:
        """VEN-02: pending orders after the id, at most ``limit``, closed with
        their trail rows; one no longer pending is selected, not closed."""
        with uow_factory() as uow:
            uow.service_types.add(_cut_type())
            uow.service_orders.add_many(
                [
                    _order(1, 10),
                    _order(2, 11, situation=OrderSituation.CLOSED),
                    _order(3, 12),
                    _order(4, 13),
                    _order(5, 14, generated_at=NOW),
                ]
            )
            uow.commit()
        with uow_factory() as uow:
            picked, closed = uow.service_orders.close_next_pending(
                service_type_id=CUT,
                generated_before=NOW - timedelta(days=1),
                after_id=1,
                limit=2,
                reason_id=32,
                closed_at=NOW,
                unit_id=7,
                user_id=1,
            )
            uow.commit()
        assert list(picked) == [3, 4]
        assert list(closed) == [3, 4]
        with uow_factory() as uow:
            three, four = uow.service_orders.get(3), uow.service_orders.get(4)
            trail = [
                record
                for order_id in (3, 4)
                for record in uow.order_units.find_by(order_id=order_id)
            ]
            assert uow.service_orders.get(1).situation is OrderSituation.PENDING
        assert three.situation is four.situation is OrderSituation.CLOSED
        assert three.closing_reason_id == 32
        assert three.closed_at == NOW
        assert three.version == 2
        # one CLOSED row per order closed, ids ascending with the orders'
        assert [(r.order_id, r.unit_id, r.user_id, r.relation) for r in trail] == [
            (3, 7, 1, OrderUnitRelation.CLOSED),
            (4, 7, 1, OrderUnitRelation.CLOSED),
        ]
        assert trail[0].id < trail[1].id

    def test_a_chunk_of_the_overdue_closing_rolled_back_leaves_nothing(
        self, uow_factory: Factory
    ) -> None:
        """VEN-02: a chunk's closing and its trail rows go with its unit of
        work: rolled back, no order is closed and no trail row is left."""
        with uow_factory() as uow:
            uow.service_types.add(_cut_type())
            uow.service_orders.add_many([_order(1, 10), _order(2, 11)])
            uow.commit()
        with uow_factory() as uow:
            _, closed = uow.service_orders.close_next_pending(
                service_type_id=CUT,
                generated_before=NOW,
                after_id=0,
                limit=10,
                reason_id=32,
                closed_at=NOW,
                unit_id=7,
                user_id=1,
            )
            assert list(closed) == [1, 2]
            uow.rollback()
        with uow_factory() as uow:
            for order_id in (1, 2):
                order = uow.service_orders.get(order_id)
                assert order.situation is OrderSituation.PENDING
                assert uow.order_units.find_by(order_id=order_id) == []

    def test_the_set_based_cut_decision_agrees_with_the_pure_rules(
        self, uow_factory: Factory
    ) -> None:
        """CUT-1..CUT-5 decided by the adapter (when it decides) as by
        :func:`gsan_core.rules.collection.decide_cut`."""
        route, wanted, criteria, limit, count = _cut_utility(uow_factory)
        with uow_factory() as uow:
            selection = uow.collection.select_cut_orders([route.id], wanted)
            facts = uow.collection.route_cut_facts([route.id], {CUT})
            overdue = uow.billing.overdue_bills(
                [f.property_id for f in facts], due_before=limit
            )
        if selection is None:  # the adapter leaves the decision to the service
            return
        expected = {
            f.property_id: decide_cut(
                f,
                overdue=overdue.get(f.property_id, OverdueBills()),
                allowed_situations=frozenset({3}),
                criteria=criteria,
                unit_id=5,
            )
            for f in facts
        }
        expected[7] = CutDecision.RESTRICTED
        assert [f.property_id for f in selection.chosen] == [1]
        assert dict(selection.units) == {1: 5}  # CUT-4: the locality's unit
        assert selection.processed == count
        skipped: dict[str, int] = {}
        for decision in expected.values():
            if decision is not CutDecision.GENERATE:
                skipped[str(decision.value)] = skipped.get(str(decision.value), 0) + 1
        assert dict(selection.skipped) == skipped

    def test_the_set_based_cut_writing_writes_what_the_rules_choose(
        self, uow_factory: Factory
    ) -> None:
        """CUT-1..CUT-5 decided and the orders and trail rows written by the
        adapter (``write_cut_orders``, when it writes): the template's order
        for each chosen property with its locality's unit (CUT-4), nothing left
        behind by a rollback, ids that no other writer gets, and a second run
        skipping the property that now has an open order (CUT-2)."""
        route, wanted, _criteria, _limit, count = _cut_utility(uow_factory)
        template = CutOrderTemplate(
            order=_order(0, 0, generated_at=NOW, current_unit_id=None),
            trail=OrderUnitRecord(
                id=0,
                order_id=0,
                unit_id=None,
                user_id=9,
                relation=OrderUnitRelation.OPENED,
                at=NOW,
            ),
        )
        with uow_factory() as uow:
            written = uow.collection.write_cut_orders([route.id], wanted, template)
            uow.rollback()
        if written is None:  # the adapter leaves the writing to the service
            return
        assert [w.property_id for w in written.orders] == [1]
        with uow_factory() as uow:
            assert uow.service_orders.find_by(property_id=1) == []
        with uow_factory() as uow:
            written = uow.collection.write_cut_orders([route.id], wanted, template)
            assert written is not None
            uow.commit()
        assert written.processed == count
        (made,) = written.orders
        assert made.route_id == route.id
        with uow_factory() as uow:
            order = uow.service_orders.get(made.order_id)
            trail = uow.order_units.find_by(order_id=made.order_id)
            fresh = uow.next_id("service_order")
        assert order == _order(made.order_id, 1, generated_at=NOW, current_unit_id=5)
        assert [(r.unit_id, r.user_id, r.relation) for r in trail] == [
            (5, 9, OrderUnitRelation.OPENED)
        ]
        assert fresh != made.order_id
        with uow_factory() as uow:
            again = uow.collection.write_cut_orders([route.id], wanted, template)
            uow.commit()
        assert again is not None
        assert again.orders == ()
        assert dict(again.skipped)[str(CutDecision.OPEN_ORDER.value)] == (
            dict(written.skipped).get(str(CutDecision.OPEN_ORDER.value), 0) + 1
        )

    def test_refreshing_statistics_does_not_fail(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.refresh_statistics({"service_order": 10, "order_unit": 0})
            uow.commit()
