"""Rules of the water and sewer connections: connect, cut, administrative cut,
suppression, reconnection, restoration, the sewer billing situation, minimum
consumption and volume, "alterar situação da ligação", data updates, CAEMA's
"factível faturável" sewer and the batches (``domain/connections.md`` §3).

Every operation is described once in :data:`OPERATIONS` (its GSAN ``Operacao``,
the OS check of the menu path, whether it charges, whether the "in field" lock
applies, the situation it moves to); the allowed *source* situations are the
utility profile's ``transitions[<key>]`` and the situations themselves are the
profile's roles (``water_status.connected``...). The docs render the table from
this data and the state-machine tests are generated from it.

Numbered rules: V-LA1..9, V-CO1..9, V-SU1..8, V-LE1..10, V-AS1..7 of the domain
notes; the shared checks C-ATV, C-LA, C-CAMPO; and the library's numbering of the
rules GSAN states without a number: V-CAD (administrative cut), V-RL
(reconnection), V-RS (restoration), V-MB (sewer billing situation), V-CM / V-VM
(minimum consumption / volume), V-UP / V-UE (water / sewer data update), V-CT
(cut type change), V-FF (CAEMA factível faturável), V-NO ("sem RA"), C-DATE
(dates: never in the future, never before the event they follow), and for the
"com hidrômetro" operations V-LAH (connection with a meter installation),
V-RLH (reconnection with one), V-RSH (restoration with one) and C-HID (their
meter data given; C-HID3: a cut reading fits the meter). The meter's own rules
are the hydrometer area's (V-LAH1 is I-9, V-LAH2 is I-10 / I-12, V-RSH4 is
I-11; the replacements S-7..S-13): an operation's :attr:`OperationSpec.meter`
says which meter step the service runs with it, in the same unit of work.
"""

from __future__ import annotations

from gsan_core.rules.connections.checks import coupled_sewer, role_id
from gsan_core.rules.connections.facts import (
    CatalogLookup,
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    SewerBillingChange,
    SituationStep,
)
from gsan_core.rules.connections.facts import Outcome as Outcome
from gsan_core.rules.connections.facts import Rule as Rule
from gsan_core.rules.connections.messages import (
    ADMINISTRATIVE_CUT_STATUS as ADMINISTRATIVE_CUT_STATUS,
)
from gsan_core.rules.connections.messages import (
    BILLING_NO_TRANSITION as BILLING_NO_TRANSITION,
)
from gsan_core.rules.connections.messages import (
    BILLING_SEWER_STATUS as BILLING_SEWER_STATUS,
)
from gsan_core.rules.connections.messages import (
    BILLING_WATER_STATUS as BILLING_WATER_STATUS,
)
from gsan_core.rules.connections.messages import CHANGE_DEBTS as CHANGE_DEBTS
from gsan_core.rules.connections.messages import (
    CHANGE_ORDER_CLOSED as CHANGE_ORDER_CLOSED,
)
from gsan_core.rules.connections.messages import (
    CHANGE_SITUATION_NOT_OFFERED as CHANGE_SITUATION_NOT_OFFERED,
)
from gsan_core.rules.connections.messages import (
    CHANGE_TARGET_REQUIRED as CHANGE_TARGET_REQUIRED,
)
from gsan_core.rules.connections.messages import (
    CHANGE_WATER_METER as CHANGE_WATER_METER,
)
from gsan_core.rules.connections.messages import CHANGE_WELL_METER as CHANGE_WELL_METER
from gsan_core.rules.connections.messages import (
    CHANGE_WRONG_SERVICE_TYPE as CHANGE_WRONG_SERVICE_TYPE,
)
from gsan_core.rules.connections.messages import (
    COLLECTION_PERMISSION as COLLECTION_PERMISSION,
)
from gsan_core.rules.connections.messages import (
    CONNECT_METER_STATUS as CONNECT_METER_STATUS,
)
from gsan_core.rules.connections.messages import (
    CONNECT_SEWER_PROPERTY_INACTIVE as CONNECT_SEWER_PROPERTY_INACTIVE,
)
from gsan_core.rules.connections.messages import (
    CONNECT_SEWER_STATUS as CONNECT_SEWER_STATUS,
)
from gsan_core.rules.connections.messages import (
    CONNECT_WATER_PROPERTY_INACTIVE as CONNECT_WATER_PROPERTY_INACTIVE,
)
from gsan_core.rules.connections.messages import (
    CONNECT_WATER_STATUS as CONNECT_WATER_STATUS,
)
from gsan_core.rules.connections.messages import CUT_STATUS as CUT_STATUS
from gsan_core.rules.connections.messages import (
    CUT_TYPE_ADMINISTRATIVE as CUT_TYPE_ADMINISTRATIVE,
)
from gsan_core.rules.connections.messages import (
    CUT_TYPE_NOT_ADMINISTRATIVE as CUT_TYPE_NOT_ADMINISTRATIVE,
)
from gsan_core.rules.connections.messages import CUT_TYPE_STATUS as CUT_TYPE_STATUS
from gsan_core.rules.connections.messages import DATE_IN_FUTURE as DATE_IN_FUTURE
from gsan_core.rules.connections.messages import DATE_TOO_EARLY as DATE_TOO_EARLY
from gsan_core.rules.connections.messages import (
    FEASIBLE_BILLABLE_STATUS as FEASIBLE_BILLABLE_STATUS,
)
from gsan_core.rules.connections.messages import FEATURE_DISABLED as FEATURE_DISABLED
from gsan_core.rules.connections.messages import METER_REQUIRED as METER_REQUIRED
from gsan_core.rules.connections.messages import (
    MINIMUM_BELOW_CALCULATED as MINIMUM_BELOW_CALCULATED,
)
from gsan_core.rules.connections.messages import NEGATIVE_VALUE as NEGATIVE_VALUE
from gsan_core.rules.connections.messages import (
    NO_SEWER_CONNECTION as NO_SEWER_CONNECTION,
)
from gsan_core.rules.connections.messages import NO_SEWER_NETWORK as NO_SEWER_NETWORK
from gsan_core.rules.connections.messages import (
    NO_WATER_CONNECTION as NO_WATER_CONNECTION,
)
from gsan_core.rules.connections.messages import NO_WATER_NETWORK as NO_WATER_NETWORK
from gsan_core.rules.connections.messages import NOT_PPP_LOCALITY as NOT_PPP_LOCALITY
from gsan_core.rules.connections.messages import (
    ORDER_REQUIRED as ORDER_REQUIRED,
)
from gsan_core.rules.connections.messages import (
    PERCENTAGE_OUT_OF_RANGE as PERCENTAGE_OUT_OF_RANGE,
)
from gsan_core.rules.connections.messages import PROPERTY_IN_FIELD as PROPERTY_IN_FIELD
from gsan_core.rules.connections.messages import PROPERTY_INACTIVE as PROPERTY_INACTIVE
from gsan_core.rules.connections.messages import (
    RECONNECT_METER_INACTIVE as RECONNECT_METER_INACTIVE,
)
from gsan_core.rules.connections.messages import (
    RECONNECT_METER_STATUS as RECONNECT_METER_STATUS,
)
from gsan_core.rules.connections.messages import RECONNECT_STATUS as RECONNECT_STATUS
from gsan_core.rules.connections.messages import (
    REPLACEMENT_REQUIRED as REPLACEMENT_REQUIRED,
)
from gsan_core.rules.connections.messages import REQUIRED as REQUIRED
from gsan_core.rules.connections.messages import (
    RESTORE_METER_INACTIVE as RESTORE_METER_INACTIVE,
)
from gsan_core.rules.connections.messages import (
    RESTORE_METER_NO_NETWORK as RESTORE_METER_NO_NETWORK,
)
from gsan_core.rules.connections.messages import (
    RESTORE_METER_STATUS as RESTORE_METER_STATUS,
)
from gsan_core.rules.connections.messages import RESTORE_STATUS as RESTORE_STATUS
from gsan_core.rules.connections.messages import SUPPRESS_STATUS as SUPPRESS_STATUS
from gsan_core.rules.connections.messages import SUPPRESSION_DEBTS as SUPPRESSION_DEBTS
from gsan_core.rules.connections.messages import (
    SUPPRESSION_PERMISSION as SUPPRESSION_PERMISSION,
)
from gsan_core.rules.connections.messages import (
    SUPPRESSION_TYPE_MISMATCH as SUPPRESSION_TYPE_MISMATCH,
)
from gsan_core.rules.connections.messages import (
    TARIFF_NOT_ALLOWED as TARIFF_NOT_ALLOWED,
)
from gsan_core.rules.connections.messages import UNKNOWN_REFERENCE as UNKNOWN_REFERENCE
from gsan_core.rules.connections.messages import UPDATE_CUT_DATA as UPDATE_CUT_DATA
from gsan_core.rules.connections.messages import (
    UPDATE_ORDER_TOO_OLD as UPDATE_ORDER_TOO_OLD,
)
from gsan_core.rules.connections.messages import (
    UPDATE_SEWER_STATUS as UPDATE_SEWER_STATUS,
)
from gsan_core.rules.connections.messages import (
    UPDATE_SUPPRESSION_DATA as UPDATE_SUPPRESSION_DATA,
)
from gsan_core.rules.connections.messages import (
    UPDATE_WATER_STATUS as UPDATE_WATER_STATUS,
)
from gsan_core.rules.connections.messages import (
    VOLUME_BELOW_CALCULATED as VOLUME_BELOW_CALCULATED,
)
from gsan_core.rules.connections.messages import (
    WITHOUT_ORDER_PERMISSION as WITHOUT_ORDER_PERMISSION,
)
from gsan_core.rules.connections.messages import (
    WRONG_SERVICE_TYPE as WRONG_SERVICE_TYPE,
)
from gsan_core.rules.connections.meters import meter_part
from gsan_core.rules.connections.operations import METER_TEXT as METER_TEXT
from gsan_core.rules.connections.operations import (
    OPERATIONS,
    MeterStep,
    OperationSpec,
    TransitionRow,
    transition_rows,
)
from gsan_core.rules.connections.operations import Family as Family
from gsan_core.rules.connections.operations import MenuVariant as MenuVariant
from gsan_core.rules.connections.registry import INPUTS as INPUTS
from gsan_core.rules.connections.registry import (
    check_operation,
    decide_operation,
    evaluate_operation,
)
from gsan_core.rules.connections.sewer import SEWER_BILLING_WATER as SEWER_BILLING_WATER
from gsan_core.rules.connections.sewer import sewer_billing_change
from gsan_core.rules.connections.situation import (
    offered_situations as offered_situations,
)
from gsan_core.rules.connections.water import MAX_SEAL as MAX_SEAL
from gsan_core.rules.connections.water import reconnection_cut_limit

__all__ = [
    "OPERATIONS",
    "CatalogLookup",
    "ConnectionContext",
    "ConnectionDecision",
    "ConnectionFacts",
    "MeterStep",
    "OperationSpec",
    "SewerBillingChange",
    "SituationStep",
    "TransitionRow",
    "check_operation",
    "coupled_sewer",
    "decide_operation",
    "evaluate_operation",
    "meter_part",
    "reconnection_cut_limit",
    "role_id",
    "sewer_billing_change",
    "transition_rows",
]
