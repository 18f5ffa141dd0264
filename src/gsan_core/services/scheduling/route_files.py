"""A team's day out: the route sheet (data, and a PDF with
``gsan_core.rendering.render_route_sheet``) and the route file sent to the
team's device (field-work §9.3, ROT-06, ROT-11).

GSAN's GSANAS layout was not extracted (field-work §14 item 9), so the route
file is the library's own, documented in ``docs/service-orders/route-files.md``
and versioned by its header: lines separated by ``|`` in the style of GSAN's
other field files (§3.4), one record per line ending in LF, record type first:

* ``00|1|team id|team name|IMEI|date dd/mm/yyyy|stops|minutes|work minutes``
* ``01|sequence|order id|service type id|service type|minutes|principal S/N|
  property id|request id|observation`` — one per stop, in sequence;
* ``99|stops|minutes`` — the trailer a device checks for a complete file.

Text fields lose ``|``, CR and LF (replaced by a space); empty values are empty
fields (never ``null``). The bytes are ISO-8859-1 by default (what GSAN's
Linux servers write), characters outside it become ``?``; pass
``encoding="utf-8"`` for a device that reads UTF-8.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from datetime import date

from gsan_core.errors import RuleViolation
from gsan_core.rules.scheduling.messages import TEAM_UNKNOWN, TEAM_WITHOUT_DEVICE
from gsan_core.rules.validation import ensure
from gsan_core.services.scheduling.automatic import Automatic
from gsan_core.services.scheduling.results import RouteSheet, RouteStop
from gsan_core.services.validation import invalid

__all__ = ["ROUTE_FILE_VERSION", "RouteFiles", "route_file_lines"]

#: The version of the route file's layout, the header's second field.
ROUTE_FILE_VERSION = 1


class RouteFiles(Automatic):
    """The route sheet and the route file of a team's day."""

    def route_sheet(self, *, team_id: int, on: date) -> RouteSheet:
        """A team's day out as data: the team, its device and its active
        programmings of ``on`` in sequence, each with its service type and
        estimated minutes (two statements per table, whatever the stops)."""
        with self._read() as uow:
            team = uow.teams.find(team_id)
            if team is None:
                ensure([TEAM_UNKNOWN(team_id=team_id)])
            assert team is not None
            rows = uow.programmings.find_by(
                unit_id=team.unit_id, on=on, team_id=team_id, active=True
            )
            orders = uow.service_orders.get_many({r.order_id for r in rows})
            types = uow.service_types.get_many(
                {o.service_type_id for o in orders.values()}
            )
        stops = []
        for row in sorted(rows, key=lambda r: r.sequence):
            order = orders[row.order_id]
            service_type = types[order.service_type_id]
            stops.append(
                RouteStop(
                    sequence=row.sequence,
                    order_id=order.id,
                    service_type_id=service_type.id,
                    service_type=service_type.description,
                    minutes=service_type.average_execution_minutes or 0,
                    principal=row.principal,
                    property_id=order.property_id,
                    request_id=order.request_id,
                    observation=order.observation,
                )
            )
        return RouteSheet(
            team_id=team.id,
            team_name=team.name,
            unit_id=team.unit_id,
            on=on,
            imei=team.imei,
            work_minutes=team.work_minutes,
            stops=stops,
        )

    def route_file(
        self, *, team_id: int, on: date, encoding: str = "iso-8859-1"
    ) -> Iterator[bytes]:
        """The route file of a team's day, line by line as encoded bytes (write
        them to a file or a response as they come). One file per team and day,
        addressed to the team's IMEI (ROT-06): a team without a device is
        refused. Each call regenerates it from the day's current programmings
        (ROT-11). The team and the encoding are checked before the first line."""
        try:
            codecs.lookup(encoding)
        except LookupError:
            found = invalid(
                "encoding", "is not a known encoding", "codificação desconhecida"
            )
            raise RuleViolation([found]) from None
        sheet = self.route_sheet(team_id=team_id, on=on)
        if not sheet.imei:
            ensure([TEAM_WITHOUT_DEVICE(team_id=team_id)])
        return (line.encode(encoding, "replace") for line in route_file_lines(sheet))


def _field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "S" if value else "N"
    text = str(value)
    for sign in ("|", "\r\n", "\r", "\n"):
        text = text.replace(sign, " ")
    return text


def _record(*fields: object) -> str:
    return "|".join(_field(f) for f in fields) + "\n"


def route_file_lines(sheet: RouteSheet) -> Iterator[str]:
    """The route file's records of ``sheet`` as text lines (header, one line
    per stop, trailer); see the module's documentation for the layout."""
    yield _record(
        "00",
        ROUTE_FILE_VERSION,
        sheet.team_id,
        sheet.team_name,
        sheet.imei,
        f"{sheet.on:%d/%m/%Y}",
        len(sheet.stops),
        sheet.minutes,
        sheet.work_minutes,
    )
    for stop in sheet.stops:
        yield _record(
            "01",
            stop.sequence,
            stop.order_id,
            stop.service_type_id,
            stop.service_type,
            stop.minutes,
            stop.principal,
            stop.property_id,
            stop.request_id,
            stop.observation,
        )
    yield _record("99", len(sheet.stops), sheet.minutes)
