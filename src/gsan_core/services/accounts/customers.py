"""Customer use cases: register, change, relate to properties, the hierarchy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import attrs

from gsan_core.errors import NotFound, RuleViolation
from gsan_core.model.accounts import (
    Customer,
    CustomerChanged,
    CustomerProperty,
    CustomerRegistered,
    CustomerType,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts import messages as m
from gsan_core.rules.accounts.customers import (
    check_document,
    clean_document,
    customers_under,
    ensure_customer,
    ensure_relation,
    hierarchy_loops,
)

__all__ = [
    "check_and_add_customer",
    "check_and_update_customer",
    "end_relation",
    "hierarchy",
    "load_reference",
    "register",
    "relate",
]


def _responsible_map(uow: UnitOfWork, start: int | None) -> dict[int, int | None]:
    """The responsible chain above ``start`` (one read per level)."""
    chain: dict[int, int | None] = {}
    current = start
    while current is not None and current not in chain:
        found = uow.customers.find(current)
        if found is None:
            break
        chain[current] = found.responsible_customer_id
        current = found.responsible_customer_id
    return chain


def _checked(
    uow: UnitOfWork, customer: Customer, *, kind: CustomerType | None = None
) -> Customer:
    """The customer with its type's person kind, once the type, the document's
    uniqueness and the hierarchy are checked (``kind``: its type, when the
    caller read it already)."""
    if kind is None or kind.id != customer.customer_type_id:
        kind = uow.customer_types.find(customer.customer_type_id)
    if kind is not None:
        customer = attrs.evolve(customer, person_kind=kind.person_kind)
    same = (
        [c.id for c in uow.customers.find_by(document=customer.document)]
        if customer.document
        else []
    )
    responsible = customer.responsible_customer_id
    responsible_exists = (
        responsible is None or uow.customers.find(responsible) is not None
    )
    loops = responsible is not None and hierarchy_loops(
        customer.id, responsible, _responsible_map(uow, responsible)
    )
    ensure_customer(
        customer,
        type_exists=kind is not None,
        same_document_ids=same,
        responsible_exists=responsible_exists,
        loops=loops,
    )
    return customer


def register(
    uow: UnitOfWork,
    *,
    name: str,
    customer_type_id: int,
    document: str | None,
    responsible_customer_id: int | None,
    charges_surcharges: bool,
    email: str | None,
    at: datetime,
    actor: int,
) -> Customer:
    """Validate a new customer (CPF/CNPJ, type, hierarchy) and add it; a
    malformed document is a violation, reported before anything is built."""
    digits = clean_document(document)
    kind = uow.customer_types.find(customer_type_id)
    found = (
        []
        if kind is not None
        else [m.CUSTOMER_TYPE_NOT_FOUND(customer_type_id=customer_type_id)]
    )
    found += check_document(digits, kind.person_kind if kind else PersonKind.INDIVIDUAL)
    if found:
        raise RuleViolation(found)
    customer = Customer(
        id=uow.next_id("customer"),
        name=name,
        customer_type_id=customer_type_id,
        person_kind=kind.person_kind if kind else PersonKind.INDIVIDUAL,
        document=digits,
        responsible_customer_id=responsible_customer_id,
        charges_surcharges=charges_surcharges,
        email=email,
    )
    return check_and_add_customer(uow, customer, at=at, actor=actor, kind=kind)


def check_and_add_customer(
    uow: UnitOfWork,
    customer: Customer,
    *,
    at: datetime,
    actor: int,
    kind: CustomerType | None = None,
) -> Customer:
    """Validate a new customer (CPF/CNPJ, type, hierarchy) and add it
    (``kind``: its type, when the caller read it already)."""
    if customer.document:
        uow.lock_key(f"customer.document.{customer.document}")
    customer = _checked(uow, customer, kind=kind)
    uow.customers.add(customer)
    uow.record(CustomerRegistered(occurred_at=at, actor=actor, customer_id=customer.id))
    return customer


def check_and_update_customer(
    uow: UnitOfWork, customer: Customer, *, at: datetime, actor: int
) -> Customer:
    """Validate a changed customer and store it (compare-and-set)."""
    uow.customers.lock(customer.id)
    uow.lock_key("customer.hierarchy")
    if customer.document:
        uow.lock_key(f"customer.document.{customer.document}")
    checked = _checked(uow, customer)
    changed = attrs.evolve(checked, version=customer.version + 1)
    uow.customers.update(changed)
    uow.record(CustomerChanged(occurred_at=at, actor=actor, customer_id=customer.id))
    return changed


def relate(
    uow: UnitOfWork,
    *,
    customer_id: int,
    property_id: int,
    relation: RelationType,
    start: date,
    end: date | None,
    name_on_bill: bool,
    at: datetime,
    actor: int,
) -> CustomerProperty:
    """Add a customer–property relation over ``[start, end)``."""
    # the relations hang from the property: read under its lock, one statement
    prop = uow.properties.lock_many([property_id]).get(property_id)
    row = CustomerProperty(
        id=uow.next_id("customer_property"),
        customer_id=customer_id,
        property_id=property_id,
        relation=relation,
        start=start,
        end=end,
        name_on_bill=name_on_bill,
    )
    ensure_relation(
        row,
        existing=uow.customer_properties.find_by(property_id=property_id)
        if prop is not None
        else [],
        customer_exists=uow.customers.find(customer_id) is not None,
        property_exists=prop is not None,
    )
    uow.customer_properties.add(row)
    uow.record(
        CustomerChanged(
            occurred_at=at,
            actor=actor,
            customer_id=customer_id,
            property_id=property_id,
        )
    )
    return row


def end_relation(
    uow: UnitOfWork, *, relation_id: int, end: date, at: datetime, actor: int
) -> CustomerProperty:
    """Close a relation on ``end`` (exclusive)."""
    found = uow.customer_properties.find(relation_id)
    if found is None:
        raise RuleViolation([m.RELATION_NOT_FOUND(relation_id=relation_id)])
    uow.properties.lock(found.property_id)
    # the property's relations under its lock, the relation itself among them
    existing = uow.customer_properties.find_by(property_id=found.property_id)
    current = next((r for r in existing if r.id == relation_id), None)
    if current is None:  # moved or removed before the lock
        raise NotFound("customer_property", relation_id)
    changed = attrs.evolve(current, end=end, version=current.version + 1)
    ensure_relation(
        changed,
        existing=existing,
        customer_exists=True,
        property_exists=True,
    )
    uow.customer_properties.update(changed)
    uow.record(
        CustomerChanged(
            occurred_at=at,
            actor=actor,
            customer_id=current.customer_id,
            property_id=current.property_id,
        )
    )
    return changed


def hierarchy(uow: UnitOfWork, customer_id: int) -> list[int]:
    """CNC-05: the customer and everyone under it, breadth-first; the
    customers under it read at once (one statement on SQL, issue 20)."""
    under = uow.customers.under(customer_id)
    return customers_under(customer_id, lambda _level: under)


def load_reference(
    uow: UnitOfWork,
    *,
    power_spheres: Iterable[PowerSphere],
    customer_types: Iterable[CustomerType],
) -> None:
    """Add power spheres and customer types (reference data)."""
    uow.power_spheres.add_many(power_spheres)
    uow.customer_types.add_many(customer_types)
