"""Tables of the inspection (fiscalização) area: the situations found on an
inspection order and the infraction notices they issue.

Hot queries are keyed: findings by order (ENC-04 on closing, the return) and by
property (reincidence); notices by situation and appeal end (the AUT-05 batch)
and by property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.types import Money, UtcDateTime

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.schema import TableBuilder

__all__ = ["define"]


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False)


def _ref(name: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=nullable)


def define(b: TableBuilder) -> None:
    """Define the inspection tables on ``b``."""
    _inspections(b)
    _acceptances(b)
    _bulletin_tables(b)


def _inspections(b: TableBuilder) -> None:
    """The inspection findings and infraction notices."""
    finding = b.name("inspection_finding")
    b.table(
        "inspection_finding",
        _id(),
        _ref("order_id", nullable=False),
        _ref("situation_id", nullable=False),
        _ref("property_id"),
        sa.Column("found_on", sa.Date, nullable=False),
        sa.Column("charged", sa.Boolean, nullable=False),
        sa.Column("operation", sa.String(40), nullable=True),
        sa.Column("delivered_document", sa.SmallInteger, nullable=True),
        _ref("actor", nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(f"ix_{finding}_order", "order_id", "situation_id", unique=True),
        sa.Index(f"ix_{finding}_property", "property_id", "situation_id"),
    )
    notice = b.name("infraction_notice")
    b.table(
        "infraction_notice",
        _id(),
        _ref("property_id"),
        _ref("order_id"),
        _ref("situation_id", nullable=False),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        _ref("employee_id", nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("appeal_from", sa.Date, nullable=True),
        sa.Column("appeal_until", sa.Date, nullable=True),
        _ref("debit_type_id"),
        sa.Column("installments", sa.Integer, nullable=False),
        sa.Column("observation", sa.String(400), nullable=True),
        _ref("charge_id"),
        _ref("actor", nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(f"ix_{notice}_appeal", "situation", "appeal_until", "id"),
        sa.Index(f"ix_{notice}_property", "property_id"),
        sa.Index(f"ix_{notice}_order", "order_id"),
    )


def _acceptances(b: TableBuilder) -> None:
    """The order acceptances and the repaving works."""
    acceptance = b.name("order_acceptance")
    b.table(
        "order_acceptance",
        _id(),
        _ref("order_id", nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        _ref("reason_id"),
        sa.Column("observation", sa.String(400), nullable=True),
        _ref("actor", nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(f"ix_{acceptance}_order", "order_id", unique=True),
    )
    work = b.name("repaving_work")
    b.table(
        "repaving_work",
        _id(),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("property_id", sa.BigInteger, nullable=True),
        sa.Column("unit_id", sa.BigInteger, nullable=False),
        sa.Column("closed_on", sa.Date, nullable=False),
        sa.Column("street_pavement_id", sa.BigInteger, nullable=True),
        sa.Column("street_area", Money, nullable=True),
        sa.Column("sidewalk_pavement_id", sa.BigInteger, nullable=True),
        sa.Column("sidewalk_area", Money, nullable=True),
        sa.Column("returned_street_pavement_id", sa.BigInteger, nullable=True),
        sa.Column("returned_street_area", Money, nullable=True),
        sa.Column("returned_sidewalk_pavement_id", sa.BigInteger, nullable=True),
        sa.Column("returned_sidewalk_area", Money, nullable=True),
        sa.Column("returned_on", sa.Date, nullable=True),
        sa.Column("acceptance", sa.SmallInteger, nullable=True),
        sa.Column("accepted_on", sa.Date, nullable=True),
        sa.Column("acceptance_remark", sa.String(200), nullable=True),
        sa.Column("accepted_by", sa.BigInteger, nullable=True),
        sa.Column("rejected_on", sa.Date, nullable=True),
        sa.Column("rejection_reason_id", sa.BigInteger, nullable=True),
        sa.Column("rejection_remark", sa.String(200), nullable=True),
        sa.Column("opened_at", UtcDateTime, nullable=False),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(f"ix_{work}_order", "order_id", unique=True),
        sa.Index(f"ix_{work}_unit", "unit_id", "returned_on", "acceptance"),
        sa.Index(f"ix_{work}_pending", "acceptance", "id"),
    )


def _bulletin_tables(b: TableBuilder) -> None:
    """The repaving costs (PAV-06..08, keyed by unit, surface and pavement
    type), an executed order's bulletin quantities (ENC-19) and a concluded
    order's inspection (FIS-17/18), both keyed by the order."""
    cost = b.name("repaving_cost")
    b.table(
        "repaving_cost",
        _id(),
        _ref("unit_id", nullable=False),
        sa.Column("surface", sa.SmallInteger, nullable=False),
        _ref("pavement_type_id", nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("value", Money, nullable=False),
        _ref("actor", nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(
            f"ix_{cost}_vigency",
            "unit_id",
            "surface",
            "pavement_type_id",
            "valid_from",
            unique=True,
        ),
    )
    bulletin = b.name("order_bulletin")
    b.table(
        "order_bulletin",
        _id(),
        _ref("order_id", nullable=False),
        sa.Column("has_pavement", sa.Boolean, nullable=True),
        sa.Column("asphalt", Money, nullable=False),
        sa.Column("paving_stone", Money, nullable=False),
        sa.Column("sidewalk", Money, nullable=False),
        _ref("actor", nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(f"ix_{bulletin}_order", "order_id", unique=True),
    )
    concluded = b.name("concluded_order_inspection")
    b.table(
        "concluded_order_inspection",
        _id(),
        _ref("order_id", nullable=False),
        sa.Column("code", sa.SmallInteger, nullable=False),
        sa.Column("inspected_on_1", sa.Date, nullable=True),
        sa.Column("inspected_on_2", sa.Date, nullable=True),
        sa.Column("inspected_on_3", sa.Date, nullable=True),
        _ref("inspector_id"),
        sa.Column("bulletin_month", sa.Integer, nullable=True),
        sa.Column("bulletin_closed_on", sa.Date, nullable=True),
        sa.Column("protection_box_swapped", sa.Boolean, nullable=False),
        sa.Column("register_swapped", sa.Boolean, nullable=False),
        _ref("actor", nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index(f"ix_{concluded}_order", "order_id", unique=True),
    )
