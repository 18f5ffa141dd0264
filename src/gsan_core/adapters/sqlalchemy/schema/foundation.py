"""Tables of the foundation: catalog, location, properties, units, outside ports."""

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


def define(b: TableBuilder) -> None:
    """Define the foundation's tables on ``b``."""
    _infrastructure(b)
    _places(b)
    _properties(b)
    _users(b)
    _billing(b)


def _infrastructure(b: TableBuilder) -> None:
    """The library's own tables: id blocks, the outbox, counters, batch leases."""
    b.table(
        "id_block",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("next_value", sa.BigInteger, nullable=False),
    )
    b.table(
        "outbox",
        _id(),
        sa.Column("tag", sa.String(80), nullable=False),
        sa.Column("occurred_at", UtcDateTime, nullable=False),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("published_at", UtcDateTime, nullable=True),
        sa.Index(f"ix_{b.name('outbox')}_unpublished", "published_at"),
        # what a relay reads: the unpublished entries in id order
        sa.Index(
            f"ix_{b.name('outbox')}_pending",
            "id",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
    )
    # gap-free counters taken in the unit of work's transaction (outbox ids,
    # manual request numbers): a row lock queues the takers
    b.table(
        "counter",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    # who runs which batch (SQLite; PostgreSQL uses an advisory lock)
    b.table(
        "batch_lease",
        sa.Column("job", sa.String(120), primary_key=True),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("acquired_at", UtcDateTime, nullable=False),
    )


def _places(b: TableBuilder) -> None:
    """The catalogue and the places: localities, sectors, blocks, routes."""
    b.table(
        "catalog_item",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(120), nullable=False),
        sa.Column("abbreviation", sa.String(20), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("attributes", Json, nullable=False),
        _version(),
    )
    b.table(
        "locality",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("municipality_id", sa.BigInteger, nullable=True),
        sa.Column("stock_location_id", sa.BigInteger, nullable=True),
        sa.Column("ppp_contract", sa.Boolean, nullable=False),
        sa.Column("regional_management_id", sa.BigInteger, nullable=True),
        sa.Column("business_unit_id", sa.BigInteger, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        _version(),
    )
    b.table(
        "sector",
        _id(),
        sa.Column("locality_id", sa.BigInteger, b.fk("locality"), nullable=False),
        sa.Column("code", sa.Integer, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        _version(),
    )
    b.table(
        "block",
        _id(),
        sa.Column("locality_id", sa.BigInteger, b.fk("locality"), nullable=False),
        sa.Column("sector_id", sa.BigInteger, b.fk("sector"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("water_network", sa.SmallInteger, nullable=False),
        sa.Column("sewer_network", sa.SmallInteger, nullable=False),
        sa.Column("sewer_division_id", sa.BigInteger, nullable=True),
        _version(),
    )
    b.table(
        "route",
        _id(),
        sa.Column("locality_id", sa.BigInteger, b.fk("locality"), nullable=False),
        sa.Column("sector_id", sa.BigInteger, b.fk("sector"), nullable=False),
        sa.Column("code", sa.Integer, nullable=False),
        sa.Column("group_id", sa.BigInteger, nullable=False),
        sa.Column("simultaneous_printing", sa.Boolean, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('route')}_group", "group_id"),
    )


def _properties(b: TableBuilder) -> None:
    """The properties."""
    b.table(
        "property",
        _id(),
        sa.Column("locality_id", sa.BigInteger, b.fk("locality"), nullable=False),
        sa.Column("sector_id", sa.BigInteger, b.fk("sector"), nullable=False),
        sa.Column("block_id", sa.BigInteger, b.fk("block"), nullable=False),
        sa.Column("block_face", sa.Integer, nullable=True),
        sa.Column("route_id", sa.BigInteger, b.fk("route"), nullable=True),
        sa.Column("profile_id", sa.BigInteger, nullable=False),
        sa.Column("categories", Json, nullable=False),
        sa.Column("water_status_id", sa.BigInteger, nullable=False),
        sa.Column("sewer_status_id", sa.BigInteger, nullable=False),
        sa.Column("consumption_tariff_id", sa.BigInteger, nullable=True),
        sa.Column("well_type_id", sa.BigInteger, nullable=True),
        sa.Column("collection_situation_ids", Json, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('property')}_route", "route_id"),
        sa.Index(f"ix_{b.name('property')}_locality", "locality_id"),
        sa.Index(f"ix_{b.name('property')}_water_status", "water_status_id"),
        # a locality's properties in given water situations (UC1073's chunk,
        # its lock and the localities with candidates; migration 0030)
        sa.Index(
            f"ix_{b.name('property')}_locality_water",
            "locality_id",
            "water_status_id",
        ),
    )


def _users(b: TableBuilder) -> None:
    """The units, the users, their permissions and field locks."""
    b.table(
        "unit",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("acronym", sa.String(20), nullable=True),
        sa.Column("unit_type_id", sa.BigInteger, nullable=False),
        sa.Column("superior_id", sa.BigInteger, b.fk("unit"), nullable=True),
        sa.Column("dispatch_centre_id", sa.BigInteger, b.fk("unit"), nullable=True),
        sa.Column("accepts_routing", sa.Boolean, nullable=False),
        sa.Column("may_open_requests", sa.Boolean, nullable=False),
        sa.Column("call_centre", sa.Boolean, nullable=False),
        sa.Column("social_tariff", sa.Boolean, nullable=False),
        sa.Column("sewer", sa.Boolean, nullable=False),
        sa.Column("locality_id", sa.BigInteger, nullable=True),
        sa.Column("company_id", sa.BigInteger, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        _version(),
    )
    b.table(
        "user",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("unit_id", sa.BigInteger, b.fk("unit"), nullable=False),
        sa.Column("login", sa.String(40), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        _version(),
    )
    b.table(
        "user_permission",
        sa.Column("user_id", sa.BigInteger, primary_key=True),
        sa.Column("permission_id", sa.BigInteger, primary_key=True),
    )
    b.table(
        "permission_change",
        _id(),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("permission_id", sa.BigInteger, nullable=False),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('permission_change')}_user", "user_id"),
    )
    b.table(
        "field_lock",
        sa.Column("route_id", sa.BigInteger, primary_key=True),
        sa.Column("reference", sa.Integer, nullable=False),
    )


def _billing(b: TableBuilder) -> None:
    """The billing port's default adapter: open debts and charges."""
    b.table(
        "open_debt",
        _id(),
        sa.Column("property_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", Money, nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("reference", sa.Integer, nullable=True),
        sa.Column("debit_type_id", sa.BigInteger, nullable=True),
        sa.Column("issued_on", sa.Date, nullable=True),
        *open_debt_account_columns(),
        *open_debt_contract_columns(),
        sa.Index(f"ix_{b.name('open_debt')}_property", "property_id"),
    )
    b.table(
        "charge",
        _id(),
        sa.Column("property_id", sa.BigInteger, nullable=False),
        sa.Column("debit_type_id", sa.BigInteger, nullable=False),
        sa.Column("total", Money, nullable=False),
        sa.Column("installments", sa.Integer, nullable=False),
        sa.Column("installment_value", Money, nullable=False),
        sa.Column(
            "installments_billed", sa.Integer, nullable=False, server_default="0"
        ),
        sa.Column(
            "collection_form", sa.SmallInteger, nullable=False, server_default="1"
        ),
        sa.Column("interest_rate", Money, nullable=False),
        sa.Column("service_order_id", sa.BigInteger, nullable=True),
        sa.Column("service_request_id", sa.BigInteger, nullable=True),
        sa.Column("generated_at", UtcDateTime, nullable=False),
        sa.Column("reference", sa.Integer, nullable=True),
        sa.Column("shares", Json, nullable=False),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Index(f"ix_{b.name('charge')}_property", "property_id"),
    )


def open_debt_contract_columns() -> list[sa.Column[object]]:
    """The contract-of-parcelamento link of ODB-04 / SVS-07 (migration 0025)."""
    return [sa.Column("contract_id", sa.BigInteger, nullable=True)]


def open_debt_account_columns() -> list[sa.Column[object]]:
    """The columns UC0067 and the surcharges read (migration 0013 added them)."""

    def flag(name: str) -> sa.Column[object]:
        return sa.Column(name, sa.Boolean, nullable=False, server_default=sa.false())

    def count(name: str, default: str) -> sa.Column[object]:
        return sa.Column(name, sa.Integer, nullable=False, server_default=default)

    def ref(name: str) -> sa.Column[object]:
        return sa.Column(name, sa.BigInteger, nullable=True)

    return [
        sa.Column("status", sa.SmallInteger, nullable=False, server_default="0"),
        flag("in_review"),
        ref("review_reason_id"),
        sa.Column("written_off_reference", sa.Integer, nullable=True),
        ref("user_customer_id"),
        ref("billed_customer_id"),
        flag("fine_charged"),
        sa.Column("fines_billed", Money, nullable=False, server_default="0"),
        flag("automatic_debit"),
        count("installments", "1"),
        count("installments_billed", "0"),
        count("bonus_installments", "0"),
        ref("financing_type_id"),
        ref("installment_plan_id"),
        flag("refunded"),
        ref("document_type_id"),
    ]
