"""The database a command works on: its URL checked before anything connects.

Every check fails with :class:`BadArgument`, one line that names what to do and
never the password.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import sqlalchemy as sa

    from gsan_core.system import System

__all__ = ["BadArgument", "Database", "redact"]

#: The dialects gsan_core runs on, with the driver module and the extra.
DRIVERS = {
    "sqlite": ("pysqlite", "sqlite3", "sqlalchemy"),
    "postgresql": ("psycopg", "psycopg", "postgres"),
}


class BadArgument(Exception):
    """A command-line argument that cannot work; the message is one line."""


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***`` (the raw text if it does not
    parse, minus anything between ``:`` and ``@``)."""
    try:
        from sqlalchemy.engine import make_url  # noqa: PLC0415

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is shown scrubbed
        scheme, _, rest = url.partition("://")
        if "@" in rest:
            rest = "***@" + rest.rsplit("@", 1)[1]
        return f"{scheme}://{rest}" if rest else scheme


def _sqlalchemy_missing() -> bool:
    return importlib.util.find_spec("sqlalchemy") is None


@attrs.frozen(kw_only=True)
class Database:
    """A checked database URL and where the library's tables live in it."""

    url: str
    schema: str | None = None
    prefix: str = "gsan_"

    @classmethod
    def parse(
        cls,
        url: str | None,
        *,
        schema: str | None = None,
        prefix: str = "gsan_",
        create: bool = False,
    ) -> Database:
        """Check ``url``: it parses, its dialect and driver are installed, and a
        SQLite file exists (or ``create`` and its folder exists)."""
        if not url:
            msg = "no database given: pass --url or set GSAN_CORE_URL"
            raise BadArgument(msg)
        if _sqlalchemy_missing():
            msg = (
                "the SQL backend needs SQLAlchemy: pip install 'gsan-core[sqlalchemy]'"
            )
            raise BadArgument(msg)
        from sqlalchemy.engine import make_url  # noqa: PLC0415
        from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError):
            msg = (
                "malformed database URL: expected sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST/DATABASE"
            )
            raise BadArgument(msg) from None
        backend = parsed.get_backend_name()
        if backend not in DRIVERS:
            msg = (
                f"unknown database dialect {backend!r}: gsan_core runs on "
                "sqlite and postgresql (postgresql+psycopg://...)"
            )
            raise BadArgument(msg)
        default_driver, module, extra = DRIVERS[backend]
        driver = parsed.get_driver_name() or default_driver
        if backend == "postgresql" and driver != "psycopg":
            msg = (
                f"unsupported PostgreSQL driver {driver!r}: use a "
                "postgresql+psycopg:// URL (psycopg 3)"
            )
            raise BadArgument(msg)
        if importlib.util.find_spec(module) is None:
            msg = (
                f"the {backend} driver {module} is not installed: "
                f"pip install 'gsan-core[{extra}]'"
            )
            raise BadArgument(msg)
        if backend == "sqlite":
            _check_sqlite_file(parsed.database, create=create)
        return cls(url=url, schema=schema, prefix=prefix)

    @property
    def shown(self) -> str:
        """The URL as printed (no password)."""
        return redact(self.url)

    def engine(self) -> sa.Engine:
        """A new engine (the caller disposes it)."""
        from gsan_core.adapters.sqlalchemy import create_engine  # noqa: PLC0415

        return create_engine(self.url)

    def revision(self) -> str | None:
        """The schema revision the database is at (``None``: no gsan_core schema)."""
        from gsan_core.adapters.sqlalchemy.migrations import current  # noqa: PLC0415

        engine = self.engine()
        try:
            return current(engine, schema=self.schema, prefix=self.prefix)
        finally:
            engine.dispose()

    def require_schema(self) -> None:
        """Refuse a database without the library's newest schema."""
        from gsan_core.adapters.sqlalchemy.migrations import heads  # noqa: PLC0415

        revision = self.revision()
        if revision is None:
            msg = (
                f"{self.shown} has no gsan_core schema: run "
                "`gsan-core db upgrade` first"
            )
            raise BadArgument(msg)
        if revision not in heads():
            msg = (
                f"{self.shown} is at schema revision {revision}, older than this "
                "gsan_core: run `gsan-core db upgrade` first"
            )
            raise BadArgument(msg)

    def connect(
        self, *, profile: str, migrate: bool = False, seed: bool = False
    ) -> System:
        """A system over the database."""
        from gsan_core.system import connect  # noqa: PLC0415

        return connect(
            self.url,
            profile=profile,
            schema=self.schema,
            prefix=self.prefix,
            migrate=migrate,
            seed=seed,
        )


def _check_sqlite_file(database: str | None, *, create: bool) -> None:
    if database in (None, "", ":memory:") or str(database).startswith("file:"):
        return
    path = Path(str(database))
    if path.is_file():
        return
    if path.exists():
        msg = f"{path} is not a file"
        raise BadArgument(msg)
    if not create:
        msg = (
            f"no SQLite database at {path}: create it with "
            "`gsan-core db upgrade --url sqlite:///PATH` (never created silently)"
        )
        raise BadArgument(msg)
    if not path.parent.is_dir():
        msg = f"cannot create {path}: the folder {path.parent} does not exist"
        raise BadArgument(msg)
