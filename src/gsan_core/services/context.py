"""What every service receives from the composition root."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.catalog import CatalogItem, CatalogKind
from gsan_core.model.events import DomainEvent
from gsan_core.model.profile import UtilityProfile
from gsan_core.ports.calendar import BusinessCalendar
from gsan_core.ports.clock import Clock
from gsan_core.ports.unit_of_work import (
    BatchHolding,
    TransactionHolding,
    UnitOfWork,
    UnitOfWorkFactory,
)
from gsan_core.rules import units as unit_rules
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import (
    STATISTICS_MIN_ROWS,
    BatchSummary,
    ChunkOutcome,
    Progress,
    run_batch,
)
from gsan_core.services.operations import CommercialOperation, OrderClosedHook
from gsan_core.services.validation import ACTING, Lengths, checked, lengths_key

__all__ = ["BatchFrame", "CatalogCheck", "Service", "ServiceContext"]

#: A rule over one reference row beyond CAT-1..CAT-4 (cross-field rules such as
#: REF-08 of the service-type references), keyed by kind in the context.
CatalogCheck = Callable[[CatalogItem], Sequence[Violation]]

K = TypeVar("K", bound=Hashable)


@attrs.frozen(kw_only=True)
class ServiceContext:
    """The dependencies shared by every service of one :class:`~gsan_core.System`."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    profile: UtilityProfile
    calendar: BusinessCalendar
    kinds: Mapping[str, CatalogKind]
    publish: Callable[[Sequence[DomainEvent]], None]
    #: The commercial operations by key (filled by the connection and hydrometer areas).
    operations: Mapping[str, CommercialOperation] = attrs.field(factory=dict)
    #: Reactions to a closed OS, inside its unit of work (the RA area's).
    order_closed_hooks: tuple[OrderClosedHook, ...] = ()
    #: Extra rules of some reference tables, by kind name.
    catalog_checks: Mapping[str, CatalogCheck] = attrs.field(factory=dict)
    #: USR-2: refuse a command whose actor is neither the setup actor nor a
    #: registered, active user.
    check_actors: bool = False
    #: The profile's text-length overrides as the validator's cache key.
    lengths: Lengths = attrs.field(init=False)

    @lengths.default
    def _lengths_of_profile(self) -> Lengths:
        return lengths_key(self.profile.text_lengths)

    @property
    def zone(self) -> ZoneInfo:
        """The utility's time zone."""
        return ZoneInfo(self.profile.timezone)


class Service:
    """Base of the service objects: gives them the context and a unit of work.

    Every public method of a subclass is wrapped by
    :func:`~gsan_core.services.validation.checked`: its arguments are checked
    against its annotations before it runs (a bad one is a ``RuleViolation``
    with code ``input.invalid.<field>``)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if name.startswith("_") or not inspect.isfunction(member):
                continue
            if not getattr(member, "__gsan_checked__", False):
                setattr(cls, name, checked(member))

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        #: The active text limits (the profile's overrides), for the validator.
        self._lengths = context.lengths

    @property
    def profile(self) -> UtilityProfile:
        """The utility profile the rules follow."""
        return self._ctx.profile

    def _now(self) -> datetime:
        return self._ctx.clock.now()

    def _today(self, at: datetime | None = None) -> date:
        return self._local_date(at if at is not None else self._now())

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self._ctx.zone).date()

    @contextmanager
    def _work(self, *, defer: bool = False) -> Iterator[UnitOfWork]:
        """Open a unit of work; publish its events once it committed and closed.

        ``defer``: its writes are sent together (``UnitOfWork.defer_writes``),
        for a command whose writes follow its reads.
        A :class:`RuleViolation` leaving it is marked with the profile's
        language (what a notebook shows it in)."""
        try:
            with self._ctx.uow_factory() as uow:
                if defer:
                    uow.defer_writes()
                if self._ctx.check_actors:
                    _check_actor(uow)
                yield uow
        except RuleViolation as refused:
            refused.language = self._ctx.profile.language
            raise
        events = uow.collect_events()
        if events:
            self._ctx.publish(events)

    @contextmanager
    def _exclusive(self, job: str, *keys: str) -> Iterator[BatchFrame]:
        """Hold batch ``job`` for every key of ``keys`` (in order) while the
        block runs (one unit of work stays open to hold them);
        ``BatchAlreadyRunning`` when another run holds one of them.

        The :class:`BatchFrame` it yields reads what the run starts from and
        runs its chunks: where the hold lives in the holding transaction
        (PostgreSQL) both the read and the last chunk are in that
        transaction, the last chunk's commit ending the hold."""
        with self._ctx.uow_factory() as holder:
            if isinstance(holder, BatchHolding):  # one statement (issue 20)
                holder.hold_batches(job, keys)
            else:
                for key in keys:
                    holder.hold_batch(job, key)
            framed = (
                isinstance(holder, TransactionHolding) and holder.holds_in_transaction()
            )
            yield BatchFrame(self, holder if framed else None)

    def _refresh_statistics(
        self, changed: Mapping[str, int], *, share: float | None = None
    ) -> None:
        """After a batch wrote ``changed[table]`` rows: let the store refresh
        its planner statistics where that is a large share of a table (more
        than ``share`` of its rows; ``None``: the store's default) and at
        least :data:`~gsan_core.services.batches.STATISTICS_MIN_ROWS` rows (a
        smaller run asks nothing)."""
        changed = {
            table: rows
            for table, rows in changed.items()
            if rows >= STATISTICS_MIN_ROWS
        }
        if changed:
            with self._ctx.uow_factory() as uow:
                uow.refresh_statistics(changed, share=share)
                uow.commit()

    @contextmanager
    def _read(self) -> Iterator[UnitOfWork]:
        """Open a unit of work that only reads (queries): it runs beside writers
        instead of queueing behind them."""
        with self._ctx.uow_factory() as uow:
            uow.read_only()
            yield uow


class BatchFrame:
    """The frame of one batch run held by :meth:`Service._exclusive` (issue
    20): where the hold lives in the holding unit of work's transaction
    (PostgreSQL's advisory lock), the run's starting read and its last chunk
    are in that transaction, so a run whose work fits one chunk is one
    transaction (BEGIN, the hold, the read, the chunk's writes, COMMIT)
    instead of three. Elsewhere (SQLite's lease rows, memory, a host's
    transaction) the read and each chunk have units of work of their own.

    The starting read takes no row lock: the holding transaction stays open
    while the other chunks run in units of work of their own."""

    def __init__(self, service: Service, holder: UnitOfWork | None) -> None:
        self._service = service
        self._holder = holder

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A unit of work to read what the run starts from (the holding one
        where the hold lives in its transaction; it is not committed).
        The command's actor is checked there (USR-2) when the service checks
        actors; a refusal is marked with the profile's
        language, as ``Service._work`` marks it."""
        context = self._service._ctx
        try:
            if self._holder is None:
                with self._service._read() as uow:
                    if context.check_actors:
                        _check_actor(uow)
                    yield uow
                return
            if context.check_actors:
                _check_actor(self._holder)
            yield self._holder
        except RuleViolation as refused:
            refused.language = context.profile.language
            raise

    def run(
        self,
        *,
        job: str,
        units: Sequence[K],
        chunk: Callable[[UnitOfWork, K], ChunkOutcome],
        progress: Progress | None = None,
    ) -> BatchSummary:
        """:func:`~gsan_core.services.batches.run_batch` over ``units``, each in
        a unit of work of the service; the last one in the holding unit of
        work where the hold lives in its transaction (its commit ends the
        hold: nothing of the run may follow it in the held block)."""
        return run_batch(
            job=job,
            units=units,
            chunk=chunk,
            work=self._service._work,
            last=None if self._holder is None else self._last,
            progress=progress,
        )

    @contextmanager
    def _last(self) -> Iterator[UnitOfWork]:
        """The holding unit of work for the last chunk, as ``Service._work``
        gives one: its events published once committed; a refusal marked with
        the profile's language. Not closed: ``_exclusive`` closes it."""
        holder = self._holder
        assert holder is not None
        context = self._service._ctx
        try:
            yield holder
        except RuleViolation as refused:
            refused.language = context.profile.language
            raise
        events = holder.collect_events()
        if events:
            context.publish(events)


def holds_permission(
    profile: UtilityProfile, uow: UnitOfWork, actor: int, role: str
) -> bool:
    """Whether ``actor`` holds a special permission (``PermissaoEspecial``) that
    the profile maps ``role`` to (``permission.<role>``)."""
    return any(
        uow.permissions.has(actor, pid) for pid in profile.ids(f"permission.{role}")
    )


def _check_actor(uow: UnitOfWork) -> None:
    """USR-2 for the running command's actor, once per command, in its first
    unit of work (so a user deactivated meanwhile is seen)."""
    acting = ACTING.get()
    if acting is None or acting[1]:
        return
    actor = acting[0]
    user = None if actor == unit_rules.SETUP_ACTOR else uow.users.find(actor)
    ensure(unit_rules.check_actor(actor, user))
    acting[1] = True
