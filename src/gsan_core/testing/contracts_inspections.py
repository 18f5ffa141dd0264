"""The contract of the inspection and repaving repositories (findings of
inspection orders, infraction notices with their set-based expiry, repaving
works with their set-based automatic acceptance, repaving costs, bulletin
quantities and concluded-order inspections), shipped for integrators.

Subclass it like :class:`gsan_core.testing.contracts.UnitOfWorkContract`, with a
``uow_factory`` fixture returning units of work over an empty, migrated store::

    class TestMyInspections(InspectionRepositoriesContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.bulletins import (
    ConcludedOrderInspection,
    InspectionCode,
    OrderBulletin,
)
from gsan_core.model.inspections import (
    ClosedOrderScope,
    InfractionNotice,
    InspectionFinding,
    NoticeSituation,
    OrderAcceptance,
)
from gsan_core.model.repaving import (
    PavementSurface,
    RepavingAcceptance,
    RepavingAccepted,
    RepavingCost,
    RepavingWork,
)
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.inspections import sample_rank, sample_size

__all__ = ["InspectionRepositoriesContract"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
DAY = date(2025, 1, 6)


def _finding(ident: int, **changes: Any) -> InspectionFinding:
    base = InspectionFinding(
        id=ident,
        order_id=100 + ident // 10,
        situation_id=ident % 10,
        property_id=7,
        found_on=DAY,
        actor=1,
        recorded_at=AT,
    )
    return attrs.evolve(base, **changes)


def _notice(ident: int, **changes: Any) -> InfractionNotice:
    base = InfractionNotice(
        id=ident,
        property_id=7,
        order_id=100,
        situation_id=3,
        employee_id=1,
        issued_on=DAY,
        appeal_until=date(2025, 1, 20),
        debit_type_id=7,
        actor=1,
    )
    return attrs.evolve(base, **changes)


def _work(ident: int, **changes: Any) -> RepavingWork:
    base = RepavingWork(
        id=ident,
        order_id=1000 + ident,
        property_id=7,
        unit_id=50,
        closed_on=DAY,
        street_pavement_id=1,
        street_area=Decimal("10.00"),
        opened_at=AT,
        actor=1,
    )
    return attrs.evolve(base, **changes)


def _returned(ident: int, area: str, pavement: int = 1, **changes: Any) -> RepavingWork:
    return _work(
        ident,
        returned_on=date(2025, 1, 8),
        returned_street_pavement_id=pavement,
        returned_street_area=Decimal(area),
        **changes,
    )


class InspectionRepositoriesContract:
    """What every adapter's inspection and repaving repositories must do."""

    @pytest.fixture
    def uow_factory(self) -> Factory:
        raise NotImplementedError("override the uow_factory fixture")

    def test_findings_by_order_and_removal(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.inspection_findings.add_many([_finding(11), _finding(12), _finding(21)])
            uow.commit()
        with uow_factory() as uow:
            found = uow.inspection_findings.find_by(order_id=101)
            assert [f.id for f in found] == [11, 12]
            uow.inspection_findings.remove(found[0])
            uow.commit()
        with uow_factory() as uow:
            assert [f.id for f in uow.inspection_findings.find_by(property_id=7)] == [
                12,
                21,
            ]
            with pytest.raises(DuplicateEntity):
                uow.inspection_findings.add(_finding(12))

    def test_notices_round_trip_and_compare_and_set(self, uow_factory: Factory) -> None:
        notice = _notice(1, observation="MULTA", appeal_from=DAY)
        with uow_factory() as uow:
            uow.infraction_notices.add(notice)
            uow.commit()
        with uow_factory() as uow:
            assert uow.infraction_notices.get(1) == notice
            assert uow.infraction_notices.find_by(
                situation=NoticeSituation.APPEAL_OPEN
            ) == [notice]
            changed = attrs.evolve(
                notice, situation=NoticeSituation.APPEAL_EXPIRED, version=2
            )
            uow.infraction_notices.update(changed)
            uow.commit()
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            uow.infraction_notices.update(attrs.evolve(notice, version=2))
        with uow_factory() as uow:
            assert (
                uow.infraction_notices.get(1).situation
                is NoticeSituation.APPEAL_EXPIRED
            )
            with pytest.raises(NotFound):
                uow.infraction_notices.get(2)

    def test_notice_expiry_chunks_and_set_based_update(
        self, uow_factory: Factory
    ) -> None:
        """AUT-05: the open notices whose appeal ended before the day, by id
        chunks; one compare-and-set update expires a chunk with its charges,
        and refuses it all when one notice moved."""
        notices = [
            _notice(1),
            _notice(2, appeal_until=date(2025, 1, 25)),
            _notice(3, appeal_until=date(2025, 1, 10)),
            _notice(4, situation=NoticeSituation.APPEAL_EXPIRED),
            _notice(5, appeal_until=None),
            _notice(6, appeal_until=date(2025, 1, 5)),
        ]
        before = date(2025, 1, 21)
        with uow_factory() as uow:
            uow.infraction_notices.add_many(notices)
            uow.commit()
        with uow_factory() as uow:
            assert uow.infraction_notices.count_expired(appeal_before=before) == 3
            chunk = uow.infraction_notices.expired_chunk(
                appeal_before=before, after_id=1, limit=1
            )
            assert chunk == [notices[2]]
            stale = [notices[0], attrs.evolve(notices[5], version=7)]
            with pytest.raises(ConcurrencyConflict):
                uow.infraction_notices.mark_expired(stale, charge_ids={1: 90})
        with uow_factory() as uow:
            assert uow.infraction_notices.get(1) == notices[0]
            uow.infraction_notices.mark_expired(
                [notices[0], notices[5]], charge_ids={1: 90}
            )
            uow.commit()
        with uow_factory() as uow:
            first, sixth = uow.infraction_notices.get(1), uow.infraction_notices.get(6)
            assert (first.situation, first.charge_id, first.version) == (
                NoticeSituation.APPEAL_EXPIRED,
                90,
                2,
            )
            assert (sixth.situation, sixth.charge_id) == (
                NoticeSituation.APPEAL_EXPIRED,
                None,
            )
            assert uow.infraction_notices.expired_chunk(
                appeal_before=before, after_id=0, limit=10
            ) == [notices[2]]

    def test_costs_bulletins_and_concluded_inspections_round_trip(
        self, uow_factory: Factory
    ) -> None:
        """PAV-06, ENC-19, FIS-17: the repaving costs (found by unit, surface
        and pavement type; removed at their version), the bulletin
        quantities and the concluded-order inspections round-trip."""
        cost = RepavingCost(
            id=1,
            unit_id=50,
            surface=PavementSurface.SIDEWALK,
            pavement_type_id=2,
            valid_from=DAY,
            value=Decimal("35.50"),
            actor=1,
        )
        bulletin = OrderBulletin(
            id=100,
            order_id=100,
            has_pavement=True,
            asphalt=Decimal("3.50"),
            actor=1,
            at=AT,
        )
        inspection = ConcludedOrderInspection(
            id=100,
            order_id=100,
            code=InspectionCode.REPROVED,
            inspected_on_1=DAY,
            inspected_on_2=DAY + timedelta(days=2),
            inspector_id=3,
            bulletin_month=202501,
            register_swapped=True,
            actor=1,
        )
        with uow_factory() as uow:
            uow.repaving_costs.add(cost)
            uow.order_bulletins.add(bulletin)
            uow.concluded_inspections.add(inspection)
            uow.commit()
        with uow_factory() as uow:
            assert uow.repaving_costs.find_by(
                unit_id=50, surface=PavementSurface.SIDEWALK, pavement_type_id=2
            ) == [cost]
            assert uow.repaving_costs.find_by(surface=PavementSurface.STREET) == []
            assert uow.order_bulletins.get(100) == bulletin
            assert uow.concluded_inspections.get(100) == inspection
            with pytest.raises(ConcurrencyConflict):
                uow.repaving_costs.remove(attrs.evolve(cost, version=2))
        with uow_factory() as uow:
            uow.repaving_costs.remove(cost)
            uow.commit()
        with uow_factory() as uow:
            assert uow.repaving_costs.find(1) is None

    def test_order_acceptance_round_trip(self, uow_factory: Factory) -> None:
        record = OrderAcceptance(
            id=1,
            order_id=100,
            accepted=False,
            reason_id=2,
            observation="X",
            actor=1,
            at=AT,
        )
        with uow_factory() as uow:
            uow.order_acceptances.add(record)
            uow.commit()
        with uow_factory() as uow:
            assert uow.order_acceptances.find_by(order_id=100) == [record]
            with pytest.raises(DuplicateEntity):
                uow.order_acceptances.add(record)

    def test_repaving_work_round_trip(self, uow_factory: Factory) -> None:
        work = _returned(1, "10.25", sidewalk_area=Decimal("2.50"))
        with uow_factory() as uow:
            uow.repaving_works.add(work)
            uow.commit()
        with uow_factory() as uow:
            assert uow.repaving_works.get(1) == work
            assert uow.repaving_works.find_by(unit_id=50, acceptance=None) == [work]

    def test_automatic_acceptance_is_chunked_and_set_based(
        self, uow_factory: Factory
    ) -> None:
        """PAV-03: same street pavement and area within the percentage, in
        id chunks; the remark is appended to an existing one."""
        works = [
            _returned(1, "10.00"),
            _returned(2, "10.50", acceptance_remark="CONFERIDO"),
            _returned(3, "10.51"),
            _returned(4, "10.00", pavement=2),
            _work(5),
            _returned(6, "9.50", acceptance=RepavingAcceptance.REFUSED),
            _work(
                7,
                street_area=None,
                street_pavement_id=None,
                returned_on=date(2025, 1, 8),
            ),
        ]
        with uow_factory() as uow:
            uow.repaving_works.add_many(works)
            uow.commit()
        with uow_factory() as uow:
            first = uow.repaving_works.accept_convergent(
                percentage=Decimal(5), after_id=0, limit=3, user_id=9
            )
            second = uow.repaving_works.accept_convergent(
                percentage=Decimal(5), after_id=3, limit=3, user_id=9
            )
            uow.commit()
        assert first == ([1, 2, 3], [1, 2])
        assert second == ([4, 7], [7])
        with uow_factory() as uow:
            accepted = uow.repaving_works.get(2)
            assert accepted.acceptance is RepavingAcceptance.ACCEPTED
            assert accepted.accepted_on == date(2025, 1, 8)
            assert accepted.accepted_by == 9
            assert accepted.acceptance_remark == "CONFERIDO ACEITE AUTOMATICO"
            assert accepted.version == 2
            assert uow.repaving_works.get(3).acceptance is None
            assert uow.repaving_works.accept_convergent(
                percentage=Decimal(5), after_id=0, limit=10, user_id=9
            ) == ([3, 4], [])

    def test_automatic_acceptance_records_its_event_once(
        self, uow_factory: Factory
    ) -> None:
        """PAV-03's chunk records the event of the works it accepted (issue
        20, ninth round: on PostgreSQL its outbox row is written by the
        chunk's own statement): the outbox holds it once, read back equal,
        beside an event recorded before it; a chunk accepting nothing records
        nothing; the committed events are handed out once."""
        with uow_factory() as uow:
            uow.repaving_works.add_many([_returned(1, "10.00"), _returned(2, "12")])
            uow.commit()
        with uow_factory() as uow:
            start = max((e.id for e in uow.outbox.after(0, 10_000)), default=0)

        def event(work_ids: tuple[int, ...]) -> RepavingAccepted:
            return RepavingAccepted(
                occurred_at=AT,
                actor=9,
                work_ids=work_ids,
                acceptance=RepavingAcceptance.ACCEPTED,
                automatic=True,
            )

        before = event((99,))
        with uow_factory() as uow:
            uow.record(before)
            found = uow.repaving_works.accept_convergent(
                percentage=Decimal(5), after_id=0, limit=10, user_id=9, event=event
            )
            assert uow.repaving_works.accept_convergent(
                percentage=Decimal(5), after_id=2, limit=10, user_id=9, event=event
            ) == ([], [])
            uow.commit()
            assert list(uow.collect_events()) == [before, event((1,))]
        assert found == ([1, 2], [1])
        with uow_factory() as uow:
            written = uow.outbox.after(start, 100)
        # (within one transaction a row a statement wrote may come first)
        events = sorted(written, key=lambda e: e.payload["work_ids"])  # type: ignore[arg-type, return-value]
        assert [e.event for e in events] == [event((1,)), before]
        assert [e.tag for e in events] == ["repaving.accepted"] * 2
        assert (events[0].occurred_at, events[0].actor) == (AT, 9)

    def test_uc1176_sample_is_drawn_in_the_store(self, uow_factory: Factory) -> None:
        """UC1176: the store draws the seeded sample of the concluded
        candidates (lowest ``(sample_rank, id)``, rounded half down) exactly
        as the pure rule does, so every backend picks the same orders; orders
        under an open inspection, of other units or closed before the
        instant are no candidates."""
        since = AT - timedelta(days=5)
        closed = [
            ServiceOrder(
                id=1_000 + n,
                service_type_id=992,
                situation=OrderSituation.CLOSED,
                property_id=n,
                generated_at=since,
                closed_at=since - timedelta(minutes=1) if n == 3 else AT,
                closing_reason_id=2 if n % 3 else 4,
                current_unit_id=61 if n == 5 else 60,
            )
            for n in range(1, 61)
        ]
        inspection = ServiceOrder(
            id=5_000,
            service_type_id=705,
            generated_at=AT,
            property_id=7,
            reference_order_id=1_007,
            current_unit_id=60,
        )
        with uow_factory() as uow:
            uow.service_types.add_many(
                ServiceType(id=ident, description=f"TIPO {ident}", abbreviation="T")
                for ident in (705, 992)
            )
            uow.service_orders.add_many([*closed, inspection])
            uow.units.add_many(
                OrganizationalUnit(
                    id=unit,
                    name=f"EMPREITEIRA {unit}",
                    unit_type_id=1,
                    company_id=company,
                )
                for unit, company in ((60, 3), (61, 4))
            )
            uow.commit()
        excluded = {1_003, 1_005, 1_007}
        scope = ClosedOrderScope(
            unit_ids=[60], closed_since=since, inspection_type_ids=[705]
        )
        candidates = [o for o in closed if o.id not in excluded]
        concluded = [o.id for o in candidates if o.closing_reason_id == 2]
        for seed, percentage in ((0, 10), (7, 50), (-3, 25), (11, 0), (2, 100)):
            ranked = sorted(concluded, key=lambda i: (sample_rank(seed, i), i))
            expected = sorted(ranked[: sample_size(len(concluded), percentage)])
            with uow_factory() as uow:
                drawn = uow.inspection_batches.concluded_sample(
                    scope,
                    reason_ids=[2, 32],
                    percentage=percentage,
                    seed=seed,
                )
            assert drawn == (expected, len(candidates)), (seed, percentage)
        # the contractor's units found by the store (issue 20, ninth round)
        for company, found in ((3, (expected, len(candidates))), (9, ([], 0))):
            with uow_factory() as uow:
                by_company = uow.inspection_batches.concluded_sample(
                    attrs.evolve(scope, unit_ids=(), company_id=company),
                    reason_ids=[2, 32],
                    percentage=100,
                    seed=2,
                )
            assert by_company == found, company
        assert len(expected) == len(concluded) == 38
        assert len(candidates) == 57
        with uow_factory() as uow:
            first = uow.inspection_batches.chunk_to_inspect(
                scope,
                after_id=1_000,
                limit=6,
                skipped_reason_ids=[2, 32],
                sample_ids=[1_002, 1_008, 1_040],
            )
            tail = uow.inspection_batches.chunk_to_inspect(
                scope,
                after_id=1_059,
                limit=6,
                skipped_reason_ids=[2, 32],
                sample_ids=[],
            )
            done = uow.inspection_batches.chunk_to_inspect(
                scope,
                after_id=1_060,
                limit=6,
                skipped_reason_ids=[2, 32],
                sample_ids=[1_002],
            )
        # the chunk is 1001, 1002, 1004, 1006, 1008, 1009 (1003, 1005, 1007 are
        # no candidates); 1006 and 1009 were closed with reason 4
        assert [r.order_id for r in first[0]] == [1_002, 1_006, 1_008, 1_009]
        assert first[1:] == (6, 1_009)
        assert first[0][0].property_id == 2
        assert first[0][0].unit_id == 60
        assert ([r.order_id for r in tail[0]], tail[1:]) == ([1_060], (1, 1_060))
        assert done == ([], 0, 1_060)
        template = ServiceOrder(id=0, service_type_id=705, generated_at=AT)
        with uow_factory() as uow:
            uow.inspection_batches.add_inspections(
                referenced=first[0],
                first_id=6_001,
                template=template,
                trail_first_id=71,
                opened_by=9,
            )
            uow.commit()
        with uow_factory() as uow:
            made = [uow.service_orders.get(6_001 + n) for n in range(4)]
            trail = [uow.order_units.get(71 + n) for n in range(4)]
        assert [o.reference_order_id for o in made] == [1_002, 1_006, 1_008, 1_009]
        assert [o.property_id for o in made] == [2, 6, 8, 9]
        assert [(r.order_id, r.unit_id, r.user_id) for r in trail] == [
            (6_001 + n, 60, 9) for n in range(4)
        ]
        assert {(r.relation, r.at) for r in trail} == {(OrderUnitRelation.OPENED, AT)}

    def test_uc1176_chunk_done_in_the_store(self, uow_factory: Factory) -> None:
        """UC1176's ``inspect_chunk`` (one statement on PostgreSQL) inspects
        what ``chunk_to_inspect`` chooses and writes what ``add_inspections``
        writes, with consecutive ids the id port does not give again."""
        closed = [
            ServiceOrder(
                id=2_000 + n,
                service_type_id=992,
                situation=OrderSituation.CLOSED,
                property_id=n,
                generated_at=AT - timedelta(days=2),
                closed_at=AT,
                closing_reason_id=2 if n % 3 else 4,
                current_unit_id=60,
            )
            for n in range(1, 13)
        ]
        open_inspection = ServiceOrder(
            id=7_000,
            service_type_id=705,
            generated_at=AT,
            property_id=7,
            reference_order_id=2_007,
            current_unit_id=60,
        )
        with uow_factory() as uow:
            uow.service_types.add_many(
                ServiceType(id=ident, description=f"TIPO {ident}", abbreviation="T")
                for ident in (705, 992)
            )
            uow.service_orders.add_many([*closed, open_inspection])
            uow.commit()
        template = ServiceOrder(id=0, service_type_id=705, generated_at=AT)
        done = []
        for after in (2_000, 2_009, 2_012):
            with uow_factory() as uow:
                done.append(
                    uow.inspection_batches.inspect_chunk(
                        ClosedOrderScope(
                            unit_ids=[60],
                            closed_since=AT - timedelta(days=5),
                            inspection_type_ids=[705],
                        ),
                        after_id=after,
                        limit=8,
                        skipped_reason_ids=[2, 32],
                        sample_ids=[2_002, 2_008, 2_011],
                        template=template,
                        opened_by=9,
                    )
                )
                uow.commit()
        # chunk 1: 2001..2009 less 2007 (under inspection); 2003, 2006, 2009
        # closed with reason 4; 2002 and 2008 sampled
        first, second, last = done
        assert (first.scanned, first.last_id) == (8, 2_009)
        assert first.referenced_ids == (2_002, 2_003, 2_006, 2_008, 2_009)
        assert (second.scanned, second.last_id) == (3, 2_012)
        assert second.referenced_ids == (2_011, 2_012)
        assert (last.scanned, last.last_id, last.order_ids) == (0, 2_012, ())
        for chunk in (first, second):
            start = chunk.order_ids[0]
            assert chunk.order_ids == tuple(
                range(start, start + len(chunk.referenced_ids))
            )
        made = [*first.order_ids, *second.order_ids]
        with uow_factory() as uow:
            orders = [uow.service_orders.get(i) for i in made]
            trail = [r for i in made for r in uow.order_units.find_by(order_id=i)]
            later = uow.next_ids("service_order", 2)
        assert [o.reference_order_id for o in orders] == [
            *first.referenced_ids,
            *second.referenced_ids,
        ]
        assert [o.property_id for o in orders] == [2, 3, 6, 8, 9, 11, 12]
        assert {(o.service_type_id, o.current_unit_id) for o in orders} == {(705, 60)}
        assert [(r.order_id, r.unit_id, r.user_id) for r in trail] == [
            (i, 60, 9) for i in made
        ]
        assert len({r.id for r in trail}) == len(made)
        assert not set(later) & set(made)
