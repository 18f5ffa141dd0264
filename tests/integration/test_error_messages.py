"""Persistence errors provoked on SQLite and PostgreSQL: a code, and no SQL text,
parameters or password in the message."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.errors import broken_unique_rule, translated
from gsan_core.errors import ConcurrencyConflict, GsanError, PersistenceError
from gsan_core.testing.contracts import sample_property

_LEAKS = ("INSERT", "SELECT", "UPDATE ", "VALUES", "%(", "[parameters", "secret")


def _clean(error: GsanError) -> None:
    text = str(error)
    for leak in _LEAKS:
        assert leak not in text, text


def test_a_foreign_key_violation_names_no_sql(sql_backend: SqlBackend) -> None:
    def add_orphan() -> None:
        with sql_backend.uow_factory() as uow:
            uow.properties.add(sample_property(424242))
            uow.commit()

    with pytest.raises(PersistenceError) as caught:
        add_orphan()
    assert caught.value.code == "persistence.integrity"
    _clean(caught.value)
    assert "424242" not in str(caught.value)


def test_a_too_long_value_names_no_value(sql_backend: SqlBackend) -> None:
    with (
        pytest.raises(GsanError) as caught,
        sql_backend.engine.begin() as connection,
        translated("unit"),
    ):
        connection.execute(
            sa.text("INSERT INTO nowhere (x) VALUES (:x)"), {"x": "secret-value"}
        )
    assert caught.value.code.startswith("persistence.")
    _clean(caught.value)
    assert "secret-value" not in str(caught.value)


def test_an_unreachable_server_does_not_echo_its_password() -> None:
    backend = SqlBackend.open(
        "postgresql+psycopg://postgres:secret@127.0.0.1:1/test",
        connect_args={"connect_timeout": 2},
    )
    try:
        with pytest.raises(PersistenceError) as caught, backend.uow_factory():
            pass
        assert caught.value.code == "persistence.database"
        _clean(caught.value)
    finally:
        backend.dispose()


def test_a_conflict_from_the_database_has_no_version() -> None:
    class Busy(Exception):
        sqlite_errorcode = 5

    with pytest.raises(ConcurrencyConflict) as caught, translated("unit", 3):
        raise sa.exc.OperationalError("UPDATE x", {"p": 1}, Busy("locked"))
    assert caught.value.expected_version is None
    assert caught.value.code == "concurrency_conflict"
    _clean(caught.value)


def test_unique_keys_that_are_not_rules_or_not_parsable() -> None:
    def error(text: str) -> sa.exc.IntegrityError:
        return sa.exc.IntegrityError("INSERT", {}, Exception(text))

    assert broken_unique_rule(error("UNIQUE constraint failed: gsan_x.id")) is None
    assert broken_unique_rule(error("UNIQUE constraint failed: a.x, b.y")) is None
    assert broken_unique_rule(error("PRIMARY KEY must be unique")) is None
    found = broken_unique_rule(
        error("UNIQUE constraint failed: gsan_hydrometer.number")
    )
    assert found is not None
    assert found.message.rule == "H-10"


def test_sqlite_file_errors_name_no_path_secret(tmp_path: Path) -> None:
    backend = SqlBackend.open(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with pytest.raises(PersistenceError) as caught, backend.uow_factory() as uow:
            uow.catalog.list("cut_reason")
        _clean(caught.value)
    finally:
        backend.dispose()
