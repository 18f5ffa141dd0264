"""Tables of the service desk: the supply and maintenance schedule, the
outbound messages with the composer's cursor, and the standard operating
procedures.

Hot queries are keyed: windows by month and place (PAM-06), messages by their
event (one message per event and phone), request, phone and status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.types import UtcDateTime

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.schema import TableBuilder

__all__ = ["define"]


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False)


def _ref(name: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=nullable)


def define(b: TableBuilder) -> None:
    """Define the service-desk tables on ``b``."""
    schedule = b.name("supply_schedule")
    b.table(
        "supply_schedule",
        _id(),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("reference", sa.Integer, nullable=False),
        _ref("municipality_id", nullable=False),
        _ref("locality_id"),
        _ref("sector_id"),
        _ref("neighbourhood_id"),
        _ref("area_id"),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("start_time", sa.Time, nullable=False),
        sa.Column("end_time", sa.Time, nullable=False),
        sa.Column("description", sa.String(100), nullable=True),
        sa.Column("situation", sa.SmallInteger, nullable=True),
        _version(),
        sa.Index(f"ix_{schedule}_area", "reference", "area_id"),
        sa.Index(f"ix_{schedule}_neighbourhood", "reference", "neighbourhood_id"),
        sa.Index(f"ix_{schedule}_locality", "reference", "locality_id", "sector_id"),
    )
    message = b.name("outbound_message")
    b.table(
        "outbound_message",
        _id(),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        _ref("event_id"),
        _ref("request_id"),
        _ref("property_id"),
        _ref("customer_id"),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("gateway_reply", sa.String(200), nullable=True),
        _ref("actor", nullable=False),
        _version(),
        sa.Index(f"ix_{message}_event", "event_id", "phone", unique=True),
        sa.Index(f"ix_{message}_request", "request_id"),
        sa.Index(f"ix_{message}_phone", "phone", "created_at"),
        sa.Index(f"ix_{message}_status", "status", "id"),
        sa.Index(f"ix_{message}_created", "created_at", "id"),
    )
    b.table(
        "message_cursor",
        _id(),
        sa.Column("position", sa.BigInteger, nullable=False),
        _version(),
    )
    procedure = b.name("operating_procedure")
    b.table(
        "operating_procedure",
        _id(),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("document", sa.String(300), nullable=False),
        _ref("specification_id"),
        _ref("service_type_id"),
        sa.Column("summary", sa.String(400), nullable=True),
        sa.Column("changed_at", UtcDateTime, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        _version(),
        sa.Index(f"ix_{procedure}_specification", "specification_id"),
        sa.Index(f"ix_{procedure}_service_type", "service_type_id"),
    )
