"""The accounts area's use cases (``gsan.accounts``)."""

from gsan_core.services.accounts.service import AccountService

__all__ = ["AccountService"]
