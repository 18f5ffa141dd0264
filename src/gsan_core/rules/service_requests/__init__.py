"""Rules of the service-request (RA) lifecycle.

The lifecycle is data: :data:`TRANSITIONS` maps ``(situation, action)`` to the
situation after. Numbered rules (``domain/service-requests.md`` §3): INS-01..25
(opening), UPD-01..07 (the place of the occurrence), TRM-01..15 (forwarding, in
GSAN's order, first failure only), ENC-01..15 (closing), REA-01..06
(reactivation), REI-01..04 (reiteration), CMD-01..07 (batch closing command),
NUM-01..07 (manual numbering), SIMP-01..07 (simplified requests and operational
occurrences), SAT-01..04 (satisfaction survey) and ARG-01..07 (regulatory agency).

Routing, deadlines and AUTH-01 are in :mod:`gsan_core.rules.request_routing`; the
configuration rules (CFG-01..08) in :mod:`gsan_core.rules.request_configuration`.
"""

from __future__ import annotations

from gsan_core.rules.service_requests.closing import (
    CloseFacts,
    check_close,
    check_reactivate,
    check_reiterate,
)
from gsan_core.rules.service_requests.commands import (
    check_closing_command,
    commands_overlap,
)
from gsan_core.rules.service_requests.forwarding import ForwardFacts, check_forward
from gsan_core.rules.service_requests.lifecycle import (
    CLOSING_REMARK_MAX,
    DEFAULT_OPENING_REMARK,
    TRANSITIONS,
    transition,
)
from gsan_core.rules.service_requests.lifecycle import (
    OBSERVATION_MAX as OBSERVATION_MAX,
)
from gsan_core.rules.service_requests.lifecycle import (
    REACTIVATION_TEXT_MAX as REACTIVATION_TEXT_MAX,
)
from gsan_core.rules.service_requests.lifecycle import (
    ROUTING_REMARK_MAX as ROUTING_REMARK_MAX,
)
from gsan_core.rules.service_requests.lifecycle import B as B
from gsan_core.rules.service_requests.lifecycle import C as C
from gsan_core.rules.service_requests.lifecycle import P as P
from gsan_core.rules.service_requests.messages import (
    ATTENDANCE_DATE_IN_FUTURE as ATTENDANCE_DATE_IN_FUTURE,
)
from gsan_core.rules.service_requests.messages import (
    ATTENDANCE_TIME_IN_FUTURE as ATTENDANCE_TIME_IN_FUTURE,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_ALREADY_CLOSED as CLOSE_ALREADY_CLOSED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_CONCURRENT as CLOSE_CONCURRENT,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_DATE_BEFORE_ATTENDANCE as CLOSE_DATE_BEFORE_ATTENDANCE,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_DATE_BEFORE_ORDERS as CLOSE_DATE_BEFORE_ORDERS,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_DATE_IN_FUTURE as CLOSE_DATE_IN_FUTURE,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_EXECUTED_WITH_OPEN_ORDERS as CLOSE_EXECUTED_WITH_OPEN_ORDERS,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_FIELD_REQUIRED as CLOSE_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_NOT_AUTHORISED as CLOSE_NOT_AUTHORISED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_ORDER_SCHEDULED as CLOSE_ORDER_SCHEDULED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_REFERENCE_CLOSED as CLOSE_REFERENCE_CLOSED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_REFERENCE_ITSELF as CLOSE_REFERENCE_ITSELF,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_REFERENCE_NOT_ALLOWED as CLOSE_REFERENCE_NOT_ALLOWED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_REFERENCE_REQUIRED as CLOSE_REFERENCE_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_REFERENCE_UNKNOWN as CLOSE_REFERENCE_UNKNOWN,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_TIME_BEFORE_ATTENDANCE as CLOSE_TIME_BEFORE_ATTENDANCE,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_TIME_BEFORE_ORDERS as CLOSE_TIME_BEFORE_ORDERS,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_TIME_IN_FUTURE as CLOSE_TIME_IN_FUTURE,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_UNKNOWN_REASON as CLOSE_UNKNOWN_REASON,
)
from gsan_core.rules.service_requests.messages import (
    CUSTOMER_WITHOUT_DOCUMENT as CUSTOMER_WITHOUT_DOCUMENT,
)
from gsan_core.rules.service_requests.messages import (
    DESTINATION_INACTIVE as DESTINATION_INACTIVE,
)
from gsan_core.rules.service_requests.messages import (
    DESTINATION_NOT_ROUTABLE as DESTINATION_NOT_ROUTABLE,
)
from gsan_core.rules.service_requests.messages import (
    DIVISION_INCOMPATIBLE as DIVISION_INCOMPATIBLE,
)
from gsan_core.rules.service_requests.messages import (
    DUE_DATE_CHANGED_RECENTLY as DUE_DATE_CHANGED_RECENTLY,
)
from gsan_core.rules.service_requests.messages import (
    DUPLICATE_PAYMENT_REQUIRED as DUPLICATE_PAYMENT_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    DUPLICATE_PENDING as DUPLICATE_PENDING,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_BEFORE_LAST_STEP as FORWARD_BEFORE_LAST_STEP,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_CLOSED_OR_BLOCKED as FORWARD_CLOSED_OR_BLOCKED,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_CONCURRENT as FORWARD_CONCURRENT,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_CONTRACTOR_FROM_CENTRE_ONLY as FORWARD_CONTRACTOR_FROM_CENTRE_ONLY,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_CONTRACTOR_USER as FORWARD_CONTRACTOR_USER,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_DATE_IN_FUTURE as FORWARD_DATE_IN_FUTURE,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_DESTINATION_INACTIVE as FORWARD_DESTINATION_INACTIVE,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_DESTINATION_NOT_ROUTABLE as FORWARD_DESTINATION_NOT_ROUTABLE,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_MANY_PENDING_ORDERS as FORWARD_MANY_PENDING_ORDERS,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_NO_CONTRACTOR_ORDER as FORWARD_NO_CONTRACTOR_ORDER,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_NOT_AUTHORISED as FORWARD_NOT_AUTHORISED,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_ORDER_AWAITING as FORWARD_ORDER_AWAITING,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_ORDER_IN_EXECUTION as FORWARD_ORDER_IN_EXECUTION,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_ORDER_SCHEDULED as FORWARD_ORDER_SCHEDULED,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_SAME_INSTANT as FORWARD_SAME_INSTANT,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_SAME_UNIT as FORWARD_SAME_UNIT,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_TIME_IN_FUTURE as FORWARD_TIME_IN_FUTURE,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_UNKNOWN_DESTINATION as FORWARD_UNKNOWN_DESTINATION,
)
from gsan_core.rules.service_requests.messages import (
    FORWARD_WRONG_CENTRE as FORWARD_WRONG_CENTRE,
)
from gsan_core.rules.service_requests.messages import (
    GENERAL_OUTAGE_OPEN as GENERAL_OUTAGE_OPEN,
)
from gsan_core.rules.service_requests.messages import (
    LOCATION_FIELD_REQUIRED as LOCATION_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    LOCATION_REQUIRED as LOCATION_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_ALREADY_USED as MANUAL_ALREADY_USED,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_NOT_ISSUED as MANUAL_NOT_ISSUED,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_NOT_NUMERIC as MANUAL_NOT_NUMERIC,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_QUANTITY_INVALID as MANUAL_QUANTITY_INVALID,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_QUANTITY_OVER_LIMIT as MANUAL_QUANTITY_OVER_LIMIT,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_TOO_SHORT as MANUAL_TOO_SHORT,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_UNKNOWN_UNIT as MANUAL_UNKNOWN_UNIT,
)
from gsan_core.rules.service_requests.messages import (
    MANUAL_WRONG_DIGIT as MANUAL_WRONG_DIGIT,
)
from gsan_core.rules.service_requests.messages import (
    OBSERVATION_REQUIRED as OBSERVATION_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    OPEN_FIELD_REQUIRED as OPEN_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    OTHER_PENDING_ON_PROPERTY as OTHER_PENDING_ON_PROPERTY,
)
from gsan_core.rules.service_requests.messages import (
    PENDING_INDIVIDUAL_OUTAGES as PENDING_INDIVIDUAL_OUTAGES,
)
from gsan_core.rules.service_requests.messages import (
    PROPERTY_WITH_DEBTS as PROPERTY_WITH_DEBTS,
)
from gsan_core.rules.service_requests.messages import (
    PROPERTY_WITHOUT_RESPONSIBLE as PROPERTY_WITHOUT_RESPONSIBLE,
)
from gsan_core.rules.service_requests.messages import (
    REACTIVATE_ALREADY as REACTIVATE_ALREADY,
)
from gsan_core.rules.service_requests.messages import (
    REACTIVATE_DUPLICATE as REACTIVATE_DUPLICATE,
)
from gsan_core.rules.service_requests.messages import (
    REACTIVATE_FIELD_REQUIRED as REACTIVATE_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    REACTIVATE_NOT_AUTHORISED as REACTIVATE_NOT_AUTHORISED,
)
from gsan_core.rules.service_requests.messages import (
    REACTIVATE_NOT_CLOSED as REACTIVATE_NOT_CLOSED,
)
from gsan_core.rules.service_requests.messages import (
    REACTIVATE_REMARK_REQUIRED as REACTIVATE_REMARK_REQUIRED,
)
from gsan_core.rules.service_requests.messages import RECENTLY_CLOSED as RECENTLY_CLOSED
from gsan_core.rules.service_requests.messages import (
    REITERATE_CLOSED_OR_BLOCKED as REITERATE_CLOSED_OR_BLOCKED,
)
from gsan_core.rules.service_requests.messages import (
    REITERATE_CONCURRENT as REITERATE_CONCURRENT,
)
from gsan_core.rules.service_requests.messages import (
    REITERATE_NOT_AUTHORISED as REITERATE_NOT_AUTHORISED,
)
from gsan_core.rules.service_requests.messages import (
    REITERATE_NOT_DUE as REITERATE_NOT_DUE,
)
from gsan_core.rules.service_requests.messages import (
    REQUESTER_FIELD_REQUIRED as REQUESTER_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.messages import (
    REQUESTER_MISSING as REQUESTER_MISSING,
)
from gsan_core.rules.service_requests.messages import (
    RESPONSIBLE_WITHOUT_DOCUMENT as RESPONSIBLE_WITHOUT_DOCUMENT,
)
from gsan_core.rules.service_requests.messages import (
    SAME_SPECIFICATION_AT_ADDRESS as SAME_SPECIFICATION_AT_ADDRESS,
)
from gsan_core.rules.service_requests.messages import (
    SITUATION_MISMATCH as SITUATION_MISMATCH,
)
from gsan_core.rules.service_requests.messages import SUBMITTED_TWICE as SUBMITTED_TWICE
from gsan_core.rules.service_requests.messages import (
    SURVEY_EMAIL_REQUIRED as SURVEY_EMAIL_REQUIRED,
)
from gsan_core.rules.service_requests.messages import TEXT_TOO_LONG as TEXT_TOO_LONG
from gsan_core.rules.service_requests.messages import (
    UNIT_CANNOT_OPEN as UNIT_CANNOT_OPEN,
)
from gsan_core.rules.service_requests.messages import (
    UNKNOWN_ATTENDANCE_UNIT as UNKNOWN_ATTENDANCE_UNIT,
)
from gsan_core.rules.service_requests.messages import UNKNOWN_CHANNEL as UNKNOWN_CHANNEL
from gsan_core.rules.service_requests.messages import (
    UNKNOWN_DESTINATION as UNKNOWN_DESTINATION,
)
from gsan_core.rules.service_requests.messages import UNKNOWN_PLACE as UNKNOWN_PLACE
from gsan_core.rules.service_requests.messages import (
    UNKNOWN_REQUESTER_UNIT as UNKNOWN_REQUESTER_UNIT,
)
from gsan_core.rules.service_requests.messages import (
    UNKNOWN_SPECIFICATION as UNKNOWN_SPECIFICATION,
)
from gsan_core.rules.service_requests.messages import UPDATE_CLOSED as UPDATE_CLOSED
from gsan_core.rules.service_requests.messages import (
    UPDATE_CONCURRENT as UPDATE_CONCURRENT,
)
from gsan_core.rules.service_requests.messages import (
    UPDATE_DUE_BEFORE_ATTENDANCE as UPDATE_DUE_BEFORE_ATTENDANCE,
)
from gsan_core.rules.service_requests.messages import (
    UPDATE_DUPLICATE as UPDATE_DUPLICATE,
)
from gsan_core.rules.service_requests.messages import (
    UPDATE_NOT_AUTHORISED as UPDATE_NOT_AUTHORISED,
)
from gsan_core.rules.service_requests.messages import (
    UPDATE_NOTHING as UPDATE_NOTHING,
)
from gsan_core.rules.service_requests.messages import (
    UPDATE_ORDER_SCHEDULED as UPDATE_ORDER_SCHEDULED,
)
from gsan_core.rules.service_requests.messages import (
    WAIT_END_BEFORE_START as WAIT_END_BEFORE_START,
)
from gsan_core.rules.service_requests.messages import WAIT_IN_FUTURE as WAIT_IN_FUTURE
from gsan_core.rules.service_requests.numbering import (
    check_digit,
    check_manual_generation,
    check_manual_number,
    format_manual_number,
    parse_manual_number,
    with_check_digit,
)
from gsan_core.rules.service_requests.opening import (
    OpeningFacts,
    check_destination,
    check_due_date_change,
    check_location_change,
    check_open,
    check_text,
    opening_warnings,
    property_matches,
    situation_on_open,
    valid_cpf,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_EXISTS as COMMAND_EXISTS,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_FIELD_REQUIRED as COMMAND_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_NO_SUBORDINATES as COMMAND_NO_SUBORDINATES,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_NOT_AUTHORISED as COMMAND_NOT_AUTHORISED,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_NOT_AUTHORISED_CURRENT as COMMAND_NOT_AUTHORISED_CURRENT,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_NOT_AUTHORISED_SUPERIOR as COMMAND_NOT_AUTHORISED_SUPERIOR,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_PERIOD_INVALID as COMMAND_PERIOD_INVALID,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_REASON_NOT_ALLOWED as COMMAND_REASON_NOT_ALLOWED,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_SPECIFICATION_NOT_ALLOWED as COMMAND_SPECIFICATION_NOT_ALLOWED,
)
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_UNKNOWN_UNIT as COMMAND_UNKNOWN_UNIT,
)
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_CONCLUDED as OCCURRENCE_CONCLUDED,
)
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_CONCURRENT as OCCURRENCE_CONCURRENT,
)
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_EXISTS as OCCURRENCE_EXISTS,
)
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_FIELD_REQUIRED as OCCURRENCE_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_IN_USE as OCCURRENCE_IN_USE,
)
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_REASON_OF_OTHER_TYPE as OCCURRENCE_REASON_OF_OTHER_TYPE,
)
from gsan_core.rules.service_requests.record_messages import (
    REGULATOR_DUPLICATE as REGULATOR_DUPLICATE,
)
from gsan_core.rules.service_requests.record_messages import (
    REGULATOR_FIELD_REQUIRED as REGULATOR_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.record_messages import (
    REGULATOR_NO_FILTER as REGULATOR_NO_FILTER,
)
from gsan_core.rules.service_requests.record_messages import (
    REGULATOR_NOT_PENDING as REGULATOR_NOT_PENDING,
)
from gsan_core.rules.service_requests.record_messages import (
    REGULATOR_UNKNOWN_REASON as REGULATOR_UNKNOWN_REASON,
)
from gsan_core.rules.service_requests.record_messages import (
    REGULATOR_UNKNOWN_REQUEST as REGULATOR_UNKNOWN_REQUEST,
)
from gsan_core.rules.service_requests.record_messages import (
    SIMPLIFIED_FIELD_REQUIRED as SIMPLIFIED_FIELD_REQUIRED,
)
from gsan_core.rules.service_requests.record_messages import (
    SIMPLIFIED_IDENTITY_INCOMPLETE as SIMPLIFIED_IDENTITY_INCOMPLETE,
)
from gsan_core.rules.service_requests.record_messages import (
    SIMPLIFIED_INVALID_CPF as SIMPLIFIED_INVALID_CPF,
)
from gsan_core.rules.service_requests.record_messages import (
    SIMPLIFIED_REFERENCE_REQUIRED as SIMPLIFIED_REFERENCE_REQUIRED,
)
from gsan_core.rules.service_requests.record_messages import (
    SIMPLIFIED_UNKNOWN_OCCURRENCE as SIMPLIFIED_UNKNOWN_OCCURRENCE,
)
from gsan_core.rules.service_requests.record_messages import (
    SIMPLIFIED_UNKNOWN_REFERENCE as SIMPLIFIED_UNKNOWN_REFERENCE,
)
from gsan_core.rules.service_requests.record_messages import (
    SURVEY_ALREADY_ANSWERED as SURVEY_ALREADY_ANSWERED,
)
from gsan_core.rules.service_requests.record_messages import (
    SURVEY_ANSWER_REQUIRED as SURVEY_ANSWER_REQUIRED,
)
from gsan_core.rules.service_requests.record_messages import (
    SURVEY_GRADE_INVALID as SURVEY_GRADE_INVALID,
)
from gsan_core.rules.service_requests.record_messages import (
    SURVEY_NOT_CLOSED as SURVEY_NOT_CLOSED,
)
from gsan_core.rules.service_requests.records import (
    check_occurrence,
    check_regulator_record,
    check_regulator_return,
    check_simplified,
    check_survey,
)

__all__ = [
    "CLOSING_REMARK_MAX",
    "DEFAULT_OPENING_REMARK",
    "TRANSITIONS",
    "CloseFacts",
    "ForwardFacts",
    "OpeningFacts",
    "check_close",
    "check_closing_command",
    "check_destination",
    "check_digit",
    "check_due_date_change",
    "check_forward",
    "check_location_change",
    "check_manual_generation",
    "check_manual_number",
    "check_occurrence",
    "check_open",
    "check_reactivate",
    "check_regulator_record",
    "check_regulator_return",
    "check_reiterate",
    "check_simplified",
    "check_survey",
    "check_text",
    "commands_overlap",
    "format_manual_number",
    "opening_warnings",
    "parse_manual_number",
    "property_matches",
    "situation_on_open",
    "transition",
    "valid_cpf",
    "with_check_digit",
]
