"""Tables of the accounts area: customers, relations, the surcharge index
table, collection documents and certificates.

Hot queries are keyed: relations by property and by customer, customers by
document and by responsible customer, documents and certificates by property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.schema import TableBuilder

__all__ = ["define"]


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False)


def _ref(name: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=nullable)


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False)


def define(b: TableBuilder) -> None:
    """Define the accounts tables on ``b``."""
    _customers(b)
    _documents(b)
    _payments(b)
    _tariffs(b)


def _customers(b: TableBuilder) -> None:
    """The customers, their types and spheres of power, and their links to properties."""
    b.table(
        "power_sphere",
        _id(),
        sa.Column("description", sa.String(40), nullable=False),
        _flag("property_certificate_allowed"),
        _flag("customer_certificate_allowed"),
        _version(),
    )
    b.table(
        "customer_type",
        _id(),
        sa.Column("description", sa.String(50), nullable=False),
        sa.Column("person_kind", sa.SmallInteger, nullable=False),
        _ref("power_sphere_id", nullable=False),
        _version(),
    )
    b.table(
        "customer",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        _ref("customer_type_id", nullable=False),
        sa.Column("person_kind", sa.SmallInteger, nullable=False),
        sa.Column("document", sa.String(14), nullable=True),
        _ref("responsible_customer_id"),
        _flag("charges_surcharges"),
        sa.Column("email", sa.String(80), nullable=True),
        *customer_contact_columns(),
        _flag("active"),
        _version(),
        sa.Index(f"ix_{b.name('customer')}_document", "document"),
        sa.Index(f"ix_{b.name('customer')}_responsible", "responsible_customer_id"),
    )
    b.table(
        "customer_property",
        _id(),
        _ref("customer_id", nullable=False),
        _ref("property_id", nullable=False),
        sa.Column("relation", sa.SmallInteger, nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=True),
        _flag("name_on_bill"),
        _version(),
        sa.Index(f"ix_{b.name('customer_property')}_property", "property_id"),
        sa.Index(f"ix_{b.name('customer_property')}_customer", "customer_id"),
    )


def _documents(b: TableBuilder) -> None:
    """The surcharge indices, collection documents and certificates."""
    b.table(
        "surcharge_index",
        _id(),
        sa.Column("fine_rate", Money, nullable=False),
        _flag("fine_monthly"),
        sa.Column("fine_limit", Money, nullable=True),
        sa.Column("interest_rate", Money, nullable=False),
        _flag("interest_monthly"),
        sa.Column("interest_limit", Money, nullable=True),
        sa.Column("correction_factor", Money, nullable=False),
        _version(),
    )
    b.table(
        "collection_document",
        _id(),
        _ref("property_id", nullable=False),
        sa.Column("document_type_id", sa.SmallInteger, nullable=False),
        sa.Column("issued_at", UtcDateTime, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("value", Money, nullable=False),
        sa.Column("surcharges", Money, nullable=False),
        sa.Column("discount", Money, nullable=False),
        sa.Column("fee", Money, nullable=False),
        sa.Column("debt_situation", sa.SmallInteger, nullable=False),
        sa.Column("barcode", sa.String(44), nullable=False),
        sa.Column("items", Json, nullable=False),
        _ref("actor", nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('collection_document')}_property", "property_id"),
    )
    b.table(
        "certificate",
        _id(),
        sa.Column("subject", sa.String(10), nullable=False),
        _ref("property_id"),
        _ref("customer_id"),
        sa.Column("issued_at", UtcDateTime, nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("authentication_code", sa.String(20), nullable=False),
        _flag("positive_effect"),
        sa.Column("title", sa.String(80), nullable=False),
        _ref("actor", nullable=False),
        _version(),
        sa.Index(
            f"ix_{b.name('certificate')}_property_code",
            "property_id",
            "authentication_code",
        ),
        sa.Index(f"ix_{b.name('certificate')}_customer", "customer_id"),
    )


def _payments(b: TableBuilder) -> None:
    """The payments, installment plans and cash payment terms."""
    b.table(
        "payment",
        _id(),
        _ref("property_id", nullable=False),
        sa.Column("value", Money, nullable=False),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("reference", sa.Integer, nullable=True),
        sa.Column("collection_month", sa.Integer, nullable=True),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        sa.Column("previous_situation", sa.SmallInteger, nullable=True),
        _ref("slip_id"),
        _version(),
        sa.Index(f"ix_{b.name('payment')}_property", "property_id"),
    )
    b.table(
        "installment_plan",
        _id(),
        _ref("property_id", nullable=False),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("made_on", sa.Date, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('installment_plan')}_property", "property_id"),
    )
    b.table(
        "cash_payment_terms",
        _id(),
        _ref("property_profile_id", nullable=False),
        sa.Column("fine_discount", Money, nullable=False),
        sa.Column("interest_discount", Money, nullable=False),
        sa.Column("correction_discount", Money, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        _version(),
        sa.Index(f"ix_{b.name('cash_payment_terms')}_profile", "property_profile_id"),
    )


def _tariffs(b: TableBuilder) -> None:
    """The tariffs, the billed consumptions and the requests payments."""
    b.table(
        "tariff",
        _id(),
        _ref("tariff_id", nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("categories", Json, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('tariff')}_tariff", "tariff_id", "valid_from"),
    )
    b.table(
        "billed_consumption",
        _id(),
        _ref("tariff_id", nullable=False),
        sa.Column("water_volume", sa.Integer, nullable=False),
        sa.Column("economies", Json, nullable=False),
        sa.Column("water_value", Money, nullable=False),
        sa.Column("sewer_value", Money, nullable=False),
        sa.Column("sewer_percent", Money, nullable=True),
        _version(),
    )
    b.table(
        "request_payment",
        _id(),
        _ref("request_id", nullable=False),
        _ref("payment_id", nullable=False),
        _ref("property_id", nullable=False),
        sa.Column("reference", sa.Integer, nullable=True),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("value", Money, nullable=False),
        _flag("refunded"),
        _version(),
        sa.Index(f"ix_{b.name('request_payment')}_request", "request_id"),
        sa.Index(f"ix_{b.name('request_payment')}_payment", "payment_id"),
    )


def customer_contact_columns() -> list[sa.Column[object]]:
    """The identity card and default phone of a customer (migration 0022)."""
    return [
        sa.Column("identity_card", sa.String(20), nullable=True),
        sa.Column("identity_issuer_id", sa.BigInteger, nullable=True),
        sa.Column("identity_state_id", sa.BigInteger, nullable=True),
        sa.Column("phone_area", sa.String(4), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("phone_extension", sa.String(6), nullable=True),
    ]
