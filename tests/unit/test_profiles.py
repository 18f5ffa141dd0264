"""Loading and validating utility profiles (``gsan_core.profiles``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gsan_core import profiles
from gsan_core.errors import ConfigurationError
from gsan_core.model.catalog import CatalogItem, CatalogKind
from gsan_core.model.kinds import kinds_by_name
from gsan_core.model.reference_tables import CUT_REASON


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(source: str | Path) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        profiles.load(source)
    return caught.value


# ---------------------------------------------------------------- bundled
def test_bundled_profiles_are_listed() -> None:
    assert profiles.available()[:2] == ("gsan_default", "cagepa")
    assert profiles.available() == profiles.BUNDLED


@pytest.mark.parametrize("name", profiles.BUNDLED)
def test_every_bundled_profile_loads(name: str) -> None:
    loaded = profiles.load(name)
    assert loaded.profile.name == name
    assert loaded.source == name
    assert loaded.seeds
    kinds = kinds_by_name()
    assert {item.kind for item in loaded.seeds} <= set(kinds)
    keys = [(item.kind, item.id) for item in loaded.seeds]
    assert len(keys) == len(set(keys))


def test_default_profile_carries_gsan_ids() -> None:
    loaded = profiles.default()
    profile = loaded.profile
    assert profile.name == "gsan_default"
    assert (profile.timezone, profile.state) == ("America/Belem", "PA")
    assert profile.id("water_status.connected") == 3
    assert profile.id("water_status.cut") == 5
    assert profile.allowed("water.cut") == frozenset({3, 4})
    assert profile.service_requests.vary_unit_hierarchy is True
    assert profile.system.financing_interest_rate == Decimal("1.00")
    assert profile.enabled("catalog")
    ligado = next(i for i in loaded.seeds if (i.kind, i.id) == ("water_status", 3))
    assert ligado.description == "LIGADO"
    assert ligado.flag("billing")


def test_cagepa_extends_the_default_where_it_differs() -> None:
    default = profiles.default()
    cagepa = profiles.load("cagepa")
    profile = cagepa.profile
    assert (profile.timezone, profile.state) == ("America/Fortaleza", "PB")
    assert profile.allowed("water.cut") == frozenset({3})
    assert profile.allowed("water.reconnect") == frozenset({5, 10})
    assert profile.service_requests.vary_unit_hierarchy is False
    # tables merge key by key: the rest of service_requests is the default's
    assert profile.service_requests.routing_suggestion is True
    assert profile.ids("water_status.cut_on_request") == frozenset({10})
    assert profile.ids("water_status.connected") == frozenset({3})
    seeded = {(i.kind, i.id): i for i in cagepa.seeds}
    assert seeded["water_status", 10].description == "CORTADO A PEDIDO"
    extra = {(i.kind, i.id) for i in cagepa.seeds} - {
        (i.kind, i.id) for i in default.seeds
    }
    assert {("water_status", 10), ("water_status", 11)} <= extra
    assert len(cagepa.seeds) == len(default.seeds) + len(extra)


# ---------------------------------------------------------------- files
def test_a_toml_file_extending_a_bundled_profile(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.toml",
        """
extends = "gsan_default"
name = "mine"
features = ["catalog"]
[system]
max_installments = 24
[transitions]
"water.cut" = [3]
[[catalog.water_status]]
id = 3
description = "LIGADA"
abbreviation = "LIG"
[[catalog.water_status]]
id = 12
description = "NOVA"
active = false
attributes = { billing = true }
""",
    )
    loaded = profiles.load(path)
    assert loaded.source == str(path)
    profile = loaded.profile
    assert profile.features == frozenset({"catalog"})  # lists are replaced
    assert profile.system.max_installments == 24
    assert profile.system.financing_interest_rate == Decimal("1.00")
    seeded = {(i.kind, i.id): i for i in loaded.seeds}
    assert seeded["water_status", 3].description == "LIGADA"  # merged by id
    assert seeded["water_status", 3].attributes["billing"] is False  # row replaced
    assert seeded["water_status", 12] == CatalogItem(
        kind="water_status",
        id=12,
        description="NOVA",
        active=False,
        attributes={
            "billing": True,
            "network_exists": False,
            "connection_exists": False,
            "minimum_consumption": None,
        },
    )
    assert seeded["water_status", 1].description == "POTENCIAL"


def test_a_json_profile(tmp_path: Path) -> None:
    document = {
        "name": "jsonland",
        "state": "PE",
        "timezone": "America/Recife",
        "roles": {"cut_reason.debt": [1]},
        "system": {"financing_interest_rate": 1.5},
        "catalog": {"cut_reason": [{"id": 1, "description": "DEBITO"}]},
    }
    path = write(tmp_path, "utility.JSON", json.dumps(document))
    loaded = profiles.load(path)
    assert loaded.profile.state == "PE"
    assert loaded.profile.system.financing_interest_rate == Decimal("1.5")
    assert loaded.seeds == (CatalogItem(kind="cut_reason", id=1, description="DEBITO"),)


def test_a_json_profile_extending_a_toml_file_by_relative_path(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base/base.toml",
        'name = "base"\nstate = "BA"\n[system]\nmax_installments = 6\n',
    )
    child = write(
        tmp_path,
        "child.json",
        json.dumps({"extends": "base/base.toml", "name": "child"}),
    )
    profile = profiles.load(child).profile
    assert (profile.name, profile.state, profile.system.max_installments) == (
        "child",
        "BA",
        6,
    )


def test_relative_extends_resolves_from_the_extending_file(tmp_path: Path) -> None:
    write(tmp_path, "a/grand.toml", 'name = "grand"\nstate = "RS"\n')
    write(tmp_path, "a/b/parent.toml", 'extends = "../grand.toml"\nname = "parent"\n')
    child = write(
        tmp_path, "child.toml", 'extends = "a/b/parent.toml"\nname = "child"\n'
    )
    assert profiles.load(child).profile.state == "RS"


def test_profile_with_custom_kinds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.toml",
        'name = "p"\n[[catalog.cut_reason]]\nid = 1\ndescription = "A"\n',
    )
    assert len(profiles.load(path, kinds={"cut_reason": CUT_REASON}).seeds) == 1
    other = CatalogKind(name="other", title="o", title_pt="o", gsan_table="o")
    error_kinds = {"other": other}
    with pytest.raises(
        ConfigurationError, match="unknown reference table 'cut_reason'"
    ):
        profiles.load(path, kinds=error_kinds)


# ---------------------------------------------------------------- errors
def test_unknown_name_and_missing_file(tmp_path: Path) -> None:
    error = refused("nowhere")
    assert error.file == "nowhere"
    assert "no profile named 'nowhere'" in error.problem
    assert "gsan_default, cagepa" in error.problem
    missing = tmp_path / "missing.toml"
    assert refused(missing).file == str(missing)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", "name: x\n")
    error = refused(path)
    assert (error.file, error.field) == (str(path), None)
    assert error.problem == "a profile file must be .toml or .json"


def test_bad_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", "name = \n")
    error = refused(path)
    assert error.file == str(path)
    assert error.problem.startswith("not valid TOML: ")


def test_bad_json(tmp_path: Path) -> None:
    path = write(tmp_path, "p.json", "{name: x}")
    error = refused(path)
    assert error.problem.startswith("not valid JSON: ")
    assert str(error).startswith(f"file {path}: not valid JSON")


def test_json_document_must_be_an_object(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "p.json", "[1, 2]"))
    assert error.problem == "the document must be a table/object"


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ('name = "x"\nbogus = 1\n', None, "extra fields found (bogus)"),
        ('name = "x"\n[system]\nbogus = 1\n', "system", "extra fields found (bogus)"),
        ('description = "no name"\n', "name", "required field missing"),
        ("name = 3\n", "name", "invalid value for type, expected str"),
        (
            'name = "x"\n[system]\nmax_installments = "twelve"\n',
            "system.max_installments",
            "invalid value for type, expected int",
        ),
        (
            'name = "x"\n[system]\nmax_installments = true\n',
            "system.max_installments",
            "invalid value for type, expected int",
        ),
        (
            'name = "x"\n[system]\ntariff_by_category = 1\n',
            "system.tariff_by_category",
            "invalid value for type, expected bool",
        ),
        (
            'name = "x"\n[system]\nfinancing_interest_rate = "abc"\n',
            "system.financing_interest_rate",
            "invalid value for type, expected Decimal",
        ),
        (
            'name = "x"\n[system]\nfinancing_interest_rate = true\n',
            "system.financing_interest_rate",
            "invalid value for type, expected Decimal",
        ),
        ('name = "x"\nfeatures = "catalog"\n', "features", "invalid value for type"),
        ('name = "x"\nfeatures = ["a", 1]\n', "features", "invalid value for type"),
        (
            'name = "x"\n[roles]\n"r.x" = [1, "a"]\n',
            "roles['r.x'][1]",
            "invalid value for type, expected int",
        ),
        (
            'name = "x"\n[service_requests]\nholiday_scope = "galactic"\n',
            "service_requests.holiday_scope",
            "galactic",
        ),
    ],
)
def test_wrong_type_or_unknown_key_names_the_field(
    tmp_path: Path, text: str, field: str | None, problem: str
) -> None:
    path = write(tmp_path, "p.toml", text)
    error = refused(path)
    assert (error.file, error.field) == (str(path), field)
    assert problem in error.problem


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../etc", ""])
def test_unknown_timezone(tmp_path: Path, zone: str) -> None:
    error = refused(write(tmp_path, "p.toml", f'name = "x"\ntimezone = "{zone}"\n'))
    assert (error.field, error.problem) == ("timezone", f"unknown time zone {zone!r}")


def test_unknown_state(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "p.toml", 'name = "x"\nstate = "XX"\n'))
    assert (error.field, error.problem) == (
        "state",
        "'XX' is not a Brazilian state (UF)",
    )


@pytest.mark.parametrize(
    ("catalog", "field", "problem"),
    [
        ("catalog = 3\n", "catalog", "must be a table of reference tables"),
        (
            "[catalog]\nmeters = []\n",
            "catalog.meters",
            "unknown reference table 'meters'",
        ),
        ("[catalog]\ncut_reason = 1\n", "catalog.cut_reason", "must be a list of rows"),
        ("[catalog]\ncut_reason = [1]\n", "catalog.cut_reason[0]", "must be a table"),
        (
            '[[catalog.cut_reason]]\nid = 1\ndescription = "A"\ncolour = "red"\n',
            "catalog.cut_reason[0]",
            "unknown key(s) colour",
        ),
        (
            '[[catalog.cut_reason]]\nid = "1"\ndescription = "A"\n',
            "catalog.cut_reason[0].id",
            "id must be an integer",
        ),
        (
            '[[catalog.cut_reason]]\nid = true\ndescription = "A"\n',
            "catalog.cut_reason[0].id",
            "id must be an integer",
        ),
        (
            '[[catalog.cut_reason]]\nid = 1\ndescription = "A"\n'
            '[[catalog.cut_reason]]\nid = 1\ndescription = "B"\n',
            "catalog.cut_reason[1].id",
            "id 1 appears twice",
        ),
        (
            '[[catalog.cut_reason]]\nid = 1\ndescription = " "\n',
            "catalog.cut_reason[0].description",
            "description is required",
        ),
        (
            "[[catalog.cut_reason]]\nid = 1\n",
            "catalog.cut_reason[0].description",
            "description is required",
        ),
        (
            '[[catalog.cut_reason]]\nid = 1\ndescription = "A"\nabbreviation = 2\n',
            "catalog.cut_reason[0].abbreviation",
            "must be text",
        ),
        (
            '[[catalog.cut_reason]]\nid = 1\ndescription = "A"\nactive = "yes"\n',
            "catalog.cut_reason[0].active",
            "must be true or false",
        ),
        (
            '[[catalog.cut_reason]]\nid = 1\ndescription = "A"\nattributes = 1\n',
            "catalog.cut_reason[0].attributes",
            "must be a table",
        ),
        (
            '[[catalog.cut_type]]\nid = 1\ndescription = "A"\n'
            'attributes = { administrative = "no" }\n',
            "catalog.cut_type[0].attributes",
            "administrative of Cut type must be a boolean, got 'no'.",
        ),
    ],
)
def test_bad_seed_rows_name_the_row(
    tmp_path: Path, catalog: str, field: str, problem: str
) -> None:
    path = write(tmp_path, "p.toml", f'name = "x"\n{catalog}')
    error = refused(path)
    assert (error.file, error.field, error.problem) == (str(path), field, problem)


def test_role_pointing_to_unseeded_ids(tmp_path: Path) -> None:
    text = (
        'extends = "gsan_default"\nname = "x"\n'
        '[roles]\n"water_status.cut_on_request" = [10, 3, 12]\n'
        '"permission.anything" = [999]\n'
    )
    error = refused(write(tmp_path, "p.toml", text))
    assert error.field == "roles.water_status.cut_on_request"
    assert error.problem == (
        "role maps to water_status id(s) [10, 12] that the profile does not seed"
    )


def test_roles_outside_the_catalog_are_not_checked(tmp_path: Path) -> None:
    text = 'name = "x"\n[roles]\n"permission.anything" = [999]\n'
    profile = profiles.load(write(tmp_path, "p.toml", text)).profile
    assert profile.ids("permission.anything") == frozenset({999})


def test_extends_must_be_a_name_or_path(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "p.toml", 'extends = 3\nname = "x"\n'))
    assert (error.field, error.problem) == ("extends", "must be a profile name or path")


def test_extends_a_missing_file(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "p.toml", 'extends = "nope.toml"\nname = "x"\n'))
    assert error.file == str(tmp_path / "nope.toml")


def test_a_profile_extending_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "self.toml", 'extends = "self.toml"\nname = "x"\n')
    error = refused(path)
    assert error.field == "extends"
    assert error.problem.startswith("profiles extend each other in a cycle: ")


def test_extends_cycle_through_parent_directories(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", 'extends = "sub/b.toml"\nname = "a"\n')
    write(tmp_path, "sub/b.toml", 'extends = "../a.toml"\nname = "b"\n')
    error = refused(first)
    a, b = (tmp_path / "a.toml").resolve(), (tmp_path / "sub/b.toml").resolve()
    assert error.problem == (
        f"profiles extend each other in a cycle: {a} -> {b} -> {a}"
    )


def test_catalog_merge_replaces_rows_of_kinds_the_base_lacks(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'name = "base"\n[catalog]\ncut_reason = 1\n')
    child = write(
        tmp_path,
        "child.toml",
        'extends = "base.toml"\nname = "child"\n[[catalog.cut_reason]]\nid = 1\ndescription = "A"\n',
    )
    assert [i.description for i in profiles.load(child).seeds] == ["A"]
    write(
        tmp_path,
        "base2.toml",
        'name = "b"\n[[catalog.cut_reason]]\nid = 1\ndescription = "A"\n',
    )
    broken = write(
        tmp_path,
        "child2.toml",
        'extends = "base2.toml"\nname = "c"\n[catalog]\ncut_reason = ["row"]\n',
    )
    # A malformed row is never dropped by the merge: it is reported (the index
    # counts the base's rows first).
    error = refused(broken)
    assert (error.field, error.problem) == ("catalog.cut_reason[1]", "must be a table")


def test_catalog_merge_over_a_base_without_a_catalog_table(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'name = "base"\ncatalog = 1\n')
    child = write(
        tmp_path,
        "child.toml",
        'extends = "base.toml"\nname = "c"\n[[catalog.cut_reason]]\nid = 1\ndescription = "A"\n',
    )
    assert len(profiles.load(child).seeds) == 1


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("binary.toml", b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00", "not a text file"),
        ("nul.toml", b'name = "x"\x00\n', "NUL bytes"),
        ("empty.toml", b"", "empty"),
        ("blank.json", b"  \n", "empty"),
        ("object.json", b"{}", "empty"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
        ("deep.toml", b"a = " + b"[" * 5_000 + b"]" * 5_000, "nested deeper"),
        ("tables.toml", b"[" + b".".join([b"t"] * 40) + b"]\nx = 1\n", "nested"),
        ("deep_object.json", b'{"a":' * 30 + b"1" + b"}" * 30, "nested deeper"),
    ],
)
def test_a_broken_profile_file_is_a_configuration_error_naming_it(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ConfigurationError) as caught:
        profiles.load(path)
    assert caught.value.file == str(path)
    assert caught.value.code == "configuration.profile"
    assert problem in str(caught.value)


def test_a_profile_path_that_cannot_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ConfigurationError) as caught:
        profiles.load(folder)
    assert caught.value.file == str(folder)
