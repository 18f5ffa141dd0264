"""Tables of the service-order area: service types, orders, unit trail, prices,
teams, material kits and execution data."""

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


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False)


def define(b: TableBuilder) -> None:
    """Define the service-order tables on ``b``."""
    _service_types(b)
    _orders(b)
    _teams(b)


def _service_types(b: TableBuilder) -> None:
    """The service types."""
    b.table(
        "service_type",
        _id(),
        sa.Column("description", sa.String(50), nullable=False),
        sa.Column("abbreviation", sa.String(20), nullable=False),
        sa.Column("code", sa.String(1), nullable=True),
        sa.Column("value", Money, nullable=True),
        _flag("value_editable"),
        sa.Column("debit_type_id", sa.BigInteger, nullable=True),
        _flag("include_debit"),
        _flag("charge_interest"),
        _flag("consider_economies"),
        _flag("updates_commercial"),
        sa.Column("operation", sa.String(60), nullable=True),
        sa.Column("priority_id", sa.BigInteger, nullable=True),
        sa.Column("profile_id", sa.BigInteger, nullable=True),
        sa.Column("reference_id", sa.BigInteger, nullable=True),
        _flag("requires_activities"),
        sa.Column("activity_ids", Json, nullable=False),
        sa.Column("closing_reason_ids", Json, nullable=False),
        sa.Column("materials", Json, nullable=False),
        _flag("inspection"),
        _flag("infraction_inspection"),
        _flag("pavement"),
        _flag("street_pavement"),
        _flag("sidewalk_pavement"),
        _flag("contractor"),
        _flag("allows_property_in_field"),
        _flag("selective_emission"),
        _flag("automatic_scheduling"),
        _flag("auto_close_request"),
        _flag("send_survey"),
        sa.Column("average_execution_minutes", sa.Integer, nullable=True),
        sa.Column("calibration_id", sa.BigInteger, nullable=True),
        _flag("active"),
        _version(),
    )


def _orders(b: TableBuilder) -> None:
    """The orders."""
    b.table(
        "service_order",
        _id(),
        sa.Column(
            "service_type_id", sa.BigInteger, b.fk("service_type"), nullable=False
        ),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("property_id", sa.BigInteger, nullable=True),
        sa.Column("request_id", sa.BigInteger, nullable=True),
        sa.Column("collection_document_id", sa.BigInteger, nullable=True),
        sa.Column("reference_order_id", sa.BigInteger, nullable=True),
        sa.Column("reference_service_type_id", sa.BigInteger, nullable=True),
        sa.Column("generated_at", UtcDateTime, nullable=False),
        sa.Column("emitted_at", UtcDateTime, nullable=True),
        sa.Column("closed_at", UtcDateTime, nullable=True),
        sa.Column("closing_reason_id", sa.BigInteger, nullable=True),
        sa.Column("closing_remark", sa.String(400), nullable=True),
        sa.Column("observation", sa.String(400), nullable=True),
        sa.Column("original_value", Money, nullable=True),
        sa.Column("current_value", Money, nullable=True),
        sa.Column("charge_percentage", sa.SmallInteger, nullable=True),
        sa.Column("non_charge_reason_id", sa.BigInteger, nullable=True),
        _flag("commercial_applied"),
        _flag("diagnosed"),
        _flag("scheduled"),
        _flag("automatic_closing"),
        sa.Column("current_unit_id", sa.BigInteger, nullable=True),
        sa.Column("original_priority_id", sa.BigInteger, nullable=True),
        sa.Column("current_priority_id", sa.BigInteger, nullable=True),
        sa.Column("return_type_id", sa.BigInteger, nullable=True),
        sa.Column("inspection_result", sa.SmallInteger, nullable=True),
        sa.Column("pavement_area", Money, nullable=True),
        _version(),
        sa.Index(f"ix_{b.name('service_order')}_property", "property_id"),
        # (request_id, id): most orders have no request, and SQLite's planner,
        # seeing the NULLs as one value, preferred scanning the primary key for
        # "orders of this request by id" over an index on request_id alone
        sa.Index(f"ix_{b.name('service_order')}_request", "request_id", "id"),
        sa.Index(
            f"ix_{b.name('service_order')}_type_situation",
            "service_type_id",
            "situation",
            "generated_at",
        ),
        sa.Index(f"ix_{b.name('service_order')}_closed_at", "closed_at"),
        # UC1176's open-inspection probe (migration 0029): most orders refer
        # to none, so only those that do are indexed
        sa.Index(
            f"ix_{b.name('service_order')}_reference",
            "reference_order_id",
            postgresql_where=sa.text("reference_order_id IS NOT NULL"),
            sqlite_where=sa.text("reference_order_id IS NOT NULL"),
        ),
        # the open-order check (CUT-2, GEN-13) as a probe (migration 0012)
        sa.Index(
            f"ix_{b.name('service_order')}_open_property_type",
            "property_id",
            "service_type_id",
            postgresql_where=sa.text("situation <> 2"),
            sqlite_where=sa.text("situation <> 2"),
        ),
        # the candidates of a unit's automatic scheduling (UC1190)
        sa.Index(
            f"ix_{b.name('service_order')}_unit_situation",
            "current_unit_id",
            "situation",
        ),
    )


def _teams(b: TableBuilder) -> None:
    """The orders' unit trail, the teams, material kits, executions and service charge values."""
    b.table(
        "order_unit",
        _id(),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("unit_id", sa.BigInteger, nullable=True),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("relation", sa.SmallInteger, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('order_unit')}_order", "order_id"),
    )
    b.table(
        "team",
        _id(),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("unit_id", sa.BigInteger, nullable=False),
        sa.Column("work_minutes", sa.Integer, nullable=False),
        sa.Column("plate", sa.String(10), nullable=True),
        sa.Column("profile_id", sa.BigInteger, nullable=True),
        sa.Column("phone_area_code", sa.Integer, nullable=True),
        sa.Column("phone_number", sa.String(20), nullable=True),
        sa.Column("imei", sa.String(20), nullable=True),
        sa.Column("responsible_user_id", sa.BigInteger, nullable=True),
        _flag("automatic_scheduling"),
        sa.Column("nature_id", sa.BigInteger, nullable=True),
        sa.Column("vehicle_id", sa.BigInteger, nullable=True),
        sa.Column("components", Json, nullable=False),
        sa.Column("equipment_ids", Json, nullable=False),
        _flag("active"),
        _version(),
        sa.Index(f"ix_{b.name('team')}_unit", "unit_id"),
    )
    b.table(
        "material_kit",
        _id(),
        sa.Column("description", sa.String(50), nullable=False),
        sa.Column("abbreviation", sa.String(20), nullable=True),
        sa.Column("lines", Json, nullable=False),
        _flag("active"),
        _version(),
    )
    b.table(
        "order_execution",
        _id(),
        sa.Column("activities", Json, nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.Column("actor", sa.BigInteger, nullable=False),
        _version(),
    )
    b.table(
        "service_charge_value",
        _id(),
        sa.Column("service_type_id", sa.BigInteger, nullable=False),
        sa.Column("value", Money, nullable=False),
        _flag("metered"),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("property_profile_id", sa.BigInteger, nullable=True),
        sa.Column("capacity_id", sa.BigInteger, nullable=True),
        sa.Column("category_id", sa.BigInteger, nullable=True),
        sa.Column("subcategory_id", sa.BigInteger, nullable=True),
        sa.Column("economies_from", sa.Integer, nullable=True),
        sa.Column("economies_to", sa.Integer, nullable=True),
        _flag("generates_debit"),
        _version(),
        sa.Index(f"ix_{b.name('service_charge_value')}_type", "service_type_id"),
    )
