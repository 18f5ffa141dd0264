""" "Consultar Imóvel": everything staff look at for a property, in one value."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.accounts.customers import Customer, CustomerProperty
from gsan_core.model.accounts.debts import AccountDebts
from gsan_core.model.connections import (
    SewerConnection,
    SituationChange,
    WaterConnection,
)
from gsan_core.model.hydrometers import HydrometerInstallation
from gsan_core.model.properties import Locality, Property
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import ServiceRequest

__all__ = ["CustomerLink", "PropertyView"]


@attrs.frozen(kw_only=True)
class CustomerLink:
    """A customer–property relation with its customer."""

    relation: CustomerProperty
    customer: Customer


def _links(value: Iterable[CustomerLink]) -> tuple[CustomerLink, ...]:
    return tuple(value)


def _changes(value: Iterable[SituationChange]) -> tuple[SituationChange, ...]:
    return tuple(value)


def _installs(
    value: Iterable[HydrometerInstallation],
) -> tuple[HydrometerInstallation, ...]:
    return tuple(value)


def _requests(value: Iterable[ServiceRequest]) -> tuple[ServiceRequest, ...]:
    return tuple(value)


def _orders(value: Iterable[ServiceOrder]) -> tuple[ServiceOrder, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PropertyView:
    """The tabs of "Consultar Imóvel": registration, customers, connections with
    their history, meters with their history, requests and orders (newest
    first), and the debts with their surcharges."""

    #: The registration data ("Dados Cadastrais").
    registration: Property
    locality: Locality | None = None
    customers: tuple[CustomerLink, ...] = attrs.field(factory=tuple, converter=_links)
    water_connection: WaterConnection | None = None
    sewer_connection: SewerConnection | None = None
    situation_history: tuple[SituationChange, ...] = attrs.field(
        factory=tuple, converter=_changes
    )
    #: Every meter installation of the property (water and well), oldest first.
    meter_history: tuple[HydrometerInstallation, ...] = attrs.field(
        factory=tuple, converter=_installs
    )
    requests: tuple[ServiceRequest, ...] = attrs.field(
        factory=tuple, converter=_requests
    )
    orders: tuple[ServiceOrder, ...] = attrs.field(factory=tuple, converter=_orders)
    debts: AccountDebts

    @property
    def current_meters(self) -> tuple[HydrometerInstallation, ...]:
        """The installations still open (the meters installed now)."""
        return tuple(i for i in self.meter_history if i.removed_on is None)

    @property
    def open_requests(self) -> tuple[ServiceRequest, ...]:
        return tuple(r for r in self.requests if r.is_open)

    @property
    def open_orders(self) -> tuple[ServiceOrder, ...]:
        return tuple(o for o in self.orders if o.closed_at is None)

    def __repr__(self) -> str:
        return short_repr(self.registration, "water_status_id", "sewer_status_id")

    def _repr_html_(self) -> str:
        sections = [
            html_of(self.registration, title=f"Imóvel {self.registration.id}"),
            html_of([c.customer for c in self.customers], title="Clientes")
            if self.customers
            else "",
            html_of([c.relation for c in self.customers], title="Relações")
            if self.customers
            else "",
            html_of(self.water_connection, title="Ligação de água")
            if self.water_connection
            else "",
            html_of(self.sewer_connection, title="Ligação de esgoto")
            if self.sewer_connection
            else "",
            html_of(list(self.situation_history), title="Histórico de situações")
            if self.situation_history
            else "",
            html_of(list(self.meter_history), title="Hidrômetros")
            if self.meter_history
            else "",
            html_of(list(self.requests), title="Registros de atendimento")
            if self.requests
            else "",
            html_of(list(self.orders), title="Ordens de serviço")
            if self.orders
            else "",
            html_of(
                [x.debt for x in self.debts.debit_lines + self.debts.credits],
                title="Débitos",
            )
            if not self.debts.empty
            else "",
            html_of(
                [
                    x.surcharge
                    for x in self.debts.debit_lines
                    if x.surcharge is not None
                ],
                title="Memória de cálculo dos acréscimos",
            )
            if self.debts.debit_lines
            else "",
        ]
        return '<div class="gsan-core property-view">' + "".join(sections) + "</div>"
