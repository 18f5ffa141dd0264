"""Tables of scheduling: roteiros, programmings, special days, team followers."""

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
    """Define the scheduling tables on ``b``."""
    b.table(
        "schedule",
        _id(),
        sa.Column("unit_id", sa.BigInteger, nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("closed_at", UtcDateTime, nullable=True),
        sa.Column("closed_by", sa.BigInteger, nullable=True),
        _version(),
        sa.Index(f"ix_{b.name('schedule')}_unit_on", "unit_id", "on", unique=True),
    )
    b.table(
        "scheduled_order",
        _id(),
        sa.Column("schedule_id", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("team_id", sa.BigInteger, nullable=False),
        sa.Column("unit_id", sa.BigInteger, nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("principal", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("scheduled_by", sa.BigInteger, nullable=False),
        sa.Column("scheduled_at", UtcDateTime, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("reason_id", sa.BigInteger, nullable=True),
        sa.Column("missing_equipment_id", sa.BigInteger, nullable=True),
        sa.Column("closed_by", sa.BigInteger, nullable=True),
        _version(),
        sa.Index(f"ix_{b.name('scheduled_order')}_order", "order_id", "active"),
        sa.Index(
            f"ix_{b.name('scheduled_order')}_day", "unit_id", "on", "team_id", "active"
        ),
        sa.Index(f"ix_{b.name('scheduled_order')}_schedule", "schedule_id"),
    )
    b.table(
        "special_day",
        _id(),
        sa.Column("team_id", sa.BigInteger, nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('special_day')}_team_on", "team_id", "on", unique=True),
    )
    b.table(
        "team_follower",
        _id(),
        sa.Column("nature_ids", Json, nullable=False),
        sa.Column("team_ids", Json, nullable=False),
        _version(),
    )
