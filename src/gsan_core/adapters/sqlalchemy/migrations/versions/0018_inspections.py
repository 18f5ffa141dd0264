"""inspections: the situations found on inspection orders, the infraction notices and the repaving works

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Money, UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _index(
    table: str, suffix: str, columns: list[str], *, unique: bool = False
) -> None:
    op.create_index(
        ix(table, suffix), t(table), columns, unique=unique, schema=schema()
    )


def upgrade() -> None:
    op.create_table(
        t("inspection_finding"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("situation_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("charged", sa.Boolean(), nullable=False),
        sa.Column("operation", sa.String(length=40), nullable=True),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("inspection_finding", "order", ["order_id", "situation_id"], unique=True)
    _index("inspection_finding", "property", ["property_id", "situation_id"])
    op.create_table(
        t("infraction_notice"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("situation_id", sa.BigInteger(), nullable=False),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("employee_id", sa.BigInteger(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("appeal_from", sa.Date(), nullable=True),
        sa.Column("appeal_until", sa.Date(), nullable=True),
        sa.Column("debit_type_id", sa.BigInteger(), nullable=True),
        sa.Column("installments", sa.Integer(), nullable=False),
        sa.Column("observation", sa.String(length=400), nullable=True),
        sa.Column("charge_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("infraction_notice", "appeal", ["situation", "appeal_until", "id"])
    _index("infraction_notice", "property", ["property_id"])
    _index("infraction_notice", "order", ["order_id"])
    op.create_table(
        t("order_acceptance"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reason_id", sa.BigInteger(), nullable=True),
        sa.Column("observation", sa.String(length=400), nullable=True),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("order_acceptance", "order", ["order_id"], unique=True)
    op.create_table(
        t("repaving_work"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("street_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("street_area", Money(), nullable=True),
        sa.Column("sidewalk_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("sidewalk_area", Money(), nullable=True),
        sa.Column("returned_street_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("returned_street_area", Money(), nullable=True),
        sa.Column("returned_sidewalk_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("returned_sidewalk_area", Money(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("acceptance", sa.SmallInteger(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("acceptance_remark", sa.String(length=200), nullable=True),
        sa.Column("accepted_by", sa.BigInteger(), nullable=True),
        sa.Column("rejected_on", sa.Date(), nullable=True),
        sa.Column("rejection_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("rejection_remark", sa.String(length=200), nullable=True),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("repaving_work", "order", ["order_id"], unique=True)
    _index("repaving_work", "unit", ["unit_id", "returned_on", "acceptance"])
    _index("repaving_work", "pending", ["acceptance", "id"])


def downgrade() -> None:
    for table, suffixes in (
        ("repaving_work", ("pending", "unit", "order")),
        ("order_acceptance", ("order",)),
        ("infraction_notice", ("order", "property", "appeal")),
        ("inspection_finding", ("property", "order")),
    ):
        for suffix in suffixes:
            op.drop_index(ix(table, suffix), table_name=t(table), schema=schema())
        op.drop_table(t(table), schema=schema())
