"""Charges of services: the price of a service for a property, and the creation
of the "débito a cobrar" through the billing port (``domain/service-orders.md`` §4).

These functions run inside a caller's unit of work: closing an OS, a commercial
operation from the menu, closing an RA.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gsan_core.model.billing import Charge, ChargeCreated
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import charges as rules
from gsan_core.rules.service_orders import INVALID_VALUE, ChargeRequest
from gsan_core.rules.validation import ensure

__all__ = [
    "build_charge",
    "charge_created",
    "create_charge",
    "given_meter_facts",
    "price_facts",
    "price_of",
]


def price_facts(
    uow: UnitOfWork,
    prop: Property,
    point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION,
) -> rules.PriceFacts:
    """What the price lookup reads from a property (and its meter at ``point``):
    the property is metered when a meter is installed there, and the capacity
    is that meter's (§4.1, ``tipoMedicao`` 1 water connection, 2 well)."""
    installed = uow.hydrometer_installations.current(property_id=prop.id, point=point)
    meter = None if installed is None else uow.hydrometers.get(installed.hydrometer_id)
    main = prop.main_category
    subcategories = sorted(
        (c for c in prop.categories if c.subcategory_id is not None),
        key=lambda c: c.count,
    )
    return rules.PriceFacts(
        metered=meter is not None,
        property_profile_id=prop.profile_id,
        capacity_id=None if meter is None else meter.capacity_id,
        category_id=None if main is None else main.category_id,
        subcategory_id=subcategories[-1].subcategory_id if subcategories else None,
        economies=prop.economies,
    )


def given_meter_facts(
    uow: UnitOfWork,
    prop: Property,
    *,
    hydrometer_id: int | None,
    number: str | None,
) -> rules.PriceFacts | None:
    """§4.1, the variant "with a given hidrômetro" (GSAN ``obterValorDebito(tipo,
    imóvel, capacidade)``, the price of an operation that installs a meter):
    metered, that meter's capacity and the property's profile; no category,
    subcategory nor economies, so only price rows without them match. ``None``
    when no meter has that id or number (the operation's own rule refuses it)."""
    meter = None
    if hydrometer_id is not None:
        meter = uow.hydrometers.find(hydrometer_id)
    elif number is not None:
        meter = uow.hydrometers.find_by_number(number.strip().upper())
    if meter is None:
        return None
    return rules.PriceFacts(
        metered=True, property_profile_id=prop.profile_id, capacity_id=meter.capacity_id
    )


def price_of(
    uow: UnitOfWork,
    *,
    service_type: ServiceType,
    prop: Property | None,
    on: date,
    facts: rules.PriceFacts | None = None,
) -> Decimal | None:
    """CHG-5: the price of the service for the property on ``on`` (``facts``:
    what to price instead of the property as it is, e.g. the meter an operation
    installs)."""
    if prop is None:
        return service_type.value
    rows = [
        row
        for row in uow.service_prices.of_type(service_type.id)
        if row.valid_from <= on <= row.valid_until
    ]
    if not rows:
        # no row prices the type that day: the type's own value, whatever the
        # property's meter (which is then not read: one read less per closing)
        return service_type.value
    return rules.lookup_price(
        rows,
        service_type=service_type,
        on=on,
        facts=price_facts(uow, prop) if facts is None else facts,
    )


def build_charge(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    service_type: ServiceType,
    prop: Property,
    value: Decimal | None,
    request: ChargeRequest,
    order: ServiceOrder | None,
    request_id: int | None,
    generated_on: date,
    at: datetime,
    actor: int,
    slip_issued: bool | None = None,
    charge_id: int | None = None,
) -> Charge | None:
    """The charge of a service, not yet written, or ``None`` when it is not
    charged (the rules of :func:`create_charge`). ``slip_issued``: DEB-02's
    answer when the caller read it for a whole chunk
    (``Billing.payment_slips_issued``); ``None`` asks billing here.
    ``charge_id``: the charge's id when the caller took a chunk's ids at once
    (``uow.next_ids``); ``None`` takes one here.

    No charge without a debit type (DEB-01, DEB-06), with a non-charge reason
    (COM-06, DEB-06), when the value is not positive (GSAN only charges a value
    above zero; DEB-03 names the social-tariff case), or when a payment slip of
    the same debit type was issued for the property on the day the OS was
    generated: the customer already paid it (DEB-02). With the profile's
    ``reject_charges_below_one`` (GSAN's integer-part test) a value between 0
    and 1 is refused (DEB-05).
    """
    debit_type = service_type.debit_type_id
    if debit_type is None or request.non_charge_reason_id is not None:
        return None
    amount = request.value if request.value is not None else value
    if amount is None or amount <= 0:
        return None
    if profile.system.reject_charges_below_one and amount < 1:
        ensure([INVALID_VALUE(value=amount)])
    if slip_issued is None:
        slip_issued = uow.billing.has_payment_slip(
            property_id=prop.id, debit_type_id=debit_type, issued_on=generated_on
        )
    if slip_issued:
        return None
    computed = rules.compute_charge(
        value=amount,
        percentage=request.percentage,
        installments=request.installments,
        interest_rate=profile.system.financing_interest_rate,
        charge_interest=service_type.charge_interest,
        categories=prop.categories,
    )
    return Charge(
        id=uow.next_id("charge") if charge_id is None else charge_id,
        property_id=prop.id,
        debit_type_id=debit_type,
        total=computed.total,
        installments=computed.installments,
        installment_value=computed.installment_value,
        interest_rate=computed.interest_rate,
        service_order_id=None if order is None else order.id,
        service_request_id=request_id,
        generated_at=at,
        shares=computed.shares,
        actor=actor,
    )


def create_charge(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    service_type: ServiceType,
    prop: Property,
    value: Decimal | None,
    request: ChargeRequest,
    order: ServiceOrder | None,
    request_id: int | None,
    generated_on: date,
    at: datetime,
    actor: int,
) -> Charge | None:
    """Create the charge of a service, or ``None`` when it is not charged.

    No charge without a debit type (DEB-01, DEB-06), with a non-charge reason
    (COM-06, DEB-06), when the value is not positive (GSAN only charges a value
    above zero; DEB-03 names the social-tariff case), or when a payment slip of
    the same debit type was issued for the property on the day the OS was
    generated: the customer already paid it (DEB-02). With the profile's
    ``reject_charges_below_one`` (GSAN's integer-part test) a value between 0
    and 1 is refused (DEB-05).
    """
    charge = build_charge(
        uow,
        profile=profile,
        service_type=service_type,
        prop=prop,
        value=value,
        request=request,
        order=order,
        request_id=request_id,
        generated_on=generated_on,
        at=at,
        actor=actor,
    )
    if charge is None:
        return None
    uow.billing.add_charge(charge)
    uow.record(charge_created(charge, at=at))
    return charge


def charge_created(charge: Charge, *, at: datetime) -> ChargeCreated:
    """The event of a charge written."""
    return ChargeCreated(
        occurred_at=at,
        actor=charge.actor,
        charge_id=charge.id,
        property_id=charge.property_id,
        total=charge.total,
        service_order_id=charge.service_order_id,
        service_request_id=charge.service_request_id,
    )
