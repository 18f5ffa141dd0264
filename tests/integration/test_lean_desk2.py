"""The lean message, window change and window removal
(``benchmarks.lean_desk2``) leave the rows the library leaves: the benchmark
compares like with like (issue 20, ninth round).

Each test runs the library on one target and the lean version on another of
the same kind, then compares every column of the rows written (or what is
left) but the target's own keys, outbox rows included.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import lean_desk2, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_desk import SupplySchedule
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "area_id", "schedule_id", "message_ids"})


def _rows(sql: SqlBackend, table: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, "id", keys, without=KEYS)


def test_a_lean_message_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """SMS-01: one PENDING message, its phone's digits and its text cut to
    the profile's length, and one ``service_desk.messages_changed``, from
    either."""
    text = "  SUA FATURA VENCE AMANHA " + "X" * 400
    stored = gsan.service_desk.send_message(phone="(82) 99876-5432", text=text, actor=1)
    lean = lean_desk2.lean_send_message(
        sql,
        phone="(82) 99876-5432",
        text=text,
        message_id=10**9,
        max_length=gsan.profile.service_requests.sms_max_length,
        now=scale.NOW,
        actor=1,
    )
    library, mine = _rows(sql, "outbound_message", [stored.id, 10**9])
    assert library == mine
    assert library["phone"] == "82998765432"
    assert len(library["text"]) == len(lean.text) < len(text)
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["tag"] == "service_desk.messages_changed"


def _later(window: SupplySchedule) -> SupplySchedule:
    return attrs.evolve(
        window,
        starts_on=window.starts_on.replace(day=7),
        ends_on=window.ends_on.replace(day=8),
        description="TROCA DE REDE",
    )


def test_a_lean_window_change_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAM-02, PAM-05: the window moved, at version 2, and one
    ``service_desk.schedule_changed`` ("changed"), from either; the month's
    other window untouched."""
    library, lean = lean_desk2.windows(gsan, 2, first_area=501)
    lean_desk2.windows(gsan, 2, first_area=501, day=4)  # the months' others
    gsan.service_desk.update_schedule(_later(library), actor=1)
    stored = lean_desk2.lean_update_window(sql, _later(lean), now=scale.NOW, actor=1)
    assert stored.version == 2
    first, second = _rows(sql, "supply_schedule", [library.id, lean.id])
    assert first == second
    assert (first["version"], first["description"]) == (2, "TROCA DE REDE")
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["payload"]["change"] == "changed"


def test_a_lean_window_change_refuses_a_stale_version_or_an_overlap(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAM-05 and PAM-03, as the library refuses them: nothing written."""
    (window,) = lean_desk2.windows(gsan, 1, first_area=503)
    (other,) = lean_desk2.windows(gsan, 1, first_area=503, day=7)
    with pytest.raises(AssertionError, match=r"service_desk\.schedule\.overlap"):
        lean_desk2.lean_update_window(sql, _later(window), now=scale.NOW, actor=1)
    stale = attrs.evolve(window, version=2, description="X")
    with pytest.raises(AssertionError):
        lean_desk2.lean_update_window(sql, stale, now=scale.NOW, actor=1)
    assert _rows(sql, "supply_schedule", [window.id])[0]["version"] == 1
    assert other.version == 1


def test_a_lean_window_removal_leaves_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAM-01: the window gone and one ``service_desk.schedule_changed``
    ("removed"), from either."""
    library, lean = lean_desk2.windows(gsan, 2, first_area=505)
    gsan.service_desk.remove_schedule(schedule_id=library.id, actor=1)
    removed = lean_desk2.lean_remove_window(sql, lean.id, now=scale.NOW, actor=1)
    assert removed.id == lean.id
    table = sql.tables["supply_schedule"]
    with sql.engine.connect() as connection:
        left = connection.execute(
            sa.select(sa.func.count()).where(table.c.id.in_([library.id, lean.id]))
        ).scalar()
    assert left == 0
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["payload"]["change"] == "removed"
