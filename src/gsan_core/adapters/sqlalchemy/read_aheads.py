"""Which read ahead answers which command (``SqlUnitOfWork.read_ahead``).

A command that reads several aggregates names itself to its unit of work
before its first read; on the SQL stores the reader below locks the command's
roots and reads, in one statement after the locks, what its repositories ask
next (ADR 0006). A command not named here reads as before: row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from gsan_core.adapters.sqlalchemy.read_ahead import (
    read_closing,
    read_connecting,
    read_generation,
    read_opening,
)
from gsan_core.adapters.sqlalchemy.read_ahead_meters import (
    read_correction,
    read_deletion,
)
from gsan_core.adapters.sqlalchemy.read_ahead_requests import (
    read_forwarding,
    read_order_update,
    read_reactivation,
    read_refund,
    read_request_closing,
)
from gsan_core.adapters.sqlalchemy.read_ahead_update import read_update

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["READERS"]

#: The reader of each command that reads ahead, given the unit of work and
#: the command's key (an order, a property or a request id).
READERS: Mapping[str, Callable[[SqlUnitOfWork, int], None]] = {
    "close_order": read_closing,
    "change_situation": partial(read_closing, situation=True),
    "open_request": read_opening,
    "check_open_request": partial(read_opening, lock=False),
    "generate_order": read_generation,
    "connect": read_connecting,
    "forward_request": read_forwarding,
    "close_request": read_request_closing,
    "reactivate_request": read_reactivation,
    "refund": read_refund,
    "update_order": read_order_update,
    "delete_meter": read_deletion,
    "correct_installation": read_correction,
    "update_request": read_update,
}
