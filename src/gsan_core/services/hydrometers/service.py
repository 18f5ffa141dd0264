"""The hydrometer service (``gsan.hydrometers``): inserting and updating meters
in stock, their history, stock movements and the consumption anomaly actions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time

import attrs

from gsan_core.display import Named, NamedCounts
from gsan_core.errors import ConcurrencyConflict, NotFound, Violation
from gsan_core.model.hydrometers import (
    AnomalyActionStep,
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerAttributes,
    HydrometerChanged,
    HydrometerDeleted,
    HydrometerInstallation,
    HydrometerMovement,
    HydrometersBulkUpdated,
    HydrometersInserted,
    HydrometersMoved,
    MeasurementPoint,
    UpdateInstallation,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import hydrometers as rules
from gsan_core.rules.hydrometers import MeterEvent, NumberLayout
from gsan_core.rules.validation import check_page, ensure
from gsan_core.services.context import Service
from gsan_core.services.hydrometers.common import (
    _METER_KINDS,
    _active_references,
    _item,
    _references,
)
from gsan_core.services.hydrometers.installation import current_installation
from gsan_core.services.hydrometers.operations import _update_installation

#: The most rows one page of a query returns.
_MAX_PAGE = 500


# ================================================================ the service
@attrs.frozen(kw_only=True)
class InsertedRange:
    """What inserting meters did."""

    count: int
    first_id: int
    last_id: int
    first_number: str
    last_number: str


def _segments(
    layout: NumberLayout, fixed: str, first: int, last: int
) -> list[tuple[str, str]]:
    """``(first number, last number)`` per sequence width in ``first..last``: a
    6-digit and a 7-digit part when the range crosses 999999."""
    boundary = int(10**layout.sequence_digits)
    parts: list[tuple[int, int]] = []
    if first < boundary:
        parts.append((first, min(last, boundary - 1)))
    if last >= boundary:
        parts.append((max(first, boundary), last))
    return [(layout.number(fixed, lo), layout.number(fixed, hi)) for lo, hi in parts]


_COPIED = tuple(f.name for f in attrs.fields(HydrometerAttributes))


class HydrometerService(Service):
    """``gsan.hydrometers``: the meter stock, its history and its movements."""

    # ------------------------------------------------------------ layout
    @property
    def layout(self) -> NumberLayout:
        """The utility's meter-number layout (``hydrometers.number_format``)."""
        return rules.number_layout(self.profile)

    def _attribute_violations(
        self,
        uow: UnitOfWork,
        attributes: HydrometerAttributes,
        *,
        fixed: str | None,
        location_id: int | None,
        check_location: bool,
    ) -> tuple[tuple[Violation, ...], int | None]:
        return rules.check_attributes(
            attributes,
            fixed=fixed,
            layout=self.layout,
            references=_active_references(uow, _METER_KINDS),
            today=self._today(),
            earliest_year=self.profile.hydrometers.earliest_year,
            location_id=location_id,
            check_location=check_location,
        )

    def _new(
        self,
        attributes: HydrometerAttributes,
        *,
        numbered: Iterable[tuple[int, str]],
        year: int,
        location_id: int,
    ) -> Iterator[Hydrometer]:
        """New meters (H-11): DISPONIVEL, the same data, their own id and number."""
        available = rules.situation_after(self.profile, None, MeterEvent.INSERT)
        assert available is not None
        common = {name: getattr(attributes, name) for name in _COPIED}
        common |= {
            "manufacture_year": year,
            "situation_id": available,
            "location_id": location_id,
        }
        for ident, number in numbered:
            yield Hydrometer(id=ident, number=number, **common)

    # ------------------------------------------------------------ bulk load
    def load(
        self,
        *,
        actor: int,
        meters: Iterable[Hydrometer] = (),
        installations: Iterable[HydrometerInstallation] = (),
    ) -> int:
        """Insert meters and installation periods from the utility's cadastre in
        one transaction (set-based; no events, like ``connections.load``).

        Every installation's property must exist and its meter must be in
        ``meters`` or already stored. Returns how many rows were added.
        """
        del actor  # a cadastral import, as properties.load_locations
        new_meters = [attrs.evolve(m, version=1) for m in meters]
        new_periods = [attrs.evolve(i, version=1) for i in installations]
        with self._work() as uow:
            wanted = {i.property_id for i in new_periods}
            missing = sorted(wanted - set(uow.properties.get_many(wanted)))
            if missing:
                raise NotFound("property", missing[0])
            known = {m.id for m in new_meters}
            unknown = {i.hydrometer_id for i in new_periods} - known
            absent = sorted(unknown - set(uow.hydrometers.get_many(unknown)))
            if absent:
                raise NotFound("hydrometer", absent[0])
            uow.hydrometers.add_many(new_meters)
            uow.hydrometer_installations.add_many(new_periods)
            uow.commit()
        return len(new_meters) + len(new_periods)

    # ------------------------------------------------------------ insert
    def insert(
        self,
        *,
        number: str,
        attributes: HydrometerAttributes,
        location_id: int,
        actor: int,
    ) -> Hydrometer:
        """Insert one meter ("Inserir Hidrômetro" by number): H-1..H-12; DISPONIVEL."""
        layout = self.layout
        at = self._now()
        with self._work(defer=True) as uow:
            malformed = rules.check_number(number, layout)
            parts = None if malformed else rules.split_number(number, layout)
            found, year = self._attribute_violations(
                uow,
                attributes,
                fixed=None if parts is None else parts[0],
                location_id=location_id,
                check_location=True,
            )
            holder = None if malformed else uow.hydrometers.find_by_number(number)
            ensure(
                [
                    *malformed,
                    *found,
                    *(
                        []
                        if malformed
                        else rules.check_number_free(number, holder=holder)
                    ),
                ]
            )
            assert year is not None
            (meter,) = self._new(
                attributes,
                numbered=[(uow.next_id("hydrometer"), number)],
                year=year,
                location_id=location_id,
            )
            uow.hydrometers.add(meter)
            uow.record(
                HydrometersInserted(
                    occurred_at=at,
                    actor=actor,
                    count=1,
                    first_id=meter.id,
                    last_id=meter.id,
                    first_number=number,
                    last_number=number,
                    location_id=location_id,
                )
            )
            uow.commit()
        return meter

    def insert_range(
        self,
        *,
        fixed: str,
        first: int,
        last: int,
        attributes: HydrometerAttributes,
        location_id: int,
        actor: int,
    ) -> InsertedRange:
        """Insert the meters ``fixed + first .. fixed + last`` (H-1..H-12).

        The whole range is refused when any generated number exists (H-10, on the
        exact zero-padded numbers); every meter is DISPONIVEL with the same data.
        One transaction, set-based.
        """
        layout = self.layout
        at = self._now()
        with self._work() as uow:
            shape = rules.check_fixed(fixed, layout) if not layout.free else []
            found: list[Violation] = [*rules.check_range(first, last, layout), *shape]
            attribute_violations, year = self._attribute_violations(
                uow,
                attributes,
                fixed=None if shape or layout.free else fixed,
                location_id=location_id,
                check_location=True,
            )
            found += attribute_violations
            ensure(found)
            assert year is not None
            numbers = rules.range_numbers(fixed, first, last, layout)
            wanted = set(numbers)
            existing = {
                number
                for lo, hi in _segments(layout, fixed, first, last)
                for number in uow.hydrometers.numbers_between(lo, hi)
                if number in wanted
            }
            ensure(
                rules.check_no_existing(
                    existing, first_number=numbers[0], last_number=numbers[-1]
                )
            )
            ids = uow.next_ids("hydrometer", len(numbers))
            uow.hydrometers.add_many(
                self._new(
                    attributes,
                    numbered=zip(ids, numbers, strict=True),
                    year=year,
                    location_id=location_id,
                )
            )
            inserted = InsertedRange(
                count=len(numbers),
                first_id=ids[0],
                last_id=ids[-1],
                first_number=numbers[0],
                last_number=numbers[-1],
            )
            uow.record(
                HydrometersInserted(
                    occurred_at=at,
                    actor=actor,
                    count=inserted.count,
                    first_id=inserted.first_id,
                    last_id=inserted.last_id,
                    first_number=inserted.first_number,
                    last_number=inserted.last_number,
                    location_id=location_id,
                )
            )
            uow.commit()
        return inserted

    # ------------------------------------------------------------ update
    def update(
        self,
        hydrometer_id: int,
        *,
        expected_version: int,
        actor: int,
        attributes: HydrometerAttributes | None = None,
        number: str | None = None,
    ) -> Hydrometer:
        """Change one meter read at ``expected_version`` ("Manter Hidrômetro").

        The same rules as insert (H-2..H-8, H-12) and a unique number (H-10); the
        situation and location change only through operations and movements.
        """
        layout = self.layout
        at = self._now()
        with self._work(defer=True) as uow:
            meter = uow.hydrometers.get(hydrometer_id)
            if meter.version != expected_version:
                raise ConcurrencyConflict("hydrometer", hydrometer_id, expected_version)
            new_number = meter.number if number is None else number
            given = attributes
            if given is None:
                # The stored data; a fixed layout reads the year from the number.
                given = HydrometerAttributes.of(meter)
                if not layout.free:
                    given = attrs.evolve(given, manufacture_year=None)
            malformed = rules.check_number(new_number, layout)
            parts = None if malformed else rules.split_number(new_number, layout)
            found, year = self._attribute_violations(
                uow,
                given,
                fixed=None if parts is None else parts[0],
                location_id=None,
                check_location=False,
            )
            holder = None
            if not malformed and new_number != meter.number:
                holder = uow.hydrometers.find_by_number(new_number)
            ensure(
                [
                    *malformed,
                    *found,
                    *rules.check_number_free(
                        new_number, holder=holder, own_id=meter.id
                    ),
                ]
            )
            values = {name: getattr(given, name) for name in _COPIED}
            values["manufacture_year"] = year
            changed = attrs.evolve(
                meter, number=new_number, version=meter.version + 1, **values
            )
            uow.hydrometers.update(changed)
            uow.record(
                HydrometerChanged(
                    occurred_at=at,
                    actor=actor,
                    hydrometer_id=changed.id,
                    version=changed.version,
                )
            )
            uow.commit()
        return changed

    def delete(
        self, hydrometer_id: int, *, expected_version: int, actor: int
    ) -> Hydrometer:
        """Remove a meter from the register ("Manter Hidrômetro", remover), as
        GSAN allows it: only a meter with no installation history and no stock
        movement (GSAN's delete fails on their references,
        ``atencao.dependencias.existentes``), read at ``expected_version``."""
        at = self._now()
        with self._work() as uow:
            # the meter and its dependencies in one read (issue 20)
            uow.read_ahead("delete_meter", hydrometer_id)
            meter = uow.hydrometers.get(hydrometer_id)
            if meter.version != expected_version:
                raise ConcurrencyConflict("hydrometer", hydrometer_id, expected_version)
            installations = uow.hydrometer_installations.count_by(
                hydrometer_id=hydrometer_id
            )
            movements = len(uow.hydrometer_movements.of_hydrometer(hydrometer_id))
            if installations or movements:
                ensure(
                    [
                        rules.METER_IN_USE(
                            hydrometer_id=hydrometer_id,
                            installations=installations,
                            movements=movements,
                        )
                    ]
                )
            uow.hydrometers.remove(meter)
            uow.record(
                HydrometerDeleted(
                    occurred_at=at,
                    actor=actor,
                    hydrometer_id=hydrometer_id,
                    number=meter.number,
                )
            )
            uow.commit()
        return meter

    def update_range(
        self,
        *,
        fixed: str,
        first: int,
        last: int,
        attributes: HydrometerAttributes,
        actor: int,
    ) -> int:
        """ "Atualizar Conjunto": copy ``attributes`` onto every meter of the range
        (H-2..H-9, H-12); returns how many changed. Set-based, one transaction."""
        layout = self.layout
        at = self._now()
        with self._work() as uow:
            shape = rules.check_fixed(fixed, layout) if not layout.free else []
            found: list[Violation] = [*rules.check_range(first, last, layout), *shape]
            attribute_violations, year = self._attribute_violations(
                uow,
                attributes,
                fixed=None if shape or layout.free else fixed,
                location_id=None,
                check_location=False,
            )
            ensure([*found, *attribute_violations])
            meters = [
                meter
                for lo, hi in _segments(layout, fixed, first, last)
                for meter in uow.hydrometers.between(lo, hi)
                if rules.split_number(meter.number, layout) is not None
            ]
            first_number = layout.number(fixed, first)
            last_number = layout.number(fixed, last)
            if not meters:
                ensure(
                    [
                        rules.RANGE_EMPTY(
                            first_number=first_number, last_number=last_number
                        )
                    ]
                )
            values = {name: getattr(attributes, name) for name in _COPIED}
            values["manufacture_year"] = year
            uow.hydrometers.update_many(
                attrs.evolve(meter, version=meter.version + 1, **values)
                for meter in meters
            )
            uow.record(
                HydrometersBulkUpdated(
                    occurred_at=at,
                    actor=actor,
                    count=len(meters),
                    first_number=first_number,
                    last_number=last_number,
                )
            )
            uow.commit()
        return len(meters)

    # ------------------------------------------------------------ reads
    def get(self, id: int) -> Hydrometer:
        """One meter; ``NotFound`` if absent."""
        with self._read() as uow:
            return uow.hydrometers.get(id)

    def find_by_number(self, number: str) -> Hydrometer | None:
        """The meter with that number, or ``None``."""
        with self._read() as uow:
            return uow.hydrometers.find_by_number(number.strip().upper())

    def in_range(self, *, fixed: str, first: int, last: int) -> list[Hydrometer]:
        """The meters numbered ``fixed + first .. fixed + last``, by number."""
        layout = self.layout
        ensure(
            [*rules.check_range(first, last, layout), *rules.check_fixed(fixed, layout)]
        )
        with self._read() as uow:
            return [
                meter
                for lo, hi in _segments(layout, fixed, first, last)
                for meter in uow.hydrometers.between(lo, hi)
                if rules.split_number(meter.number, layout) is not None
            ]

    def stock(
        self, *, location_id: int | None = None, situation_id: int | None = None
    ) -> NamedCounts[tuple[int | None, int]]:
        """How many meters are at each ``(stock location, situation)``, optionally
        of one location and/or one situation; the ids are shown with their
        names (``None``: an installed meter, at no stock location)."""
        with self._read() as uow:
            counts = {
                key: count
                for key, count in uow.hydrometers.stock().items()
                if (location_id is None or key[0] == location_id)
                and (situation_id is None or key[1] == situation_id)
            }
            found = uow.catalog.find_many(
                [("hydrometer_stock_location", loc) for loc, _ in counts if loc]
                + [("hydrometer_situation", sit) for _, sit in counts]
            )

        def name(kind: str, ident: int) -> str | None:
            return getattr(found.get((kind, ident)), "description", None)

        return NamedCounts(
            {
                (
                    None
                    if loc is None
                    else Named(loc, name("hydrometer_stock_location", loc)),
                    Named(sit, name("hydrometer_situation", sit)),
                ): count
                for (loc, sit), count in counts.items()
            },
            title="Meters by stock location and situation",
            headers=("stock location", "situation", "meters"),
        )

    # ------------------------------------------------------------ history
    def current_installation(
        self,
        *,
        property_id: int,
        point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION,
    ) -> HydrometerInstallation | None:
        """The open installation of the point, or ``None``."""
        with self._read() as uow:
            return current_installation(uow, property_id=property_id, point=point)

    def history(
        self,
        *,
        property_id: int,
        point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION,
    ) -> Sequence[HydrometerInstallation]:
        """ "Consultar Histórico de Instalação": every installation of the point,
        oldest first."""
        with self._read() as uow:
            return uow.hydrometer_installations.of_point(
                property_id=property_id, point=point
            )

    def installed_at(self, hydrometer_id: int) -> HydrometerInstallation | None:
        """Where the meter is installed now (its open installation), or ``None``."""
        with self._read() as uow:
            return uow.hydrometer_installations.current_of(hydrometer_id)

    def history_of(self, hydrometer_id: int) -> Sequence[HydrometerInstallation]:
        """Every installation of the meter, oldest first."""
        with self._read() as uow:
            return uow.hydrometer_installations.of_hydrometer(hydrometer_id)

    def update_installation(
        self, *, property_id: int, data: UpdateInstallation, actor: int
    ) -> HydrometerInstallation:
        """UC0368 entered by the property (matrícula), with no service order:
        A-3..A-8 on the point's current installation. Its writes (the
        installation, the outbox's) are one statement on PostgreSQL."""
        at = self._now()
        with self._work(defer=True) as uow:
            uow.read_ahead("correct_installation", property_id)
            changed = _update_installation(
                uow,
                profile=self.profile,
                prop=uow.properties.lock(property_id),
                data=data,
                actor=actor,
                at=at,
            )
            uow.commit()
        return changed

    # ------------------------------------------------------------ movements
    def move(
        self,
        *,
        hydrometer_ids: Iterable[int],
        destination_id: int,
        reason_id: int,
        moved_on: date,
        moved_time: time,
        actor: int,
        remark: str | None = None,
        expected_versions: Mapping[int, int] | None = None,
    ) -> HydrometerMovement:
        """ "Movimentar Hidrômetro": move meters to another stock location (V-1..V-7).

        One document with a line per meter (an id given twice counts once); each
        meter takes the destination and EM MANUTENCAO (workshop) or DISPONIVEL. ``expected_versions`` are the
        versions the caller listed (V-7): a meter changed since raises
        :class:`~gsan_core.errors.ConcurrencyConflict`. Set-based, one transaction.
        """
        wanted = list(dict.fromkeys(hydrometer_ids))
        at = self._now()
        with self._work(defer=True) as uow:
            found = uow.hydrometers.stock_entries(wanted)
            meters = [found[i] for i in wanted if i in found]
            destination = _item(uow, "hydrometer_stock_location", destination_id)
            reason = _item(uow, "hydrometer_movement_reason", reason_id)
            ensure(
                rules.check_movement(
                    self.profile,
                    meters=meters,
                    missing=[i for i in wanted if i not in found],
                    destination=destination,
                    destination_id=destination_id,
                    reason=reason,
                    reason_id=reason_id,
                    moved_on=moved_on,
                    today=self._today(at),
                    remark=remark,
                )
            )
            assert destination is not None
            for meter in meters:
                expected = (expected_versions or {}).get(meter.id, meter.version)
                if expected != meter.version:
                    raise ConcurrencyConflict("hydrometer", meter.id, expected)
            situation = rules.movement_situation(self.profile, destination)
            uow.hydrometers.move_many(
                ((meter.id, meter.version) for meter in meters),
                location_id=destination.id,
                situation_id=situation,
            )
            movement = HydrometerMovement(
                id=uow.next_id("hydrometer_movement"),
                moved_at=datetime.combine(moved_on, moved_time, tzinfo=self._ctx.zone),
                reason_id=reason_id,
                origin_id=meters[0].location_id,
                destination_id=destination.id,
                situation_id=situation,
                remark=remark,
                count=len(meters),
                actor=actor,
                registered_at=at,
            )
            uow.hydrometer_movements.add(movement)
            uow.hydrometer_movements.add_lines(movement.id, (m.id for m in meters))
            uow.record(
                HydrometersMoved(
                    occurred_at=at,
                    actor=actor,
                    movement_id=movement.id,
                    count=movement.count,
                    origin_id=movement.origin_id,
                    destination_id=movement.destination_id,
                    situation_id=situation,
                )
            )
            uow.commit()
        return movement

    def movements_of(self, hydrometer_id: int) -> Sequence[HydrometerMovement]:
        """ "Consultar Movimentação": the movements of a meter, oldest first."""
        with self._read() as uow:
            return uow.hydrometer_movements.of_hydrometer(hydrometer_id)

    def movements(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        moved_from: datetime | None = None,
        moved_until: datetime | None = None,
        location_id: int | None = None,
        situation_id: int | None = None,
        number_from: str | None = None,
        number_to: str | None = None,
    ) -> Sequence[HydrometerMovement]:
        """ "Consultar Movimentação de Hidrômetro": a page of the movements in
        the period ``[moved_from, moved_until)``, from or to a stock location,
        leaving the meters in a situation, or moving a meter numbered between
        ``number_from`` and ``number_to`` (GSAN's fixed part + range); newest
        first, one statement a page."""
        ensure(check_page(limit=limit, offset=offset, maximum=_MAX_PAGE))
        with self._read() as uow:
            return uow.hydrometer_movements.search(
                limit=limit,
                offset=offset,
                moved_from=moved_from,
                moved_until=moved_until,
                location_id=location_id,
                situation_id=situation_id,
                number_from=number_from,
                number_to=number_to,
            )

    def moved_hydrometers(self, movement_id: int) -> Sequence[int]:
        """The meters a movement moved (its lines)."""
        with self._read() as uow:
            uow.hydrometer_movements.get(movement_id)
            return uow.hydrometer_movements.hydrometer_ids(movement_id)

    # ------------------------------------------------------------ anomaly actions
    def add_anomaly_action(
        self,
        *,
        anomaly_id: int,
        steps: Iterable[AnomalyActionStep],
        actor: int,
        category_id: int | None = None,
        property_profile_id: int | None = None,
    ) -> ConsumptionAnomalyAction:
        """Insert the escalation of an anomaly (CA-1, CA-2)."""
        del actor
        with self._work() as uow:
            action = ConsumptionAnomalyAction(
                id=uow.next_id("consumption_anomaly_action"),
                anomaly_id=anomaly_id,
                category_id=category_id,
                property_profile_id=property_profile_id,
                steps=tuple(steps),
            )
            ensure(self._check_action(uow, action))
            uow.anomaly_actions.add(action)
            uow.commit()
        return action

    def update_anomaly_action(
        self, action: ConsumptionAnomalyAction, *, actor: int
    ) -> ConsumptionAnomalyAction:
        """Store a change of an action read at ``action.version``."""
        del actor
        with self._work() as uow:
            stored = uow.anomaly_actions.get(action.id)
            if stored.version != action.version:
                raise ConcurrencyConflict(
                    "consumption_anomaly_action", action.id, action.version
                )
            changed = attrs.evolve(action, version=stored.version + 1)
            ensure(self._check_action(uow, changed))
            uow.anomaly_actions.update(changed)
            uow.commit()
        return changed

    def _check_action(
        self, uow: UnitOfWork, action: ConsumptionAnomalyAction
    ) -> list[Violation]:
        return rules.check_anomaly_action(
            action,
            references=_references(
                uow, ("consumption_anomaly", "category", "property_profile")
            ),
            siblings=uow.anomaly_actions.find_by(anomaly_id=action.anomaly_id),
        )

    def anomaly_actions(
        self, *, anomaly_id: int | None = None
    ) -> Sequence[ConsumptionAnomalyAction]:
        """The escalation rows (of one anomaly), by id."""
        with self._read() as uow:
            if anomaly_id is None:
                return uow.anomaly_actions.find_by()
            return uow.anomaly_actions.find_by(anomaly_id=anomaly_id)

    def escalation(
        self,
        *,
        anomaly_id: int,
        month: int,
        category_id: int | None = None,
        property_profile_id: int | None = None,
    ) -> AnomalyActionStep | None:
        """What the anomaly does in its ``month``-th consecutive month for a
        property of the category and profile: the most specific active action
        (category and profile, then category, then profile, then every property)."""
        with self._read() as uow:
            actions = uow.anomaly_actions.find_by(anomaly_id=anomaly_id, active=True)
        for wanted in (
            (category_id, property_profile_id),
            (category_id, None),
            (None, property_profile_id),
            (None, None),
        ):
            for action in actions:
                if (action.category_id, action.property_profile_id) == wanted:
                    return action.step(month)
        return None
