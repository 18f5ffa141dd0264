"""A team's day out (field-work §9.3): the route sheet as data and PDF, the route
file for the team's device (ROT-06, ROT-11), the follow-up screens limited to
the teams a user follows (ROT-13), and the optimistic programming that tells a
dispatcher another one got there first."""

from __future__ import annotations

import io

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.rendering import Template, render_route_sheet
from gsan_core.services.scheduling.route_files import route_file_lines
from tests.services.scheduling_support import (
    MONDAY,
    QUICK,
    Dispatch,
    codes,
    dispatch,
    rules_of,
)

__all__ = ["dispatch"]

IMEI = "356938035643809"


def _with_device(dispatch: Dispatch) -> None:
    team = dispatch.gsan.service_orders.get_team(dispatch.team.id)
    dispatch.gsan.service_orders.update_team(attrs.evolve(team, imei=IMEI), actor=1)


def test_rot_06_the_route_file_of_a_team_s_day_is_addressed_to_its_device(
    dispatch: Dispatch,
) -> None:
    _with_device(dispatch)
    first = dispatch.order(QUICK, observation="PORTAO|AZUL\nFUNDOS")
    second = dispatch.order()
    dispatch.program(first, second)
    lines = list(
        dispatch.gsan.scheduling.route_file(team_id=dispatch.team.id, on=MONDAY)
    )
    assert all(x.endswith(b"\n") for x in lines)
    text = [x.decode("iso-8859-1").rstrip("\n").split("|") for x in lines]
    assert [r[0] for r in text] == ["00", "01", "01", "99"]
    header = text[0]
    assert header[1:] == [
        "1",
        str(dispatch.team.id),
        "EQUIPE A",
        IMEI,
        "07/12/2026",
        "2",
        "150",
        "300",
    ]
    assert [(r[1], r[2], r[5], r[6]) for r in text[1:3]] == [
        ("1", str(first.id), "30", "S"),
        ("2", str(second.id), "120", "S"),
    ]
    assert text[1][-1] == "PORTAO AZUL FUNDOS"  # the separator never leaks
    assert text[1][4] == "VISTORIA RAPIDA"
    assert text[3] == ["99", "2", "150"]


def test_rot_06_a_team_without_a_device_has_no_route_file(dispatch: Dispatch) -> None:
    dispatch.program(dispatch.order())
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.route_file(team_id=dispatch.other.id, on=MONDAY)
    assert codes(refused) == {"schedule.route_file.team_without_device"}
    assert rules_of(refused) == {"ROT-06"}


def test_rot_06_an_unknown_team_or_encoding_is_refused_before_the_first_line(
    dispatch: Dispatch,
) -> None:
    _with_device(dispatch)
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.route_file(team_id=987654, on=MONDAY)
    assert codes(refused) == {"schedule.team_unknown"}
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.route_file(
            team_id=dispatch.team.id, on=MONDAY, encoding="no-such-codec"
        )
    assert codes(refused) == {"input.invalid.encoding"}


def test_rot_06_the_encoding_is_latin_1_unless_asked(dispatch: Dispatch) -> None:
    _with_device(dispatch)
    dispatch.program(dispatch.order(QUICK, observation="RUA SÃO JOÃO – ☎"))
    scheduling = dispatch.gsan.scheduling
    latin = b"".join(scheduling.route_file(team_id=dispatch.team.id, on=MONDAY))
    assert "RUA SÃO JOÃO ? ?".encode("iso-8859-1") in latin
    utf = b"".join(
        scheduling.route_file(team_id=dispatch.team.id, on=MONDAY, encoding="utf-8")
    )
    assert "RUA SÃO JOÃO – ☎".encode() in utf


def test_rot_11_the_route_file_is_regenerated_from_the_day_as_it_is_now(
    dispatch: Dispatch,
) -> None:
    _with_device(dispatch)
    orders = [dispatch.order(QUICK) for _ in range(3)]
    dispatch.program(*orders)
    scheduling = dispatch.gsan.scheduling
    before = list(scheduling.route_file(team_id=dispatch.team.id, on=MONDAY))
    scheduling.remove(order_id=orders[0].id, on=MONDAY, actor=1)
    after = [
        x.decode().split("|")
        for x in scheduling.route_file(team_id=dispatch.team.id, on=MONDAY)
    ]
    assert len(before) == 5
    assert [(r[1], r[2]) for r in after if r[0] == "01"] == [
        ("1", str(orders[1].id)),
        ("2", str(orders[2].id)),
    ]


def test_an_empty_day_has_a_header_and_a_trailer(dispatch: Dispatch) -> None:
    _with_device(dispatch)
    sheet = dispatch.gsan.scheduling.route_sheet(team_id=dispatch.team.id, on=MONDAY)
    assert sheet.stops == ()
    assert [x.split("|")[0] for x in route_file_lines(sheet)] == ["00", "99"]


def test_the_route_sheet_pdf_reads_back(dispatch: Dispatch) -> None:
    pypdf = pytest.importorskip("pypdf")
    _with_device(dispatch)
    first, second = (
        dispatch.order(QUICK, observation="CHAVE COM O VIZINHO"),
        (dispatch.order()),
    )
    dispatch.program(first, second)
    sheet = dispatch.gsan.scheduling.route_sheet(team_id=dispatch.team.id, on=MONDAY)
    assert [s.order_id for s in sheet.stops] == [first.id, second.id]
    assert sheet.minutes == 150
    pdf = render_route_sheet(sheet, template=Template(company="SAAE DE TESTE"))
    text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )
    assert "SAAE DE TESTE" in text
    assert "ROTEIRO DA EQUIPE" in text
    assert "EQUIPE A" in text
    assert "07/12/2026" in text
    assert IMEI in text
    assert "VISTORIA RAPIDA" in text
    assert "REPARO PROGRAMADO" in text
    assert "CHAVE COM O VIZINHO" in text
    assert "150 min de 300 min" in text


def test_rot_13_the_follow_up_day_shows_only_the_teams_the_user_follows(
    dispatch: Dispatch,
) -> None:
    gsan, place = dispatch.gsan, dispatch.place
    dispatch.program(dispatch.order())
    dispatch.program(dispatch.order(), team=dispatch.other)
    gsan.scheduling.set_followed_teams(
        user_id=place.attendant, team_ids=[dispatch.other.id], actor=1
    )
    seen = gsan.scheduling.day(
        unit_id=place.office, on=MONDAY, follower_id=place.attendant
    )
    assert [t.team_id for t in seen.teams] == [dispatch.other.id]
    assert len(seen.teams[0].programmings) == 1
    nobody = gsan.scheduling.day(
        unit_id=place.office, on=MONDAY, follower_id=place.technician
    )
    assert nobody.teams == ()
    everyone = gsan.scheduling.day(unit_id=place.office, on=MONDAY)
    assert {t.team_id for t in everyone.teams} == {dispatch.team.id, dispatch.other.id}


def test_prg_07_a_dispatcher_who_read_an_older_order_gets_a_conflict(
    dispatch: Dispatch,
) -> None:
    """Two dispatchers read the same order; the first programs it; the second,
    acting on what he read, gets ``ConcurrencyConflict`` and nothing is written."""
    order = dispatch.order()
    read = dispatch.gsan.service_orders.get(order.id).version
    dispatch.gsan.scheduling.program(
        unit_id=dispatch.place.office,
        on=MONDAY,
        team_ids=[dispatch.team.id],
        order_ids=[order.id],
        expected_versions={order.id: read},
        actor=1,
    )
    with pytest.raises(ConcurrencyConflict) as lost:
        dispatch.gsan.scheduling.program(
            unit_id=dispatch.place.office,
            on=MONDAY,
            team_ids=[dispatch.other.id],
            order_ids=[order.id],
            expected_versions={order.id: read},
            actor=1,
        )
    assert lost.value.code == "concurrency_conflict"
    assert len(dispatch.gsan.scheduling.programmings(order_id=order.id)) == 1
    # without versions the same request is judged against the new state: PRG-07
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(order, team=dispatch.other)
    assert rules_of(refused) == {"PRG-07"}
