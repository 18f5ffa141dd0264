"""Names for migration scripts: the runtime table prefix and schema.

Migration scripts never hard-code ``gsan_``: they call ``t("property")`` for a
table, ``fk("locality")`` for a foreign-key target and ``ix(...)`` for an index.
"""

from __future__ import annotations

from typing import Any

from alembic import op

__all__ = ["fk", "ix", "schema", "t"]


def _attributes() -> dict[str, Any]:
    config = op.get_context().config
    return dict(config.attributes) if config is not None else {}


def t(logical: str) -> str:
    """The physical name of a table."""
    return f"{_attributes().get('prefix', 'gsan_')}{logical}"


def schema() -> str | None:
    """The schema of the library's tables."""
    value = _attributes().get("schema")
    return None if value is None else str(value)


def fk(logical: str, column: str = "id") -> str:
    """The target of a foreign key to ``logical.column``."""
    target = f"{t(logical)}.{column}"
    where = schema()
    return f"{where}.{target}" if where else target


def ix(logical: str, suffix: str) -> str:
    """The name of an index of a table."""
    return f"ix_{t(logical)}_{suffix}"
