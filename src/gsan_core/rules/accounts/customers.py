"""Customer rules: CPF/CNPJ, the relation periods and the customer hierarchy.

CPF and CNPJ check digits are verified with ``validate-docbr`` (a maintained
library), never by hand-written arithmetic here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from validate_docbr import CNPJ, CPF

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.accounts import (
    Customer,
    CustomerProperty,
    PersonKind,
    RelationType,
)
from gsan_core.rules.accounts import messages as m

__all__ = [
    "check_customer",
    "check_document",
    "check_relation",
    "clean_document",
    "current_customer",
    "customers_under",
    "ensure_customer",
    "ensure_relation",
    "hierarchy_loops",
]

_CPF = CPF()
_CNPJ = CNPJ()
_RELATION_PT = {
    RelationType.OWNER: "proprietário",
    RelationType.USER: "usuário",
    RelationType.RESPONSIBLE: "responsável",
}


def clean_document(document: str | None) -> str | None:
    """The digits of a CPF/CNPJ typed with or without its punctuation
    (``529.982.247-25`` -> ``52998224725``); ``None`` or blank -> ``None``."""
    if document is None:
        return None
    stripped = document.strip()
    if not stripped:
        return None
    return "".join(ch for ch in stripped if ch not in ".-/ ")


def check_document(document: str | None, kind: PersonKind) -> list[Violation]:
    """A CPF for a person, a CNPJ for a company, with valid check digits
    (``validate-docbr``); ``None`` (not informed) passes."""
    if document is None:
        return []
    individual = kind is PersonKind.INDIVIDUAL
    if not document.isdigit() or len(document) not in (11, 14):
        invalid = m.INVALID_CPF if individual else m.INVALID_CNPJ
        return [invalid(document=document)]
    if individual and len(document) != 11:
        return [
            m.DOCUMENT_KIND_MISMATCH(
                kind="individual",
                kind_pt="pessoa física",
                expected="CPF",
                document=document,
            )
        ]
    if not individual and len(document) != 14:
        return [
            m.DOCUMENT_KIND_MISMATCH(
                kind="company",
                kind_pt="pessoa jurídica",
                expected="CNPJ",
                document=document,
            )
        ]
    if individual:
        return [] if _CPF.validate(document) else [m.INVALID_CPF(document=document)]
    return [] if _CNPJ.validate(document) else [m.INVALID_CNPJ(document=document)]


def hierarchy_loops(
    customer_id: int,
    responsible_id: int | None,
    responsible_of: Mapping[int, int | None],
) -> bool:
    """Whether making ``responsible_id`` the responsible of ``customer_id`` closes
    a loop, given the current ``responsible_of`` map (customer -> responsible)."""
    seen: set[int] = set()
    current = responsible_id
    while current is not None and current not in seen:
        if current == customer_id:
            return True
        seen.add(current)
        current = responsible_of.get(current)
    return False


def check_customer(
    customer: Customer,
    *,
    type_exists: bool,
    same_document_ids: Iterable[int] = (),
    responsible_exists: bool = True,
    loops: bool = False,
) -> list[Violation]:
    """Every problem of a customer to register or change."""
    found: list[Violation] = []
    if not customer.name.strip():
        found.append(m.NAME_REQUIRED())
    if not type_exists:
        found.append(
            m.CUSTOMER_TYPE_NOT_FOUND(customer_type_id=customer.customer_type_id)
        )
    found.extend(check_document(customer.document, customer.person_kind))
    others = sorted(i for i in same_document_ids if i != customer.id)
    if others and customer.document is not None:
        found.append(
            m.DUPLICATE_DOCUMENT(other_id=others[0], document=customer.document)
        )
    if customer.responsible_customer_id is not None and not responsible_exists:
        found.append(m.CUSTOMER_NOT_FOUND(customer_id=customer.responsible_customer_id))
    if loops:
        found.append(
            m.RESPONSIBLE_CYCLE(
                customer_id=customer.id, responsible_id=customer.responsible_customer_id
            )
        )
    return found


def ensure_customer(
    customer: Customer,
    *,
    type_exists: bool,
    same_document_ids: Iterable[int] = (),
    responsible_exists: bool = True,
    loops: bool = False,
) -> None:
    """:func:`check_customer`, raising :class:`RuleViolation`."""
    found = check_customer(
        customer,
        type_exists=type_exists,
        same_document_ids=same_document_ids,
        responsible_exists=responsible_exists,
        loops=loops,
    )
    if found:
        raise RuleViolation(found)


def _overlaps(a: CustomerProperty, b: CustomerProperty) -> bool:
    """Half-open periods ``[start, end)`` intersect."""
    a_end = a.end or date.max
    b_end = b.end or date.max
    return a.start < b_end and b.start < a_end


def check_relation(
    relation: CustomerProperty,
    *,
    existing: Sequence[CustomerProperty],
    customer_exists: bool,
    property_exists: bool,
) -> list[Violation]:
    """A relation needs an existing customer and property, a period that ends
    after it starts, and no other relation of the same type over the property
    in an overlapping period (a property has one owner, one user and one
    responsible at a time)."""
    found: list[Violation] = []
    if not customer_exists:
        found.append(m.CUSTOMER_NOT_FOUND(customer_id=relation.customer_id))
    if not property_exists:
        found.append(m.PROPERTY_NOT_FOUND(property_id=relation.property_id))
    if relation.end is not None and relation.end <= relation.start:
        found.append(m.RELATION_PERIOD_INVALID(start=relation.start, end=relation.end))
    for other in existing:
        if (
            other.id != relation.id
            and other.relation is relation.relation
            and other.property_id == relation.property_id
            and _overlaps(other, relation)
        ):
            found.append(
                m.RELATION_OVERLAP(
                    property_id=relation.property_id,
                    relation=relation.relation.name.lower(),
                    relation_pt=_RELATION_PT[relation.relation],
                    start=other.start,
                )
            )
            break
    return found


def ensure_relation(
    relation: CustomerProperty,
    *,
    existing: Sequence[CustomerProperty],
    customer_exists: bool,
    property_exists: bool,
) -> None:
    """:func:`check_relation`, raising :class:`RuleViolation`."""
    found = check_relation(
        relation,
        existing=existing,
        customer_exists=customer_exists,
        property_exists=property_exists,
    )
    if found:
        raise RuleViolation(found)


def current_customer(
    relations: Iterable[CustomerProperty],
    relation: RelationType,
    *,
    on: date | None = None,
) -> int | None:
    """The customer holding ``relation`` over the property: the open one, or the
    one whose period covers ``on`` when given."""
    for rel in relations:
        if rel.relation is not relation:
            continue
        if (on is None and rel.is_open) or (on is not None and rel.open_on(on)):
            return rel.customer_id
    return None


def customers_under(
    root_id: int, children_of: Callable[[Sequence[int]], Mapping[int, Sequence[int]]]
) -> list[int]:
    """CNC-05: the customer and, breadth-first, every customer whose responsible
    is a checked customer (each once). ``children_of`` answers the children
    of at least a level's customers, by parent (the whole tree under the
    root, read at once, does)."""
    order = [root_id]
    seen = {root_id}
    level = [root_id]
    while level:
        found = children_of(level)
        nxt: list[int] = []
        for parent in level:
            for child in found.get(parent, ()):
                if child not in seen:
                    seen.add(child)
                    order.append(child)
                    nxt.append(child)
        level = nxt
    return order
