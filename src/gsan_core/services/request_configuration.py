"""Compatibility path: this module moved to
:mod:`gsan_core.services.service_requests.configuration`. It re-exports its names so that
imports written before the move keep working.
"""

from __future__ import annotations

from gsan_core.services.service_requests.configuration import (
    RequestConfigurationService,
)

__all__ = [
    "RequestConfigurationService",
]
