"""Static checks of the service-order public API (``mypy tests/typing``).

Nothing here runs: mypy --strict checks that the documented calls type-check and
return what the docs promise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal
from typing import assert_type

import gsan_core
from gsan_core.model.service_orders import (
    CompletedOrderRow,
    ExecutedActivity,
    ExecutionPeriod,
    MaterialKit,
    OrderExecution,
    ServiceChargeValue,
    ServiceOrder,
    ServicePriceListing,
    Team,
    TeamComponent,
)
from gsan_core.services.batches import BatchProgress, BatchSummary
from gsan_core.services.service_orders import (
    ChargeSimulation,
    ClosingResult,
    CutOrderResult,
)


def service_orders_api(gsan: gsan_core.System, today: date) -> None:
    orders = gsan.service_orders
    order = orders.generate(service_type_id=621, property_id=1, actor=1)
    assert_type(order, ServiceOrder)
    team = orders.add_team(
        name="EQUIPE",
        unit_id=1,
        work_minutes=480,
        components=[TeamComponent(employee_id=1, responsible=True)],
        actor=1,
    )
    assert_type(team, Team)
    result = orders.close_executed(
        order_id=order.id,
        reason_id=2,
        closed_on=today,
        actor=1,
        execution=[
            ExecutedActivity(
                activity_id=2,
                periods=[
                    ExecutionPeriod(
                        on=today, start=time(8), end=time(9), team_ids=[team.id]
                    )
                ],
            )
        ],
    )
    assert_type(result, ClosingResult)
    assert_type(orders.execution(order.id), OrderExecution | None)
    assert_type(
        orders.generate_cut_order(property_id=1, actor=1, reference_from=202401),
        CutOrderResult,
    )

    def report(progress: BatchProgress) -> None:
        print(progress.fraction)

    summary = orders.close_overdue(
        service_type_id=304, days=10, actor=1, progress=report
    )
    assert_type(summary, BatchSummary)
    rows = orders.completed_orders_bulletin(start=today, end=today, unit_id=1)
    assert_type(rows, list[CompletedOrderRow])
    simulation = orders.simulate_charge(
        service_type_id=621, property_id=1, installments=3, value=Decimal("80.00")
    )
    assert_type(simulation, ChargeSimulation)
    assert_type(simulation.computation.total, Decimal)
    assert_type(orders.commercial_price_table(), list[ServicePriceListing])
    assert_type(orders.prices(service_type_id=621), Sequence[ServiceChargeValue])
    assert_type(orders.kits(active_only=True), Sequence[MaterialKit])
