""":meth:`Mappers.build` gathers its row mappers from one helper per area
(issue 20, ninth round): the helpers' dictionaries are not checked field by
field by the type checker, so this test holds what the keywords held, each
mapper built for its field's model class and table."""

from __future__ import annotations

import typing

import attrs

from gsan_core.adapters.sqlalchemy import Mappers
from gsan_core.adapters.sqlalchemy.mappers import RowMapper
from gsan_core.adapters.sqlalchemy.schema import build_tables


def test_each_mapper_maps_its_fields_model_class() -> None:
    mappers = Mappers.build(build_tables())
    hints = typing.get_type_hints(Mappers)
    for field in attrs.fields(Mappers):
        mapper = getattr(mappers, field.name)
        assert isinstance(mapper, RowMapper), field.name
        (model,) = typing.get_args(hints[field.name])
        assert mapper.cls is model, field.name


def test_each_mapper_has_one_field() -> None:
    mappers = Mappers.build(build_tables())
    built = [getattr(mappers, f.name) for f in attrs.fields(Mappers)]
    assert len({id(m) for m in built}) == len(built)
