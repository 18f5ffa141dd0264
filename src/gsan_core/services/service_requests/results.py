"""What the service-request flows return: opening, forwarding and closing
results, and a request's details."""

from __future__ import annotations

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.errors import Violation
from gsan_core.model.billing import Charge
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import (
    Reiteration,
    RoutingReason,
    RoutingStep,
    ServiceRequest,
)


# ---------------------------------------------------------------- results
@attrs.frozen(kw_only=True)
class OpeningResult:
    """What opening (or reactivating) a request did."""

    request: ServiceRequest
    #: The opening routing step (INS-24).
    step: RoutingStep
    #: Why the destination was chosen.
    reason: RoutingReason
    #: The OS generated automatically (INS-20), if any.
    order: ServiceOrder | None = None
    #: The soft warnings (INS-09b, INS-23): the request was opened anyway.
    warnings: tuple[Violation, ...] = ()
    #: The closing, for an automatically closed specification (INS-22).
    closing: RequestClosingResult | None = None

    def __repr__(self) -> str:
        return short_repr(self, "request", "reason", "order")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class ForwardResult:
    """A forwarding: the request after it and the step recorded."""

    request: ServiceRequest
    step: RoutingStep
    orders_moved: int

    def __repr__(self) -> str:
        return short_repr(self, "request", "orders_moved")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class RequestClosingResult:
    """What closing a request did."""

    request: ServiceRequest
    executed: bool
    #: Orders closed without execution with it (ENC-09).
    closed_orders: tuple[ServiceOrder, ...] = ()
    charge: Charge | None = None
    #: ENC-15: the specification offers a new request of this specification.
    new_request_offer: int | None = None
    #: The new request, when the offer was accepted.
    new_request: OpeningResult | None = None
    #: The satisfaction survey was requested (SAT-02).
    survey_requested: bool = False

    def __repr__(self) -> str:
        return short_repr(self, "request", "executed", "charge")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class RequestDetails:
    """A request with its routing history, orders and reiterations."""

    request: ServiceRequest
    steps: tuple[RoutingStep, ...]
    orders: tuple[ServiceOrder, ...]
    reiterations: tuple[Reiteration, ...]
    #: The request it reactivates and the one that reactivated it, if any.
    previous_id: int | None = None
    successor_id: int | None = None

    def __repr__(self) -> str:
        return short_repr(self, "request", "steps", "orders")

    def _repr_html_(self) -> str:
        return html_of(self)
