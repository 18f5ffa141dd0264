"""Compatibility path: this module moved to
:mod:`gsan_core.services.service_requests.hooks`. It re-exports its names so that
imports written before the move keep working.
"""

from __future__ import annotations

from gsan_core.services.service_requests.hooks import (
    CLOSED_BY_ORDER_REMARK,
    ROUTED_BACK_REMARK,
    RequestClosedByOrder,
    RequestClosingProposed,
    RequestClosingRefused,
    RequestOrderClosedHook,
    RequestRoutedBack,
)

__all__ = [
    "CLOSED_BY_ORDER_REMARK",
    "ROUTED_BACK_REMARK",
    "RequestClosedByOrder",
    "RequestClosingProposed",
    "RequestClosingRefused",
    "RequestOrderClosedHook",
    "RequestRoutedBack",
]
