"""The contract of the service-desk repositories (supply schedule, outbound
messages and their cursor, operating procedures), shipped for integrators.

Subclass it like :class:`gsan_core.testing.contracts.UnitOfWorkContract`, with a
``uow_factory`` fixture returning units of work over an empty, migrated store::

    class TestMyServiceDesk(ServiceDeskRepositoriesContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    MessageCursor,
    MessageStatus,
    OperatingProcedure,
    OutboundMessage,
    ScheduleKind,
    SupplySchedule,
)
from gsan_core.model.service_requests import OperationalOccurrence
from gsan_core.ports.unit_of_work import UnitOfWork

__all__ = ["ServiceDeskRepositoriesContract"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)


def _window(ident: int, **changes: Any) -> SupplySchedule:
    base = SupplySchedule(
        id=ident,
        kind=ScheduleKind.SUPPLY,
        reference=202501,
        municipality_id=1,
        area_id=3,
        starts_on=date(2025, 1, ident % 28 + 1),
        ends_on=date(2025, 1, ident % 28 + 1),
        start_time=time(6),
        end_time=time(18, 30),
    )
    return attrs.evolve(base, **changes)


def _message(ident: int, **changes: Any) -> OutboundMessage:
    base = OutboundMessage(
        id=ident,
        phone="91988887777",
        text="SUA SOLICITACAO FOI ENCERRADA",
        reason="request_closed",
        event_id=ident,
        request_id=100 + ident,
        created_at=AT + timedelta(minutes=ident),
    )
    return attrs.evolve(base, **changes)


class ServiceDeskRepositoriesContract:
    """Schedules, messages, the cursor and procedures of one adapter."""

    @pytest.fixture
    def uow_factory(self) -> Factory:
        """Override: units of work over an empty, migrated store."""
        raise NotImplementedError

    def test_schedule_windows_round_trip_cover_and_page(
        self, uow_factory: Factory
    ) -> None:
        windows = [
            _window(1),
            _window(
                2,
                kind=ScheduleKind.MAINTENANCE,
                description="REDE",
                situation=MaintenanceSituation.OPEN,
                area_id=None,
                neighbourhood_id=4,
            ),
            _window(3, area_id=None, locality_id=7, sector_id=8),
            _window(
                4,
                reference=202502,
                starts_on=date(2025, 2, 1),
                ends_on=date(2025, 2, 1),
            ),
            _window(5, area_id=9),
        ]
        with uow_factory() as uow:
            uow.supply_schedules.add_many(windows)
            uow.commit()
        with uow_factory() as uow:
            repo = uow.supply_schedules
            assert repo.get(2) == windows[1]
            covering = repo.covering(reference=202501, area_id=3, neighbourhood_id=4)
            assert [w.id for w in covering] == [1, 2]
            assert [w.id for w in repo.covering(reference=202501, sector_id=8)] == [3]
            assert repo.covering(reference=202501) == []
            page = repo.search(reference=202501, limit=2)
            assert [w.id for w in page] == [1, 2]
            assert [w.id for w in repo.search(reference=202501, limit=5, offset=2)] == [
                3,
                5,
            ]
            kinds = repo.search(kind=ScheduleKind.MAINTENANCE, limit=10)
            assert [w.id for w in kinds] == [2]
            assert repo.find_by(reference=202501, area_id=None, locality_id=7) == [
                windows[2]
            ]

    def test_schedule_windows_compare_and_set_and_removal(
        self, uow_factory: Factory
    ) -> None:
        with uow_factory() as uow:
            uow.supply_schedules.add(_window(1))
            uow.commit()
        later = _window(1, end_time=time(20), version=2)
        with uow_factory() as uow:
            uow.supply_schedules.update(later)
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.supply_schedules.remove(_window(1))
            uow.rollback()
        with uow_factory() as uow:
            uow.supply_schedules.remove(later)
            uow.commit()
        with uow_factory() as uow:
            assert uow.supply_schedules.find(1) is None
            with pytest.raises(NotFound):
                uow.supply_schedules.remove(later)

    def test_messages_history_pages_newest_first(self, uow_factory: Factory) -> None:
        messages = [
            _message(1),
            _message(2, phone="91977776666", status=MessageStatus.SENT, sent_at=AT),
            _message(3, status=MessageStatus.FAILED, attempts=1),
            _message(4, status=MessageStatus.FAILED, attempts=3),
            _message(5, event_id=None, reason="manual", customer_id=8),
            _message(6, status=MessageStatus.UNCONFIRMED, attempts=1),
        ]
        with uow_factory() as uow:
            uow.outbound_messages.add_many(messages)
            uow.commit()
        with uow_factory() as uow:
            repo = uow.outbound_messages
            assert repo.get(2) == messages[1]
            newest = repo.search(limit=2)
            assert [m.id for m in newest] == [6, 5]
            assert [m.id for m in repo.search(limit=10, offset=4)] == [2, 1]
            assert [m.id for m in repo.search(limit=10, phone="91977776666")] == [2]
            failed = repo.search(limit=10, status=[MessageStatus.FAILED])
            assert [m.id for m in failed] == [4, 3]
            window = repo.search(
                limit=10,
                created_from=AT + timedelta(minutes=2),
                created_until=AT + timedelta(minutes=4),
            )
            assert [m.id for m in window] == [3, 2]
            assert [m.id for m in repo.search(limit=10, customer_id=8)] == [5]
            assert [m.id for m in repo.due(limit=10, max_attempts=3)] == [1, 3, 5]
            assert [m.id for m in repo.due(limit=1, max_attempts=3)] == [1]

    def test_claiming_the_due_messages_marks_them_once(
        self, uow_factory: Factory
    ) -> None:
        """``claim_due``: the due messages, by id, marked unconfirmed with one
        more attempt, as stored; claimed again, the next ones."""
        messages = [
            _message(1),
            _message(2, phone="91977776666", status=MessageStatus.SENT, sent_at=AT),
            _message(3, status=MessageStatus.FAILED, attempts=1),
            _message(4, status=MessageStatus.FAILED, attempts=3),
            _message(5, event_id=None, reason="manual"),
        ]
        with uow_factory() as uow:
            uow.outbound_messages.add_many(messages)
            uow.commit()
        with uow_factory() as uow:
            claimed = uow.outbound_messages.claim_due(limit=2, max_attempts=3)
            uow.commit()
        assert claimed == [
            attrs.evolve(
                messages[k],
                status=MessageStatus.UNCONFIRMED,
                attempts=messages[k].attempts + 1,
                version=messages[k].version + 1,
            )
            for k in (0, 2)
        ]
        with uow_factory() as uow:
            assert [uow.outbound_messages.get(k) for k in (1, 3)] == list(claimed)
            again = uow.outbound_messages.claim_due(limit=10, max_attempts=3)
            assert [(m.id, m.attempts) for m in again] == [(5, 1)]
            assert uow.outbound_messages.claim_due(limit=10, max_attempts=3) == []

    def test_messages_updated_together_compare_their_versions(
        self, uow_factory: Factory
    ) -> None:
        """``update_many`` of several messages writes each at its next version;
        one stale version is a ``ConcurrencyConflict`` and writes none."""
        messages = [_message(k, phone=f"9197777000{k}") for k in (1, 2, 3)]
        with uow_factory() as uow:
            uow.outbound_messages.add_many(messages)
            uow.commit()
        sent = [
            attrs.evolve(
                m,
                status=MessageStatus.SENT,
                sent_at=AT,
                gateway_reply="0",
                attempts=1,
                version=2,
            )
            for m in messages[:2]
        ]
        with uow_factory() as uow:
            uow.outbound_messages.update_many(sent)
            uow.commit()
        with uow_factory() as uow:
            assert [uow.outbound_messages.get(k) for k in (1, 2, 3)] == [
                *sent,
                messages[2],
            ]
        stale = [attrs.evolve(sent[0], gateway_reply="X", version=3), sent[1]]
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.outbound_messages.update_many(stale)
            uow.rollback()
        with uow_factory() as uow:
            assert uow.outbound_messages.get(1) == sent[0]

    def test_one_message_per_event_and_phone(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.outbound_messages.add(_message(1))
            uow.commit()
        with uow_factory() as uow:
            uow.outbound_messages.add(_message(2, event_id=1, phone="91900001111"))
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateEntity):
            uow.outbound_messages.add(_message(3, event_id=1))

    def test_cursor_and_procedures(self, uow_factory: Factory) -> None:
        procedure = OperatingProcedure(
            id=1,
            title="TROCA DE HIDROMETRO",
            document="https://example.org/pop/troca.pdf",
            service_type_id=304,
            changed_at=AT,
        )
        with uow_factory() as uow:
            uow.message_cursors.add(MessageCursor(id=1))
            uow.procedures.add(procedure)
            uow.commit()
        with uow_factory() as uow:
            cursor = uow.message_cursors.lock(1)
            uow.message_cursors.update(attrs.evolve(cursor, position=9, version=2))
            uow.commit()
        with uow_factory() as uow:
            assert uow.message_cursors.get(1).position == 9
            assert uow.procedures.find_by(service_type_id=304, active=True) == [
                procedure
            ]

    def test_occurrences_are_removed_with_compare_and_set(
        self, uow_factory: Factory
    ) -> None:
        occurrence = OperationalOccurrence(
            id=1, type_id=1, reason_id=2, description="ADUTORA", occurred_at=AT
        )
        with uow_factory() as uow:
            uow.occurrences.add(occurrence)
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.occurrences.remove(attrs.evolve(occurrence, version=2))
            uow.rollback()
        with uow_factory() as uow:
            uow.occurrences.remove(occurrence)
            uow.commit()
        with uow_factory() as uow:
            assert uow.occurrences.find(1) is None
            with pytest.raises(NotFound):
                uow.occurrences.remove(occurrence)
