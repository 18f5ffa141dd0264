"""The documents of the counter: the debt statement (Extrato de Débitos) and
the no-debt certificates (Certidão Negativa), as typed values.

:class:`CollectionDocument` and :class:`Certificate` are what GSAN persists
(``cobranca_documento`` of type 14 and CS's ``certidao_negativa_debito``);
:class:`DebtStatement` and :class:`NoDebtCertificate` are the documents a
renderer prints: what they say, their value, barcode and validity.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.accounts.customers import PersonKind
from gsan_core.model.accounts.debts import Anticipation, DebtLine, PlanLines
from gsan_core.model.billing import Charge, DebtKind
from gsan_core.model.events import DomainEvent

__all__ = [
    "Barcode",
    "BillCopy",
    "BillCopyIssued",
    "Certificate",
    "CertificateHeader",
    "CertificateIssued",
    "CertificateSubject",
    "CertificateVerification",
    "CollectionDocument",
    "CollectionDocumentIssued",
    "DebtStatement",
    "DocumentItem",
    "NoDebtCertificate",
    "ServiceContract",
    "SurchargeOption",
]

ZERO = Decimal(0)
#: ``DocumentoTipo.EXTRATO_DE_DEBITO``.
STATEMENT_DOCUMENT_TYPE = 14


class SurchargeOption(IntEnum):
    """EXT-10 ``indicadorIncluirAcrescimosImpontualidade``."""

    INCLUDE = 1
    EXCLUDE = 2
    INCLUDE_WITH_DISCOUNT = 3
    """Recorded as surcharges and as a discount of the same amount (needs
    special permission 43)."""


def _lines(value: Iterable[DebtLine]) -> tuple[DebtLine, ...]:
    return tuple(value)


def _ints(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _plans(value: Iterable[PlanLines]) -> tuple[PlanLines, ...]:
    return tuple(value)


def _ahead(value: Iterable[Anticipation]) -> tuple[Anticipation, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Barcode:
    """A FEBRABAN arrecadação barcode: 44 digits (Interleaved 2 of 5 content)
    and the 48-digit "linha digitável" (4 blocks of 11 digits + check digit)."""

    digits: str
    line: str

    @property
    def formatted_line(self) -> str:
        """``84670000001-7 43590024020-9 ...``: the blocks as printed."""
        blocks = [self.line[i : i + 12] for i in range(0, 48, 12)]
        return " ".join(f"{b[:11]}-{b[11]}" for b in blocks)


@attrs.frozen(kw_only=True)
class DocumentItem:
    """One ticked item of a collection document (``CobrancaDocumentoItem``)."""

    debt_id: int
    kind: DebtKind
    value: Decimal
    surcharges: Decimal = ZERO
    reference: int | None = None
    due_date: date | None = None


def _items(value: Iterable[DocumentItem]) -> tuple[DocumentItem, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CollectionDocument:
    """A collection document (``cobranca.cobranca_documento``) as persisted."""

    id: int
    property_id: int
    document_type_id: int = STATEMENT_DOCUMENT_TYPE
    issued_at: datetime
    valid_until: date
    #: ``valorDocumento``: what the barcode collects.
    value: Decimal
    surcharges: Decimal = ZERO
    discount: Decimal = ZERO
    fee: Decimal = ZERO
    #: 1 PENDENTE when something was ticked, 5 SEM_DEBITOS otherwise (EXT-16).
    debt_situation: int = 1
    barcode: str
    items: tuple[DocumentItem, ...] = attrs.field(factory=tuple, converter=_items)
    actor: int
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "property_id", "value", "valid_until")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class DebtStatement:
    """The Extrato de Débitos (EXT-19): the persisted document, the lines it
    lists, its printed summary and its barcode."""

    document: CollectionDocument
    bills: tuple[DebtLine, ...] = attrs.field(converter=_lines)
    previous_bills: tuple[DebtLine, ...] = attrs.field(converter=_lines)
    payment_slips: tuple[DebtLine, ...] = attrs.field(converter=_lines)
    charges: tuple[DebtLine, ...] = attrs.field(converter=_lines)
    credits: tuple[DebtLine, ...] = attrs.field(converter=_lines)
    barcode: Barcode
    #: "valor total das contas".
    bills_total: Decimal
    #: "serviços e atualizações" = surcharges + slips + remaining charges.
    services_total: Decimal
    #: "desconto/créditos" = credits + discount.
    credits_total: Decimal
    #: EXT-04: the property's parcelamentos in situation NORMAL with a total
    #: other than zero, those ticked (``plan_ids``), and the installments
    #: anticipated of the others.
    plans: tuple[PlanLines, ...] = attrs.field(factory=tuple, converter=_plans)
    plan_ids: tuple[int, ...] = attrs.field(factory=tuple, converter=_ints)
    anticipations: tuple[Anticipation, ...] = attrs.field(
        factory=tuple, converter=_ahead
    )
    #: EXT-15: the cash-payment discount of the parcelamento profile (part of
    #: the document's discount).
    cash_discount: Decimal = ZERO

    @property
    def value(self) -> Decimal:
        """ "total a pagar"."""
        return self.document.value

    @property
    def valid_until(self) -> date:
        return self.document.valid_until

    def __repr__(self) -> str:
        return short_repr(self.document, "property_id", "value", "valid_until")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class CustomerStatement:
    """The Extrato de Débitos por Cliente (EXT-20): one statement per property
    of the customer and of the customers under it, grouped by property."""

    customer_id: int
    #: The customer and everyone under it, breadth-first (as CNC-05).
    customer_ids: tuple[int, ...]
    #: One persisted statement per property with something to list.
    statements: tuple[DebtStatement, ...]
    #: The properties left out, with the code of their refusal (EXT-07, EXT-13,
    #: EXT-14).
    skipped: dict[int, str] = attrs.field(factory=dict)

    @property
    def property_ids(self) -> tuple[int, ...]:
        return tuple(s.document.property_id for s in self.statements)

    @property
    def bills_total(self) -> Decimal:
        return sum((s.bills_total for s in self.statements), ZERO)

    @property
    def services_total(self) -> Decimal:
        return sum((s.services_total for s in self.statements), ZERO)

    @property
    def credits_total(self) -> Decimal:
        return sum((s.credits_total for s in self.statements), ZERO)

    @property
    def value(self) -> Decimal:
        """ "total a pagar" of every property."""
        return sum((s.value for s in self.statements), ZERO)

    def __repr__(self) -> str:
        return short_repr(self, "customer_id", "property_ids", "value")

    def _repr_html_(self) -> str:
        return html_of(self)


class CertificateSubject(StrEnum):
    PROPERTY = "property"
    CUSTOMER = "customer"


@attrs.frozen(kw_only=True)
class Certificate:
    """A persisted no-debt certificate (CS ``certidao_negativa_debito``, CND-11)."""

    id: int
    subject: CertificateSubject
    property_id: int | None = None
    customer_id: int | None = None
    issued_at: datetime
    issued_on: date
    valid_until: date
    #: Letter, digit, letter, digit + ``yyyyMMdd`` of issue, upper case.
    authentication_code: str
    #: "com efeito positivo": issued while items were listed (CND-06).
    positive_effect: bool = False
    title: str
    actor: int
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "subject", "authentication_code", "valid_until")

    def _repr_html_(self) -> str:
        return html_of(self)


def _categories(
    value: Iterable[tuple[int, int | None, int]],
) -> tuple[tuple[int, int | None, int], ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CertificateHeader:
    """CND-09: the registration data printed at the head of a certificate, for
    one property: its user (name, CPF or CNPJ by the customer's person kind),
    matrícula and inscrição, locality and municipality, categories and
    economies, profile, water and sewer situation and well type. The company
    data is the renderer's letterhead (``Template``)."""

    property_id: int
    #: ``localidade.setor.quadra`` (GSAN's inscrição without lot and sublot,
    #: which this library's property does not keep).
    inscription: str
    locality_id: int
    locality_name: str | None = None
    municipality_id: int | None = None
    user_id: int | None = None
    user_name: str | None = None
    #: The user's CPF or CNPJ (digits), as its person kind says.
    user_document: str | None = None
    user_person_kind: PersonKind | None = None
    #: (category, subcategory, economies) of the property.
    categories: tuple[tuple[int, int | None, int], ...] = attrs.field(
        factory=tuple, converter=_categories
    )
    main_category_id: int | None = None
    main_subcategory_id: int | None = None
    economies: int = 0
    profile_id: int
    water_status_id: int
    sewer_status_id: int
    well_type_id: int | None = None

    def __repr__(self) -> str:
        return short_repr(self, "property_id", "inscription", "user_name")


def _headers(value: Iterable[CertificateHeader]) -> tuple[CertificateHeader, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class NoDebtCertificate:
    """The certificate as printed: title, text, items (CND-06/07, CNC-07)."""

    certificate: Certificate
    title: str
    text: str
    lines: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)
    #: By customer: every checked customer and its properties (CNC-07).
    customer_ids: tuple[int, ...] = attrs.field(factory=tuple, converter=_ints)
    property_ids: tuple[int, ...] = attrs.field(factory=tuple, converter=_ints)
    #: CND-08: the property pays a parcelamento (a normal installment charge
    #: with installments still to bill).
    installment_plan: bool = False
    #: CND-10: the printed validity sentence of the utility (may be empty).
    validity_text: str = ""
    #: CND-09 / CNC-07: the header of each property (one by property; by
    #: customer, every property of the checked customers).
    headers: tuple[CertificateHeader, ...] = attrs.field(
        factory=tuple, converter=_headers
    )

    @property
    def header(self) -> CertificateHeader | None:
        """The header of a by-property certificate (CND-09)."""
        return self.headers[0] if len(self.headers) == 1 else None

    @property
    def authentication_code(self) -> str:
        return self.certificate.authentication_code

    @property
    def valid_until(self) -> date:
        return self.certificate.valid_until

    def __repr__(self) -> str:
        return short_repr(self.certificate, "subject", "authentication_code")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class CertificateVerification:
    """The answer of the web-shop check of a certificate code (CND-11)."""

    valid: bool
    certificate: Certificate | None = None
    expired: bool = False


@attrs.frozen(kw_only=True)
class CollectionDocumentIssued(DomainEvent):
    """A debt statement was issued."""

    tag: ClassVar[str] = "accounts.collection_document_issued"
    document_id: int
    property_id: int
    value: Decimal


@attrs.frozen(kw_only=True)
class CertificateIssued(DomainEvent):
    """A no-debt certificate was issued."""

    tag: ClassVar[str] = "accounts.certificate_issued"
    certificate_id: int
    subject: CertificateSubject
    authentication_code: str
    property_id: int | None = None
    customer_id: int | None = None


def _charges(value: Iterable[Charge]) -> tuple[Charge, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class BillCopy:
    """Segunda via de conta (UC0482): the bills reprinted, their updated value,
    and the fee charges created (none for the "sem taxa" copy)."""

    property_id: int
    issued_at: datetime
    bills: tuple[DebtLine, ...] = attrs.field(converter=_lines)
    fees: tuple[Charge, ...] = attrs.field(factory=tuple, converter=_charges)

    @property
    def total(self) -> Decimal:
        """Σ bills."""
        return sum((x.value for x in self.bills), ZERO)

    @property
    def surcharges(self) -> Decimal:
        return sum((x.surcharges for x in self.bills), ZERO)

    @property
    def fee(self) -> Decimal:
        return sum((c.total for c in self.fees), ZERO)

    def __repr__(self) -> str:
        return short_repr(self, "property_id", "total", "fee")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class BillCopyIssued(DomainEvent):
    """A second copy of bills was issued (with or without a fee)."""

    tag: ClassVar[str] = "accounts.bill_copy_issued"
    property_id: int
    bill_ids: tuple[int, ...] = attrs.field(converter=_ints)
    fee: Decimal = ZERO


@attrs.frozen(kw_only=True)
class ServiceContract:
    """Contrato de Prestação de Serviço (field-work §8, CTR-01..CTR-03): a
    document, not a stored entity. ``legal`` is the "Jurídico" variant for a
    company customer."""

    property_id: int
    customer_id: int
    customer_name: str
    customer_document: str | None
    legal: bool = False
    locality_id: int
    sector_id: int
    block_id: int
    #: (category, subcategory, economies) of the property.
    categories: tuple[tuple[int, int | None, int], ...] = attrs.field(
        converter=_categories
    )
    water_status_id: int
    sewer_status_id: int
    issued_on: date

    def __repr__(self) -> str:
        return short_repr(self, "property_id", "customer_id", "legal")

    def _repr_html_(self) -> str:
        return html_of(self)
