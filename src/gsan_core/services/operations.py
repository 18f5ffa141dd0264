"""The registry of commercial operations run by closing a service order.

Closing with execution an OS whose service type updates the commercial system
runs the operation linked to the type (``servico_tipo_operacao``): a cut, a
reconnection, a meter installation... The connection and hydrometer areas fill
the registry; the service-order area only knows this protocol. An operation runs
inside the caller's unit of work, so the OS and the operation commit together or
not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.ports.calendar import BusinessCalendar
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.charges import PriceFacts
from gsan_core.rules.service_orders import MenuVariant

if TYPE_CHECKING:
    from gsan_core.services.context import ServiceContext

__all__ = [
    "CommercialOperation",
    "OperationCall",
    "OrderClosedHook",
    "PricedOperation",
    "registry",
]


@attrs.frozen(kw_only=True)
class OperationCall:
    """Everything an operation receives when it runs."""

    uow: UnitOfWork
    profile: UtilityProfile
    calendar: BusinessCalendar
    #: The instant of the command, and the utility-local date of it.
    at: datetime
    today: date
    actor: int
    order: ServiceOrder
    service_type: ServiceType
    #: The property of the OS (its own or its RA's).
    property_id: int
    #: ``True`` inside "close the OS" (GSAN ``veioEncerrarOS``): the OS checks
    #: were done by the closing; ``False`` from the menu path.
    via_closing: bool
    #: The date the operation takes effect: the OS's closing date.
    effective_on: date
    #: The operation's own input (an instance of its ``input_type``), if any.
    data: object | None
    #: The property as the closing read it in this unit of work (saves a read;
    #: ``None`` when the caller did not load it).
    property: Property | None = None


class CommercialOperation(Protocol):
    """One commercial operation (GSAN ``Operacao``)."""

    #: The key service types link to (``ServiceType.operation``), e.g. ``"water.cut"``.
    key: str
    #: For messages: "cut the water connection" / "efetuar corte de ligação de água".
    title: str
    title_pt: str
    #: The attrs class of its input, or ``None`` when it takes none.
    input_type: type | None
    #: The OS check from the menu (GSAN C-OS): "strict", "grace" (aditivo) or "update".
    menu_variant: MenuVariant
    #: Whether the service type's charge applies (GSAN E-DEB).
    charges: bool

    def run(self, call: OperationCall) -> None:
        """Apply the operation; raise ``RuleViolation`` when a rule refuses it."""
        ...


@runtime_checkable
class PricedOperation(Protocol):
    """A commercial operation whose charge is priced from its input, before it
    runs: GSAN's "with a given hidrômetro" price of the operations that install
    a meter (``domain/service-orders.md`` §4.1). Closing the OS and the menu path
    price the order with these facts; ``None`` prices the property as it is."""

    def price_facts(
        self, uow: UnitOfWork, *, prop: Property, data: object | None
    ) -> PriceFacts | None:
        """What the price lookup reads for this input."""
        ...


def registry(
    operations: Iterable[CommercialOperation],
) -> Mapping[str, CommercialOperation]:
    """The operations by key; a key registered twice is a wiring error."""
    found: dict[str, CommercialOperation] = {}
    for operation in operations:
        if operation.key in found:
            raise ConfigurationError(
                f"commercial operation {operation.key!r} is registered twice"
            )
        found[operation.key] = operation
    return found


class OrderClosedHook(Protocol):
    """Called inside the unit of work after an OS closed (the RA area plugs in here)."""

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
        """React to the closing; a returned value is reported to the caller.

        ``context`` is the closing system's service context (profile, calendar,
        operations), so a hook can run other use cases in the same unit of work.
        """
        ...
