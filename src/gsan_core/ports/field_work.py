"""Ports of field work II: the set-based reads of the selective emission.

The conventions of :mod:`gsan_core.ports.repositories` hold. An adapter decides
a chunk of the emission in its store (one statement on the SQL backends; the
pure rules of :mod:`gsan_core.rules.field_work` in memory), and the contract
suite :class:`gsan_core.testing.contracts_field_work.FieldWorkContract` checks
that every adapter decides as those rules do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from gsan_core.model.field_files import FieldFile, FieldFileFilter, FileOrderDetail
from gsan_core.model.field_work import (
    SelectiveCriteria,
    SelectiveSelection,
    SelectiveWanted,
)
from gsan_core.model.sewer_commands import SewerCommand

__all__ = ["FieldFileQueries", "SelectiveQueries"]


class SelectiveQueries(Protocol):
    """The selective emission's reads."""

    def chunk_bounds(
        self, criteria: SelectiveCriteria, size: int, *, lock_one: bool = False
    ) -> Sequence[tuple[int, int]]:
        """``(first, last)`` property-id ranges covering, ``size`` properties
        each, the properties the criteria's location bounds take in (localities,
        sectors, routes, one property), in id order. Computed in the store:
        the caller never holds every id.

        ``lock_one``: where they fit one range, the properties in scope are
        also locked (as :meth:`select_selective` locks them) until the
        transaction ends, so that a selection of that range in the same
        transaction may skip its own lock (``locked=True``); a scope of more
        ranges is not locked."""
        ...

    def sewer_command_bounds(
        self, command_id: int, size: int, *, lock_one: bool = False
    ) -> tuple[SewerCommand, Sequence[tuple[int, int]]]:
        """The sewer command (``NotFound``) and :meth:`chunk_bounds` of its
        criteria, in one statement where the store can (PostgreSQL)."""
        ...

    def select_selective(
        self,
        first: int,
        last: int,
        wanted: SelectiveWanted,
        *,
        locked: bool = False,
    ) -> SelectiveSelection:
        """Lock the properties in scope with ids ``first`` to ``last`` and
        decide each by :func:`~gsan_core.rules.field_work.decide_selective`:
        the chosen ones by property id, the others counted by reason
        ("emitted": the command's links, a sewer command's when
        ``wanted.sewer``). ``locked``: the transaction holds their locks
        already (``chunk_bounds(..., lock_one=True)`` returned this one
        range), the decision needs no lock of its own."""
        ...

    def pending_orders_of_command(
        self, command_id: int, *, after_order_id: int, limit: int
    ) -> Sequence[int]:
        """Ids (ascending, after ``after_order_id``, at most ``limit``) of the
        command's orders still pending (SEL-02)."""
        ...


class FieldFileQueries(Protocol):
    """The device files' set-based reads: plain rows, no aggregates built."""

    def file_rows(
        self, file_id: int, first: int, last: int
    ) -> Sequence[tuple[int, ...]]:
        """One joined row per order of the file with sequence ``first`` to
        ``last``, in file order: ``(order id, service type id, sequence,
        property id, locality id, sector id, block id, block face or 0,
        profile id, route id or 0, water status id, sewer status id)``
        (the property's columns 0 when the order has none)."""
        ...

    def order_details(
        self, file_id: int, first: int, last: int
    ) -> Sequence[FileOrderDetail]:
        """UC1484 record ``16``: one joined read of the user customer and the
        water connection's open meter of the orders of the file with
        sequence ``first`` to ``last``, in file order (an order without a
        property has every field ``None``)."""
        ...

    def record_rows(
        self, file_id: int, first: int, last: int, *, consumption_since: int
    ) -> Sequence[tuple[Any, ...]]:
        """UC1484 record ``16`` in one joined read of the page (sequence
        ``first`` to ``last``, file order): per order the 12 values of
        :meth:`file_rows`, then the 16 of :meth:`order_details` after its
        order id (customer, meter, collection document), then the property's
        average consumption (:meth:`average_consumptions` from
        ``consumption_since`` on, ``None`` without history), then its
        principal category id and that category's economies (the category
        with the most economies, the first on a tie:
        ``Property.main_category``; ``None`` and ``None`` without any)."""
        ...

    def record_pages(
        self, file_id: int, *, consumption_since: int, size: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        """:meth:`record_rows` of the whole file in file order, streamed in
        pages of at most ``size`` rows: one statement whose rows are fetched
        a page at a time (memory follows the page, not the file). Read it
        inside the unit of work that asked for it."""
        ...

    def document_pages(
        self, file_id: int, *, size: int
    ) -> Iterator[Sequence[tuple[int, int]]]:
        """UC1484 record ``17``: ``(order id, collection document id)`` of
        every order of the file that has a collection document, in file
        order, streamed in pages of at most ``size`` (one statement, as
        :meth:`record_pages`). Read it inside the unit of work that asked."""
        ...

    def average_consumptions(
        self, property_ids: Sequence[int], since: int
    ) -> Mapping[int, int]:
        """UC1484 record ``16``'s average consumption, one read for a page of
        properties: per property of ``property_ids`` with water consumption
        history from reference month ``since`` (``yyyymm``) on, the average
        billed volume (m³, rounded down); a property without history in the
        window is absent."""
        ...

    def order_states(self, file_id: int, order_ids: Sequence[int]) -> Mapping[int, int]:
        """The situation of each of ``order_ids`` that is in the file."""
        ...

    def staged_digests(self, file_id: int, digests: Sequence[str]) -> set[str]:
        """Which of ``digests`` the file's staged lines already have."""
        ...

    def eligible_orders(
        self, wanted: FieldFileFilter, *, skip_open_files: bool, limit: int | None
    ) -> Sequence[int]:
        """TXT-02: the pending orders of active properties inside the filter
        (locality, sector codes, block numbers, service types), in place order
        (locality, sector code, block number, property, order), at most
        ``limit``; with ``skip_open_files`` the orders already in a file not
        yet finished are left out (TXT-06)."""
        ...

    def delete_files(self, files: Sequence[FieldFile]) -> int:
        """TXT-10: delete the files' items and the files, each file at its
        version (compare-and-set: ``ConcurrencyConflict`` when one moved,
        ``NotFound`` when one is gone); a statement for the items and one for
        the files, whatever their number. Returns how many items."""
        ...
