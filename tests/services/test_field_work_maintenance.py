"""Field-device files II: the file filter (TXT-01), deleting a file (TXT-10),
and the client data of a return (RET-06), on every backend (UPD-05, the
order update a device's return forbids: ``test_service_orders_device_files``)."""

from __future__ import annotations

import io
from datetime import timedelta

import attrs
import pytest

import gsan_core
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.accounts.customers import (
    CustomerType,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.model.field_files import (
    FieldFileFilter,
    FieldFilesDeleted,
    FileKind,
)
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import OrderSituation
from gsan_core.synthetic import generate
from tests.field_commands import INSPECTION, emitted_inspections

EXECUTED = 2


@pytest.fixture
def emitted(system: gsan_core.System) -> tuple[gsan_core.System, int]:
    generate(system, properties=300, seed=9)
    return system, emitted_inspections(system, max_orders=12)


def _ready(system: gsan_core.System, command_id: int) -> tuple[int, list[int]]:
    """A file in the field, with its orders in file order."""
    file_id = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=command_id, actor=1
    ).id
    system.field_work.release_field_file(file_id=file_id, agent_id=77, actor=1)
    out = io.BytesIO()
    system.field_work.download_field_file(file_id=file_id, out=out, actor=1)
    orders = [
        int(line.split("|")[1])
        for line in out.getvalue().decode("iso-8859-1").splitlines()
        if line.startswith("16|")
    ]
    return file_id, orders


def _return(file_id: int, lines: list[str], flag: int = 4) -> bytes:
    return ("\n".join([f"0|{file_id}|{flag}|", *lines]) + "\n").encode("iso-8859-1")


def _place(system: gsan_core.System, order_id: int) -> tuple[int, int, int]:
    """The locality, sector code and block number of an order's property."""
    with system.uow_factory() as uow:
        order = uow.service_orders.get(order_id)
        prop = uow.properties.get(order.property_id or 0)
        code = uow.sectors.get(prop.sector_id).code
        number = uow.blocks.get(prop.block_id).number
    return prop.locality_id, code, number


def test_txt_01_02_a_file_from_a_locality_sector_and_block_filter(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """TXT-01/TXT-02: the filter's pending orders in place order; the orders
    already in an open file are left out (TXT-06), so a second file of the
    same filter finds nothing (TXT-03)."""
    system, _ = emitted
    pending = system.service_orders.find_by(service_type_id=INSPECTION)
    locality, code, number = _place(system, pending[0].id)
    where = FieldFileFilter(
        locality_id=locality,
        sector_first=code,
        sector_last=code,
        block_first=number,
        block_last=number,
        service_type_ids={INSPECTION},
    )
    expected = {
        o.id for o in pending if _place(system, o.id) == (locality, code, number)
    }
    file = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, where=where, actor=1
    )
    lines = list(system.field_work.field_file_lines(file_id=file.id))
    carried = [int(line.split("|")[1]) for line in lines if line.startswith("16|")]
    assert set(carried) == expected
    assert file.order_count == len(expected) > 0
    whole = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION,
        where=FieldFileFilter(locality_id=locality, service_type_ids={INSPECTION}),
        actor=1,
    )
    assert whole.order_count == sum(
        1 for o in pending if _place(system, o.id)[0] == locality
    ) - len(expected)
    with pytest.raises(gsan_core.RuleViolation) as empty:
        system.field_work.generate_field_file(
            kind=FileKind.COLLECTION, where=where, actor=1
        )
    assert empty.value.violations[0].rule == "TXT-03"


def test_txt_01_the_filter_is_validated(emitted: tuple[gsan_core.System, int]) -> None:
    """TXT-01: unknown locality; a sector range without locality; unknown
    sector and block bounds, each looked up in its own sector."""
    system, _ = emitted
    pending = system.service_orders.find_by(service_type_id=INSPECTION)
    locality, code, number = _place(system, pending[0].id)

    def refused(where: FieldFileFilter) -> list[str]:
        with pytest.raises(gsan_core.RuleViolation) as raised:
            system.field_work.generate_field_file(
                kind=FileKind.COLLECTION, where=where, actor=1
            )
        assert {v.rule for v in raised.value.violations} == {"TXT-01"}
        return [v.code for v in raised.value.violations]

    assert refused(FieldFileFilter(locality_id=99_999)) == [
        "field_work.file.locality_unknown"
    ]
    assert refused(FieldFileFilter(sector_first=code)) == [
        "field_work.file.locality_missing"
    ]
    assert refused(
        FieldFileFilter(locality_id=locality, sector_first=code, sector_last=9_999)
    ) == ["field_work.file.sector_unknown"]
    assert refused(
        FieldFileFilter(
            locality_id=locality,
            sector_first=code,
            block_first=number,
            block_last=9_999,
        )
    ) == ["field_work.file.block_unknown"]
    assert refused(FieldFileFilter(locality_id=locality, block_first=number)) == [
        "field_work.file.sector_missing"
    ]


def test_txt_10_deleting_available_files_leaves_their_orders_pending(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """TXT-10: only available files are deleted, all or none; the orders stay
    pending and may go to another file."""
    system, command_id = emitted
    first = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=command_id, actor=1
    )
    orders = [
        int(line.split("|")[1])
        for line in system.field_work.field_file_lines(file_id=first.id)
        if line.startswith("16|")
    ]
    with system.uow_factory() as uow:
        order = uow.service_orders.get(orders[0])
        prop = uow.properties.get(order.property_id or 0)
    released, _ = _ready_other(system, prop.locality_id)
    with pytest.raises(gsan_core.RuleViolation) as busy:
        system.field_work.delete_field_files(file_ids=[first.id, released], actor=1)
    assert busy.value.violations[0].rule == "TXT-10"
    assert system.field_work.field_file(file_id=first.id).order_count == len(orders)
    assert system.field_work.delete_field_files(file_ids=[first.id], actor=1) == len(
        orders
    )
    with pytest.raises(gsan_core.NotFound):
        system.field_work.field_file(file_id=first.id)
    with system.uow_factory() as uow:
        assert uow.field_file_items.find_by(file_id=first.id) == []
    assert all(
        system.service_orders.get(o).situation is OrderSituation.PENDING for o in orders
    )
    again = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=command_id, actor=1
    )
    assert again.order_count == len(orders)
    assert any(
        isinstance(e, FieldFilesDeleted) and e.file_ids == (first.id,)
        for e in system.events
    )


def test_txt_10_the_files_are_deleted_at_their_versions_all_or_none(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """TXT-10's port (``FieldFileQueries.delete_files``): the files' items and
    the files go together; a file whose version moved is a conflict and a
    file gone is not found, and nothing of the call is deleted."""
    system, command_id = emitted
    with system.uow_factory() as uow:
        orders = sorted(
            link.order_id
            for link in uow.selective_orders.find_by(command_id=command_id)
        )
    files = [
        system.field_work.generate_field_file(
            kind=FileKind.COLLECTION, order_ids=orders[n : n + 2], actor=1
        )
        for n in (0, 2)
    ]
    stale = attrs.evolve(files[1], version=files[1].version + 1)
    gone = attrs.evolve(files[1], id=999_999)
    for wrong, error in ((stale, ConcurrencyConflict), (gone, gsan_core.NotFound)):
        with system.uow_factory() as uow, pytest.raises(error):
            uow.field_file_queries.delete_files([files[0], wrong])
        assert system.field_work.field_file(file_id=files[0].id) == files[0]
        with system.uow_factory() as uow:
            assert len(uow.field_file_items.find_by(file_id=files[0].id)) == 2
    with system.uow_factory() as uow:
        assert uow.field_file_queries.delete_files(files) == 4
        uow.commit()
    assert system.field_work.field_files() == []


def _ready_other(system: gsan_core.System, locality: int) -> tuple[int, list[int]]:
    """A released file of another command's orders."""
    made = system.field_work.create_selective_command(
        description="OUTRO",
        service_type_id=304,
        criteria=SelectiveCriteria(locality_first=locality, locality_last=locality),
        actor=1,
        max_orders=3,
    )
    system.field_work.emit_selective_orders(command_id=made.id, actor=1)
    file_id = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=made.id, actor=1
    ).id
    system.field_work.release_field_file(file_id=file_id, agent_id=78, actor=1)
    return file_id, []


CPF_ANA = "52998224725"
CPF_JOAO = "11144477735"


def _customers(system: gsan_core.System) -> None:
    system.accounts.load_reference(
        power_spheres=[PowerSphere(id=1, description="PARTICULAR")],
        customer_types=[
            CustomerType(
                id=1,
                description="PESSOA FISICA",
                person_kind=PersonKind.INDIVIDUAL,
                power_sphere_id=1,
            )
        ],
    )


def test_ret_06_the_returned_client_data_reach_the_customer_register(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """RET-06: the current user with the same CPF is updated (identity card,
    phone); a new CPF becomes the property's user from the execution day; a
    bad CPF is a bad line; no user and no document writes nothing."""
    system, command_id = emitted
    _customers(system)
    file_id, orders = _ready(system, command_id)
    props = [system.service_orders.get(o).property_id or 0 for o in orders[:3]]
    today = system.clock.today()
    ana = system.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document=CPF_ANA
    )
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=props[0],
        relation=RelationType.USER,
        start=today - timedelta(days=30),
    )
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    done = [f"1|{o}|1|{EXECUTED}|{when}|OK|{INSPECTION}|" for o in orders[:3]]
    data = _return(
        file_id,
        [
            *done,
            f"2|{orders[0]}|ANA SILVA|{CPF_ANA}||1234567|1|10|98|32221111||",
            f"2|{orders[1]}|JOAO|{CPF_JOAO}||||||99887766|12|",
            f"2|{orders[2]}|MARIA|52998224724|||||||",
        ],
    )
    bad = system.field_work.process_field_return(file_id=file_id, source=data, actor=1)
    assert [(e.line, e.code) for e in bad.errors] == [(7, "return.document")]
    good = data.replace(b"|MARIA|52998224724|", b"|MARIA||")
    assert system.field_work.process_field_return(
        file_id=file_id, source=good, actor=1
    ).ok
    applied = system.field_work.apply_field_returns(file_id=file_id, actor=1)
    assert set(applied.closed) == set(orders[:3])
    assert applied.failed == ()
    updated = system.accounts.customer(ana.id)
    assert (updated.name, updated.identity_card, updated.phone_area) == (
        "ANA SILVA",
        "1234567",
        "98",
    )
    assert (updated.identity_issuer_id, updated.identity_state_id) == (1, 10)
    assert updated.phone == "32221111"
    assert updated.phone_extension is None
    users = [
        r
        for r in system.accounts.relations(property_id=props[1])
        if r.relation is RelationType.USER and r.is_open
    ]
    assert len(users) == 1
    joao = system.accounts.customer(users[0].customer_id)
    assert (joao.document, joao.phone, joao.phone_extension) == (
        CPF_JOAO,
        "99887766",
        "12",
    )
    assert users[0].start == today
    assert not [r for r in system.accounts.relations(property_id=props[2]) if r.is_open]
