"""The error tree, violations and their messages (``gsan_core.errors``)."""

from __future__ import annotations

import pytest

from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    GsanError,
    Message,
    NotFound,
    PersistenceError,
    RuleViolation,
    Violation,
)

CUT_IN_FUTURE = Message(
    "connection.cut.date_in_future",
    en="The cut date {cut_date} is after today.",
    pt="A data do corte {cut_date} é posterior à data corrente.",
    gsan_key="atencao.data.maior.data.corrente",
    rule="V-CO8",
)


def test_message_builds_a_violation_with_its_definition() -> None:
    violation = CUT_IN_FUTURE(cut_date="2030-01-01")
    assert violation == Violation(
        code="connection.cut.date_in_future",
        en="The cut date {cut_date} is after today.",
        pt="A data do corte {cut_date} é posterior à data corrente.",
        gsan_key="atencao.data.maior.data.corrente",
        rule="V-CO8",
        params={"cut_date": "2030-01-01"},
    )


def test_violation_message_in_each_language() -> None:
    violation = CUT_IN_FUTURE(cut_date="2030-01-01")
    assert violation.message() == "The cut date 2030-01-01 is after today."
    assert violation.message("en") == "The cut date 2030-01-01 is after today."
    assert violation.message("pt") == (
        "A data do corte 2030-01-01 é posterior à data corrente."
    )


def test_missing_parameter_stays_visible_instead_of_raising() -> None:
    violation = CUT_IN_FUTURE()
    assert violation.message() == "The cut date {cut_date} is after today."
    assert violation.message("pt") == (
        "A data do corte {cut_date} é posterior à data corrente."
    )


def test_violation_params_are_copied_from_the_caller() -> None:
    params = {"cut_date": "2030-01-01"}
    violation = Violation(code="c", en="{cut_date}", pt="{cut_date}", params=params)
    params["cut_date"] = "changed"
    assert violation.message() == "2030-01-01"


def test_violation_str_shows_rule_and_code() -> None:
    with_rule = CUT_IN_FUTURE(cut_date="x")
    assert str(with_rule) == (
        "[V-CO8] connection.cut.date_in_future: The cut date x is after today."
    )
    without_rule = Message("common.x", en="Plain.", pt="Simples.")()
    assert str(without_rule) == "common.x: Plain."
    assert without_rule.rule is None
    assert without_rule.gsan_key is None


def test_rule_violation_carries_every_violation() -> None:
    first = CUT_IN_FUTURE(cut_date="a")
    second = Message("common.y", en="Second {n}.", pt="Segunda {n}.")(n=2)
    error = RuleViolation([first, second])
    assert error.violations == (first, second)
    assert error.code == "connection.cut.date_in_future"
    assert error.codes == ("connection.cut.date_in_future", "common.y")
    assert error.messages() == ("The cut date a is after today.", "Second 2.")
    assert error.messages("pt") == (
        "A data do corte a é posterior à data corrente.",
        "Segunda 2.",
    )
    assert str(error) == (
        "[V-CO8] connection.cut.date_in_future: The cut date a is after today.; "
        "common.y: Second 2."
    )


def test_rule_violation_accepts_any_iterable() -> None:
    error = RuleViolation(v for v in [CUT_IN_FUTURE(cut_date="a")])
    assert len(error.violations) == 1


def test_rule_violation_needs_at_least_one_violation() -> None:
    with pytest.raises(ValueError, match="at least one violation"):
        RuleViolation([])


def test_not_found_and_duplicate_name_entity_and_id() -> None:
    missing = NotFound("property", 7)
    assert (missing.entity, missing.id) == ("property", 7)
    assert str(missing) == "property 7 not found"
    assert isinstance(missing, LookupError)
    duplicate = DuplicateEntity("catalog.cut_reason", (1, 2))
    assert (duplicate.entity, duplicate.id) == ("catalog.cut_reason", (1, 2))
    assert str(duplicate) == "catalog.cut_reason (1, 2) already exists"


def test_concurrency_conflict_carries_the_expected_version_and_gsan_key() -> None:
    conflict = ConcurrencyConflict("unit", 4, 3)
    assert (conflict.entity, conflict.id, conflict.expected_version) == ("unit", 4, 3)
    assert conflict.gsan_key == "atencao.atualizacao.timestamp"
    assert str(conflict) == ("unit 4 was changed by someone else (expected version 3)")


@pytest.mark.parametrize(
    ("file", "field", "expected"),
    [
        (None, None, "bad"),
        ("p.toml", None, "file p.toml: bad"),
        (None, "system.x", "field 'system.x': bad"),
        ("p.toml", "system.x", "file p.toml, field 'system.x': bad"),
    ],
)
def test_configuration_error_names_file_and_field(
    file: str | None, field: str | None, expected: str
) -> None:
    error = ConfigurationError("bad", file=file, field=field)
    assert str(error) == expected
    assert (error.problem, error.file, error.field) == ("bad", file, field)


def test_every_error_is_a_gsan_error() -> None:
    for error in (
        RuleViolation([CUT_IN_FUTURE()]),
        NotFound("x", 1),
        DuplicateEntity("x", 1),
        ConcurrencyConflict("x", 1, 1),
        ConfigurationError("x"),
        PersistenceError("x"),
    ):
        assert isinstance(error, GsanError)
