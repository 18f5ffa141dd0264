"""Tables of the service-request area: requests, routing steps, configuration,
batch commands, manual numbers, occurrences, surveys and regulator records.

Every hot query is keyed: requests by property + specification (duplicates),
locality + situation + attendance (the batch), current unit + situation (pending
of a unit), situation + due date (overdue); steps and reiterations by request.
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


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False)


def _ref(name: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=nullable)


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=True)


def _at(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, UtcDateTime, nullable=nullable)


def define(b: TableBuilder) -> None:
    """Define the service-request tables on ``b``."""
    _configuration(b)
    _requests(b)
    _steps(b)
    _operations(b)


def _requests(b: TableBuilder) -> None:
    """The requests."""
    request = b.name("service_request")
    b.table(
        "service_request",
        _id(),
        _ref("specification_id", nullable=False),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        _at("attended_at", nullable=False),
        _flag("online"),
        _ref("manual_number"),
        _at("wait_started_at"),
        _at("wait_ended_at"),
        sa.Column("original_due_date", sa.Date, nullable=False),
        sa.Column("current_due_date", sa.Date, nullable=False),
        _ref("channel_id", nullable=False),
        sa.Column("protocol", sa.String(20), nullable=False),
        _ref("property_id"),
        _ref("locality_id"),
        _ref("sector_id"),
        _ref("block_id"),
        _ref("sewer_division_id"),
        _ref("municipality_id"),
        _ref("neighbourhood_id"),
        _ref("area_id"),
        _ref("street_id"),
        _text("address_number", 10),
        _text("address_complement", 50),
        _text("reference_point", 60),
        _ref("street_pavement_id"),
        _ref("sidewalk_pavement_id"),
        _text("location_description", 200),
        _text("observation", 400),
        sa.Column("requesters", Json, nullable=False),
        _ref("opening_unit_id", nullable=False),
        _ref("opened_by", nullable=False),
        _ref("current_unit_id", nullable=False),
        _at("closed_at"),
        _ref("closing_reason_id"),
        _text("closing_remark", 400),
        _ref("closing_unit_id"),
        _ref("closed_by"),
        _ref("duplicate_of_id"),
        _ref("non_charge_reason_id"),
        _ref("reactivation_of_id"),
        _ref("reactivation_reason_id"),
        sa.Column("reiterations", sa.Integer, nullable=False),
        _at("last_reiterated_at"),
        _ref("occurrence_id"),
        _flag("urgent"),
        _text("submission_key", 80),
        _version(),
        sa.Index(f"ix_{request}_submission_key", "submission_key", unique=True),
        sa.Index(
            f"ix_{request}_property_spec",
            "property_id",
            "specification_id",
            "situation",
        ),
        sa.Index(
            f"ix_{request}_locality_situation",
            "locality_id",
            "situation",
            "attended_at",
        ),
        sa.Index(f"ix_{request}_unit_situation", "current_unit_id", "situation"),
        sa.Index(f"ix_{request}_situation_due", "situation", "current_due_date"),
        sa.Index(f"ix_{request}_manual", "manual_number"),
        sa.Index(f"ix_{request}_protocol", "protocol"),
        sa.Index(f"ix_{request}_reactivation", "reactivation_of_id"),
        sa.Index(f"ix_{request}_area", "area_id", "situation"),
        sa.Index(f"ix_{request}_street", "street_id", "specification_id"),
    )


def _steps(b: TableBuilder) -> None:
    """The routing steps and the reiterations."""
    b.table(
        "routing_step",
        _id(),
        _ref("request_id", nullable=False),
        _ref("from_unit_id", nullable=False),
        _ref("to_unit_id", nullable=False),
        _at("at", nullable=False),
        _ref("registered_by", nullable=False),
        _ref("responsible_id", nullable=False),
        _text("remark", 400),
        _flag("automatic"),
        _version(),
        sa.Index(f"ix_{b.name('routing_step')}_request", "request_id"),
    )
    b.table(
        "reiteration",
        _id(),
        _ref("request_id", nullable=False),
        _at("at", nullable=False),
        _ref("actor", nullable=False),
        _text("requester_name", 60),
        _text("phone", 20),
        _text("remark", 400),
        _version(),
        sa.Index(f"ix_{b.name('reiteration')}_request", "request_id"),
    )


def _configuration(b: TableBuilder) -> None:
    _specifications(b)
    _routing(b)


def _specifications(b: TableBuilder) -> None:
    """The request specifications."""
    b.table(
        "request_specification",
        _id(),
        _ref("request_type_id", nullable=False),
        sa.Column("description", sa.String(50), nullable=False),
        sa.Column("deadline_days", sa.Integer, nullable=True),
        _flag("requires_property"),
        _flag("requires_customer"),
        _flag("requires_requester"),
        _flag("street_pavement"),
        _flag("sidewalk_pavement"),
        _flag("water_connection"),
        _flag("closing_remark_required"),
        _ref("debit_type_id"),
        sa.Column("debit_value", Money, nullable=True),
        _flag("value_editable"),
        _flag("charge_interest"),
        _ref("service_type_id"),
        _flag("optional_order"),
        sa.Column("service_types", Json, nullable=False),
        _ref("unit_id"),
        _ref("property_situation_id"),
        _flag("check_debts"),
        _flag("alternative_due_date"),
        _flag("duplicate_payment"),
        _flag("document_required"),
        _flag("validate_responsible_document"),
        sa.Column("document_channel_ids", Json, nullable=False),
        _flag("urgent"),
        _flag("auto_close"),
        _ref("new_request_specification_id"),
        _ref("message_id"),
        sa.Column("validation_codes", Json, nullable=False),
        _flag("active"),
        _version(),
        sa.Index(f"ix_{b.name('request_specification')}_type", "request_type_id"),
    )


def _routing(b: TableBuilder) -> None:
    """The situation profiles and the units by locality, collection situation and group."""
    b.table(
        "situation_profile",
        _id(),
        sa.Column("description", sa.String(50), nullable=False),
        sa.Column("criteria", Json, nullable=False),
        _flag("active"),
        _version(),
    )
    b.table(
        "locality_specification_unit",
        _id(),
        _ref("locality_id", nullable=False),
        _ref("specification_id", nullable=False),
        _ref("unit_id", nullable=False),
        _version(),
        sa.Index(
            f"ix_{b.name('locality_specification_unit')}_key",
            "locality_id",
            "specification_id",
        ),
    )
    b.table(
        "collection_situation_unit",
        _id(),
        _ref("specification_id", nullable=False),
        _ref("collection_situation_id", nullable=False),
        _ref("unit_id", nullable=False),
        _version(),
        sa.Index(
            f"ix_{b.name('collection_situation_unit')}_key",
            "specification_id",
            "collection_situation_id",
        ),
    )
    b.table(
        "locality_group_unit",
        _id(),
        _ref("locality_id", nullable=False),
        _ref("group_id", nullable=False),
        _ref("unit_id", nullable=False),
        _version(),
        sa.Index(f"ix_{b.name('locality_group_unit')}_key", "locality_id", "group_id"),
    )


def _operations(b: TableBuilder) -> None:
    _commands(b)
    _records(b)


def _commands(b: TableBuilder) -> None:
    """The closing commands and the manual number blocks."""
    b.table(
        "closing_command",
        _id(),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        _ref("reason_id", nullable=False),
        _ref("responsible_id", nullable=False),
        _ref("attendance_unit_id"),
        _ref("current_unit_id"),
        _ref("superior_unit_id"),
        sa.Column("specification_ids", Json, nullable=False),
        _at("issued_at", nullable=False),
        _ref("issued_by", nullable=False),
        _at("started_at"),
        _at("finished_at"),
        sa.Column("closed_requests", sa.Integer, nullable=False),
        sa.Column("closed_orders", sa.Integer, nullable=False),
        _version(),
    )
    b.table(
        "manual_number_block",
        _id(),
        _ref("unit_id", nullable=False),
        _ref("first_number", nullable=False),
        _ref("last_number", nullable=False),
        _at("generated_at", nullable=False),
        _ref("generated_by", nullable=False),
        _version(),
    )


def _records(b: TableBuilder) -> None:
    """The operational occurrences, satisfaction surveys and regulator records."""
    b.table(
        "operational_occurrence",
        _id(),
        _ref("type_id", nullable=False),
        _ref("reason_id", nullable=False),
        _ref("municipality_id"),
        _ref("locality_id"),
        _ref("neighbourhood_id"),
        sa.Column("description", sa.String(200), nullable=False),
        _text("affected_areas", 200),
        _at("occurred_at", nullable=False),
        _at("forecast_at"),
        _at("rescheduled_at"),
        _at("concluded_at"),
        _text("observation", 400),
        _version(),
        sa.Index(f"ix_{b.name('operational_occurrence')}_type", "type_id", "reason_id"),
    )
    b.table(
        "satisfaction_survey",
        _id(),
        _ref("request_id", nullable=False),
        _flag("well_served"),
        _flag("resolved"),
        _flag("field_team_contact"),
        sa.Column("grade", sa.SmallInteger, nullable=False),
        _text("well_served_comment", 400),
        _text("resolved_comment", 400),
        _text("field_team_comment", 400),
        _text("comment", 400),
        _at("answered_at", nullable=False),
        _version(),
        sa.Index(
            f"ix_{b.name('satisfaction_survey')}_request", "request_id", unique=True
        ),
    )
    b.table(
        "regulator_record",
        _id(),
        _ref("request_id", nullable=False),
        sa.Column("protocol_number", sa.String(30), nullable=False),
        sa.Column("situation", sa.SmallInteger, nullable=False),
        sa.Column("request_situation", sa.SmallInteger, nullable=False),
        _ref("complaint_reason_id", nullable=False),
        _at("complained_at", nullable=False),
        _text("complaint", 400),
        sa.Column("original_forecast", sa.Date, nullable=False),
        sa.Column("current_forecast", sa.Date, nullable=False),
        _at("returned_at"),
        _ref("return_reason_id"),
        _text("return_text", 400),
        _ref("closing_reason_id"),
        _text("contact_name", 60),
        _text("contact_email", 80),
        _text("contact_phone", 20),
        _version(),
        sa.Index(f"ix_{b.name('regulator_record')}_request", "request_id"),
    )
