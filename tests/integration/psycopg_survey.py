"""A pytest plugin listing, by command, the statements psycopg converts anew
on every call (issue 20): those over its cache limits
(:mod:`tests.integration.psycopg_cache`) that a test run sent to PostgreSQL.

Run it over the statement-budget tests, which call every public command::

    pytest -p tests.integration.psycopg_survey -k postgres \\
        tests/integration/test_statement_budgets*.py

Each statement is named after the outermost public method of
``gsan_core.services`` on the stack when it was sent (``Class.method``; a
statement sent outside any, by a test's own set-up, is left out); the summary
lists each command's largest such statements.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.integration.psycopg_cache import (
    MOST_BYTES,
    MOST_PARAMS,
    Oversized,
    count_params,
    over_limits,
)

#: (command, statement head) -> the largest such statement seen.
_FOUND: dict[tuple[str, str], Oversized] = {}
_SERVICES = "/gsan_core/services/"


def _command() -> str | None:
    """The outermost public ``gsan_core.services`` method on the stack (a
    decorator's wrapper left out)."""
    found = None
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        name = code.co_qualname
        if _SERVICES in code.co_filename and not (
            code.co_name.startswith("_") or "<locals>" in name
        ):
            found = name
        frame = frame.f_back  # type: ignore[assignment]
    return found


def _seen(
    connection: sa.Connection, _cursor: Any, statement: str, parameters: Any, *_: Any
) -> None:
    if connection.dialect.name != "postgresql":
        return
    size, params = len(statement.encode()), count_params(parameters)
    if not over_limits(size, params):
        return
    command = _command()
    if command is None:
        return
    head = " ".join(statement.split())[:70]
    before = _FOUND.get((command, head))
    if before is None or (size, params) > (before.size, before.params):
        _FOUND[(command, head)] = Oversized(size=size, params=params, head=head)


def pytest_configure(config: pytest.Config) -> None:
    del config
    event.listen(sa.Engine, "before_cursor_execute", _seen)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    write = terminalreporter.write_line
    write(f"statements over {MOST_BYTES} bytes or {MOST_PARAMS} parameters:")
    for (command, _), found in sorted(_FOUND.items()):
        write(f"  {command}: {found}")
    if not _FOUND:
        write("  none")
