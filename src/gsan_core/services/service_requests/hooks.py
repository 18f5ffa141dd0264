"""What closing a service order does to its request (``domain/service-orders.md``
§2.6.6, ``domain/service-requests.md`` §2.7 A2).

:class:`RequestOrderClosedHook` runs inside the OS-closing unit of work (it is in
:func:`gsan_core.system.default_order_closed_hooks`); its return value is
reported in :attr:`~gsan_core.services.service_orders.ClosingResult.effects`:

* a type whose closing does **not** close the request (``auto_close_request``
  off): when the user who closed the OS works in a contractor unit, the request
  goes back to the unit that sent it (the origin of its last routing step) —
  :class:`RequestRoutedBack`; otherwise, when no other OS of the request is
  pending, the closing of the request is proposed — :class:`RequestClosingProposed`;
* a type whose closing closes the request: the request is closed with the OS's
  reason, as executed, with the OS remark (or a fixed text) and the charge of the
  specification — :class:`RequestClosedByOrder`. When the request's closing rules
  refuse (another OS still open, ENC-08), the OS stays closed and the refusal is
  reported — :class:`RequestClosingRefused` (GSAN closes the two in separate
  transactions, so the OS closing survives there too).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from gsan_core.errors import ConfigurationError, Violation
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.model.service_requests import RequestSituation, ServiceRequestForwarded
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.closing import apply_close, prepare_close
from gsan_core.services.service_requests.common import move_request
from gsan_core.services.service_requests.results import RequestClosingResult

__all__ = [
    "CLOSED_BY_ORDER_REMARK",
    "ROUTED_BACK_REMARK",
    "RequestClosedByOrder",
    "RequestClosingProposed",
    "RequestClosingRefused",
    "RequestOrderClosedHook",
    "RequestRoutedBack",
]

#: ``parecer`` of the routing step back from a contractor (§2.7 A2).
ROUTED_BACK_REMARK = (
    "TRAMITE GERADO PELO SISTEMA NO ENCERRAMENTO DA ORDEM DE SERVIÇO EXECUTADA "
    "POR UMA UNIDADE TERCEIRIZADA"
)
#: The closing remark when the OS has none (§2.6.6).
CLOSED_BY_ORDER_REMARK = (
    "ENCERRADO ATRAVÉS DA FUNCIONALIDADE ENCERRAMENTO DA ORDEM DE SERVIÇO"
)


@attrs.frozen(kw_only=True)
class RequestRoutedBack:
    """A contractor closed the OS: its request went back to the sending unit."""

    request_id: int
    step_id: int
    to_unit_id: int


@attrs.frozen(kw_only=True)
class RequestClosingProposed:
    """No other OS of the request is pending: close the request? (the caller asks)."""

    request_id: int


@attrs.frozen(kw_only=True)
class RequestClosedByOrder:
    """The request was closed with the OS."""

    request_id: int
    closing: RequestClosingResult


@attrs.frozen(kw_only=True)
class RequestClosingRefused:
    """The type closes the request, but the request's rules refused it."""

    request_id: int
    violations: tuple[Violation, ...]


class RequestOrderClosedHook:
    """The service-request reaction to a closed OS (an ``OrderClosedHook``)."""

    def __call__(
        self,
        uow: UnitOfWork,
        *,
        order: ServiceOrder,
        service_type: ServiceType,
        executed: bool,
        at: datetime,
        actor: int,
        context: ServiceContext | None = None,
    ) -> object | None:
        """React to the closing of ``order`` (§2.6.6)."""
        del executed
        if order.request_id is None:
            return None
        if context is None:
            raise ConfigurationError(
                "the service-request hook needs the closing system's context"
            )
        request = uow.service_requests.find(order.request_id)
        if request is None or request.situation is RequestSituation.CLOSED:
            return None
        if service_type.auto_close_request:
            return self._close(uow, context, order=order, at=at, actor=actor)
        user = uow.users.find(actor)
        unit = None if user is None else uow.units.find(user.unit_id)
        unit_type = (
            None if unit is None else uow.catalog.find("unit_type", unit.unit_type_id)
        )
        if unit is not None and unit_type is not None and unit_type.text("code") == "T":
            return self._route_back(
                uow,
                request_id=request.id,
                unit_id=unit.id,
                now=context.clock.now(),
                actor=actor,
            )
        others = uow.service_orders.find_by(
            request_id=request.id, situation=OrderSituation.PENDING
        )
        if any(o.id != order.id for o in others):
            return None
        return RequestClosingProposed(request_id=request.id)

    @staticmethod
    def _route_back(
        uow: UnitOfWork, *, request_id: int, unit_id: int, now: datetime, actor: int
    ) -> RequestRoutedBack | None:
        request = uow.service_requests.get(request_id)
        steps = uow.routing_steps.find_by(request_id=request_id)
        if not steps or request.situation is not RequestSituation.PENDING:
            return None
        last = max(steps, key=lambda s: (s.at, s.id))
        if last.from_unit_id == request.current_unit_id:
            return None
        # the step is made now, and always after the last one (TRM-16)
        at = max(now, last.at + timedelta(microseconds=1))
        _, step, _ = move_request(
            uow,
            request,
            to_unit_id=last.from_unit_id,
            from_unit_id=unit_id,
            at=at,
            actor=actor,
            remark=ROUTED_BACK_REMARK,
            automatic=True,
        )
        uow.record(
            ServiceRequestForwarded(
                occurred_at=at,
                actor=actor,
                request_id=request_id,
                step_id=step.id,
                from_unit_id=unit_id,
                to_unit_id=last.from_unit_id,
                automatic=True,
            )
        )
        return RequestRoutedBack(
            request_id=request_id, step_id=step.id, to_unit_id=last.from_unit_id
        )

    @staticmethod
    def _close(
        uow: UnitOfWork,
        context: ServiceContext,
        *,
        order: ServiceOrder,
        at: datetime,
        actor: int,
    ) -> RequestClosedByOrder | RequestClosingRefused:
        assert order.request_id is not None
        assert order.closing_reason_id is not None
        request = uow.service_requests.get(order.request_id)
        closed_at = max(at, request.attended_at)
        now = context.clock.now()
        plan, violations = prepare_close(
            uow,
            context.profile,
            request_id=request.id,
            reason_id=order.closing_reason_id,
            actor=actor,
            now=max(now, closed_at),
            closed_at=closed_at,
            remark=order.closing_remark or CLOSED_BY_ORDER_REMARK,
            authorise=False,
            force_executed=True,
        )
        if plan is None:
            return RequestClosingRefused(request_id=request.id, violations=violations)
        closing = apply_close(
            uow,
            context,
            plan,
            actor=actor,
            now=max(now, closed_at),
            charge_value=order.current_value,
            with_charge=order.non_charge_reason_id is None,
        )
        return RequestClosedByOrder(request_id=request.id, closing=closing)
