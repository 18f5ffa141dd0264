"""Rules of the service-order lifecycle: generation, update, closing, references,
and the commercial operation run at most once per OS.

The lifecycle is data: :data:`TRANSITIONS` maps ``(situation, action)`` to the
situation after; every rule that moves an OS consults it, the docs render it and
the state machine tests are generated from it.

Numbered rules (``domain/service-orders.md`` §3): GEN-01..09, UPD-01..04,
ENC-03..17, REF-01..08, COM-01..08.
"""

from __future__ import annotations

from gsan_core.rules.service_orders.closing import (
    allowed_closing_reasons,
    check_charge_request,
    check_close,
    check_closing_user,
    check_execution,
)
from gsan_core.rules.service_orders.commercial import (
    check_charged_property,
    check_has_property,
    check_menu_path,
    check_type_matches,
)
from gsan_core.rules.service_orders.generation import (
    check_generation,
    check_update,
    reference_spec,
)
from gsan_core.rules.service_orders.lifecycle import (
    CHARGE_PERCENTAGES,
    TRANSITIONS,
    ChargeRequest,
    CloseRequest,
    MenuVariant,
    RequestFacts,
    check_transition,
    transition,
)
from gsan_core.rules.service_orders.lifecycle import MAX_OBSERVATION as MAX_OBSERVATION
from gsan_core.rules.service_orders.lifecycle import MAX_REMARK as MAX_REMARK
from gsan_core.rules.service_orders.lifecycle import A as A
from gsan_core.rules.service_orders.lifecycle import C as C
from gsan_core.rules.service_orders.lifecycle import E as E
from gsan_core.rules.service_orders.lifecycle import P as P
from gsan_core.rules.service_orders.messages import (
    ACTIVITIES_REQUIRED as ACTIVITIES_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    AUTOMATIC_CLOSING_ONLY as AUTOMATIC_CLOSING_ONLY,
)
from gsan_core.rules.service_orders.messages import (
    CHARGED_ORDER_WITHOUT_PROPERTY as CHARGED_ORDER_WITHOUT_PROPERTY,
)
from gsan_core.rules.service_orders.messages import (
    CLOSED_ORDER_UNCHANGEABLE as CLOSED_ORDER_UNCHANGEABLE,
)
from gsan_core.rules.service_orders.messages import (
    CLOSING_DATE_IN_FUTURE as CLOSING_DATE_IN_FUTURE,
)
from gsan_core.rules.service_orders.messages import (
    CLOSING_DATE_TOO_EARLY as CLOSING_DATE_TOO_EARLY,
)
from gsan_core.rules.service_orders.messages import (
    CLOSING_REASON_NOT_ALLOWED as CLOSING_REASON_NOT_ALLOWED,
)
from gsan_core.rules.service_orders.messages import (
    COMMERCIAL_ALREADY_APPLIED as COMMERCIAL_ALREADY_APPLIED,
)
from gsan_core.rules.service_orders.messages import (
    CUT_ORDER_NO_DEBTS as CUT_ORDER_NO_DEBTS,
)
from gsan_core.rules.service_orders.messages import (
    CUT_ORDER_NO_NOTICE as CUT_ORDER_NO_NOTICE,
)
from gsan_core.rules.service_orders.messages import (
    CUT_ORDER_TYPE_MISSING as CUT_ORDER_TYPE_MISSING,
)
from gsan_core.rules.service_orders.messages import (
    CUT_ORDER_WATER_STATUS as CUT_ORDER_WATER_STATUS,
)
from gsan_core.rules.service_orders.messages import DATE_REQUIRED as DATE_REQUIRED
from gsan_core.rules.service_orders.messages import (
    DIAGNOSIS_REMARK_REQUIRED as DIAGNOSIS_REMARK_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    EXECUTION_ACTIVITY_REPEATED as EXECUTION_ACTIVITY_REPEATED,
)
from gsan_core.rules.service_orders.messages import (
    EXECUTION_DATE_OUT_OF_RANGE as EXECUTION_DATE_OUT_OF_RANGE,
)
from gsan_core.rules.service_orders.messages import (
    EXECUTION_END_BEFORE_START as EXECUTION_END_BEFORE_START,
)
from gsan_core.rules.service_orders.messages import (
    EXECUTION_TEAM_REQUIRED as EXECUTION_TEAM_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    EXECUTION_UNKNOWN_ACTIVITY as EXECUTION_UNKNOWN_ACTIVITY,
)
from gsan_core.rules.service_orders.messages import (
    EXECUTION_UNKNOWN_TEAM as EXECUTION_UNKNOWN_TEAM,
)
from gsan_core.rules.service_orders.messages import (
    INSPECTION_RESULT_REQUIRED as INSPECTION_RESULT_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    INVALID_INSTALLMENTS as INVALID_INSTALLMENTS,
)
from gsan_core.rules.service_orders.messages import (
    INVALID_PERCENTAGE as INVALID_PERCENTAGE,
)
from gsan_core.rules.service_orders.messages import INVALID_VALUE as INVALID_VALUE
from gsan_core.rules.service_orders.messages import (
    MENU_ORDER_NOT_CLOSED as MENU_ORDER_NOT_CLOSED,
)
from gsan_core.rules.service_orders.messages import (
    MENU_ORDER_NOT_EXECUTED as MENU_ORDER_NOT_EXECUTED,
)
from gsan_core.rules.service_orders.messages import (
    NEW_ORDER_WITHIN_RESTRICTION as NEW_ORDER_WITHIN_RESTRICTION,
)
from gsan_core.rules.service_orders.messages import (
    NEW_SERVICE_TYPE_HAS_REFERENCE as NEW_SERVICE_TYPE_HAS_REFERENCE,
)
from gsan_core.rules.service_orders.messages import (
    NEW_SERVICE_TYPE_OPEN as NEW_SERVICE_TYPE_OPEN,
)
from gsan_core.rules.service_orders.messages import (
    NEW_SERVICE_TYPE_REQUIRED as NEW_SERVICE_TYPE_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    NO_UNIT_FOR_LOCALITY as NO_UNIT_FOR_LOCALITY,
)
from gsan_core.rules.service_orders.messages import (
    NOT_ALLOWED_FROM_SITUATION as NOT_ALLOWED_FROM_SITUATION,
)
from gsan_core.rules.service_orders.messages import (
    OBSERVATION_TOO_LONG as OBSERVATION_TOO_LONG,
)
from gsan_core.rules.service_orders.messages import (
    OPEN_ORDER_FOR_PROPERTY as OPEN_ORDER_FOR_PROPERTY,
)
from gsan_core.rules.service_orders.messages import (
    OPEN_ORDER_OF_SAME_TYPE as OPEN_ORDER_OF_SAME_TYPE,
)
from gsan_core.rules.service_orders.messages import (
    ORDER_WITHOUT_PROPERTY as ORDER_WITHOUT_PROPERTY,
)
from gsan_core.rules.service_orders.messages import (
    OVERDUE_DAYS_INVALID as OVERDUE_DAYS_INVALID,
)
from gsan_core.rules.service_orders.messages import OVERDUE_NOTHING as OVERDUE_NOTHING
from gsan_core.rules.service_orders.messages import (
    OVERDUE_TYPE_NOT_ALLOWED as OVERDUE_TYPE_NOT_ALLOWED,
)
from gsan_core.rules.service_orders.messages import (
    PAVEMENT_NOT_POSITIVE as PAVEMENT_NOT_POSITIVE,
)
from gsan_core.rules.service_orders.messages import (
    PAVEMENT_REQUIRED as PAVEMENT_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    PERMISSION_REQUIRED_FOR_CHARGE as PERMISSION_REQUIRED_FOR_CHARGE,
)
from gsan_core.rules.service_orders.messages import (
    PROPERTY_IN_FIELD as PROPERTY_IN_FIELD,
)
from gsan_core.rules.service_orders.messages import REASON_REQUIRED as REASON_REQUIRED
from gsan_core.rules.service_orders.messages import (
    REFERENCE_ORDER_OTHER_REQUEST as REFERENCE_ORDER_OTHER_REQUEST,
)
from gsan_core.rules.service_orders.messages import (
    REFERENCE_ORDER_REQUIRED as REFERENCE_ORDER_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    REFERENCE_ORDER_WRONG_SITUATION as REFERENCE_ORDER_WRONG_SITUATION,
)
from gsan_core.rules.service_orders.messages import (
    REFERENCE_ORDER_WRONG_TYPE as REFERENCE_ORDER_WRONG_TYPE,
)
from gsan_core.rules.service_orders.messages import REMARK_TOO_LONG as REMARK_TOO_LONG
from gsan_core.rules.service_orders.messages import (
    REQUEST_DOES_NOT_ALLOW_ORDERS as REQUEST_DOES_NOT_ALLOW_ORDERS,
)
from gsan_core.rules.service_orders.messages import (
    REQUEST_NOT_PENDING as REQUEST_NOT_PENDING,
)
from gsan_core.rules.service_orders.messages import (
    RETURN_TYPE_REQUIRED as RETURN_TYPE_REQUIRED,
)
from gsan_core.rules.service_orders.messages import (
    SELECTIVE_CLOSING_DATE_TOO_EARLY as SELECTIVE_CLOSING_DATE_TOO_EARLY,
)
from gsan_core.rules.service_orders.messages import (
    TOO_MANY_INSTALLMENTS as TOO_MANY_INSTALLMENTS,
)
from gsan_core.rules.service_orders.messages import (
    UNKNOWN_NON_CHARGE_REASON as UNKNOWN_NON_CHARGE_REASON,
)
from gsan_core.rules.service_orders.messages import (
    UNKNOWN_SERVICE_TYPE as UNKNOWN_SERVICE_TYPE,
)
from gsan_core.rules.service_orders.messages import (
    USER_NOT_AUTHORISED_FOR_REQUEST as USER_NOT_AUTHORISED_FOR_REQUEST,
)
from gsan_core.rules.service_orders.messages import (
    VALUE_NOT_EDITABLE as VALUE_NOT_EDITABLE,
)
from gsan_core.rules.service_orders.messages import (
    WRONG_SERVICE_TYPE_FOR_OPERATION as WRONG_SERVICE_TYPE_FOR_OPERATION,
)
from gsan_core.rules.service_orders.origins import (
    bills_in_period,
    check_collection_unit,
    check_cut_order,
    check_overdue_request,
    check_property_uniqueness,
    check_restriction_window,
    last_closing,
    overdue_cutoff,
)

__all__ = [
    "CHARGE_PERCENTAGES",
    "TRANSITIONS",
    "ChargeRequest",
    "CloseRequest",
    "MenuVariant",
    "RequestFacts",
    "allowed_closing_reasons",
    "bills_in_period",
    "check_charge_request",
    "check_charged_property",
    "check_close",
    "check_closing_user",
    "check_collection_unit",
    "check_cut_order",
    "check_execution",
    "check_generation",
    "check_has_property",
    "check_menu_path",
    "check_overdue_request",
    "check_property_uniqueness",
    "check_restriction_window",
    "check_transition",
    "check_type_matches",
    "check_update",
    "last_closing",
    "overdue_cutoff",
    "reference_spec",
    "transition",
]
