"""Customers (``cadastro.cliente``) and their relations to properties.

A customer is a person (CPF) or a company (CNPJ). GSAN links customers to
properties through ``cliente_imovel`` rows of one relation type (owner, user,
responsible) over a half-open period ``[start, end)``; the customer hierarchy
(``clie_cdclienteresponsavel``) is what the by-customer certificate walks.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "Customer",
    "CustomerChanged",
    "CustomerProperty",
    "CustomerRegistered",
    "CustomerType",
    "PersonKind",
    "PowerSphere",
    "RelationType",
]


class PersonKind(IntEnum):
    """``clienteTipo.indicadorPessoaFisicaJuridica``."""

    INDIVIDUAL = 1
    """Pessoa física: identified by a CPF (11 digits)."""
    COMPANY = 2
    """Pessoa jurídica: identified by a CNPJ (14 digits)."""


class RelationType(IntEnum):
    """``ClienteRelacaoTipo``: how a customer relates to a property."""

    OWNER = 1
    """``PROPRIETARIO``."""
    USER = 2
    """``USUARIO``: the occupant, whose name is on the bill."""
    RESPONSIBLE = 3
    """``RESPONSAVEL``: who answers for the account."""


def _digits(
    _: object, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if value is not None and (not value.isdigit() or len(value) not in (11, 14)):
        msg = f"{attribute.name} must be 11 or 14 digits, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class PowerSphere:
    """Esfera de poder (``cadastro.esfera_poder``): municipal, state, federal,
    private... and whether its customers may get a no-debt certificate."""

    id: int
    description: str
    #: ``epod_icpermitecndparaimovel``: a property whose responsible customer is
    #: of this sphere may get a certificate (CND-02).
    property_certificate_allowed: bool = True
    #: ``epod_icpermitecndparacliente``: a customer of this sphere may get a
    #: by-customer certificate (CNC-02).
    customer_certificate_allowed: bool = True
    version: int = 1


@attrs.frozen(kw_only=True)
class CustomerType:
    """Tipo de cliente (``cadastro.cliente_tipo``): person or company, and the
    sphere of power it belongs to."""

    id: int
    description: str
    person_kind: PersonKind
    power_sphere_id: int
    version: int = 1


@attrs.frozen(kw_only=True)
class Customer:
    """A customer (``cadastro.cliente``)."""

    id: int
    name: str
    customer_type_id: int
    person_kind: PersonKind
    #: CPF (11 digits) or CNPJ (14 digits), digits only; ``None`` when unknown.
    document: str | None = attrs.field(default=None, validator=_digits)
    #: ``clie_cdclienteresponsavel``: the customer this one answers to (the
    #: hierarchy the by-customer certificate walks, CNC-03/CNC-05).
    responsible_customer_id: int | None = None
    #: ``clie_iccobrancaacrescimos``: ``False`` exempts the customer's bills from
    #: late-payment surcharges (ODB-08).
    charges_surcharges: bool = True
    email: str | None = None
    #: ``clie_nnrg``, ``oerg_id``, ``unfe_id``: the identity card (RG), its
    #: issuer and state (written by a field device's return, RET-06).
    identity_card: str | None = None
    identity_issuer_id: int | None = None
    identity_state_id: int | None = None
    #: ``cliente_fone`` with ``indicadorTelefonePadrao = 1``: the default
    #: phone's area code, number and extension.
    phone_area: str | None = None
    phone: str | None = None
    phone_extension: str | None = None
    active: bool = True
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "name", "person_kind", "customer_type_id")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class CustomerProperty:
    """A customer–property relation (``cadastro.cliente_imovel``) over the
    half-open period ``[start, end)``; ``end is None`` means still open."""

    id: int
    customer_id: int
    property_id: int
    relation: RelationType
    start: date
    end: date | None = None
    #: ``clct_icnomeconta``: this customer's name is printed on the bills.
    name_on_bill: bool = False
    version: int = 1

    def open_on(self, day: date) -> bool:
        """Whether the relation holds on ``day`` (``start <= day < end``)."""
        return self.start <= day and (self.end is None or day < self.end)

    @property
    def is_open(self) -> bool:
        """``clim_dtrelacaofim is null``."""
        return self.end is None


@attrs.frozen(kw_only=True)
class CustomerRegistered(DomainEvent):
    """A customer was registered."""

    tag: ClassVar[str] = "accounts.customer_registered"
    customer_id: int


@attrs.frozen(kw_only=True)
class CustomerChanged(DomainEvent):
    """A customer, or one of its property relations, changed."""

    tag: ClassVar[str] = "accounts.customer_changed"
    customer_id: int
    property_id: int | None = None
