"""Rules of the hydrometer area (``domain/hydrometers.md``).

Pure functions over facts the services load: the meter stock and its number
layout (§1.12, H-1..H-12), the installation history (§2), the operations run by a
service order (§3: OS-5/OS-6, I-7..I-15, R-7..R-11, S-7..S-13, M-7..M-9, A-2..A-8)
and the stock movements (§3.6, V-1..V-6). The meter's situation lifecycle is data:
:data:`SITUATION_TRANSITIONS`, over the profile's situation roles.

Rules GSAN does not have, added so that installation periods never overlap, are
numbered after GSAN's: I-14/I-15 (installation date), R-11 (removal date), S-13
(replacement date), H-13 (CAGEPA's turbine letter).
"""

from __future__ import annotations

from gsan_core.rules.hydrometers.anomalies import check_anomaly_action
from gsan_core.rules.hydrometers.checks import (
    check_point_situation,
    check_property,
    check_reading,
    check_well_type,
)
from gsan_core.rules.hydrometers.installation import (
    IncomingMeter,
    InstallationChanges,
    NewInstallation,
    Removal,
    check_installation_update,
    check_new_installation,
    check_relocation,
    check_removal,
    check_update_window,
    removal_outcome,
)
from gsan_core.rules.hydrometers.messages import (
    ACQUIRED_BEFORE_MANUFACTURE as ACQUIRED_BEFORE_MANUFACTURE,
)
from gsan_core.rules.hydrometers.messages import (
    ACQUIRED_IN_FUTURE as ACQUIRED_IN_FUTURE,
)
from gsan_core.rules.hydrometers.messages import (
    ACQUIRED_TOO_EARLY as ACQUIRED_TOO_EARLY,
)
from gsan_core.rules.hydrometers.messages import (
    ANOMALY_REFERENCE_MISSING as ANOMALY_REFERENCE_MISSING,
)
from gsan_core.rules.hydrometers.messages import (
    ANOMALY_STEP_MONTHS as ANOMALY_STEP_MONTHS,
)
from gsan_core.rules.hydrometers.messages import BRAND_MISMATCH as BRAND_MISMATCH
from gsan_core.rules.hydrometers.messages import CAPACITY_MISMATCH as CAPACITY_MISMATCH
from gsan_core.rules.hydrometers.messages import (
    CUT_READING_REQUIRED as CUT_READING_REQUIRED,
)
from gsan_core.rules.hydrometers.messages import (
    DESTINATION_UNKNOWN as DESTINATION_UNKNOWN,
)
from gsan_core.rules.hydrometers.messages import (
    DIGITS_OUT_OF_RANGE as DIGITS_OUT_OF_RANGE,
)
from gsan_core.rules.hydrometers.messages import (
    DUPLICATE_ANOMALY_ACTION as DUPLICATE_ANOMALY_ACTION,
)
from gsan_core.rules.hydrometers.messages import (
    INSTALLATION_REFERENCE_MISSING as INSTALLATION_REFERENCE_MISSING,
)
from gsan_core.rules.hydrometers.messages import (
    INSTALLED_IN_FUTURE as INSTALLED_IN_FUTURE,
)
from gsan_core.rules.hydrometers.messages import (
    LOCATION_INCOMPATIBLE as LOCATION_INCOMPATIBLE,
)
from gsan_core.rules.hydrometers.messages import LOCATION_REQUIRED, RANGE_EMPTY
from gsan_core.rules.hydrometers.messages import LOCATION_UNKNOWN as LOCATION_UNKNOWN
from gsan_core.rules.hydrometers.messages import MALFORMED_FIXED as MALFORMED_FIXED
from gsan_core.rules.hydrometers.messages import MALFORMED_NUMBER as MALFORMED_NUMBER
from gsan_core.rules.hydrometers.messages import METER_IN_USE as METER_IN_USE
from gsan_core.rules.hydrometers.messages import (
    METER_NOT_AVAILABLE as METER_NOT_AVAILABLE,
)
from gsan_core.rules.hydrometers.messages import METER_REQUIRED as METER_REQUIRED
from gsan_core.rules.hydrometers.messages import METER_UNKNOWN as METER_UNKNOWN
from gsan_core.rules.hydrometers.messages import MIXED_ORIGINS as MIXED_ORIGINS
from gsan_core.rules.hydrometers.messages import (
    MOVED_METER_UNKNOWN as MOVED_METER_UNKNOWN,
)
from gsan_core.rules.hydrometers.messages import (
    MOVEMENT_DATE_IN_FUTURE as MOVEMENT_DATE_IN_FUTURE,
)
from gsan_core.rules.hydrometers.messages import (
    MOVEMENT_DATE_TOO_OLD as MOVEMENT_DATE_TOO_OLD,
)
from gsan_core.rules.hydrometers.messages import (
    MOVEMENT_REASON_UNKNOWN as MOVEMENT_REASON_UNKNOWN,
)
from gsan_core.rules.hydrometers.messages import MOVING_INSTALLED as MOVING_INSTALLED
from gsan_core.rules.hydrometers.messages import NEGATIVE_VALUE as NEGATIVE_VALUE
from gsan_core.rules.hydrometers.messages import NEW_METER_UNKNOWN as NEW_METER_UNKNOWN
from gsan_core.rules.hydrometers.messages import NO_METER_AT_POINT as NO_METER_AT_POINT
from gsan_core.rules.hydrometers.messages import (
    NO_METER_TO_RELOCATE as NO_METER_TO_RELOCATE,
)
from gsan_core.rules.hydrometers.messages import (
    NO_METER_TO_REPLACE as NO_METER_TO_REPLACE,
)
from gsan_core.rules.hydrometers.messages import (
    NO_METER_TO_UPDATE as NO_METER_TO_UPDATE,
)
from gsan_core.rules.hydrometers.messages import (
    NO_WATER_CONNECTION as NO_WATER_CONNECTION,
)
from gsan_core.rules.hydrometers.messages import NOTHING_SELECTED as NOTHING_SELECTED
from gsan_core.rules.hydrometers.messages import NUMBER_EXISTS as NUMBER_EXISTS
from gsan_core.rules.hydrometers.messages import (
    OUTGOING_TARGET_INSTALLED as OUTGOING_TARGET_INSTALLED,
)
from gsan_core.rules.hydrometers.messages import PERIOD_OVERLAP as PERIOD_OVERLAP
from gsan_core.rules.hydrometers.messages import POINT_HAS_METER as POINT_HAS_METER
from gsan_core.rules.hydrometers.messages import PROPERTY_IN_FIELD as PROPERTY_IN_FIELD
from gsan_core.rules.hydrometers.messages import PROPERTY_INACTIVE as PROPERTY_INACTIVE
from gsan_core.rules.hydrometers.messages import (
    RANGE_HAS_EXISTING as RANGE_HAS_EXISTING,
)
from gsan_core.rules.hydrometers.messages import RANGE_INVALID as RANGE_INVALID
from gsan_core.rules.hydrometers.messages import (
    RANGE_NEEDS_LAYOUT as RANGE_NEEDS_LAYOUT,
)
from gsan_core.rules.hydrometers.messages import READING_NEGATIVE as READING_NEGATIVE
from gsan_core.rules.hydrometers.messages import (
    READING_NOT_A_NUMBER as READING_NOT_A_NUMBER,
)
from gsan_core.rules.hydrometers.messages import (
    READING_TOO_MANY_DIGITS as READING_TOO_MANY_DIGITS,
)
from gsan_core.rules.hydrometers.messages import REFERENCE_MISSING as REFERENCE_MISSING
from gsan_core.rules.hydrometers.messages import (
    REMOVAL_DATE_INVALID as REMOVAL_DATE_INVALID,
)
from gsan_core.rules.hydrometers.messages import REQUIRED_FIELD as REQUIRED_FIELD
from gsan_core.rules.hydrometers.messages import SAME_LOCATION as SAME_LOCATION
from gsan_core.rules.hydrometers.messages import (
    SEWER_SITUATION_NOT_ALLOWED as SEWER_SITUATION_NOT_ALLOWED,
)
from gsan_core.rules.hydrometers.messages import SITUATION_UNKNOWN as SITUATION_UNKNOWN
from gsan_core.rules.hydrometers.messages import TARGET_INSTALLED as TARGET_INSTALLED
from gsan_core.rules.hydrometers.messages import TURBINE_MISMATCH as TURBINE_MISMATCH
from gsan_core.rules.hydrometers.messages import (
    UPDATE_WINDOW_PASSED as UPDATE_WINDOW_PASSED,
)
from gsan_core.rules.hydrometers.messages import (
    WATER_SITUATION_NOT_ALLOWED as WATER_SITUATION_NOT_ALLOWED,
)
from gsan_core.rules.hydrometers.messages import (
    WATER_SITUATION_WITHOUT_METER as WATER_SITUATION_WITHOUT_METER,
)
from gsan_core.rules.hydrometers.messages import (
    WRONG_SERVICE_TYPE as WRONG_SERVICE_TYPE,
)
from gsan_core.rules.hydrometers.messages import YEAR_IN_FUTURE as YEAR_IN_FUTURE
from gsan_core.rules.hydrometers.messages import YEAR_MISMATCH as YEAR_MISMATCH
from gsan_core.rules.hydrometers.messages import YEAR_TOO_EARLY as YEAR_TOO_EARLY
from gsan_core.rules.hydrometers.movements import check_movement, movement_situation
from gsan_core.rules.hydrometers.situations import (
    ANY_NOT_INSTALLED,
    CHOSEN,
    SITUATION_ROLES,
    SITUATION_TRANSITIONS,
    MeterEvent,
    situation_after,
    situation_id,
    situation_role,
)
from gsan_core.rules.hydrometers.stock import (
    NumberLayout,
    References,
    check_attributes,
    check_fixed,
    check_number,
    check_number_free,
    check_range,
    manufacture_year_of,
    number_layout,
    range_numbers,
    split_number,
)
from gsan_core.rules.hydrometers.stock import check_no_existing as check_no_existing

__all__ = [
    "ANY_NOT_INSTALLED",
    "CHOSEN",
    "LOCATION_REQUIRED",
    "RANGE_EMPTY",
    "SITUATION_ROLES",
    "SITUATION_TRANSITIONS",
    "IncomingMeter",
    "InstallationChanges",
    "MeterEvent",
    "NewInstallation",
    "NumberLayout",
    "References",
    "Removal",
    "check_anomaly_action",
    "check_attributes",
    "check_fixed",
    "check_installation_update",
    "check_movement",
    "check_new_installation",
    "check_number",
    "check_number_free",
    "check_point_situation",
    "check_property",
    "check_range",
    "check_reading",
    "check_relocation",
    "check_removal",
    "check_update_window",
    "check_well_type",
    "manufacture_year_of",
    "movement_situation",
    "number_layout",
    "range_numbers",
    "removal_outcome",
    "situation_after",
    "situation_id",
    "situation_role",
    "split_number",
]
