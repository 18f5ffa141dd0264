"""Every error has a stable code; unique keys that are rules read as the rule."""

from __future__ import annotations

import pytest

from gsan_core.errors import (
    BatchAlreadyRunning,
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    GsanError,
    Message,
    NotFound,
    PersistenceError,
    RuleViolation,
)
from gsan_core.rules.uniques import UNIQUE_RULES, unique_rule, unique_violation


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFound("property", 1), "not_found.property"),
        (NotFound("", 1), "not_found"),
        (DuplicateEntity("catalog.cut_type", 2), "duplicate.catalog.cut_type"),
        (DuplicateEntity("", 2), "duplicate"),
        (ConcurrencyConflict("unit", 3, 2), "concurrency_conflict"),
        (BatchAlreadyRunning("cut orders", "group 3"), "batch_already_running"),
        (ConfigurationError("bad"), "configuration.wiring"),
        (ConfigurationError("bad", file="x.toml"), "configuration.profile"),
        (ConfigurationError("old", kind="schema"), "configuration.schema"),
        (PersistenceError("gone"), "persistence.database"),
        (PersistenceError("fk", kind="integrity"), "persistence.integrity"),
        (RuleViolation([Message("a.b", en="A.", pt="A.")()]), "a.b"),
        (GsanError("plain"), "gsan_error"),
    ],
)
def test_every_error_has_a_stable_code(error: GsanError, code: str) -> None:
    assert error.code == code


def test_a_conflict_without_a_known_version_says_no_version() -> None:
    unknown = ConcurrencyConflict("property", 7, -1)
    assert unknown.expected_version is None
    assert "-1" not in str(unknown)
    assert "expected version" not in str(unknown)
    assert ConcurrencyConflict("", None).expected_version is None
    assert "the data" in str(ConcurrencyConflict("", None))
    known = ConcurrencyConflict("property", 7, 3)
    assert known.expected_version == 3
    assert "expected version 3" in str(known)


def test_unique_keys_are_found_by_columns_or_constraint_name() -> None:
    """I-9, I-12, H-10, SAT-03: the unique keys of the schema that are rules."""
    point = unique_rule(
        "gsan_hydrometer_installation", columns=["property_id", "point"]
    )
    assert point is not None
    assert point.message.rule == "I-9"
    by_name = unique_rule(
        "gsan_hydrometer_installation",
        constraint="ix_gsan_hydrometer_installation_open_hydrometer",
    )
    assert by_name is not None
    assert by_name.message.rule == "I-12"
    number = unique_rule("x_hydrometer", columns=["number"])
    assert number is not None
    assert unique_violation(number).code == "hydrometer.number.exists"
    assert unique_rule("gsan_property", columns=["id"]) is None
    assert unique_rule("gsan_hydrometer", constraint="pk_gsan_hydrometer") is None
    survey = unique_rule("gsan_satisfaction_survey", columns=["request_id"])
    assert survey is not None
    assert survey.message.rule == "SAT-03"


def test_unique_rule_messages_carry_no_parameters() -> None:
    for rule in UNIQUE_RULES:
        violation = unique_violation(rule)
        assert "{" not in violation.message("en")
        assert "{" not in violation.message("pt")
