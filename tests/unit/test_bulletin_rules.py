"""The pure bulletin rules (``gsan_core.rules.bulletins``): the concluded
order an inspection is kept for (FIS-17)."""

from __future__ import annotations

from datetime import UTC, datetime

from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.rules import bulletins as rules

AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


def _order(**fields: object) -> ServiceOrder:
    base: dict[str, object] = {"id": 10, "service_type_id": 1, "generated_at": AT}
    base.update(fields)
    return ServiceOrder(**base)  # type: ignore[arg-type]


def test_fis_17_a_closed_selective_order_passes() -> None:
    """FIS-17: a closed order without request or collection document passes."""
    assert rules.check_concluded_order(_order(situation=OrderSituation.CLOSED)) == []


def test_fis_17_the_order_must_be_closed() -> None:
    """FIS-17: an order not closed is refused."""
    found = rules.check_concluded_order(_order(situation=OrderSituation.PENDING))
    assert [v.code for v in found] == ["bulletin.order_not_closed"]
    assert found[0].params == {"order_id": 10}


def test_fis_17_the_order_must_be_selective() -> None:
    """FIS-17: an order with a request, or with a collection document, is not
    selective."""
    for extra in ({"request_id": 3}, {"collection_document_id": 4}):
        found = rules.check_concluded_order(
            _order(situation=OrderSituation.CLOSED, **extra)
        )
        assert [v.code for v in found] == ["bulletin.order_not_selective"]
        assert found[0].params == {"order_id": 10}
