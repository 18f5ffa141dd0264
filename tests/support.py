"""Assertions shared by the test modules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gsan_core.errors import Violation

#: A ``{name}`` left in a rendered message: a parameter the rule did not pass.
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")
#: English words that must not leak into a Portuguese message.
_ENGLISH = re.compile(
    r"\b(the|does|not|exist|must|belongs|water|sewer|locality|sector|block|"
    r"route|category|dispatch|centre|home|smaller|than|exactly|boolean|"
    r"integer|text)\b"
)


def only(violations: Sequence[Violation]) -> Violation:
    """The single violation of ``violations``."""
    assert len(violations) == 1, [str(v) for v in violations]
    return violations[0]


def assert_violation(
    violation: Violation,
    *,
    code: str,
    rule: str | None,
    gsan_key: str | None,
    en: Iterable[str] = (),
    pt: Iterable[str] = (),
    identifiers: Iterable[str] = (),
) -> None:
    """Check code, rule and GSAN key, and that both messages render fully.

    ``en`` and ``pt`` are fragments each message must contain; ``identifiers``
    (kind or attribute names) may appear untranslated in the Portuguese one.
    """
    assert violation.code == code
    assert violation.rule == rule
    assert violation.gsan_key == gsan_key
    english = violation.message("en")
    portuguese = violation.message("pt")
    assert not _PLACEHOLDER.search(english), english
    assert not _PLACEHOLDER.search(portuguese), portuguese
    assert english != portuguese
    stripped = portuguese
    for identifier in identifiers:
        stripped = stripped.replace(identifier, "")
    assert not _ENGLISH.search(stripped), portuguese
    for fragment in en:
        assert fragment in english, (fragment, english)
    for fragment in pt:
        assert fragment in portuguese, (fragment, portuguese)
