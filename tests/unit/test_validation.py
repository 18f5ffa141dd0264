"""The helpers every rules module shares (``gsan_core.rules.validation``)."""

from __future__ import annotations

import pytest

from gsan_core.errors import RuleViolation
from gsan_core.rules.validation import (
    REQUIRED,
    TOO_LONG,
    ensure,
    normalized,
    optional_text,
    required_text,
)
from tests.support import assert_violation, only


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_required_text_refuses_blank(value: str | None) -> None:
    violation = only(required_text(value, field="Name", campo="Nome"))
    assert_violation(
        violation,
        code="common.required",
        rule=None,
        gsan_key="atencao.required",
        en=["Name is required."],
        pt=["Nome é obrigatório(a)."],
    )


def test_required_text_checks_the_length() -> None:
    violation = only(required_text("abcdef", field="Name", campo="Nome", max_length=5))
    assert_violation(
        violation,
        code="common.too_long",
        rule=None,
        gsan_key="atencao.execedeu_limit_observacao",
        en=["Name has 6 characters; at most 5 are allowed."],
        pt=["Nome tem 6 caracteres; o máximo é 5."],
    )
    assert violation.params == {
        "field": "Name",
        "campo": "Nome",
        "length": 6,
        "max_length": 5,
    }


def test_required_text_accepts_text_at_the_limit() -> None:
    assert required_text("abcde", field="Name", campo="Nome", max_length=5) == []
    assert required_text("x" * 500, field="Name", campo="Nome") == []


def test_optional_text_only_checks_the_length() -> None:
    assert optional_text(None, field="F", campo="C", max_length=1) == []
    assert optional_text("", field="F", campo="C", max_length=1) == []
    assert optional_text("ab", field="F", campo="C", max_length=None) == []
    (violation,) = optional_text("ab", field="F", campo="C", max_length=1)
    assert violation.code == TOO_LONG.code


def test_normalized_trims_collapses_spaces_and_casefolds() -> None:
    assert normalized("  Ligado   em\tAnálise ") == "ligado em análise"
    assert normalized("STRASSE") == normalized("straße")
    assert normalized("") == ""


def test_ensure_raises_with_every_violation() -> None:
    first = REQUIRED(field="A", campo="A")
    second = REQUIRED(field="B", campo="B")
    with pytest.raises(RuleViolation) as caught:
        ensure(iter([first, second]))
    assert caught.value.violations == (first, second)


def test_ensure_passes_without_violations() -> None:
    ensure([])
    ensure(iter(()))
