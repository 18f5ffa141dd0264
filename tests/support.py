"""Assertions shared by the test modules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gsan_core.errors import Violation

#: A ``{name}`` left in a rendered message: a parameter the rule did not pass.
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")
#: English words that must not leak into a Portuguese message (none of them is
#: also a Portuguese word: "a", "do", "no", "for", "total", "local", "final",
#: "data" are left out on purpose).
_ENGLISH_WORDS = """
    the does not exist exists must belongs water sewer locality sector block route
    category dispatch centre home smaller than exactly boolean integer text
    and or of is are was were be been has have with without from to by at on in
    into this that these those it its which only give choose already cannot can
    may should allowed allow allows day days value type reason situation number
    reading stock location well place protection debt charge charged percentage
    installment installments team activity closed closing opening open pending
    deadline permission user unit order orders service request requests property
    meter meters hydrometer hydrometers connection connections cut install
    installed installation remove removed removal replace replaced replacement
    relocate relocated move moved movement date after before today between more
    less same other another every each any none some when where found missing
    unknown invalid required duplicate range year month brand capacity diameter
    """
ENGLISH_WORDS = frozenset(_ENGLISH_WORDS.split())
_ENGLISH = re.compile(
    r"(?<![\w{])("
    + "|".join(sorted(ENGLISH_WORDS, key=len, reverse=True))
    + r")(?![\w}])",
    re.IGNORECASE,
)


def english_words(portuguese: str) -> list[str]:
    """The English words of ``portuguese`` (its ``{placeholders}`` left out)."""
    return _ENGLISH.findall(re.sub(r"\{[^}]*\}", "", portuguese))


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
