"""Tables of field work II: selective commands and the orders they emitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.types import Json, UtcDateTime

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.schema import TableBuilder

__all__ = ["define"]


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False)


def define(b: TableBuilder) -> None:
    """Define the field-work tables on ``b``."""
    _selective(b)
    _field_files(b)
    sewer_tables(b)


def _selective(b: TableBuilder) -> None:
    """The selective commands and their orders."""
    b.table(
        "selective_command",
        _id(),
        sa.Column("description", sa.String(100), nullable=False),
        sa.Column("service_type_id", sa.BigInteger, nullable=False),
        sa.Column("criteria", Json, nullable=False),
        sa.Column("max_orders", sa.Integer, nullable=True),
        sa.Column("emitted", sa.Integer, nullable=False),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("emitted_at", UtcDateTime, nullable=True),
        sa.Column("closed_at", UtcDateTime, nullable=True),
        sa.Column("closed_by", sa.BigInteger, nullable=True),
        sa.Column("to_text_file", sa.Boolean, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('selective_command')}_created", "created_at"),
    )
    b.table(
        "selective_order",
        _id(),
        sa.Column("command_id", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("property_id", sa.BigInteger, nullable=False),
        _version(),
        # one order per property and command: the emission's idempotence,
        # enforced by the store as well as decided by the rules
        sa.Index(
            f"ix_{b.name('selective_order')}_property",
            "property_id",
            "command_id",
            unique=True,
        ),
        sa.Index(f"ix_{b.name('selective_order')}_command", "command_id", "order_id"),
    )


def _field_files(b: TableBuilder) -> None:
    """The field files, their items and their return lines."""
    b.table(
        "field_file",
        _id(),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("command_id", sa.BigInteger, nullable=True),
        sa.Column("agent_id", sa.BigInteger, nullable=True),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        sa.Column("order_count", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("released_at", UtcDateTime, nullable=True),
        sa.Column("sent_at", UtcDateTime, nullable=True),
        sa.Column("finished_at", UtcDateTime, nullable=True),
        _version(),
        sa.Index(f"ix_{b.name('field_file')}_agent", "agent_id", "situation"),
    )
    b.table(
        "field_file_item",
        _id(),
        sa.Column("file_id", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        _version(),
        sa.Index(
            f"ix_{b.name('field_file_item')}_file", "file_id", "sequence", unique=True
        ),
        sa.Index(f"ix_{b.name('field_file_item')}_order", "order_id"),
    )
    b.table(
        "field_return_line",
        _id(),
        sa.Column("file_id", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("record", sa.SmallInteger, nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("fields", Json, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("applied", sa.Boolean, nullable=False),
        _version(),
        # the same line is staged once per file (RET-01)
        sa.Index(
            f"ix_{b.name('field_return_line')}_digest", "file_id", "digest", unique=True
        ),
        sa.Index(f"ix_{b.name('field_return_line')}_order", "file_id", "order_id"),
    )


def sewer_tables(b: TableBuilder) -> None:
    """The sewer-connection commands and their orders (ESG, migration 0022)."""
    b.table(
        "sewer_command",
        _id(),
        sa.Column("description", sa.String(100), nullable=False),
        sa.Column("service_type_id", sa.BigInteger, nullable=False),
        sa.Column("criteria", Json, nullable=False),
        sa.Column("connection", Json, nullable=False),
        sa.Column("automatic_close", sa.Boolean, nullable=False),
        sa.Column("closing_remark", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("executed_at", UtcDateTime, nullable=True),
        sa.Column("finished_at", UtcDateTime, nullable=True),
        sa.Column("generated", sa.Integer, nullable=False),
        _version(),
    )
    b.table(
        "sewer_command_order",
        _id(),
        sa.Column("command_id", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("property_id", sa.BigInteger, nullable=False),
        sa.Column("notified_at", UtcDateTime, nullable=True),
        _version(),
        sa.Index(
            f"ix_{b.name('sewer_command_order')}_property",
            "property_id",
            "command_id",
            unique=True,
        ),
        sa.Index(
            f"ix_{b.name('sewer_command_order')}_command", "command_id", "order_id"
        ),
        sa.Index(f"ix_{b.name('sewer_command_order')}_order", "order_id"),
    )
