"""Static checks of the service-request API's types (``mypy tests/typing``).

Never run: mypy reads it and fails when a public signature loses its types.
"""

from __future__ import annotations

from datetime import date
from typing import assert_type

import gsan_core
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import (
    ClosingCommand,
    RequestLocation,
    RequestSituation,
    RoutingReason,
    RoutingStep,
    ServiceRequest,
)
from gsan_core.rules.request_routing import Destination, due_date
from gsan_core.services.batches import BatchSummary
from gsan_core.services.service_requests import (
    ForwardResult,
    OpeningResult,
    RequestClosingResult,
    RequestDetails,
)


def check(gsan: gsan_core.System) -> None:
    service = gsan.service_requests
    opened = service.open(
        specification_id=679,
        unit_id=101,
        channel_id=6,
        actor=101,
        location=RequestLocation(property_id=1),
    )
    assert_type(opened, OpeningResult)
    assert_type(opened.request, ServiceRequest)
    assert_type(opened.request.situation, RequestSituation)
    assert_type(opened.reason, RoutingReason)
    assert_type(opened.order, ServiceOrder | None)
    assert_type(opened.step, RoutingStep)
    moved = service.forward(request_id=1, destination_unit_id=2, actor=101)
    assert_type(moved, ForwardResult)
    closed = service.close(request_id=1, reason_id=4, actor=101)
    assert_type(closed, RequestClosingResult)
    assert_type(service.details(1), RequestDetails)
    assert_type(service.history(1), tuple[RoutingStep, ...])
    unit, reason = service.suggest_destination(
        specification_id=679, location=RequestLocation()
    )
    assert_type(unit, int | None)
    assert_type(reason, RoutingReason)
    command = service.issue_closing_command(
        period_start=date(2025, 1, 1),
        period_end=date(2025, 1, 31),
        reason_id=32,
        responsible_id=101,
        actor=101,
    )
    assert_type(command, ClosingCommand)
    summary = service.execute_closing_command(command_id=command.id, actor=1)
    assert_type(summary, BatchSummary)
    destination: Destination = Destination(None, RoutingReason.NONE)
    assert_type(destination.unit_id, int | None)
    assert_type(
        due_date(date(2025, 1, 6), 2, business_days=True, is_business_day=bool),
        date,
    )
