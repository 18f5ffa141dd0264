"""RET-06: the client data a field device typed (return record 2) written to
the customer register, in the unit of work that applies the order's return.

Record 2 carries ``order id; name; CPF; CNPJ; RG; RG issuer; RG state; area
code; phone; extension``. The library keeps no snapshot of what the file sent
(its record 16 writes the client fields empty), so the data are compared
with the register as it is when the return is applied:

* the property's current user (open ``USER`` relation) with the same
  document, or none returned: that customer is updated (name, a document it
  lacked, identity card, default phone) when anything differs;
* a document another customer holds, or a new one: the user relation moves
  to that customer (an existing one, or one registered with the returned
  data and a customer type of the document's kind), the old relation ending
  on the execution day;
* no current user and no document: nothing is written (a customer without a
  document cannot be told apart); a new document when the utility has no
  customer type of its kind (CPF: individual, CNPJ: company): nothing either.

The CPF/CNPJ check digits are checked when the return is read (a bad one is a
bad line, ``return.document``); every write goes through the accounts
register's own checks, and a violation there fails the order's application
as a whole (RET-03 reports it, the order stays pending).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import attrs

from gsan_core.model.accounts.customers import (
    Customer,
    CustomerProperty,
    PersonKind,
    RelationType,
)
from gsan_core.model.field_files import ReturnLine
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts.customers import clean_document
from gsan_core.services.accounts import customers as register

__all__ = ["ReturnedClient", "returned_client", "write_client"]


@attrs.frozen(kw_only=True)
class ReturnedClient:
    """Record 2 of an order's return, cleaned (empty text: ``None``)."""

    name: str | None
    document: str | None
    identity_card: str | None
    identity_issuer_id: int | None
    identity_state_id: int | None
    phone_area: str | None
    phone: str | None
    phone_extension: str | None

    def contact(self) -> dict[str, object]:
        """The identity card and phone fields that were returned."""
        fields = {
            "identity_card": self.identity_card,
            "identity_issuer_id": self.identity_issuer_id,
            "identity_state_id": self.identity_state_id,
            "phone_area": self.phone_area,
            "phone": self.phone,
            "phone_extension": self.phone_extension,
        }
        return {k: v for k, v in fields.items() if v is not None}


def _text(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


def _number(value: str) -> int | None:
    stripped = value.strip()
    return int(stripped) if stripped else None


def returned_client(lines: Sequence[ReturnLine]) -> ReturnedClient | None:
    """Record 2 of the order's staged lines, if any."""
    for line in lines:
        if line.record == 2:
            f = [*line.fields, *[""] * 10][:10]
            return ReturnedClient(
                name=_text(f[1]),
                document=clean_document(f[2]) or clean_document(f[3]),
                identity_card=_text(f[4]),
                identity_issuer_id=_number(f[5]),
                identity_state_id=_number(f[6]),
                phone_area=_text(f[7]),
                phone=_text(f[8]),
                phone_extension=_text(f[9]),
            )
    return None


def write_client(
    uow: UnitOfWork,
    *,
    property_id: int,
    client: ReturnedClient,
    on: date,
    at: datetime,
    actor: int,
) -> int | None:
    """RET-06 (see the module docstring); returns the user customer's id
    when something was written."""
    relation = _current_user(uow, property_id, on)
    current = None if relation is None else uow.customers.get(relation.customer_id)
    same = current is not None and client.document in (None, current.document)
    if current is not None and (same or current.document is None):
        return _update(uow, current, client, at=at, actor=actor)
    if client.document is None:
        return None
    holder = next(iter(uow.customers.find_by(document=client.document)), None)
    if holder is None:
        holder = _register(uow, client, like=current, at=at, actor=actor)
        if holder is None:
            return None
    else:
        _update(uow, holder, client, at=at, actor=actor)
    if relation is not None:
        register.end_relation(uow, relation_id=relation.id, end=on, at=at, actor=actor)
    register.relate(
        uow,
        customer_id=holder.id,
        property_id=property_id,
        relation=RelationType.USER,
        start=on,
        end=None,
        name_on_bill=relation.name_on_bill if relation is not None else True,
        at=at,
        actor=actor,
    )
    return holder.id


def _current_user(
    uow: UnitOfWork, property_id: int, on: date
) -> CustomerProperty | None:
    relations = uow.customer_properties.find_by(
        property_id=property_id, relation=RelationType.USER
    )
    open_ = [r for r in relations if r.is_open or r.open_on(on)]
    return max(open_, key=lambda r: (r.start, r.id)) if open_ else None


def _update(
    uow: UnitOfWork,
    customer: Customer,
    client: ReturnedClient,
    *,
    at: datetime,
    actor: int,
) -> int | None:
    changes: dict[str, object] = dict(client.contact())
    if client.name is not None:
        changes["name"] = client.name
    if customer.document is None and client.document is not None:
        changes["document"] = client.document
    changed = attrs.evolve(customer, **changes)  # type: ignore[arg-type]
    if changed == customer:
        return None
    register.check_and_update_customer(uow, changed, at=at, actor=actor)
    return customer.id


def _register(
    uow: UnitOfWork,
    client: ReturnedClient,
    *,
    like: Customer | None,
    at: datetime,
    actor: int,
) -> Customer | None:
    kind = (
        PersonKind.INDIVIDUAL
        if client.document is None or len(client.document) == 11
        else PersonKind.COMPANY
    )
    if like is not None and like.person_kind is kind:
        type_id = like.customer_type_id
    else:
        types = [t for t in uow.customer_types.find_by() if t.person_kind is kind]
        if not types:
            return None  # no customer type to register it with: left staged
        type_id = min(t.id for t in types)
    created = register.register(
        uow,
        name=client.name or "",
        customer_type_id=type_id,
        document=client.document,
        responsible_customer_id=None,
        charges_surcharges=True,
        email=None,
        at=at,
        actor=actor,
    )
    contact = client.contact()
    if not contact:
        return created
    stored = attrs.evolve(
        created,
        **contact,  # type: ignore[arg-type]
        version=created.version + 1,
    )
    uow.customers.update(stored)
    return stored
