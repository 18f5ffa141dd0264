"""Tables of the hydrometer area: meters, installation history, movements,
consumption-anomaly actions.

Two partial unique indexes keep the history sound under concurrent writers: a
point has at most one open installation, a meter is open at most at one point.
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


def _ref(name: str, *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=nullable)


def define(b: TableBuilder) -> None:
    """Define the hydrometer tables on ``b``."""
    _meters(b)
    _movements(b)


def _meters(b: TableBuilder) -> None:
    """The hydrometers and their installations."""
    meter = b.name("hydrometer")
    b.table(
        "hydrometer",
        _id(),
        sa.Column("number", sa.String(12), nullable=False),
        sa.Column("acquired_on", sa.Date, nullable=False),
        sa.Column("manufacture_year", sa.SmallInteger, nullable=False),
        sa.Column("purpose", sa.SmallInteger, nullable=False),
        sa.Column("reading_digits", sa.SmallInteger, nullable=False),
        _ref("type_id"),
        _ref("situation_id"),
        _ref("brand_id"),
        _ref("capacity_id"),
        _ref("diameter_id"),
        _ref("metrological_class_id"),
        _ref("register_id", nullable=True),
        _ref("location_id", nullable=True),
        _ref("turbine_type_id", nullable=True),
        sa.Column("last_revision_on", sa.Date, nullable=True),
        sa.Column("written_off_on", sa.Date, nullable=True),
        _ref("write_off_reason_id", nullable=True),
        sa.Column("accumulated_reading", sa.Integer, nullable=False),
        sa.Column("transition_flow", Money, nullable=True),
        sa.Column("nominal_flow", Money, nullable=True),
        sa.Column("minimum_flow", Money, nullable=True),
        sa.Column("invoice_number", sa.BigInteger, nullable=True),
        sa.Column("warranty_years", sa.SmallInteger, nullable=True),
        _version(),
        sa.Index(f"ix_{meter}_number", "number", unique=True),
        sa.Index(f"ix_{meter}_stock", "location_id", "situation_id"),
    )
    installation = b.name("hydrometer_installation")
    b.table(
        "hydrometer_installation",
        _id(),
        sa.Column("hydrometer_id", sa.BigInteger, b.fk("hydrometer"), nullable=False),
        sa.Column("property_id", sa.BigInteger, b.fk("property"), nullable=False),
        sa.Column("point", sa.SmallInteger, nullable=False),
        sa.Column("installed_on", sa.Date, nullable=False),
        sa.Column("installation_reading", sa.Integer, nullable=False),
        sa.Column("registered_at", UtcDateTime, nullable=False),
        sa.Column("origin", sa.SmallInteger, nullable=False),
        _ref("place_id"),
        _ref("protection_id"),
        sa.Column("stand", sa.Boolean, nullable=False),
        sa.Column("seal", sa.String(12), nullable=True),
        sa.Column("tamper_seal", sa.String(10), nullable=True),
        sa.Column("removed_on", sa.Date, nullable=True),
        sa.Column("removal_reading", sa.Integer, nullable=True),
        sa.Column("cut_reading", sa.Integer, nullable=True),
        sa.Column("suppression_reading", sa.Integer, nullable=True),
        _ref("installed_by"),
        _ref("removed_by", nullable=True),
        _version(),
        sa.Index(f"ix_{installation}_point", "property_id", "point"),
        sa.Index(f"ix_{installation}_hydrometer", "hydrometer_id"),
        sa.Index(
            f"ix_{installation}_open_point",
            "property_id",
            "point",
            unique=True,
            postgresql_where=sa.text("removed_on IS NULL"),
            sqlite_where=sa.text("removed_on IS NULL"),
        ),
        sa.Index(
            f"ix_{installation}_open_hydrometer",
            "hydrometer_id",
            unique=True,
            postgresql_where=sa.text("removed_on IS NULL"),
            sqlite_where=sa.text("removed_on IS NULL"),
        ),
    )


def _movements(b: TableBuilder) -> None:
    """The movements, their lines and the consumption anomaly actions."""
    b.table(
        "hydrometer_movement",
        _id(),
        sa.Column("moved_at", UtcDateTime, nullable=False),
        _ref("reason_id"),
        _ref("origin_id", nullable=True),
        _ref("destination_id"),
        _ref("situation_id"),
        sa.Column("remark", sa.String(200), nullable=True),
        sa.Column("count", sa.Integer, nullable=False),
        _ref("actor"),
        sa.Column("registered_at", UtcDateTime, nullable=False),
        _version(),
    )
    line = b.name("hydrometer_movement_line")
    b.table(
        "hydrometer_movement_line",
        sa.Column(
            "movement_id",
            sa.BigInteger,
            b.fk("hydrometer_movement"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column(
            "hydrometer_id",
            sa.BigInteger,
            b.fk("hydrometer"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Index(f"ix_{line}_hydrometer", "hydrometer_id"),
    )
    b.table(
        "consumption_anomaly_action",
        _id(),
        _ref("anomaly_id"),
        _ref("category_id", nullable=True),
        _ref("property_profile_id", nullable=True),
        sa.Column("steps", Json, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('consumption_anomaly_action')}_anomaly", "anomaly_id"),
    )
