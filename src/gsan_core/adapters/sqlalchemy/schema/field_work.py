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
