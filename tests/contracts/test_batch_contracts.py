"""The batch statements' contract, run against memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork
from gsan_core.model.service_orders import OrderOrigin, ServiceOrder, ServiceType
from gsan_core.testing.contracts_batches import CUT, NOW, BatchStatementsContract


class TestBatchStatementsContract(BatchStatementsContract):
    """Every backend of ``tests/conftest.py`` passes the contract."""

    @pytest.fixture
    def uow_factory(
        self, backend_uow_factory: Callable[[], object]
    ) -> Callable[[], object]:
        return backend_uow_factory


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_ven_02_an_overdue_chunk_takes_its_trail_ids_in_its_own_statement(
    backend_uow_factory: Callable[[], SqlUnitOfWork],
) -> None:
    """PostgreSQL: one statement closes the chunk, reserves its trail ids in
    ``id_block`` and writes the trail rows. The ids are taken in the chunk's
    transaction: rolled back, the counter is as before and the next chunk's
    rows take the same ids (no gap); committed, it moved by the orders
    closed."""
    with backend_uow_factory() as uow:
        uow.service_types.add(
            ServiceType(id=CUT, description="CORTE", abbreviation="CORTE")
        )
        uow.service_orders.add_many(
            ServiceOrder(
                id=ident,
                service_type_id=CUT,
                origin=OrderOrigin.COLLECTION,
                property_id=ident,
                generated_at=NOW - timedelta(days=400),
                current_unit_id=1,
            )
            for ident in (1, 2, 3)
        )
        uow.commit()

    def counter(uow: SqlUnitOfWork) -> int | None:
        block = uow.tables["id_block"]
        return uow.connection.execute(
            sa.select(block.c.next_value).where(block.c.name == "order_unit")
        ).scalar()

    def chunk(uow: SqlUnitOfWork) -> tuple[list[str], list[int]]:
        sent: list[str] = []

        def seen(*args: object) -> None:
            sent.append(str(args[2]))

        engine = uow.connection.engine
        sa.event.listen(engine, "before_cursor_execute", seen)
        try:
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
        finally:
            sa.event.remove(engine, "before_cursor_execute", seen)
        return sent, list(closed)

    with backend_uow_factory() as uow:
        before = counter(uow)
        sent, closed = chunk(uow)
        assert closed == [1, 2, 3]
        assert len(sent) == 1, sent
        assert "id_block" in sent[0]
        uow.rollback()
    with backend_uow_factory() as uow:
        assert counter(uow) == before
        _, closed = chunk(uow)
        after = counter(uow)
        uow.commit()
    assert after is not None
    first = after - 3
    assert before is None or first == before
    with backend_uow_factory() as uow:
        trail = [r for i in closed for r in uow.order_units.find_by(order_id=i)]
    assert [(r.id, r.order_id) for r in trail] == [
        (first, 1),
        (first + 1, 2),
        (first + 2, 3),
    ]
