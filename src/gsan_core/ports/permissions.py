"""The permissions port: a user's special permissions, by GSAN id."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Permissions"]


class Permissions(Protocol):
    """Special permissions (``PermissaoEspecial``) granted to users."""

    def has(self, user_id: int, permission_id: int) -> bool:
        """Whether the user holds the special permission."""
        ...

    def grant(self, user_id: int, permission_id: int) -> None:
        """Grant a permission (default adapters; integrators may refuse)."""
        ...

    def revoke(self, user_id: int, permission_id: int) -> None:
        """Revoke a permission (default adapters; integrators may refuse)."""
        ...
