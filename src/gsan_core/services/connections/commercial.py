"""The connection operations as commercial operations a service order's
type links to."""

from __future__ import annotations

from gsan_core.errors import Message
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import connections as rules
from gsan_core.rules.charges import PriceFacts
from gsan_core.rules.connections import INPUTS, OPERATIONS, MeterStep
from gsan_core.rules.service_orders import MenuVariant
from gsan_core.services.charges import given_meter_facts
from gsan_core.services.connections.apply import apply_in
from gsan_core.services.connections.seams import MeterSeam
from gsan_core.services.operations import CommercialOperation, OperationCall

#: The operations a service order's type can link to (run by closing the order
#: or from the menu with a closed order).
COMMERCIAL_OPERATIONS: tuple[str, ...] = (
    "water.connect",
    "water.cut",
    "water.administrative_cut",
    "water.suppress",
    "water.reconnect",
    "water.restore",
    "water.connect_with_meter",
    "water.reconnect_with_meter",
    "water.restore_with_meter",
    "water.connect_with_replacement",
    "water.reconnect_with_replacement",
    "water.restore_with_replacement",
    "water.minimum_consumption",
    "water.update",
    "water.change_cut_type",
    "sewer.connect",
    "sewer.billing_situation",
    "sewer.minimum_volume",
    "sewer.update",
    "sewer.feasible_billable.inform",
    "sewer.feasible_billable.withdraw",
    "connection.change_situation",
)


# ---------------------------------------------------------------- the commercial operations
class ConnectionOperation:
    """A connection operation run by closing its service order (or from the menu
    with the order already closed): a :class:`~gsan_core.services.operations.
    CommercialOperation`."""

    def __init__(self, key: str, *, meters: MeterSeam) -> None:
        spec = OPERATIONS[key]
        self.spec = spec
        self.key: str = key
        self.title: str = spec.title
        self.title_pt: str = spec.title_pt
        self.input_type: type | None = INPUTS[key]
        variant = spec.menu_variant
        assert variant is not None
        self.menu_variant: MenuVariant = variant
        self.charges: bool = spec.charges
        #: C-ST: the operation's own "service does not allow" message.
        self.wrong_type_message: Message | None = rules.WRONG_SERVICE_TYPE.get(key)
        self._meters = meters

    def run(self, call: OperationCall) -> None:
        """Apply the operation to the order's property (E-TRX, history)."""
        apply_in(
            call.uow,
            call.profile,
            operation=self.key,
            property_id=call.property_id,
            data=call.data,
            actor=call.actor,
            at=call.at,
            order=call.order,
            service_type=call.service_type,
            effective_on=call.effective_on,
            meters=self._meters,
            prop=call.property,
        )

    def price_facts(
        self, uow: UnitOfWork, *, prop: Property, data: object | None
    ) -> PriceFacts | None:
        """§4.1 "with a given hidrômetro": a "com instalação" or "com
        substituição" operation is priced as metered with the incoming meter's
        capacity (a :class:`~gsan_core.services.operations.PricedOperation`);
        ``None`` prices the property as it is."""
        if self.spec.meter not in (MeterStep.INSTALL, MeterStep.REPLACE):
            return None
        part = rules.meter_part(data)
        if part is None:
            return None
        return given_meter_facts(
            uow, prop, hydrometer_id=part.hydrometer_id, number=part.number
        )

    def __repr__(self) -> str:
        return f"<ConnectionOperation {self.key}>"


def connection_operations(*, meters: MeterSeam) -> list[CommercialOperation]:
    """The connection operations to register (``system.default_operations``),
    with the hydrometer area's meter steps."""
    return [ConnectionOperation(key, meters=meters) for key in COMMERCIAL_OPERATIONS]
