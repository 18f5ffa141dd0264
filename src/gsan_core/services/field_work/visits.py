"""Measurement visits ("Gestão Micromedição", VIS) of ``gsan.field_work``.

GSAN's public sources have no measurement-visit screens (field-work §5): this
is the library's design, built on what the sources do show.

* VIS-01: a micrometering file (``FileKind.MICROMETERING``) carries, after its
  orders, the available meters of the stock locations its agent is
  responsible for (``hydrometer_stock_location`` attribute ``agent_id``),
  the meter situations and the stock locations (records 18–20); it goes to
  the field only when the agent has such meters, no more than the per-file
  cap;
* VIS-02: a measurement visit closes with a return reason of the catalogue
  ``measurement_return_reason`` ("Motivo de Retorno da Visita de Medição")
  through the library's closing path (RET-04's semantics: the closing
  reason's kind chooses executed or not); a penalised visit carries the
  reading and the anomaly found.
"""

from __future__ import annotations

from datetime import date

from gsan_core.errors import Violation
from gsan_core.model.field_files import FieldFile, FileKind
from gsan_core.model.field_visits import MeasurementVisitClosed
from gsan_core.model.profile import UtilityProfile
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import field_visits as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service
from gsan_core.services.field_work.visit_layout import agent_locations
from gsan_core.services.service_orders.closing import close_in

__all__ = ["MeasurementVisitsService", "check_micrometering_download"]


def check_micrometering_download(
    uow: UnitOfWork, file: FieldFile, profile: UtilityProfile
) -> list[Violation]:
    """VIS-01: the agent of a micrometering file has available meters, no
    more than ``field_work.max_orders_per_file`` (TXT-09's checks)."""
    if file.kind is not FileKind.MICROMETERING:
        return []
    mine = agent_locations(uow.catalog.list("hydrometer_stock_location"), file.agent_id)
    available = profile.ids("hydrometer_situation.available")
    count = (
        uow.hydrometers.count_by(
            location_id=sorted(mine), situation_id=sorted(available)
        )
        if mine and available
        else 0
    )
    return rules.check_agent_meters(
        file.agent_id, count=count, limit=profile.field_work.max_orders_per_file
    )


class MeasurementVisitsService(Service):
    """Measurement visits (``gsan.field_work``)."""

    def close_measurement_visit(
        self,
        *,
        order_id: int,
        return_reason_id: int,
        closing_reason_id: int,
        actor: int,
        closed_on: date | None = None,
        penalise: bool = False,
        reading: int | None = None,
        anomaly_id: int | None = None,
        remark: str | None = None,
    ) -> MeasurementVisitClosed:
        """VIS-02 ("Encerrar OS da Visita de Medição"): close a measurement
        visit (a type of the profile's role ``service_type.measurement_visit``
        when the utility sets it) with a return reason in use, through the
        closing path in one unit of work (the closing reason's kind chooses
        executed or not, the closing-date windows apply); a penalised visit
        needs the reading and the anomaly found. The return reason and the
        reading are on the event and in the closing remark."""
        at = self._now()
        on = closed_on or self._today(at)
        with self._work() as uow:
            order = uow.service_orders.get(order_id)
            reason = uow.catalog.find("measurement_return_reason", return_reason_id)
            ensure(
                rules.check_measurement_visit(
                    order_id=order_id,
                    service_type_id=order.service_type_id,
                    visit_type_ids=self.profile.ids("service_type.measurement_visit"),
                    reason_in_use=reason is not None and reason.active,
                    reason_id=return_reason_id,
                    penalise=penalise,
                    reading=reading,
                    anomaly_id=anomaly_id,
                )
            )
            told = [reason.description if reason is not None else ""]
            if reading is not None:
                told.append(f"leitura {reading}")
            if remark:
                told.append(remark)
            close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=closing_reason_id,
                closed_on=on,
                actor=actor,
                at=at,
                remark=" - ".join(told)[:200],
                authorise=True,
            )
            event = MeasurementVisitClosed(
                occurred_at=at,
                actor=actor,
                order_id=order_id,
                property_id=order.property_id,
                return_reason_id=return_reason_id,
                closing_reason_id=closing_reason_id,
                closed_on=on,
                penalised=penalise,
                reading=reading,
                anomaly_id=anomaly_id,
            )
            uow.record(event)
            uow.commit()
        return event
