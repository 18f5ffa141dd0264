"""Simular Cobrança de Serviços and the table of commercial services' values
(``domain/account-services.md`` §7, SIM-01, SIM-02): the same price lookup the
service orders charge with (§4.1–4.3 of the service-order notes); nothing is
written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts import messages as m
from gsan_core.services.charges import price_facts, price_of

__all__ = ["service_table", "simulate_charge"]


def simulate_charge(
    uow: UnitOfWork,
    *,
    property_id: int,
    service_type_id: int,
    measurement: MeasurementPoint,
    on: date,
) -> Decimal:
    """SIM-01: what the service would cost the property today (UC0475
    ``obterValorDebito(tipo, imóvel, tipoMedicao)``): the price row of the
    type for the property's profile, meter capacity at ``measurement``,
    category, subcategory and economies in force on ``on``, else the type's own
    value; zero when neither gives one."""
    prop = uow.properties.find(property_id)
    service_type = uow.service_types.find(service_type_id)
    found: list[Violation] = []
    if prop is None:
        found.append(m.SIMULATION_PROPERTY_NOT_FOUND(property_id=property_id))
    if service_type is None:
        found.append(
            m.SIMULATION_SERVICE_TYPE_NOT_FOUND(service_type_id=service_type_id)
        )
    if found:
        raise RuleViolation(found)
    assert prop is not None
    assert service_type is not None
    value = price_of(
        uow,
        service_type=service_type,
        prop=prop,
        on=on,
        facts=price_facts(uow, prop, measurement),
    )
    return Decimal(0) if value is None else value


def service_table(uow: UnitOfWork) -> list[ServiceType]:
    """SIM-02: the web-shop's table of services, every active type with a base
    value above zero (``ServicoTipo.valor``, not the segmented prices), by
    description."""
    return sorted(
        (
            t
            for t in uow.service_types.find_by(active=True)
            if t.value is not None and t.value > 0
        ),
        key=lambda t: (t.description, t.id),
    )
