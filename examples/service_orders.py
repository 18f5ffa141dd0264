"""Generate a service order, close it with execution and charge it.

Run it with ``python examples/service_orders.py``: an in-memory utility with a
small synthetic town. A leak in a property's branch is repaired by a team. The
charge is simulated first (what three installments with interest would come
to); the closing records the executed activities, teams and materials, and
charges the repair automatically (the type includes a debit: one installment at
100 %, DEB-01), split by the property's categories.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import gsan_core
from gsan_core.model.service_orders import (
    ExecutedActivity,
    ExecutionPeriod,
    MaterialUsage,
    TeamComponent,
)
from gsan_core.testing.town import load_town, small_town

LEAK_REPAIR = 621  # seeded by the default profile: R$ 80.00, interest, editable
CONCLUDED = 2  # closing reason "CONCLUSAO DO SERVICO" (executed)
TECHNICIAN = 102  # user of unit 102, the office of locality 1


def main() -> None:
    gsan = gsan_core.in_memory()
    town = small_town(properties=50)
    load_town(gsan, town)
    today = gsan.clock.now().astimezone(ZoneInfo(gsan.profile.timezone)).date()
    prop = town.properties[0]

    order = gsan.service_orders.generate(
        service_type_id=LEAK_REPAIR,
        property_id=prop.id,
        actor=TECHNICIAN,
        observation="vazamento no ramal, calçada molhada",
    )
    print(f"generated order {order.id} ({order.situation.name}) for {prop.id}")

    team = gsan.service_orders.add_team(
        name="EQUIPE RAMAIS",
        unit_id=102,
        work_minutes=8 * 60,
        plate="JKL2468",
        components=[TeamComponent(employee_id=TECHNICIAN, responsible=True)],
        actor=TECHNICIAN,
    )

    simulated = gsan.service_orders.simulate_charge(
        service_type_id=LEAK_REPAIR, property_id=prop.id, installments=3
    )
    print(
        f"simulated: 3 x {simulated.computation.installment_value}"
        f" = {simulated.computation.total}"
    )

    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=today,
        actor=TECHNICIAN,
        remark="ramal substituído",
        execution=[
            ExecutedActivity(
                activity_id=2,  # escavação
                periods=[
                    ExecutionPeriod(
                        on=today, start=time(8), end=time(9, 45), team_ids=[team.id]
                    )
                ],
                materials=[MaterialUsage(material_id=1, quantity=Decimal("2.5"))],
            ),
            ExecutedActivity(activity_id=3),  # reposição de pavimento
        ],
    )
    charge = result.charge
    assert charge is not None
    print(f"closed order {result.order.id}: {result.order.situation.name}")
    print(
        f"charge {charge.id}: {charge.installments} x {charge.installment_value}"
        f" = {charge.total} (debit type {charge.debit_type_id})"
    )
    for share in charge.shares:
        print(f"  category {share.category_id}: {share.amount}")
    assert charge.total == Decimal("80.00")


if __name__ == "__main__":
    main()
