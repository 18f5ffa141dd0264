"""The connection service: the operations without an order and the batches."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

import attrs

from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    NotFound,
    Violation,
)
from gsan_core.model.connections import (
    BatchCandidate,
    ChangeSituationInput,
    ConnectionKind,
    ConnectionsChangedInBatch,
    ConnectWithMeterInput,
    MeterInstallation,
    SewerConnection,
    SewerConnectionInput,
    SituationChange,
    WaterBatch,
    WaterBatchWritten,
    WaterConnection,
    WaterConnectionInput,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import connections as rules
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules.connections import ConnectionDecision
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import (
    LOCALITIES_PER_CHUNK,
    BatchSummary,
    ChunkOutcome,
    Progress,
    combined,
    run_batch,
    taken,
)
from gsan_core.services.connections.apply import _evaluate, apply_in, apply_many_in
from gsan_core.services.connections.seams import MeterSeam
from gsan_core.services.context import Service, ServiceContext
from gsan_core.services.service_orders import ClosingResult, close_in


# ---------------------------------------------------------------- the service
class ConnectionService(Service):
    """``gsan.connections``: the water and sewer connections of the properties.

    Most operations run by closing their service order (``gsan.service_orders.
    close_executed(..., commercial=CutInput(...))``) or from the menu with an order
    closed as executed (``gsan.service_orders.apply_operation(operation=
    "water.cut", ...)``); this service has what runs without one.
    """

    def __init__(self, context: ServiceContext, *, meters: MeterSeam) -> None:
        super().__init__(context)
        #: The hydrometer area's meter steps (``ConnectionMeters``).
        self.meters: MeterSeam = meters

    # ------------------------------------------------------------ bulk load
    def load(
        self,
        *,
        actor: int,
        water: Iterable[WaterConnection] = (),
        sewer: Iterable[SewerConnection] = (),
    ) -> int:
        """Insert connection rows from the utility's cadastre in one transaction
        (set-based; their properties must exist). Returns how many were added."""
        del actor  # a cadastral import: no events, as properties.load_locations
        new_water = [attrs.evolve(w, version=1) for w in water]
        new_sewer = [attrs.evolve(s, version=1) for s in sewer]
        with self._work() as uow:
            wanted = {c.id for c in new_water} | {c.id for c in new_sewer}
            missing = sorted(wanted - set(uow.properties.get_many(wanted)))
            if missing:
                raise NotFound("property", missing[0])
            uow.water_connections.add_many(new_water)
            uow.sewer_connections.add_many(new_sewer)
            uow.commit()
        return len(new_water) + len(new_sewer)

    # ------------------------------------------------------------ reads
    def water_connection(self, property_id: int) -> WaterConnection | None:
        """The property's water connection, if any."""
        with self._read() as uow:
            return uow.water_connections.find(property_id)

    def sewer_connection(self, property_id: int) -> SewerConnection | None:
        """The property's sewer connection, if any."""
        with self._read() as uow:
            return uow.sewer_connections.find(property_id)

    def history(self, property_id: int) -> Sequence[SituationChange]:
        """Every water and sewer situation change of the property, oldest first."""
        with self._read() as uow:
            return uow.situation_history.of_property(property_id)

    def changes_between(
        self,
        start: date,
        end: date,
        *,
        operations: Collection[str] | None = None,
        kind: ConnectionKind | None = None,
    ) -> Sequence[SituationChange]:
        """Situation changes that took effect in ``[start, end]`` (GSAN R0906:
        suppressions, reconnections and restorations of a period)."""
        with self._read() as uow:
            return uow.situation_history.between(
                start, end, operations=operations, kind=kind
            )

    def check(
        self,
        operation: str,
        *,
        property_id: int,
        data: object | None,
        actor: int,
        order_id: int | None = None,
    ) -> tuple[Violation, ...]:
        """Every rule violation of running ``operation`` now, its meter step's
        included (nothing is written): GSAN's "validate for display" step. The
        order checks of the menu path are ``gsan.service_orders``'s. A cut
        exists only through its order: without ``order_id`` it says so (V-CO1,
        "Informe Ordem de Serviço")."""
        at = self._now()
        missing_order: tuple[Violation, ...] = ()
        if operation == "water.cut" and order_id is None:
            missing_order = (rules.ORDER_REQUIRED(operation=operation),)
        with self._read() as uow:
            order = None if order_id is None else uow.service_orders.get(order_id)
            service_type = (
                None if order is None else uow.service_types.get(order.service_type_id)
            )
            return (
                _evaluate(
                    uow,
                    self.profile,
                    operation=operation,
                    property_id=property_id,
                    data=data,
                    actor=actor,
                    at=at,
                    meters=self.meters,
                    order=order,
                    service_type=service_type,
                ).violations
                + missing_order
            )

    # ------------------------------------------------------------ without an order
    def connect_water_without_order(
        self,
        *,
        property_id: int,
        data: WaterConnectionInput,
        actor: int,
        meter: MeterInstallation | None = None,
    ) -> WaterConnection:
        """Efetuar Ligação de Água com/sem Instalação de Hidrômetro sem RA (UC0354
        / UC0579, operation 882): by the property's id, without a service request
        (special permission 65), with a meter installed when ``meter`` is given,
        today, in the same transaction; no order, no charge."""
        given: object = data
        if meter is not None:
            given = ConnectWithMeterInput(connection=data, meter=meter)
        return self._without_order(
            "water.connect_without_order", property_id, given, actor
        ).water  # type: ignore[return-value]

    def connect_sewer_without_order(
        self, *, property_id: int, data: SewerConnectionInput, actor: int
    ) -> SewerConnection:
        """Efetuar Ligação de Esgoto sem RA (special permission 67)."""
        return self._without_order(
            "sewer.connect_without_order", property_id, data, actor
        ).sewer  # type: ignore[return-value]

    def _without_order(
        self, operation: str, property_id: int, data: object, actor: int
    ) -> ConnectionDecision:
        at = self._now()
        # its reads ahead, its writes as one statement (PostgreSQL; ADR 0006)
        with self._work(defer=True) as uow:
            uow.read_ahead("connect", property_id)
            decision = apply_in(
                uow,
                self.profile,
                operation=operation,
                property_id=property_id,
                data=data,
                actor=actor,
                at=at,
                meters=self.meters,
            )
            uow.commit()
        return decision

    # ------------------------------------------------------------ alterar situação
    def change_situation(
        self,
        *,
        order_id: int,
        data: ChangeSituationInput,
        actor: int,
        closed_on: date | None = None,
    ) -> ClosingResult:
        """Alterar Situação da Ligação (UC0555): the open order of type 1004 is
        closed with execution ("conclusão do serviço") and the connection(s) go
        back to POTENCIAL or FACTÍVEL, their rows deleted — all in one transaction."""
        at = self._now()
        reason = self.profile.id("closing_reason.service_concluded")
        if reason is None:
            raise ConfigurationError(
                "the profile has no closing_reason.service_concluded role"
            )
        # read ahead and written as one statement, as closing an order is
        with self._work(defer=True) as uow:
            # closing's read ahead, the order kept for this read and closing's
            uow.read_ahead("change_situation", order_id)
            order = uow.service_orders.get(order_id)
            service_type = uow.service_types.get(order.service_type_id)
            linked = (
                service_type.updates_commercial
                and service_type.operation == "connection.change_situation"
            )
            if not linked or not order.is_open:
                # GSAN's own screen: the operation runs here, then the order closes
                # (its rules report a wrong type, V-AS1, or a closed order, V-AS2)
                ensure(order_rules.check_has_property(order, order.property_id))
                assert order.property_id is not None
                apply_in(
                    uow,
                    self.profile,
                    operation="connection.change_situation",
                    property_id=order.property_id,
                    data=data,
                    actor=actor,
                    at=at,
                    order=order,
                    service_type=service_type,
                    meters=self.meters,
                )
            result = close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=reason,
                closed_on=closed_on or self._today(at),
                actor=actor,
                at=at,
                commercial=data if linked else None,
            )
            uow.commit()
        return result

    # ------------------------------------------------------------ batches
    def reconnect_cut_with_real_consumption(
        self,
        *,
        reference: int,
        actor: int,
        progress: Progress | None = None,
        localities_per_chunk: int = LOCALITIES_PER_CHUNK,
    ) -> BatchSummary:
        """UC1073 "religar imóveis cortados com consumo real", per locality.

        Cut properties (``transitions["water.reconnect_by_consumption"]``), cut at
        least ``connections.reconnection_cut_age_days`` days before the end of the
        ``reference`` month, not on the social tariff, whose water consumption of
        that month billing reports as real and billed, go back to LIGADO (the
        sewer coupling applies) with today as the reconnection date. Idempotent:
        a reconnected property is no longer a candidate. Each unit of work
        takes ``localities_per_chunk`` localities (1 is GSAN's split).
        """
        profile = self.profile
        return self._water_batch(
            "water.reconnect_by_consumption",
            actor=actor,
            progress=progress,
            localities_per_chunk=localities_per_chunk,
            reference=reference,
            cut_on_or_before=rules.reconnection_cut_limit(
                reference, profile.connections.reconnection_cut_age_days
            ),
            excluded_profiles=profile.ids("property_profile.social_tariff"),
        )

    def promote_connected_under_analysis(
        self,
        *,
        actor: int,
        progress: Progress | None = None,
        localities_per_chunk: int = LOCALITIES_PER_CHUNK,
    ) -> BatchSummary:
        """UC0823 "atualizar ligação de água de ligado em análise para ligado", per
        locality: every active property in ``transitions["water.promote_analysis"]``
        goes to LIGADO (the sewer coupling applies)."""
        return self._water_batch(
            "water.promote_analysis",
            actor=actor,
            progress=progress,
            localities_per_chunk=localities_per_chunk,
        )

    def _water_batch(
        self,
        operation: str,
        *,
        actor: int,
        progress: Progress | None,
        localities_per_chunk: int,
        reference: int | None = None,
        cut_on_or_before: date | None = None,
        excluded_profiles: Collection[int] = (),
    ) -> BatchSummary:
        with self._exclusive(operation, "every locality"):
            profile = self.profile
            sources = profile.allowed(operation)
            connected = rules.role_id(profile, "water_status.connected")
            out_of_use = profile.ids("sewer_status.out_of_use")
            with self._read() as uow:
                localities = uow.connection_batches.localities_with_water_status(
                    sources
                )

            batch = WaterBatch(
                operation=operation,
                water_status_ids=frozenset(sources),
                cut_on_or_before=cut_on_or_before,
                excluded_profile_ids=frozenset(excluded_profiles),
                reference=reference,
                real_type_ids=(
                    frozenset(profile.ids("consumption_type.real"))
                    if reference is not None
                    else frozenset()
                ),
                to_id=connected,
                sewer_from_ids=frozenset(out_of_use),
            )

            def chunk(uow: UnitOfWork, locality_ids: tuple[int, ...]) -> ChunkOutcome:
                # several localities per unit of work (issue 20): a store that
                # writes set-based writes them in one statement; each is
                # counted and recorded as on its own, the chunk commits once
                at = self._now()
                today = self._today(at)
                ordered = sorted(locality_ids)
                written = uow.connection_batches.write_water_batch(
                    locality_ids=ordered,
                    batch=batch,
                    today=today,
                    at=at,
                    actor=actor,
                )
                outcome = combined(
                    [
                        _one_locality(
                            uow,
                            batch,
                            locality_id,
                            None if written is None else written[locality_id],
                            today=today,
                            at=at,
                            actor=actor,
                        )
                        for locality_id in ordered
                    ]
                )
                if outcome.changed:
                    uow.commit()
                return outcome

            return run_batch(
                job=operation,
                units=taken(list(localities), localities_per_chunk),
                chunk=chunk,
                work=self._work,
                progress=progress,
            )

    # ------------------------------------------------------------ CAEMA
    def inform_feasible_billable(
        self,
        *,
        locality_id: int,
        data: SewerConnectionInput,
        actor: int,
        request_id: int | None = None,
    ) -> list[int]:
        """CAEMA UC1467 for a PPP locality: every active property whose sewer is in
        ``transitions["sewer.feasible_billable.inform"]`` gets the sewer connection
        data and goes to FACTÍVEL FATURÁVEL (its previous situation is kept). One
        transaction; returns the properties changed."""
        return self._feasible_billable(
            "sewer.feasible_billable.inform", locality_id, data, actor, request_id
        )

    def withdraw_feasible_billable(
        self, *, locality_id: int, actor: int, request_id: int | None = None
    ) -> list[int]:
        """CAEMA UC1468: the locality's FACTÍVEL FATURÁVEL properties go back to
        their previous sewer situation; the sewer rows are deleted."""
        return self._feasible_billable(
            "sewer.feasible_billable.withdraw", locality_id, None, actor, request_id
        )

    def _feasible_billable(
        self,
        operation: str,
        locality_id: int,
        data: object | None,
        actor: int,
        request_id: int | None,
    ) -> list[int]:
        if not self.profile.enabled("sewer.feasible_billable"):
            ensure(
                [
                    rules.FEATURE_DISABLED(
                        feature="sewer.feasible_billable",
                        funcionalidade="a situação de esgoto factível faturável",
                    )
                ]
            )
        at = self._now()
        sources = self.profile.allowed(operation)
        with self._work(defer=True) as uow:
            found = uow.properties.find_by(
                locality_id=locality_id, sewer_status_id=sources, active=True
            )
            # the roots locked at once, in id order (ADR 0004), then checked
            # again under their locks
            locked = uow.properties.lock_many([p.id for p in found])
            props = [
                p
                for p in (locked[f.id] for f in found if f.id in locked)
                if p.sewer_status_id in sources and p.active
            ]
            apply_many_in(
                uow,
                self.profile,
                operation=operation,
                props=props,
                data=data,
                actor=actor,
                at=at,
                meters=self.meters,
                request_id=request_id,
            )
            uow.commit()
        return [p.id for p in props]


def _water_steps(
    uow: UnitOfWork,
    batch: WaterBatch,
    *,
    locality_id: int,
    today: date,
    at: datetime,
    actor: int,
) -> WaterBatchWritten:
    """One locality of a connection batch through the ports, step by step
    (a store that does not write it set-based): the candidates, those with
    real consumption (billing port), the moves, the reconnection dates and
    the history."""
    candidates = uow.connection_batches.candidates(
        locality_id=locality_id,
        water_status_ids=batch.water_status_ids,
        cut_on_or_before=batch.cut_on_or_before,
        excluded_profile_ids=batch.excluded_profile_ids,
    )
    chosen: Sequence[BatchCandidate] = candidates
    if batch.reference is not None:
        real = uow.billing.real_consumption(
            [c.property_id for c in candidates],
            reference=batch.reference,
            real_type_ids=batch.real_type_ids,
        )
        chosen = [c for c in candidates if c.property_id in real]
    if not chosen:
        return WaterBatchWritten(processed=len(candidates), changed=0)
    ids = [c.property_id for c in chosen]
    moved = uow.connection_batches.move_water(
        ids,
        from_ids=batch.water_status_ids,
        to_id=batch.to_id,
        sewer_from_ids=batch.sewer_from_ids,
        sewer_to=batch.to_id,
    )
    if moved != len(ids):
        raise ConcurrencyConflict("property", ids[0])
    if batch.reference is not None:
        uow.connection_batches.mark_reconnected(ids, on=today)
    uow.situation_history.add_many(
        _batch_history(
            uow,
            chosen,
            operation=batch.operation,
            connected=batch.to_id,
            out_of_use=batch.sewer_from_ids,
            today=today,
            at=at,
            actor=actor,
        )
    )
    return WaterBatchWritten(processed=len(candidates), changed=len(ids))


def _batch_history(
    uow: UnitOfWork,
    chosen: Sequence[BatchCandidate],
    *,
    operation: str,
    connected: int,
    out_of_use: Collection[int],
    today: date,
    at: datetime,
    actor: int,
) -> list[SituationChange]:
    steps: list[tuple[int, ConnectionKind, int]] = []
    for candidate in chosen:
        steps.append(
            (candidate.property_id, ConnectionKind.WATER, candidate.water_status_id)
        )
        if candidate.sewer_status_id in out_of_use:
            steps.append(
                (candidate.property_id, ConnectionKind.SEWER, candidate.sewer_status_id)
            )
    ids = uow.next_ids("situation_change", len(steps))
    return [
        SituationChange(
            id=ident,
            property_id=property_id,
            kind=kind,
            before_id=before,
            after_id=connected,
            effective_on=today,
            at=at,
            operation=operation,
            actor=actor,
        )
        for ident, (property_id, kind, before) in zip(ids, steps, strict=True)
    ]


def _one_locality(
    uow: UnitOfWork,
    batch: WaterBatch,
    locality_id: int,
    written: WaterBatchWritten | None,
    *,
    today: date,
    at: datetime,
    actor: int,
) -> ChunkOutcome:
    """One locality of a water batch, counted and recorded as on its own:
    written here, step by step, when the store did not write the chunk
    set-based (``written`` None)."""
    if written is None:
        written = _water_steps(
            uow,
            batch,
            locality_id=locality_id,
            today=today,
            at=at,
            actor=actor,
        )
    skipped = written.processed - written.changed
    outcome = ChunkOutcome(
        processed=written.processed,
        changed=written.changed,
        skipped={"no real consumption": skipped} if skipped else {},
    )
    if written.changed:
        uow.record(
            ConnectionsChangedInBatch(
                occurred_at=at,
                actor=actor,
                operation=batch.operation,
                locality_id=locality_id,
                count=written.changed,
                reference=batch.reference,
            )
        )
    return outcome
