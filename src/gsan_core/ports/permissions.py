"""The permissions port: a user's special permissions, by GSAN id.

Granting and revoking them in the default stores is the seeding port's
(:mod:`gsan_core.ports.seeding`).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Permissions"]


class Permissions(Protocol):
    """Special permissions (``PermissaoEspecial``) granted to users."""

    def has(self, user_id: int, permission_id: int) -> bool:
        """Whether the user holds the special permission."""
        ...
