"""The outbox payloads' cost in a command's merged write (issue 20, situ2).

A command's deferred write ends with its outbox rows (``pipeline.outbox_rows``).
This micro-benchmark times, in client CPU (``time.process_time``) per call,
building and sending the three events of changing a connection's situation in
the forms the merged write could bind them:

* ``arrays``: four array parameters (``text[]``, ``timestamptz[]``,
  ``bigint[]``, ``jsonb[]``), each payload through the converter
  (``serialization.to_dict``), as the merged write bound them before: psycopg's
  text array dumper escapes every quote of every payload;
* ``text_arrays``: the same with the payloads as JSON strings in a ``text[]``;
* ``one_jsonb``: **one** JSON array of the payloads (``serialization.to_dicts``,
  one ``json.dumps``) read by ``jsonb_array_elements ... WITH ORDINALITY``, the
  tag, instant and actor taken from each payload (as ``outbox.write`` does).

Each form runs a ``SELECT`` over the rows it binds (no write: the statements
differ only in how the rows reach the server), alternating the forms within
one run, ``--repeats`` times: the medians and spreads are same-run figures.

    python -m benchmarks.outbox_payloads --postgres-url URL [--calls 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core import serialization
from gsan_core.model.connections import ConnectionKind, ConnectionOperationApplied
from gsan_core.model.events import DomainEvent
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    ServiceOrderClosed,
)

__all__ = ["events", "forms", "main"]

_ARRAYS = sa.text(
    "SELECT count(*) FROM unnest(CAST(:tag AS TEXT[]), "
    "CAST(:at AS TIMESTAMPTZ[]), CAST(:actor AS BIGINT[]), "
    "CAST(:payload AS JSONB[])) WITH ORDINALITY AS e(t, a, u, p, k)"
)
_ONE = sa.text(
    "SELECT count(*) FROM jsonb_array_elements(CAST(:rows AS JSONB)) "
    "WITH ORDINALITY AS x(r, k) "
    "WHERE x.r->>'type' IS NOT NULL "
    "AND CAST(x.r->>'occurred_at' AS TIMESTAMPTZ) IS NOT NULL "
    "AND CAST(x.r->>'actor' AS BIGINT) IS NOT NULL"
)


def events() -> list[DomainEvent]:
    """The three events of a situation change (the benchmark's command)."""
    now = datetime(2026, 12, 7, 23, 50, 1, 123456, tzinfo=UTC)
    return [
        ConnectionOperationApplied(
            occurred_at=now,
            actor=1_000_001,
            property_id=12_345_678,
            operation="connection.change_situation",
            gsan_operation=857,
            order_id=98_765_432,
            effective_on=date(2026, 12, 7),
            water_before=3,
            water_after=2,
            sewer_before=1,
            sewer_after=1,
            removed=(ConnectionKind.WATER,),
        ),
        ServiceOrderClosed(
            occurred_at=now,
            actor=1_000_001,
            order_id=98_765_432,
            closing_reason_id=1,
            executed=True,
            closed_at=now,
        ),
        CommercialOperationApplied(
            occurred_at=now,
            actor=1_000_001,
            order_id=98_765_432,
            operation="connection.change_situation",
            property_id=12_345_678,
            via_closing=True,
        ),
    ]


def _arrays(found: Sequence[DomainEvent]) -> dict[str, Any]:
    return {
        "tag": [type(e).tag for e in found],
        "at": [e.occurred_at for e in found],
        "actor": [e.actor for e in found],
        "payload": [serialization.to_dict(e) for e in found],
    }


def _text_arrays(found: Sequence[DomainEvent]) -> dict[str, Any]:
    params = _arrays(found)
    params["payload"] = [json.dumps(p) for p in params["payload"]]
    return params


def _one(found: Sequence[DomainEvent]) -> dict[str, Any]:
    return {"rows": json.dumps(serialization.to_dicts(found))}


def forms() -> dict[str, tuple[Any, Callable[[Sequence[DomainEvent]], Any]]]:
    """Each form's statement and its parameters' builder."""
    jsonb = sa.bindparam("payload", type_=postgresql.ARRAY(postgresql.JSONB))
    text = sa.bindparam("payload", type_=postgresql.ARRAY(sa.Text))
    return {
        "arrays": (_ARRAYS.bindparams(jsonb), _arrays),
        "text_arrays": (_ARRAYS.bindparams(text), _text_arrays),
        "one_jsonb": (_ONE, _one),
    }


def _time(connection: sa.Connection, form: Any, calls: int) -> float:
    statement, build = form
    found = events()
    start = time.process_time()
    for _ in range(calls):
        connection.execute(statement, build(found)).scalar_one()
    return (time.process_time() - start) / calls * 1e6


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    engine = sa.create_engine(args.postgres_url)
    chosen = forms()
    times: dict[str, list[float]] = {name: [] for name in chosen}
    with engine.connect() as connection:
        for form in chosen.values():  # warm: statements prepared, caches filled
            _time(connection, form, 50)
        for _ in range(args.repeats):
            for name, form in chosen.items():
                times[name].append(_time(connection, form, args.calls))
    base = statistics.median(times["arrays"])
    for name, found in times.items():
        median = statistics.median(found)
        print(
            f"{name:12s} {median:7.1f} us/call CPU "
            f"(spread {min(found):.1f}-{max(found):.1f}), "
            f"{median / base:.2f} of arrays"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
