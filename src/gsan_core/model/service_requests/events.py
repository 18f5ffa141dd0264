"""The area's domain events."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from gsan_core.model.events import DomainEvent
from gsan_core.model.service_requests.enums import (
    RegulatorSituation,
    RequestSituation,
    RoutingReason,
)


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class ServiceRequestOpened(DomainEvent):
    """A request was opened (also by reactivation and the simplified flow)."""

    tag: ClassVar[str] = "service_request.opened"
    request_id: int
    specification_id: int
    situation: RequestSituation
    unit_id: int
    routing_reason: RoutingReason
    property_id: int | None = None
    protocol: str = ""


@attrs.frozen(kw_only=True)
class ServiceRequestForwarded(DomainEvent):
    """A request moved to another unit (its orders followed)."""

    tag: ClassVar[str] = "service_request.forwarded"
    request_id: int
    step_id: int
    from_unit_id: int
    to_unit_id: int
    automatic: bool = False
    #: From a dispatch centre to a contractor: export its orders (§2.5 effect 4).
    to_contractor: bool = False


@attrs.frozen(kw_only=True)
class ServiceRequestReiterated(DomainEvent):
    """The customer repeated the complaint."""

    tag: ClassVar[str] = "service_request.reiterated"
    request_id: int
    reiterations: int


@attrs.frozen(kw_only=True)
class ServiceRequestLocationChanged(DomainEvent):
    """The place of the occurrence changed (and with it, maybe, the situation)."""

    tag: ClassVar[str] = "service_request.location_changed"
    request_id: int
    situation: RequestSituation


@attrs.frozen(kw_only=True)
class ServiceRequestUpdated(DomainEvent):
    """ "Manter RA": the named fields of an open request changed."""

    tag: ClassVar[str] = "service_request.updated"
    request_id: int
    fields: tuple[str, ...]
    specification_id: int
    situation: RequestSituation


@attrs.frozen(kw_only=True)
class ServiceRequestClosed(DomainEvent):
    """A request was closed."""

    tag: ClassVar[str] = "service_request.closed"
    request_id: int
    closing_reason_id: int
    executed: bool
    closed_at: datetime
    duplicate_of_id: int | None = None
    command_id: int | None = None


@attrs.frozen(kw_only=True)
class ServiceRequestReactivated(DomainEvent):
    """A closed request was reactivated as a new one."""

    tag: ClassVar[str] = "service_request.reactivated"
    request_id: int
    previous_id: int


@attrs.frozen(kw_only=True)
class UrgentRequestAlert(DomainEvent):
    """An urgent request reached a unit: alert its users (INS-25)."""

    tag: ClassVar[str] = "service_request.urgent_alert"
    request_id: int
    unit_id: int


@attrs.frozen(kw_only=True)
class SatisfactionSurveyRequested(DomainEvent):
    """Send the satisfaction survey to the requester (SAT-02)."""

    tag: ClassVar[str] = "service_request.survey_requested"
    request_id: int
    email: str
    protocol: str


@attrs.frozen(kw_only=True)
class SatisfactionSurveyAnswered(DomainEvent):
    """A satisfaction survey was answered (SAT-03, SAT-04)."""

    tag: ClassVar[str] = "service_request.survey_answered"
    request_id: int
    survey_id: int
    grade: int


@attrs.frozen(kw_only=True)
class ClosingCommandIssued(DomainEvent):
    """A batch closing command was registered (CMD-01..05)."""

    tag: ClassVar[str] = "service_request.closing_command_issued"
    command_id: int


@attrs.frozen(kw_only=True)
class ClosingCommandExecuted(DomainEvent):
    """A batch closing command ran to its end (CMD-06, CMD-07)."""

    tag: ClassVar[str] = "service_request.closing_command_executed"
    command_id: int
    closed_requests: int
    closed_orders: int


@attrs.frozen(kw_only=True)
class ManualNumbersGenerated(DomainEvent):
    """Manual request numbers were handed out (NUM-03)."""

    tag: ClassVar[str] = "service_request.manual_numbers_generated"
    block_id: int
    unit_id: int
    first: int
    last: int


@attrs.frozen(kw_only=True)
class OperationalOccurrenceChanged(DomainEvent):
    """An operational occurrence was registered, changed or concluded."""

    tag: ClassVar[str] = "service_request.occurrence_changed"
    occurrence_id: int
    concluded: bool
    #: The occurrence was removed (registered by mistake).
    removed: bool = False


@attrs.frozen(kw_only=True)
class RegulatorRecordChanged(DomainEvent):
    """A regulator's complaint was recorded, or its return given (ARG)."""

    tag: ClassVar[str] = "service_request.regulator_record_changed"
    record_id: int
    request_id: int
    situation: RegulatorSituation


@attrs.frozen(kw_only=True)
class RequestConfigurationChanged(DomainEvent):
    """A specification, a situation profile or a routing association changed."""

    tag: ClassVar[str] = "service_request.configuration_changed"
    what: str
    key: int
