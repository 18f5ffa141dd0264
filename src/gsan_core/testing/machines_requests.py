"""A Hypothesis state machine over service requests, a unit tree and orders.

It opens, forwards, reiterates, closes and reactivates requests and closes their
orders with random (often invalid) inputs against any backend, and after every
step checks the invariants of the area:

* every request has exactly one current unit, the destination of its last
  routing step;
* its orders are in that unit;
* a closed request never changes (reactivation opens a new, linked one);
* a refused command changes nothing;
* the situations agree with a plain model driven by the transition table.

Use it from a test module (needs ``gsan_core[testing]``)::

    from hypothesis import settings
    from gsan_core.testing.machines_requests import request_machine

    TestRequests = request_machine(lambda: gsan_core.in_memory(request_profile())).TestCase
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from gsan_core.errors import RuleViolation
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import (
    RequestAction,
    Requester,
    RequestLocation,
    RequestSituation,
    ServiceRequest,
)
from gsan_core.rules.service_requests import transition
from gsan_core.system import System
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    RequestUtility,
    build_request_utility,
)

__all__ = ["RequestMachine", "request_machine"]

#: Specifications offered to the machine: no match, locality x specification,
#: an automatic contractor order, a free-text-friendly one, an optional order.
SPECIFICATIONS = (3, 311, 679, 684, 613, 232)
#: Closing reasons: executed, not executed, duplicate, unknown.
REASONS = (2, 4, 5, 99)
_ANA = (Requester(name="ANA", address="RUA 1"),)


class RequestMachine(RuleBasedStateMachine):
    """The service-request lifecycle against one system (see the module doc)."""

    #: Builds a fresh, seeded system per example; set by :func:`request_machine`.
    system_factory: ClassVar[Callable[[], System]]

    requests = Bundle("requests")

    def __init__(self) -> None:
        super().__init__()
        self.gsan = type(self).system_factory()
        self.utility: RequestUtility = build_request_utility(self.gsan, properties=12)
        #: Expected situation of every request, by id.
        self.model: dict[int, RequestSituation] = {}
        #: The stored form of each request when it closed.
        self.closed: dict[int, ServiceRequest] = {}

    def teardown(self) -> None:
        self.gsan.close()

    # ------------------------------------------------------------ helpers
    def _snapshot(self) -> tuple[Any, ...]:
        service = self.gsan.service_requests
        requests = tuple(service.find_by())
        steps = tuple(service.history(r.id) for r in requests)
        orders = tuple(self.gsan.service_orders.find_by())
        return requests, steps, orders

    def _attempt(self, name: str, action: Callable[[], Any]) -> Any:
        """Run ``action``; on a refusal check that nothing changed."""
        before = self._snapshot()
        try:
            result = action()
        except RuleViolation as refused:
            event(f"{name}: refused {refused.violations[0].rule}")
            assert self._snapshot() == before
            return None
        event(f"{name}: done")
        return result

    def _tick(self) -> None:
        self.gsan.clock.advance(timedelta(minutes=3))

    @property
    def _units(self) -> tuple[int, ...]:
        u = self.utility
        return (u.call_centre, u.office, u.contractor, u.commercial, u.judicial, 999)

    @property
    def _users(self) -> tuple[int, ...]:
        u = self.utility
        return (u.attendant, u.technician, u.contractor_user, u.clerk, u.admin)

    # ------------------------------------------------------------ rules
    @initialize()
    def start(self) -> None:
        """A utility with its routing configured and nothing opened."""
        self._tick()

    @rule(
        target=requests,
        specification=st.sampled_from(SPECIFICATIONS),
        index=st.integers(min_value=0, max_value=11),
        unit=st.sampled_from(("call_centre", "commercial", "contractor")),
        free_text=st.booleans(),
    )
    def open(self, specification: int, index: int, unit: str, free_text: bool) -> int:
        """Open a request (sometimes refused: duplicate, a unit that may not open)."""
        self._tick()
        prop = self.utility.town.properties[index]
        location = (
            RequestLocation(description="PERTO DA PRACA")
            if free_text
            else RequestLocation(property_id=prop.id)
        )
        result = self._attempt(
            "open",
            lambda: self.gsan.service_requests.open(
                specification_id=specification,
                unit_id=getattr(self.utility, unit),
                channel_id=CHANNEL_PHONE,
                actor=self.utility.attendant,
                location=location,
                requesters=_ANA,
            ),
        )
        if result is None:
            return -1
        request = result.request
        action = RequestAction.OPEN_WITHOUT_ADDRESS if free_text else RequestAction.OPEN
        expected = transition(None, action)
        assert expected is not None
        assert request.situation is expected
        self.model[request.id] = expected
        return int(request.id)

    @rule(
        request_id=requests,
        destination=st.integers(min_value=0, max_value=5),
        user=st.integers(min_value=0, max_value=4),
    )
    def forward(self, request_id: int, destination: int, user: int) -> None:
        """Forward a request (TRM rules refuse many of these)."""
        if request_id < 0:
            return
        self._tick()
        result = self._attempt(
            "forward",
            lambda: self.gsan.service_requests.forward(
                request_id=request_id,
                destination_unit_id=self._units[destination],
                actor=self._users[user],
            ),
        )
        if result is not None:
            assert self.model[request_id] is RequestSituation.PENDING
            assert result.request.current_unit_id == self._units[destination]

    @rule(request_id=requests, days=st.integers(min_value=0, max_value=8))
    def reiterate(self, request_id: int, days: int) -> None:
        """The customer calls again, maybe after the deadline."""
        if request_id < 0:
            return
        self.gsan.clock.advance(timedelta(days=days))
        result = self._attempt(
            "reiterate",
            lambda: self.gsan.service_requests.reiterate(
                request_id=request_id, actor=self.utility.admin
            ),
        )
        if result is not None:
            assert transition(self.model[request_id], RequestAction.REITERATE)

    @rule(
        request_id=requests,
        reason=st.sampled_from(REASONS),
        reference=st.one_of(st.none(), requests),
        user=st.integers(min_value=0, max_value=4),
    )
    def close(
        self, request_id: int, reason: int, reference: int | None, user: int
    ) -> None:
        """Close a request (with its orders when not executed)."""
        if request_id < 0:
            return
        self._tick()
        result = self._attempt(
            "close",
            lambda: self.gsan.service_requests.close(
                request_id=request_id,
                reason_id=reason,
                duplicate_of_id=reference if reference and reference > 0 else None,
                actor=self._users[user],
            ),
        )
        if result is not None:
            after = transition(self.model[request_id], RequestAction.CLOSE)
            assert after is RequestSituation.CLOSED
            self._closed(result.request)

    def _closed(self, request: ServiceRequest) -> None:
        self.model[request.id] = RequestSituation.CLOSED
        self.closed[request.id] = request

    @rule(target=requests, request_id=requests)
    def reactivate(self, request_id: int) -> int:
        """Reactivate a closed request: a new, linked, pending one."""
        if request_id < 0:
            return -1
        self._tick()
        result = self._attempt(
            "reactivate",
            lambda: self.gsan.service_requests.reactivate(
                request_id=request_id,
                reason_id=1,
                unit_id=self.utility.call_centre,
                channel_id=CHANNEL_PHONE,
                actor=self.utility.admin,
            ),
        )
        if result is None:
            return -1
        assert self.model[request_id] is RequestSituation.CLOSED
        new = result.request
        assert new.id not in self.model
        assert new.reactivation_of_id == request_id
        self.model[new.id] = new.situation
        return int(new.id)

    @rule(
        request_id=requests,
        executed=st.booleans(),
        contractor=st.booleans(),
    )
    def close_order(self, request_id: int, executed: bool, contractor: bool) -> None:
        """Close an open order of the request (the hook may route or close it)."""
        if request_id < 0:
            return
        orders = self.gsan.service_orders.find_by(
            request_id=request_id, situation=OrderSituation.PENDING
        )
        if not orders:
            return
        self._tick()
        u = self.utility
        # ENC-01: the order is closed by a user of the request's current unit (the
        # management's administrator, above every unit, elsewhere); the
        # contractor's user is refused while the request is not with it.
        at = self.gsan.service_requests.get(request_id).current_unit_id
        home = {
            u.call_centre: u.attendant,
            u.office: u.technician,
            u.contractor: u.contractor_user,
        }
        actor = u.contractor_user if contractor else home.get(at, u.admin)
        service = self.gsan.service_orders
        close = service.close_executed if executed else service.close_not_executed
        self._attempt(
            "close_order",
            lambda: close(
                order_id=orders[0].id,
                reason_id=2 if executed else 4,
                closed_on=self.gsan.clock.now().date(),
                actor=actor,
            ),
        )
        # the hook may have closed the request (nothing changed on a refusal)
        for request in self.gsan.service_requests.find_by(
            situation=RequestSituation.CLOSED
        ):
            if request.id not in self.closed:
                self._closed(request)

    # ------------------------------------------------------------ invariants
    @invariant()
    def one_current_unit_the_last_destination(self) -> None:
        """Every request is where its last routing step took it, with its orders."""
        service = self.gsan.service_requests
        for request in service.find_by():
            steps = service.history(request.id)
            assert steps, f"request {request.id} has no routing step"
            assert steps[-1].to_unit_id == request.current_unit_id
            for order in self.gsan.service_orders.find_by(request_id=request.id):
                assert order.current_unit_id == request.current_unit_id

    @invariant()
    def closed_requests_never_change(self) -> None:
        """A closed request stays as it was closed; at most one reactivates it."""
        service = self.gsan.service_requests
        for request_id, closed in self.closed.items():
            assert service.get(request_id) == closed
            assert len(service.find_by(reactivation_of_id=request_id)) <= 1

    @invariant()
    def situations_agree_with_the_model(self) -> None:
        """The stored situations are the model's."""
        stored = {r.id: r.situation for r in self.gsan.service_requests.find_by()}
        assert stored == self.model


def request_machine(factory: Callable[[], System]) -> type[RequestMachine]:
    """A :class:`RequestMachine` subclass building its systems with ``factory``
    (a fresh, seeded system with the :func:`request_profile` each time)."""
    return type(
        "RequestMachineOf",
        (RequestMachine,),
        {"system_factory": staticmethod(factory)},
    )
