"""The property "in field" lock port.

A property whose reading route is a simultaneous-printing route cannot change
while its billing group is being read and billed for a reference month
(GSAN ``validarImovelEmCampo``, message ``atencao.imovel_em_campo``).
Locking and releasing routes in the default stores is the seeding port's
(:mod:`gsan_core.ports.seeding`).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["FieldLock"]


class FieldLock(Protocol):
    """Tells whether a property is locked by billing in the field."""

    def locked_reference(self, property_id: int) -> int | None:
        """The reference month (``yyyymm``) that locks the property, or ``None``."""
        ...
