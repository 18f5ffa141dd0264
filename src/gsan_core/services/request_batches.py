"""Compatibility path: this module moved to
:mod:`gsan_core.services.service_requests.batches`. It re-exports its names so that
imports written before the move keep working.
"""

from __future__ import annotations

from gsan_core.services.service_requests.batches import (
    ClosingScope,
    close_chunk_in,
    close_locality_in,
    closing_scope,
    descendants,
    finished,
    issue_command_in,
    started,
)

__all__ = [
    "ClosingScope",
    "close_chunk_in",
    "close_locality_in",
    "closing_scope",
    "descendants",
    "finished",
    "issue_command_in",
    "started",
]
