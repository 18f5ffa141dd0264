"""Compatibility path: this module moved to
:mod:`gsan_core.services.service_requests.registry`. It re-exports its names so that
imports written before the move keep working.
"""

from __future__ import annotations

from gsan_core.services.service_requests.registry import (
    SimplifiedResult,
    answer_survey_in,
    conclude_occurrence_in,
    generate_manual_numbers_in,
    open_simplified_in,
    record_regulator_complaint_in,
    record_regulator_return_in,
    register_occurrence_in,
    remove_occurrence_in,
    update_occurrence_in,
)
from gsan_core.services.service_requests.registry import (
    filter_regulator_records as filter_regulator_records,  # noqa: PLC0414 (re-export)
)

__all__ = [
    "SimplifiedResult",
    "answer_survey_in",
    "conclude_occurrence_in",
    "generate_manual_numbers_in",
    "open_simplified_in",
    "record_regulator_complaint_in",
    "record_regulator_return_in",
    "register_occurrence_in",
    "remove_occurrence_in",
    "update_occurrence_in",
]
