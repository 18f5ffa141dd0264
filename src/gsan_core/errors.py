"""The exceptions ``gsan_core`` raises, and the violations a rule reports.

Every error a caller can expect derives from :class:`GsanError`, and every one
has a stable ``code`` (what integrators match on)::

    GsanError                                       code
      RuleViolation        a rule refused it        the first violation's code
      NotFound             should exist, does not   not_found.<entity>
      DuplicateEntity      that id already exists   duplicate.<entity>
      ConcurrencyConflict  changed since read       concurrency_conflict
      BatchAlreadyRunning  another run holds it     batch_already_running
      ConfigurationError   wiring, extra, profile   configuration.<problem>
      PersistenceError     a database error         persistence.<kind>

A :class:`Violation` carries a stable dotted ``code`` (what integrators match on),
the GSAN message key when GSAN has one, the numbered rule of the domain notes, the
parameters, and the message in English and Brazilian Portuguese.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, Literal

import attrs

__all__ = [
    "BatchAlreadyRunning",
    "ConcurrencyConflict",
    "ConfigurationError",
    "DuplicateEntity",
    "GsanError",
    "Language",
    "Message",
    "NotFound",
    "PersistenceError",
    "RuleViolation",
    "Violation",
]

Language = Literal["en", "pt"]


def _freeze(params: Mapping[str, object]) -> Mapping[str, object]:
    return dict(params)


@attrs.frozen(kw_only=True)
class Violation:
    """One broken rule, ready to be shown to a user or matched by code."""

    code: str
    en: str
    pt: str
    gsan_key: str | None = None
    rule: str | None = None
    params: Mapping[str, object] = attrs.field(factory=dict, converter=_freeze)

    def message(self, language: Language = "en") -> str:
        """The message in ``"en"`` or ``"pt"`` with its parameters filled in."""
        template = self.pt if language == "pt" else self.en
        return template.format_map(_Defaulting(self.params))

    def __str__(self) -> str:
        rule = f"[{self.rule}] " if self.rule else ""
        return f"{rule}{self.code}: {self.message()}"


class _Defaulting(dict[str, object]):
    """Leaves an unknown placeholder visible instead of raising ``KeyError``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@attrs.frozen
class Message:
    """The definition of a violation: its code, texts, GSAN key and rule number.

    Rules modules declare one ``Message`` per thing that can go wrong and call it
    with the parameters to build a :class:`Violation`::

        CUT_DATE_IN_FUTURE = Message(
            "connection.cut.date_in_future",
            en="The cut date {cut_date} is after today.",
            pt="A data do corte {cut_date} é posterior à data corrente.",
            gsan_key="atencao.data.maior.data.corrente",
            rule="V-CO8",
        )
        violation = CUT_DATE_IN_FUTURE(cut_date=date(2030, 1, 1))
    """

    code: str
    en: str = attrs.field(kw_only=True)
    pt: str = attrs.field(kw_only=True)
    gsan_key: str | None = attrs.field(default=None, kw_only=True)
    rule: str | None = attrs.field(default=None, kw_only=True)

    def __call__(self, **params: object) -> Violation:
        return Violation(
            code=self.code,
            en=self.en,
            pt=self.pt,
            gsan_key=self.gsan_key,
            rule=self.rule,
            params=params,
        )


class GsanError(Exception):
    """The root of every exception ``gsan_core`` raises on purpose.

    ``code`` is stable and dotted: match on it, never on the message (which is
    for people, and never carries SQL text, parameters or passwords)."""

    #: The code of the class when an instance does not refine it.
    default_code: ClassVar[str] = "gsan_error"
    _code: str | None = None

    @property
    def code(self) -> str:
        """The stable code of this error."""
        return self._code if self._code is not None else self.default_code


class RuleViolation(GsanError):
    """A business rule refused the command; nothing was written.

    ``violations`` lists every problem found (the GSAN "validate for display" step
    gathers them all so a screen can show them at once).
    """

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        if not self.violations:
            msg = "RuleViolation needs at least one violation"
            raise ValueError(msg)
        super().__init__("; ".join(str(v) for v in self.violations))

    @property
    def code(self) -> str:
        """The code of the first violation."""
        return self.violations[0].code

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every violation, in order."""
        return tuple(v.code for v in self.violations)

    def messages(self, language: Language = "en") -> tuple[str, ...]:
        """Every violation's message in the given language."""
        return tuple(v.message(language) for v in self.violations)

    #: The language :meth:`_render_traceback_` uses: the profile's, set by the
    #: service that raised it (``"en"`` otherwise).
    language: Language = "en"

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: every violation with its
        rule, code, GSAN key and message."""
        lines = [f"RuleViolation: {len(self.violations)} violation(s)"]
        for violation in self.violations:
            head = " ".join(
                part
                for part in (
                    f"[{violation.rule}]" if violation.rule else "",
                    violation.code,
                    f"(GSAN {violation.gsan_key})" if violation.gsan_key else "",
                )
                if part
            )
            lines += [f"  {head}", f"    {violation.message(self.language)}"]
        return lines


class NotFound(GsanError, LookupError):
    """The entity ``entity`` with id ``id`` does not exist."""

    default_code = "not_found"

    def __init__(self, entity: str, id: object) -> None:
        self.entity = entity
        self.id = id
        self._code = f"not_found.{entity}" if entity else self.default_code
        super().__init__(f"{entity} {id!r} not found")


class DuplicateEntity(GsanError):
    """An entity with the same identity already exists (a unique key that is a
    business rule is a :class:`RuleViolation` naming the rule instead)."""

    default_code = "duplicate"

    def __init__(self, entity: str, id: object) -> None:
        self.entity = entity
        self.id = id
        self._code = f"duplicate.{entity}" if entity else self.default_code
        super().__init__(f"{entity} {id!r} already exists")


class ConcurrencyConflict(GsanError):
    """The entity changed since it was read; nothing was written.

    GSAN's message key for this situation is ``atencao.atualizacao.timestamp``.
    ``expected_version`` is ``None`` when the version is unknown (a concurrent
    writer held a lock past the timeout, the database reported a conflict).
    """

    gsan_key = "atencao.atualizacao.timestamp"
    default_code = "concurrency_conflict"

    def __init__(
        self, entity: str, id: object, expected_version: int | None = None
    ) -> None:
        self.entity = entity
        self.id = id
        known = expected_version is not None and expected_version >= 0
        self.expected_version = expected_version if known else None
        what = f"{entity} {id!r}" if entity else "the data"
        if known:
            text = (
                f"{what} was changed by someone else "
                f"(expected version {expected_version})"
            )
        else:
            text = f"{what} was changed or held by someone else; retry"
        super().__init__(text)


class BatchAlreadyRunning(GsanError):
    """Another run of the same batch for the same key holds it; this run did
    nothing (``job`` and ``key`` name it: "cut orders", "group 3")."""

    default_code = "batch_already_running"

    def __init__(self, job: str, key: str) -> None:
        self.job = job
        self.key = key
        super().__init__(f"{job} is already running for {key}")


class ConfigurationError(GsanError):
    """Bad wiring, a missing optional dependency, or an invalid profile.

    For profile files ``file``, ``field`` and ``problem`` say what is wrong where.
    ``kind`` names the problem in the code ``configuration.<kind>``: ``profile``
    (a profile file, the default when ``file`` is given), ``schema`` (the
    database's schema revision), ``missing_extra``, ``wiring`` (the default).
    """

    default_code = "configuration"

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        field: str | None = None,
        kind: str | None = None,
    ) -> None:
        self.problem = problem
        self.kind = kind or ("profile" if file else "wiring")
        self._code = f"configuration.{self.kind}"
        self.file = file
        self.field = field
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {problem}" if where else problem)


class PersistenceError(GsanError):
    """A database error that the adapter translated (no driver error escapes).

    The message names the kind and the entity, never the SQL text, its
    parameters or the connection's password; the original error is chained
    (``__cause__``) for the logs. ``kind`` makes the code ``persistence.<kind>``:
    ``integrity``, ``database``, ``value``, ``schema``; ``unsent_writes`` is an
    internal error (a statement named a table whose deferred writes wait unsent:
    a bug of an adapter, never of the caller).
    """

    default_code = "persistence"

    def __init__(self, message: str, *, kind: str = "database") -> None:
        self.kind = kind
        self._code = f"persistence.{kind}"
        super().__init__(message)
