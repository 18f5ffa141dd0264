"""``gsan-core`` / ``python -m gsan_core``: the command line.

Built on click (help text and defaults on every option) with rich progress.
Every command that works on a database takes ``--url`` (or the environment
variable ``GSAN_CORE_URL``). A bad argument prints one line and exits with 2; so
does any :class:`~gsan_core.GsanError`. No traceback, SQL or password is ever
printed (``GSAN_CORE_DEBUG=1`` shows the traceback of an unexpected error).

Needs the ``cli`` extra: ``pip install 'gsan-core[cli]'``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); returns the
    exit status."""
    if importlib.util.find_spec("click") is None or (
        importlib.util.find_spec("rich") is None
    ):
        print(
            "gsan-core: error: the command line needs the 'cli' extra: "
            "pip install 'gsan-core[cli]'",
            file=sys.stderr,
        )
        return 2
    from gsan_core.cli.app import run  # noqa: PLC0415

    return run(list(sys.argv[1:] if argv is None else argv))
