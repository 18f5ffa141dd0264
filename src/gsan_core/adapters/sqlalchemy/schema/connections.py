"""Tables of the connection area: water and sewer connections, the situation
history, and the consumption history of the billing port's default adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.types import Money, UtcDateTime

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.schema import TableBuilder

__all__ = ["define"]


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False)


def _ref(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=True)


def define(b: TableBuilder) -> None:
    """Define the connection tables on ``b``."""
    _connections(b)
    _histories(b)


def _connections(b: TableBuilder) -> None:
    """The water and sewer connections."""
    b.table(
        "water_connection",
        sa.Column(
            "id", sa.BigInteger, b.fk("property"), primary_key=True, autoincrement=False
        ),
        sa.Column("connected_on", sa.Date, nullable=False),
        sa.Column("implanted_on", sa.Date, nullable=False),
        sa.Column("diameter_id", sa.BigInteger, nullable=False),
        sa.Column("material_id", sa.BigInteger, nullable=False),
        sa.Column("profile_id", sa.BigInteger, nullable=False),
        _ref("branch_location_id"),
        _ref("origin_id"),
        sa.Column("seal_number", sa.String(10), nullable=True),
        _ref("street_pavement_id"),
        _ref("sidewalk_pavement_id"),
        sa.Column("branch_depth", Money, nullable=True),
        sa.Column("branch_distance", Money, nullable=True),
        sa.Column("minimum_consumption", sa.Integer, nullable=True),
        sa.Column("cut_on", sa.Date, nullable=True),
        sa.Column("cut_seal", sa.BigInteger, nullable=True),
        _ref("cut_type_id"),
        _ref("cut_reason_id"),
        sa.Column("administrative_cut_on", sa.Date, nullable=True),
        sa.Column("reconnected_on", sa.Date, nullable=True),
        sa.Column("suppressed_on", sa.Date, nullable=True),
        sa.Column("suppression_seal", sa.BigInteger, nullable=True),
        _ref("suppression_type_id"),
        _ref("suppression_reason_id"),
        sa.Column("restored_on", sa.Date, nullable=True),
        _version(),
    )
    b.table(
        "sewer_connection",
        sa.Column(
            "id", sa.BigInteger, b.fk("property"), primary_key=True, autoincrement=False
        ),
        sa.Column("connected_on", sa.Date, nullable=False),
        sa.Column("diameter_id", sa.BigInteger, nullable=False),
        sa.Column("material_id", sa.BigInteger, nullable=False),
        sa.Column("profile_id", sa.BigInteger, nullable=False),
        sa.Column("collection_percentage", Money, nullable=False),
        sa.Column("sewer_percentage", Money, nullable=False),
        sa.Column("grease_trap", sa.Boolean, nullable=False),
        sa.Column("connection_indicator", sa.Boolean, nullable=False),
        sa.Column("minimum_volume", sa.Integer, nullable=True),
        _ref("drainage_id"),
        _ref("waste_destination_id"),
        _ref("inspection_box_id"),
        _ref("rainwater_destination_id"),
        _ref("origin_id"),
        _ref("previous_status_id"),
        _ref("request_id"),
        _version(),
    )


def _histories(b: TableBuilder) -> None:
    """The situation history and the consumption history."""
    b.table(
        "situation_change",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("property_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("before_id", sa.BigInteger, nullable=False),
        sa.Column("after_id", sa.BigInteger, nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("operation", sa.String(60), nullable=False),
        _ref("order_id"),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Column("reading", sa.Integer, nullable=True),
        sa.Index(f"ix_{b.name('situation_change')}_property", "property_id"),
        sa.Index(f"ix_{b.name('situation_change')}_effective", "effective_on"),
    )
    b.table(
        "consumption_history",
        sa.Column("property_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("reference", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("consumption_type_id", sa.BigInteger, nullable=False),
        sa.Column("billed_volume", sa.Integer, nullable=False),
        sa.Column("minimum", sa.Integer, nullable=True),
        sa.Column("anomaly_id", sa.BigInteger, nullable=True),
    )
