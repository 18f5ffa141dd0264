"""Helpers shared by every rules module."""

from __future__ import annotations

from collections.abc import Iterable

from gsan_core.errors import Message, RuleViolation, Violation

__all__ = [
    "PAGE_INVALID",
    "REQUIRED",
    "TOO_LONG",
    "check_page",
    "ensure",
    "normalized",
    "optional_text",
    "required_text",
]

REQUIRED = Message(
    "common.required",
    en="{field} is required.",
    pt="{campo} é obrigatório(a).",
    gsan_key="atencao.required",
)
TOO_LONG = Message(
    "common.too_long",
    en="{field} has {length} characters; at most {max_length} are allowed.",
    pt="{campo} tem {length} caracteres; o máximo é {max_length}.",
    gsan_key="atencao.execedeu_limit_observacao",
)

PAGE_INVALID = Message(
    "common.page_invalid",
    en="A page has 1 to {maximum} rows from an offset of 0 or more (got {limit} from {offset}).",
    pt="Uma página tem de 1 a {maximum} linhas a partir do deslocamento 0 ou maior ({limit} a partir de {offset}).",
)


def check_page(*, limit: int, offset: int, maximum: int) -> tuple[Violation, ...]:
    """A query's page: ``1 <= limit <= maximum`` rows from ``offset >= 0``."""
    if 1 <= limit <= maximum and offset >= 0:
        return ()
    return (PAGE_INVALID(maximum=maximum, limit=limit, offset=offset),)


def ensure(violations: Iterable[Violation]) -> None:
    """Raise :class:`RuleViolation` with every violation, if there is any."""
    found = tuple(violations)
    if found:
        raise RuleViolation(found)


def normalized(text: str) -> str:
    """The form two descriptions are compared in: trimmed, single-spaced, casefolded."""
    return " ".join(text.split()).casefold()


def required_text(
    value: str | None, *, field: str, campo: str, max_length: int | None = None
) -> list[Violation]:
    """Violations for a required text field (blank, or longer than allowed).

    ``field`` names it in English, ``campo`` in Portuguese.
    """
    if value is None or not value.strip():
        return [REQUIRED(field=field, campo=campo)]
    return optional_text(value, field=field, campo=campo, max_length=max_length)


def optional_text(
    value: str | None, *, field: str, campo: str, max_length: int | None
) -> list[Violation]:
    """Violations for an optional text field: only its length."""
    if value is not None and max_length is not None and len(value) > max_length:
        return [
            TOO_LONG(field=field, campo=campo, length=len(value), max_length=max_length)
        ]
    return []
