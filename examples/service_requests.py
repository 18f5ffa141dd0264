"""Service requests in a small utility: open requests, forward and close them,
and print each request's routing history.

The scenario builders (:class:`gsan_core.testing.Scenario`) load the place: a
call centre dispatching for an office, a contractor below the call centre, the
routing of each request's group to the office.

    python examples/service_requests.py
"""

from __future__ import annotations

import gsan_core
from gsan_core.display import named
from gsan_core.model.service_requests import RequestLocation
from gsan_core.testing import Scenario


def main() -> None:
    gsan = gsan_core.in_memory()
    given = Scenario(gsan)
    place = given.ready()
    concluded = gsan.profile.id("closing_reason.service_concluded") or 0
    gave_up = gsan.profile.id("closing_reason.user_gave_up") or 0

    def unit(ident: int) -> str:
        return named(gsan.names("unit", ident), ident)

    # VAZAMENTO NO RAMAL: urgent, an automatic order
    leak = given.request("VAZAMENTO NO RAMAL")
    # DESOBSTRUCAO DE RAMAL: a sewer type
    sewer = given.request("DESOBSTRUCAO DE RAMAL")
    # ESTOURAMENTO DE DISTRIBUIDOR: only a description of the place
    street = given.request(
        "ESTOURAMENTO DE DISTRIBUIDOR",
        location=RequestLocation(description="ESQUINA DA PRACA DA MATRIZ"),
    )
    for opened in (leak, sewer, street):
        request = opened.request
        print(
            f"request {request.id} ({request.situation.name.lower()}): "
            f"at {unit(request.current_unit_id)} because {opened.reason.value}, "
            f"due {request.current_due_date}"
        )

    service = gsan.service_requests
    gsan.clock.advance(minutes=15)
    service.forward(
        request_id=leak.request.id,
        destination_unit_id=place.contractor,
        actor=place.attendant,
    )
    gsan.clock.advance(hours=2)
    assert leak.order is not None
    closing = gsan.service_orders.close_executed(
        order_id=leak.order.id,
        reason_id=concluded,
        closed_on=gsan.today(),
        actor=place.contractor_user,
        activities_given=True,
        remark="RAMAL TROCADO",
    )
    effects = ", ".join(type(effect).__name__ for effect in closing.effects)
    print(f"order {leak.order.id} closed by the contractor: {effects}")
    gsan.clock.advance(minutes=10)
    service.close(
        request_id=leak.request.id, reason_id=concluded, actor=place.attendant
    )
    service.close(
        request_id=street.request.id,
        reason_id=gave_up,
        actor=place.attendant,
        remark="nao localizado",
    )

    for opened in (leak, sewer, street):
        request = service.get(opened.request.id)
        print(f"\nrequest {request.id} - {request.situation.name}")
        for step in service.history(request.id):
            local = step.at.astimezone(gsan.clock.zone)
            print(
                f"  {local:%Y-%m-%d %H:%M}  {unit(step.from_unit_id)} -> "
                f"{unit(step.to_unit_id)}  {step.remark or ''}"
            )


if __name__ == "__main__":
    main()
