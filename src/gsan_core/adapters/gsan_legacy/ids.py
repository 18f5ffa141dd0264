"""Ids from GSAN's own sequences, so the library's rows interleave with GSAN's.

GSAN's Java code calls ``nextval('<schema>.seq_<table>')`` itself (no id column
has a DEFAULT). :class:`SequenceIds` does the same: one ``nextval`` per id, many
at once with ``generate_series`` (one round trip per batch). A property id is the
sequence value followed by its modulo-11 check digit, as GSAN stores ``imov_id``.
Sequences are non-transactional: ids of a rolled-back unit of work are skipped,
exactly as with GSAN.

A kind the profile names no sequence for (the library's own records GSAN does
not have: permission changes, ...) takes its ids from the companion schema's
``id_block`` table, in blocks, as the SQL adapter does (:class:`HiLoIds`).
Every kind that lands in a GSAN table must be in ``LegacyProfile.sequences``
(catalogue kinds, ``catalog.<kind>``, default to their table's sequence).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.profile import LegacyProfile
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.ids import HiLoIds
from gsan_core.rules.service_requests.numbering import with_check_digit

__all__ = ["CHECK_DIGIT_KINDS", "SequenceIds"]

#: Id kinds GSAN stores with a modulo-11 check digit appended.
CHECK_DIGIT_KINDS = frozenset({"property"})
_MANY = sa.text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)")


class SequenceIds:
    """The id port over GSAN sequences (thread-safe: each call is one statement)."""

    def __init__(
        self,
        engine: sa.Engine,
        profile: LegacyProfile,
        companion: sa.Table | None = None,
    ) -> None:
        self._engine = engine
        self._profile = profile
        #: Ids of the kinds without a GSAN sequence (``None``: those raise).
        self._others = None if companion is None else HiLoIds(engine, companion)

    def next_id(self, kind: str) -> int:
        """One new id of ``kind``."""
        return self.next_ids(kind, 1)[0]

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` new ids of ``kind`` (increasing, not always consecutive:
        GSAN's writers draw from the same sequence)."""
        if self._others is not None and not self._profile.has_sequence(kind):
            return self._others.next_ids(kind, count)
        sequence = self._profile.sequence(kind)
        with translated("id_sequence", kind), self._engine.connect() as connection:
            values = [
                int(v)
                for v in connection.execute(
                    _MANY, {"seq": sequence, "n": count}
                ).scalars()
            ]
            connection.commit()
        if kind in CHECK_DIGIT_KINDS:
            return [with_check_digit(v) for v in values]
        return values
