"""The main job: a small utility on an embedded SQLite database.

``make demo`` (``gsan-core demo``) creates the database, migrates it, seeds the
default profile, loads a synthetic town and walks through the library's flows,
printing a readable summary. Each area adds its chapter to :data:`CHAPTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

from gsan_core.display import money, named
from gsan_core.errors import RuleViolation
from gsan_core.model.hydrometers import InstallHydrometer, ReplaceHydrometer
from gsan_core.model.service_orders import (
    ExecutedActivity,
    ExecutionPeriod,
    MaterialUsage,
    ServiceType,
    TeamComponent,
)
from gsan_core.system import SETUP_ACTOR, System, connect
from gsan_core.testing.hydrometers import METER
from gsan_core.testing.town import Town, load_town, small_town

__all__ = ["CHAPTERS", "Out", "run"]

Out = Callable[[str], None]


def _town(gsan: System, town: Town, out: Out) -> None:
    out(f"Profile: {gsan.profile.name} ({gsan.profile.description})")
    out(
        f"Loaded {len(town.localities)} localities, {len(town.sectors)} sectors, "
        f"{len(town.blocks)} blocks, {len(town.routes)} routes, "
        f"{len(town.properties)} properties, {len(town.units)} units, "
        f"{len(town.users)} users."
    )
    counts = gsan.properties.count_by_water_status()
    total = sum(counts.values())
    out("Properties by water situation:")
    for status, count in counts.items():
        share = 100 * count / total
        out(f"  {status!s:<20} {count:>6}  {share:5.1f}%")
    tree = gsan.units.tree()
    out("Organisational units:")
    for unit in tree.values():
        depth = len(gsan.units.ancestors(unit.id))
        out(f"  {'  ' * depth}{unit.id:>4} {unit.name}")


def _service_order(gsan: System, town: Town, out: Out) -> None:
    """An order generated, closed with execution data and charged."""
    today = gsan.today()
    prop = town.properties[0]
    repair = next(
        t
        for t in gsan.service_orders.types()
        if t.description == "CONSERTO DE VAZAMENTO NO RAMAL"
    )
    order = gsan.service_orders.generate(
        service_type_id=repair.id, property_id=prop.id, actor=102
    )
    out(
        f"Order {order.id} ({named(repair.description, repair.id)}) generated for "
        f"property {prop.id}: {order.situation.name.lower()}, at "
        f"{_name(gsan, 'unit', order.current_unit_id)}."
    )
    team = gsan.service_orders.add_team(
        name="EQUIPE DEMO",
        unit_id=102,
        work_minutes=8 * 60,
        plate="DEM0123",
        components=[TeamComponent(employee_id=102, responsible=True)],
        actor=SETUP_ACTOR,
    )
    try:
        gsan.service_orders.close_executed(
            order_id=order.id, reason_id=_concluded(gsan), closed_on=today, actor=102
        )
    except RuleViolation as refused:
        out(f"Closing without activities is refused: {refused.messages('pt')[0]}")
    simulated = gsan.service_orders.simulate_charge(
        service_type_id=repair.id, property_id=prop.id, installments=3
    )
    out(
        f"Simulated in 3 installments at {money(simulated.computation.interest_rate)}% "
        f"a month: 3 x R$ {money(simulated.computation.installment_value)} = "
        f"R$ {money(simulated.computation.total)}."
    )
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=_concluded(gsan),
        closed_on=today,
        actor=102,
        remark="ramal substituído",
        execution=_execution(repair, today, team.id),
    )
    out(
        f"Closed with execution by team {team.name}: "
        f"{len(result.execution.activities) if result.execution else 0} activities "
        f"recorded."
    )
    if result.charge is not None:
        shares = ", ".join(
            f"{_name(gsan, 'category', s.category_id)} R$ {money(s.amount)}"
            for s in result.charge.shares
        )
        debit = _name(gsan, "debit_type", result.charge.debit_type_id)
        out(
            f"Charged R$ {money(result.charge.total)} ({debit}, "
            f"{result.charge.installments} installment): {shares}."
        )
    rows = gsan.service_orders.completed_orders_bulletin(start=today, end=today)
    out(f"Completed-orders bulletin of today: {len(rows)} order(s).")


def _execution(
    service_type: ServiceType, on: date, team_id: int
) -> list[ExecutedActivity]:
    """Each activity of the type done by the team in a period of the day, the
    type's materials used in the first."""
    return [
        ExecutedActivity(
            activity_id=activity,
            periods=[
                ExecutionPeriod(
                    on=on,
                    start=time(8 + 2 * n),
                    end=time(9 + 2 * n, 30),
                    team_ids=[team_id],
                )
            ],
            materials=[
                MaterialUsage(material_id=m.material_id, quantity=m.quantity)
                for m in service_type.materials
            ]
            if n == 0
            else [],
        )
        for n, activity in enumerate(service_type.activity_ids)
    ]


def _cut(gsan: System, town: Town, out: Out) -> None:
    from gsan_core.model.connections import CutInput  # noqa: PLC0415
    from gsan_core.testing.connection_data import connection_rows  # noqa: PLC0415

    water, sewer = connection_rows(town.properties, gsan.profile)
    gsan.connections.load(water=water, sewer=sewer, actor=SETUP_ACTOR)
    out(f"Loaded {len(water)} water and {len(sewer)} sewer connections.")
    connected = gsan.profile.id("water_status.connected")
    prop = next(p for p in town.properties if p.water_status_id == connected)
    user = town.users[0].id
    cut_type = gsan.profile.id("service_type.cut_order") or 0
    order = gsan.service_orders.generate(
        service_type_id=cut_type, property_id=prop.id, actor=user
    )
    out(
        f"Cut order {order.id} ({_name(gsan, 'service_type', cut_type)}) generated "
        f"for property {prop.id}."
    )
    closed_on = gsan.today()
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=_concluded(gsan),
        closed_on=closed_on,
        actor=user,
        commercial=CutInput(cut_type_id=1, cut_reason_id=1, seal_number=4471),
    )
    after = gsan.properties.get(prop.id)
    status = _name(gsan, "water_status", after.water_status_id)
    applied = "applied" if result.order.commercial_applied else "not applied"
    charge = f"R$ {money(result.charge.total)}" if result.charge else "none"
    out(
        f"Closed with execution on {closed_on}: the property is {status}, "
        f"the cut {applied} to the commercial side, charge to bill: {charge}."
    )
    for change in gsan.connections.history(prop.id):
        kind = f"{change.kind.value}_status"
        out(
            f"  history: {change.kind.value} {_name(gsan, kind, change.before_id)} -> "
            f"{_name(gsan, kind, change.after_id)} on {change.effective_on} by "
            f"{change.operation} (order {change.order_id}, "
            f"{_name(gsan, 'user', change.actor)})"
        )
    again = gsan.connections.check(
        "water.cut",
        property_id=prop.id,
        data=CutInput(cut_type_id=1, cut_reason_id=1),
        actor=user,
    )
    out(f"Cutting it again: {again[0].message('pt')}")


def _meter_replacement(gsan: System, town: Town, out: Out) -> None:
    """A batch of meters arrives; one is installed and then replaced."""
    today = gsan.today()
    batch = gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=20, attributes=METER, location_id=1, actor=1
    )
    out(f"Received {batch.count} meters, {batch.first_number}..{batch.last_number}.")
    home = next(p.id for p in town.properties if p.water_status_id == 3)
    for role, data in (
        (
            "service_type.hydrometer.install",
            InstallHydrometer(number=batch.first_number, place_id=1, protection_id=6),
        ),
        (
            "service_type.hydrometer.replace",
            ReplaceHydrometer(
                removal_reading=312,
                outgoing_situation_id=2,
                outgoing_location_id=3,
                number=batch.last_number,
                place_id=2,
                protection_id=7,
            ),
        ),
    ):
        type_id = min(gsan.profile.ids(role))
        order = gsan.service_orders.generate(
            service_type_id=type_id, property_id=home, actor=1
        )
        result = gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=_concluded(gsan),
            closed_on=today,
            actor=1,
            commercial=data,
        )
        charge = f"R$ {money(result.charge.total)}" if result.charge else "nothing"
        out(
            f"Order {order.id} ({_name(gsan, 'service_type', type_id)}) closed; "
            f"charged {charge}."
        )
    out(f"Installation history of property {home}:")
    for record in gsan.hydrometers.history(property_id=home):
        meter = gsan.hydrometers.get(record.hydrometer_id)
        if record.removed_on is None:
            period = f"installed since {record.installed_on}"
        else:
            period = (
                f"{record.installed_on} .. {record.removed_on}, read "
                f"{record.removal_reading} at removal"
            )
        out(f"  {meter.number}  {record.origin.name.lower():<12} {period}")
    out("Stock by location and situation:")
    for (location, situation), count in gsan.hydrometers.stock().items():
        where = "installed" if location is None else str(location)
        out(f"  {where:<28} {situation!s:<18} {count}")


def _service_requests(gsan: System, town: Town, out: Out) -> None:
    """An RA routed to the right unit, sent to a contractor, back, and closed
    through its order."""
    from gsan_core.model.service_requests import (  # noqa: PLC0415
        Requester,
        RequestLocation,
    )

    attendant, contractor_user, technician = 101, 103, 102
    gsan.service_requests.configuration.set_locality_group_units(
        locality_id=1, rows=[(6, 102)], actor=SETUP_ACTOR
    )
    units = gsan.units.tree()
    home = next(p for p in town.properties if p.locality_id == 1)
    ana = [Requester(name="ANA SOUZA", address="RUA DAS FLORES 10")]
    leak = gsan.service_requests.open(
        specification_id=679,
        unit_id=attendant,
        channel_id=6,
        actor=attendant,
        location=RequestLocation(property_id=home.id),
        requesters=ana,
    )
    request = leak.request
    out(
        f"RA {request.id} (VAZAMENTO NO RAMAL, property {home.id}) routed to "
        f"{units[request.current_unit_id].name} because {leak.reason.value}; "
        f"due {request.current_due_date}; OS {leak.order.id if leak.order else '-'}"
    )
    gsan.service_requests.forward(
        request_id=request.id, destination_unit_id=103, actor=attendant
    )
    out(f"Forwarded to {units[103].name} with its OS.")
    assert leak.order is not None
    closing = gsan.service_orders.close_executed(
        order_id=leak.order.id,
        reason_id=_concluded(gsan),
        closed_on=gsan.today(),
        actor=contractor_user,
        activities_given=True,
        remark="RAMAL TROCADO",
    )
    effects = ", ".join(_effect(effect) for effect in closing.effects) or "nothing"
    out(f"The contractor closed OS {leak.order.id}: {effects}.")
    closed = gsan.service_requests.close(
        request_id=request.id, reason_id=_concluded(gsan), actor=attendant
    )
    out(f"RA {request.id} closed: {closed.request.situation.name}")
    outage = gsan.service_requests.open(
        specification_id=684,
        unit_id=attendant,
        channel_id=6,
        actor=attendant,
        location=RequestLocation(property_id=home.id),
        requesters=ana,
    )
    assert outage.order is not None
    # ENC-01: the technician closes the order of an RA in his own unit
    gsan.service_requests.forward(
        request_id=outage.request.id, destination_unit_id=102, actor=attendant
    )
    result = gsan.service_orders.close_executed(
        order_id=outage.order.id,
        reason_id=_concluded(gsan),
        closed_on=gsan.today(),
        actor=technician,
        activities_given=True,
    )
    status = gsan.service_requests.get(outage.request.id).situation.name
    out(
        f"RA {outage.request.id} (FALTA DE AGUA NO IMOVEL) closed through its OS "
        f"{outage.order.id} ({_effect(result.effects[0])}), now {status}"
    )
    for number in (request.id, outage.request.id):
        out(f"Routing history of RA {number}:")
        for step in gsan.service_requests.history(number):
            out(
                f"  {units[step.from_unit_id].name} -> {units[step.to_unit_id].name}"
                f"  {step.remark or ''}"
            )


def _name(gsan: System, kind: str, ident: int | None) -> str:
    """``NAME (id)`` of ``ident`` of ``kind``."""
    return "-" if ident is None else named(gsan.names(kind, ident), ident)


def _concluded(gsan: System) -> int:
    """The closing reason "conclusão do serviço" (executed), by profile role."""
    return gsan.profile.id("closing_reason.service_concluded") or 0


def _effect(effect: object) -> str:
    """What an order-closed hook did, in words."""
    words = {
        "RequestClosedByOrder": "the RA was closed with it",
        "RequestClosingProposed": "closing the RA was proposed",
        "RequestRoutedBack": "the RA went back to the unit that sent it",
        "RequestClosingRefused": "the RA stays open",
    }
    return words.get(type(effect).__name__, type(effect).__name__)


#: The demo's chapters, in order: ``(title, function)``.
CHAPTERS: list[tuple[str, Callable[[System, Town, Out], None]]] = [
    ("A synthetic town", _town),
    ("A service order: generated, executed, charged", _service_order),
    ("A water cut: its order closed with execution", _cut),
    ("A meter replacement", _meter_replacement),
    (
        "Service requests: routed, forwarded, closed through the order",
        _service_requests,
    ),
]


def run(database: Path, *, properties: int = 350, out: Out = print) -> None:
    """Build the demo database from scratch at ``database`` and narrate it."""
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    with connect(f"sqlite:///{database}", migrate=True, seed=True) as gsan:
        town = small_town(properties=properties)
        load_town(gsan, town, actor=SETUP_ACTOR)
        for number, (title, chapter) in enumerate(CHAPTERS, start=1):
            out("")
            out(f"== {number}. {title}")
            chapter(gsan, town, out)
    out("")
    out(f"Demo database: {database}")
