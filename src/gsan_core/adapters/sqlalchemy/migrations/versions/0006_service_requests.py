"""service requests: requests, specifications, routing steps and associations, commands, manual numbers, occurrences, surveys, regulator records

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("closing_command"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("reason_id", sa.BigInteger(), nullable=False),
        sa.Column("responsible_id", sa.BigInteger(), nullable=False),
        sa.Column("attendance_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("current_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("superior_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("specification_ids", Json, nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("issued_by", sa.BigInteger(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("closed_requests", sa.Integer(), nullable=False),
        sa.Column("closed_orders", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("collection_situation_unit"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("specification_id", sa.BigInteger(), nullable=False),
        sa.Column("collection_situation_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("collection_situation_unit", "key"),
        t("collection_situation_unit"),
        ["specification_id", "collection_situation_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("locality_group_unit"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("locality_group_unit", "key"),
        t("locality_group_unit"),
        ["locality_id", "group_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("locality_specification_unit"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=False),
        sa.Column("specification_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("locality_specification_unit", "key"),
        t("locality_specification_unit"),
        ["locality_id", "specification_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("manual_number_block"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("first_number", sa.BigInteger(), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.Column("generated_at", UtcDateTime(), nullable=False),
        sa.Column("generated_by", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("operational_occurrence"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type_id", sa.BigInteger(), nullable=False),
        sa.Column("reason_id", sa.BigInteger(), nullable=False),
        sa.Column("municipality_id", sa.BigInteger(), nullable=True),
        sa.Column("locality_id", sa.BigInteger(), nullable=True),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("affected_areas", sa.String(length=200), nullable=True),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("forecast_at", UtcDateTime(), nullable=True),
        sa.Column("rescheduled_at", UtcDateTime(), nullable=True),
        sa.Column("concluded_at", UtcDateTime(), nullable=True),
        sa.Column("observation", sa.String(length=400), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("operational_occurrence", "type"),
        t("operational_occurrence"),
        ["type_id", "reason_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("regulator_record"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("protocol_number", sa.String(length=30), nullable=False),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("request_situation", sa.SmallInteger(), nullable=False),
        sa.Column("complaint_reason_id", sa.BigInteger(), nullable=False),
        sa.Column("complained_at", UtcDateTime(), nullable=False),
        sa.Column("complaint", sa.String(length=400), nullable=True),
        sa.Column("original_forecast", sa.Date(), nullable=False),
        sa.Column("current_forecast", sa.Date(), nullable=False),
        sa.Column("returned_at", UtcDateTime(), nullable=True),
        sa.Column("return_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("return_text", sa.String(length=400), nullable=True),
        sa.Column("closing_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("contact_name", sa.String(length=60), nullable=True),
        sa.Column("contact_email", sa.String(length=80), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("regulator_record", "request"),
        t("regulator_record"),
        ["request_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("reiteration"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("requester_name", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("remark", sa.String(length=400), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("reiteration", "request"),
        t("reiteration"),
        ["request_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("request_specification"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("request_type_id", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=50), nullable=False),
        sa.Column("deadline_days", sa.Integer(), nullable=True),
        sa.Column("requires_property", sa.Boolean(), nullable=False),
        sa.Column("requires_customer", sa.Boolean(), nullable=False),
        sa.Column("requires_requester", sa.Boolean(), nullable=False),
        sa.Column("street_pavement", sa.Boolean(), nullable=False),
        sa.Column("sidewalk_pavement", sa.Boolean(), nullable=False),
        sa.Column("water_connection", sa.Boolean(), nullable=False),
        sa.Column("closing_remark_required", sa.Boolean(), nullable=False),
        sa.Column("debit_type_id", sa.BigInteger(), nullable=True),
        sa.Column("debit_value", Money(), nullable=True),
        sa.Column("value_editable", sa.Boolean(), nullable=False),
        sa.Column("charge_interest", sa.Boolean(), nullable=False),
        sa.Column("service_type_id", sa.BigInteger(), nullable=True),
        sa.Column("optional_order", sa.Boolean(), nullable=False),
        sa.Column("service_types", Json, nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=True),
        sa.Column("property_situation_id", sa.BigInteger(), nullable=True),
        sa.Column("check_debts", sa.Boolean(), nullable=False),
        sa.Column("alternative_due_date", sa.Boolean(), nullable=False),
        sa.Column("duplicate_payment", sa.Boolean(), nullable=False),
        sa.Column("document_required", sa.Boolean(), nullable=False),
        sa.Column("validate_responsible_document", sa.Boolean(), nullable=False),
        sa.Column("document_channel_ids", Json, nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("auto_close", sa.Boolean(), nullable=False),
        sa.Column("new_request_specification_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("validation_codes", Json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("request_specification", "type"),
        t("request_specification"),
        ["request_type_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("routing_step"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("from_unit_id", sa.BigInteger(), nullable=False),
        sa.Column("to_unit_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("registered_by", sa.BigInteger(), nullable=False),
        sa.Column("responsible_id", sa.BigInteger(), nullable=False),
        sa.Column("remark", sa.String(length=400), nullable=True),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("routing_step", "request"),
        t("routing_step"),
        ["request_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("satisfaction_survey"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("well_served", sa.Boolean(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("field_team_contact", sa.Boolean(), nullable=False),
        sa.Column("grade", sa.SmallInteger(), nullable=False),
        sa.Column("well_served_comment", sa.String(length=400), nullable=True),
        sa.Column("resolved_comment", sa.String(length=400), nullable=True),
        sa.Column("field_team_comment", sa.String(length=400), nullable=True),
        sa.Column("comment", sa.String(length=400), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("satisfaction_survey", "request"),
        t("satisfaction_survey"),
        ["request_id"],
        unique=True,
        schema=schema(),
    )
    op.create_table(
        t("service_request"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("specification_id", sa.BigInteger(), nullable=False),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("attended_at", UtcDateTime(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("manual_number", sa.BigInteger(), nullable=True),
        sa.Column("wait_started_at", UtcDateTime(), nullable=True),
        sa.Column("wait_ended_at", UtcDateTime(), nullable=True),
        sa.Column("original_due_date", sa.Date(), nullable=False),
        sa.Column("current_due_date", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("protocol", sa.String(length=20), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("locality_id", sa.BigInteger(), nullable=True),
        sa.Column("sector_id", sa.BigInteger(), nullable=True),
        sa.Column("block_id", sa.BigInteger(), nullable=True),
        sa.Column("sewer_division_id", sa.BigInteger(), nullable=True),
        sa.Column("municipality_id", sa.BigInteger(), nullable=True),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=True),
        sa.Column("area_id", sa.BigInteger(), nullable=True),
        sa.Column("street_id", sa.BigInteger(), nullable=True),
        sa.Column("address_number", sa.String(length=10), nullable=True),
        sa.Column("address_complement", sa.String(length=50), nullable=True),
        sa.Column("reference_point", sa.String(length=60), nullable=True),
        sa.Column("street_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("sidewalk_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("location_description", sa.String(length=200), nullable=True),
        sa.Column("observation", sa.String(length=400), nullable=True),
        sa.Column("requesters", Json, nullable=False),
        sa.Column("opening_unit_id", sa.BigInteger(), nullable=False),
        sa.Column("opened_by", sa.BigInteger(), nullable=False),
        sa.Column("current_unit_id", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closing_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("closing_remark", sa.String(length=400), nullable=True),
        sa.Column("closing_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        sa.Column("duplicate_of_id", sa.BigInteger(), nullable=True),
        sa.Column("non_charge_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("reactivation_of_id", sa.BigInteger(), nullable=True),
        sa.Column("reactivation_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("reiterations", sa.Integer(), nullable=False),
        sa.Column("last_reiterated_at", UtcDateTime(), nullable=True),
        sa.Column("occurrence_id", sa.BigInteger(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("submission_key", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "area"),
        t("service_request"),
        ["area_id", "situation"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "locality_situation"),
        t("service_request"),
        ["locality_id", "situation", "attended_at"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "manual"),
        t("service_request"),
        ["manual_number"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "property_spec"),
        t("service_request"),
        ["property_id", "specification_id", "situation"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "protocol"),
        t("service_request"),
        ["protocol"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "reactivation"),
        t("service_request"),
        ["reactivation_of_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "situation_due"),
        t("service_request"),
        ["situation", "current_due_date"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "street"),
        t("service_request"),
        ["street_id", "specification_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "submission_key"),
        t("service_request"),
        ["submission_key"],
        unique=True,
        schema=schema(),
    )
    op.create_index(
        ix("service_request", "unit_situation"),
        t("service_request"),
        ["current_unit_id", "situation"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("situation_profile"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=50), nullable=False),
        sa.Column("criteria", Json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_table(t("situation_profile"), schema=schema())
    op.drop_index(
        ix("service_request", "unit_situation"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "submission_key"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "street"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "situation_due"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "reactivation"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "protocol"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "property_spec"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "manual"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "locality_situation"),
        table_name=t("service_request"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_request", "area"), table_name=t("service_request"), schema=schema()
    )
    op.drop_table(t("service_request"), schema=schema())
    op.drop_index(
        ix("satisfaction_survey", "request"),
        table_name=t("satisfaction_survey"),
        schema=schema(),
    )
    op.drop_table(t("satisfaction_survey"), schema=schema())
    op.drop_index(
        ix("routing_step", "request"), table_name=t("routing_step"), schema=schema()
    )
    op.drop_table(t("routing_step"), schema=schema())
    op.drop_index(
        ix("request_specification", "type"),
        table_name=t("request_specification"),
        schema=schema(),
    )
    op.drop_table(t("request_specification"), schema=schema())
    op.drop_index(
        ix("reiteration", "request"), table_name=t("reiteration"), schema=schema()
    )
    op.drop_table(t("reiteration"), schema=schema())
    op.drop_index(
        ix("regulator_record", "request"),
        table_name=t("regulator_record"),
        schema=schema(),
    )
    op.drop_table(t("regulator_record"), schema=schema())
    op.drop_index(
        ix("operational_occurrence", "type"),
        table_name=t("operational_occurrence"),
        schema=schema(),
    )
    op.drop_table(t("operational_occurrence"), schema=schema())
    op.drop_table(t("manual_number_block"), schema=schema())
    op.drop_index(
        ix("locality_specification_unit", "key"),
        table_name=t("locality_specification_unit"),
        schema=schema(),
    )
    op.drop_table(t("locality_specification_unit"), schema=schema())
    op.drop_index(
        ix("locality_group_unit", "key"),
        table_name=t("locality_group_unit"),
        schema=schema(),
    )
    op.drop_table(t("locality_group_unit"), schema=schema())
    op.drop_index(
        ix("collection_situation_unit", "key"),
        table_name=t("collection_situation_unit"),
        schema=schema(),
    )
    op.drop_table(t("collection_situation_unit"), schema=schema())
    op.drop_table(t("closing_command"), schema=schema())
