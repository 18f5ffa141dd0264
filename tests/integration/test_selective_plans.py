"""The selective emission's chunk decision keeps to index probes on PostgreSQL
(SEL-01, GEN-11; issue 16).

PostgreSQL may run an ``EXISTS`` as a *hashed* subplan (or a ``NOT EXISTS`` as
a hash anti join) that reads every link of the command and every open order of
the table once per chunk: the emission then slowed down as it wrote, its cost
growing with the square of its size. The decision's existence questions are
``LIMIT 1`` scalar probes, which cannot be planned that way; this test plans
each chunk's decision (``EXPLAIN``, beside the run, on the same connection and
parameters) and refuses a hash over a whole table, and refuses ``EXISTS`` in
the decision (the planner's choice depends on statistics a small test cannot
pin down; the statement's shape does not).
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.synthetic import generate
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import request_profile
from tests.conftest import PostgresSchema

pytestmark = pytest.mark.postgres


def test_sel_01_the_chunk_decision_probes_by_property_and_hashes_no_table(
    postgres: PostgresSchema,
) -> None:
    sql = postgres.reset()
    system = gsan_core.System(
        uow_factory=sql.uow_factory,
        backend=sql,
        profile=request_profile(large_consumer_unit_id=None),
        clock=FixedClock(),
        keep_events=False,
    )
    system.seed()
    generate(system, properties=2_000, seed=3)
    localities = sorted({p.locality_id for p in system.properties.find_by()})
    command = system.field_work.create_selective_command(
        description="PLANS",
        service_type_id=350,
        criteria=SelectiveCriteria(
            locality_first=localities[0], locality_last=localities[-1]
        ),
        actor=1,
    )
    # planned as at the start of a run: the orders and links tables analysed
    # while (nearly) empty, the statistics under which the hash was chosen
    with sql.engine.connect() as connection:
        for name in ("service_order", "property"):
            table = sql.tables[name]
            quoted = connection.dialect.identifier_preparer.format_table(table)
            connection.exec_driver_sql(f"ANALYZE {quoted}")
        connection.commit()
    plans: list[str] = []
    decisions: list[str] = []

    def explain(
        connection: sa.Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if statement.lstrip().startswith("WITH decided"):
            decisions.append(statement)
            # another cursor: the run's own keeps its rows
            with cursor.connection.cursor() as planner:
                planner.execute("EXPLAIN " + statement, parameters)
                plans.append("\n".join(row[0] for row in planner.fetchall()))

    event.listen(sql.engine, "after_cursor_execute", explain)
    try:
        run = system.field_work.emit_selective_orders(
            command_id=command.id, actor=1, chunk_size=1_000
        )
    finally:
        event.remove(sql.engine, "after_cursor_execute", explain)
    assert run.generated > 0
    assert len(plans) == 2
    # the shape that lets the planner hash: no EXISTS in the decision at all
    assert not any("EXISTS" in statement.upper() for statement in decisions)
    for plan in plans:
        assert "hashed SubPlan" not in plan, plan
        assert "Anti Join" not in plan, plan
