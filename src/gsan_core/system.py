"""The composition root: :class:`System`, :func:`in_memory` and :func:`connect`.

A :class:`System` wires one unit-of-work factory, a clock, a business calendar and
a utility profile into the service objects (``gsan.catalog``, ``gsan.properties``,
...). Nothing here runs at import time.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gsan_core import display, profiles
from gsan_core.adapters.calendar import HolidaysCalendar
from gsan_core.adapters.clock import SystemClock
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.adapters.messages import LoggingGateway
from gsan_core.errors import ConfigurationError
from gsan_core.model.catalog import CatalogKind
from gsan_core.model.events import DomainEvent
from gsan_core.model.kinds import kinds_by_name
from gsan_core.model.profile import UtilityProfile
from gsan_core.ports.calendar import BusinessCalendar
from gsan_core.ports.clock import Clock
from gsan_core.ports.events import EventSink
from gsan_core.ports.ids import IdGenerator
from gsan_core.ports.unit_of_work import UnitOfWorkFactory
from gsan_core.rules import units as unit_rules
from gsan_core.rules.service_configuration import check_reference_config
from gsan_core.services.accounts import AccountService
from gsan_core.services.billing import BillingService
from gsan_core.services.catalog import CatalogService
from gsan_core.services.collection import CollectionService
from gsan_core.services.connections import ConnectionService, connection_operations
from gsan_core.services.context import CatalogCheck, ServiceContext
from gsan_core.services.field_work import FieldWorkService
from gsan_core.services.hydrometers import (
    ConnectionMeters,
    HydrometerService,
    hydrometer_operations,
)
from gsan_core.services.inspections import InspectionService
from gsan_core.services.operations import CommercialOperation, OrderClosedHook, registry
from gsan_core.services.outbox import OutboxService
from gsan_core.services.properties import PropertyService
from gsan_core.services.repaving import RepavingService
from gsan_core.services.scheduling import SchedulingService
from gsan_core.services.service_desk import ServiceDeskService
from gsan_core.services.service_orders import ServiceOrderService
from gsan_core.services.service_requests import ServiceRequestService
from gsan_core.services.service_requests.hooks import RequestOrderClosedHook
from gsan_core.services.units import UnitService
from gsan_core.testing.clocks import DEFAULT_NOW, FixedClock
from gsan_core.testing.ids import SequentialIds
from gsan_core.timekeeping import Timekeeper

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["SETUP_ACTOR", "ProfileSource", "System", "connect", "in_memory"]

_LOG = logging.getLogger("gsan_core")

#: The actor recorded for setup work (seeding reference rows). Commands always
#: take an explicit actor: there is no implicit system user.
SETUP_ACTOR = unit_rules.SETUP_ACTOR

ProfileSource = str | Path | UtilityProfile | profiles.LoadedProfile


def _resolve(profile: ProfileSource) -> profiles.LoadedProfile:
    if isinstance(profile, profiles.LoadedProfile):
        return profile
    if isinstance(profile, UtilityProfile):
        return profiles.LoadedProfile(profile=profile, seeds=(), source="<given>")
    return profiles.load(profile)


#: How many events a system from :func:`connect` keeps in ``System.events``
#: (the most recent ones): a long-lived process must not keep every event.
CONNECT_KEEPS = 1_000


class _RecordingSink:
    """Keeps the published events (``System.events``): all of them, or the
    most recent ``limit`` (a ring)."""

    def __init__(self, limit: int | None = None) -> None:
        self.events: deque[DomainEvent] = deque(maxlen=limit)

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self.events.extend(events)


class System:
    """One utility's rules over one storage backend.

    Use :func:`in_memory` or :func:`connect` rather than building it by hand.
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        profile: ProfileSource = "gsan_default",
        clock: Clock | None = None,
        calendar: BusinessCalendar | None = None,
        sinks: Sequence[EventSink] = (),
        keep_events: bool | int = True,
        kinds: Mapping[str, CatalogKind] | None = None,
        on_close: Callable[[], None] | None = None,
        backend: Any = None,
        operations: Sequence[CommercialOperation] | None = None,
        order_closed_hooks: Sequence[OrderClosedHook] | None = None,
        check_actors: bool = False,
    ) -> None:
        loaded = _resolve(profile)
        self.loaded_profile = loaded
        self.profile: UtilityProfile = loaded.profile
        #: The system's time: ``now()``, ``today()``, and ``set()`` /
        #: ``advance()`` on a settable clock (see :class:`Timekeeper`).
        self.clock: Timekeeper = Timekeeper(
            clock if clock is not None else SystemClock(),
            timezone=self.profile.timezone,
        )
        self.calendar: BusinessCalendar = (
            calendar
            if calendar is not None
            else HolidaysCalendar(state=self.profile.state)
        )
        self._sinks: list[EventSink] = list(sinks)
        if keep_events is not True and keep_events < 0:
            raise ValueError("keep_events must be True, False or a count >= 0")
        self._recorder = (
            None
            if keep_events is False or keep_events == 0
            else _RecordingSink(None if keep_events is True else int(keep_events))
        )
        if self._recorder is not None:
            self._sinks.append(self._recorder)
        self._on_close = on_close
        #: The storage backend (a ``MemoryStore`` or a ``SqlBackend``).
        self.backend = backend
        self._kinds = kinds
        self.uow_factory = uow_factory
        context = self._service_context(
            uow_factory,
            kinds=kinds,
            operations=operations,
            order_closed_hooks=order_closed_hooks,
            check_actors=check_actors,
        )
        self._check_actors = check_actors
        self._operations = operations
        self._order_closed_hooks = order_closed_hooks
        self.catalog = CatalogService(context)
        self.properties = PropertyService(context)
        self.units = UnitService(context)
        self.billing = BillingService(context)
        self.service_orders = ServiceOrderService(context)
        self.collection = CollectionService(context)
        self.connections = ConnectionService(context, meters=ConnectionMeters())
        self.hydrometers = HydrometerService(context)
        self.service_requests = ServiceRequestService(context)
        #: Customers, open debts with surcharges, statements, certificates.
        self.accounts = AccountService(context)
        #: Roteiros: programming orders on teams, the follow-up, calendars.
        self.scheduling = SchedulingService(context)
        #: Supply and maintenance schedule, text messages, procedures.
        self.service_desk = ServiceDeskService(context, gateway=LoggingGateway())
        #: Selective commands and their emission (field work II).
        self.field_work = FieldWorkService(context)
        #: Inspection returns (fiscalização) and infraction notices.
        self.inspections = InspectionService(context, meters=ConnectionMeters())
        #: Repaving works: returns and acceptance.
        self.repaving = RepavingService(context)
        #: The committed events in commit order (reliable delivery).
        self.outbox = OutboxService(context)

    def _service_context(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        kinds: Mapping[str, CatalogKind] | None,
        operations: Sequence[CommercialOperation] | None,
        order_closed_hooks: Sequence[OrderClosedHook] | None,
        check_actors: bool,
    ) -> ServiceContext:
        """What every service shares: the store, the clock, the profile, the
        calendar, the event publisher and the registered extensions (the
        defaults where none is given)."""
        return ServiceContext(
            uow_factory=uow_factory,
            clock=self.clock,
            profile=self.profile,
            calendar=self.calendar,
            kinds=kinds if kinds is not None else kinds_by_name(),
            publish=self._publish,
            operations=registry(
                operations if operations is not None else default_operations()
            ),
            order_closed_hooks=tuple(
                order_closed_hooks
                if order_closed_hooks is not None
                else default_order_closed_hooks()
            ),
            catalog_checks=default_catalog_checks(),
            check_actors=check_actors,
        )

    def today(self) -> date:
        """The current date in the utility's timezone (``profile.timezone``)."""
        return self.clock.today()

    # ------------------------------------------------------------ display
    def names(self, kind: str, id: int) -> str | None:
        """The name of ``id`` of ``kind`` (a catalog kind, ``"unit"``,
        ``"user"``, ``"service_type"`` or ``"request_specification"``); ``None``
        when there is none."""
        with self.uow_factory() as uow:
            uow.read_only()
            if kind in ("unit", "user"):
                found = (uow.units if kind == "unit" else uow.users).find(id)
                return None if found is None else found.name
            if kind in ("service_type", "request_specification"):
                typed = (
                    uow.service_types
                    if kind == "service_type"
                    else uow.request_specifications
                ).find(id)
                return None if typed is None else typed.description
            if kind not in (self._kinds or kinds_by_name()):
                return None
            item = uow.catalog.find(kind, id)
            return None if item is None else item.description

    def show(self, result: object) -> display.Shown:
        """``result`` with this system's names next to its ids, for a notebook
        (``_repr_html_``) or ``print``."""
        return display.Shown(result, functools.lru_cache(maxsize=512)(self.names))

    # ------------------------------------------------------------ events
    def _publish(self, events: Sequence[DomainEvent]) -> None:
        """Hand committed events to the in-process sinks, best-effort.

        The work is committed and its events are in the outbox: a sink that
        raises is logged (logger ``gsan_core``) and the next sink still runs, so
        the caller never takes a committed command for a failed one (and a retry
        cannot do the work twice). Deliver reliably from the outbox.
        """
        for sink in self._sinks:
            try:
                sink.publish(events)
            except Exception:
                _LOG.exception(
                    "event sink %r failed after commit on %d event(s) (first: %s); "
                    "the work stays committed and the events stay in the outbox",
                    sink,
                    len(events),
                    type(events[0]).tag if events else "-",
                )

    def subscribe(
        self, sink: EventSink | Callable[[Sequence[DomainEvent]], None]
    ) -> None:
        """Receive the events of every committed unit of work from now on."""
        if callable(sink) and not hasattr(sink, "publish"):
            self._sinks.append(_CallableSink(sink))
        else:
            self._sinks.append(sink)

    @property
    def events(self) -> Sequence[DomainEvent]:
        """The events published by this system: every one (``keep_events=True``,
        the default of :func:`in_memory`), the most recent ``keep_events`` (an
        int: :func:`connect` keeps the last 1,000), or none (``False``)."""
        return tuple(self._recorder.events) if self._recorder else ()

    def joining(self, connection: Any) -> System:
        """The same system inside the host's SQLAlchemy ``connection`` (SQL only).

        The library works in a SAVEPOINT of the host's transaction; ``commit()``
        releases it and the host decides the outer commit. Events are written to
        the outbox table in that transaction and not published to sinks (the host
        delivers them after its own commit).
        """
        joining = getattr(self.backend, "joining", None)
        if joining is None:
            raise ConfigurationError("joining a transaction needs the SQL backend")
        return System(
            uow_factory=joining(connection),
            profile=self.loaded_profile,
            clock=self.clock,
            calendar=self.calendar,
            keep_events=False,
            kinds=self._kinds,
            backend=self.backend,
            operations=self._operations,
            order_closed_hooks=self._order_closed_hooks,
            check_actors=self._check_actors,
        )

    # ------------------------------------------------------------ setup
    def seed(self, *, actor: int = SETUP_ACTOR) -> int:
        """Insert the profile's reference rows and service types that are missing;
        returns how many rows were added."""
        added = self.catalog.seed(self.loaded_profile.seeds, actor=actor)
        known = {t.id for t in self.service_orders.types()}
        missing = [t for t in self.loaded_profile.service_types if t.id not in known]
        if missing:
            self.service_orders.add_types(missing, actor=actor)
        configuration = self.service_requests.configuration
        known_specs = {s.id for s in configuration.specifications()}
        missing_specs = [
            s
            for s in self.loaded_profile.request_specifications
            if s.id not in known_specs
        ]
        if missing_specs:
            configuration.add_specifications(missing_specs, actor=actor)
        return added + len(missing) + len(missing_specs)

    def close(self) -> None:
        """Release the backend (disposes the engine of :func:`connect`)."""
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def __enter__(self) -> System:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<System profile={self.profile.name!r}>"


def default_operations() -> list[CommercialOperation]:
    """The commercial operations every system registers: the connection
    operations (their meter steps over the hydrometer area's installation
    history) and the meter operations."""
    return [
        *connection_operations(meters=ConnectionMeters()),
        *hydrometer_operations(),
    ]


def default_order_closed_hooks() -> list[OrderClosedHook]:
    """The reactions to a closed OS every system registers (service requests)."""
    return [RequestOrderClosedHook()]


def default_catalog_checks() -> dict[str, CatalogCheck]:
    """Rules of reference tables beyond the catalog's own (by kind name)."""
    return {"service_type_reference": check_reference_config}


class _CallableSink:
    def __init__(self, function: Callable[[Sequence[DomainEvent]], None]) -> None:
        self._function = function

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self._function(events)


def in_memory(
    profile: ProfileSource = "gsan_default",
    *,
    now: datetime = DEFAULT_NOW,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    calendar: BusinessCalendar | None = None,
    seed: bool = True,
    extra_operations: Sequence[CommercialOperation] = (),
    check_actors: bool = False,
) -> System:
    """A system in memory, seeded with the profile's reference rows.

    The clock is fixed at ``now`` (Monday 2025-01-06 09:00 in Brasília by
    default) unless a ``clock`` is given; ids are sequential from 1 per kind.
    ``extra_operations`` are registered beside :func:`default_operations`.
    ``check_actors=True`` refuses commands whose actor is neither
    :data:`SETUP_ACTOR` nor a registered, active user (USR-2); a notebook's
    system has no users, so it is off here and on in :func:`connect`.
    """
    store = MemoryStore()
    system = System(
        uow_factory=memory_uow_factory(store, ids or SequentialIds()),
        profile=profile,
        clock=clock or FixedClock(now),
        calendar=calendar,
        backend=store,
        operations=[*default_operations(), *extra_operations],
        check_actors=check_actors,
    )
    if seed:
        system.seed()
    return system


def connect(
    url: str | None = None,
    *,
    engine: Engine | None = None,
    profile: ProfileSource = "gsan_default",
    migrate: bool = False,
    seed: bool = False,
    schema: str | None = None,
    prefix: str = "gsan_",
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    calendar: BusinessCalendar | None = None,
    outbox: bool = True,
    extra_operations: Sequence[CommercialOperation] = (),
    check_schema: bool = True,
    check_actors: bool = True,
    keep_events: bool | int = CONNECT_KEEPS,
    **engine_options: Any,
) -> System:
    """A system over a SQL database (SQLite or PostgreSQL), via SQLAlchemy Core.

    ``migrate=True`` upgrades the schema to the library's newest revision first;
    ``seed=True`` then inserts the profile's missing reference rows. Without
    ``migrate``, a database whose schema is not the library's newest revision
    is refused with :class:`~gsan_core.errors.ConfigurationError` (code
    ``configuration.schema``: "run `gsan-core db upgrade`", or a newer revision
    this library does not know); ``check_schema=False`` skips the check.
    Every command's actor must be :data:`SETUP_ACTOR` or a registered, active
    user (USR-2) unless ``check_actors=False``. Needs
    ``pip install gsan-core[sqlalchemy]`` (``[postgres]`` for PostgreSQL).

    ``System.events`` keeps only the most recent ``keep_events`` events (1,000;
    ``False`` keeps none, ``True`` every one): a host process or the command
    line runs for long, and the outbox (or a sink) is where events are
    consumed.
    """
    try:
        from gsan_core.adapters.sqlalchemy import (  # noqa: PLC0415
            SqlBackend,
        )
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigurationError(
            "the SQL backend needs SQLAlchemy: pip install 'gsan-core[sqlalchemy]'"
        ) from exc
    backend = SqlBackend.open(
        url,
        engine=engine,
        schema=schema,
        prefix=prefix,
        ids=ids,
        outbox=outbox,
        **engine_options,
    )
    try:
        if migrate:
            backend.upgrade()
        elif check_schema:
            backend.check_schema()
    except BaseException:
        backend.dispose()
        raise
    system = System(
        uow_factory=backend.uow_factory,
        profile=profile,
        clock=clock,
        calendar=calendar,
        on_close=backend.dispose,
        backend=backend,
        operations=[*default_operations(), *extra_operations],
        check_actors=check_actors,
        keep_events=keep_events,
    )
    if seed:
        system.seed()
    return system
