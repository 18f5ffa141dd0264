"""Column types that behave the same on SQLite and PostgreSQL.

* :class:`UtcDateTime`: aware datetimes in, aware UTC datetimes out (SQLite keeps
  no time zone, so values are stored as naive UTC there);
* :class:`Money`: exact decimals (SQLite has no native decimal: stored as text);
* :data:`Json`: ``JSON``, ``JSONB`` on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["Json", "Money", "UtcDateTime"]


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that only accepts aware datetimes and returns them in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            msg = f"naive datetime {value!r}: gsan_core stores aware datetimes only"
            raise ValueError(msg)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """An exact decimal: ``NUMERIC(20, 7)``, or text on SQLite."""

    impl = Numeric(20, 7)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(20, 7, asdecimal=True))

    def process_bind_param(
        self, value: Decimal | int | str | None, dialect: Dialect
    ) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(value)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        result = Decimal(value)
        if dialect.name == "sqlite":
            return result
        # NUMERIC(20, 7) pads the scale: drop the padding (keeping two places).
        exponent = result.normalize().as_tuple().exponent
        if not isinstance(exponent, int):  # pragma: no cover - NaN/inf never stored
            return result
        return result.quantize(Decimal(1).scaleb(min(exponent, -2)))


#: JSON column; JSONB on PostgreSQL.
Json = JSON().with_variant(JSONB(), "postgresql")
