"""Per-profile text lengths (issue 19): a profile narrows the library's column
lengths (``UtilityProfile.text_lengths``), the legacy profile per GSAN line
narrows them to GSAN's columns, and the boundary validator reads the active
limits of the system it checks for."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.gsan_legacy import LINES, LegacyProfile
from gsan_core.errors import ConfigurationError, RuleViolation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.limits import TEXT_LENGTHS
from gsan_core.model.profile import UtilityProfile


def _narrowed(**lengths: int) -> gsan_core.System:
    loaded = profiles.default()
    profile = attrs.evolve(loaded.profile, text_lengths=lengths)
    return gsan_core.in_memory(attrs.evolve(loaded, profile=profile))


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_a_profile_narrows_a_length_and_the_services_refuse_longer_text() -> None:
    narrow = _narrowed(abbreviation=16)
    wide = gsan_core.in_memory()
    refused = _refused(
        lambda: narrow.catalog.add(
            "cut_reason", description="A", abbreviation="X" * 17, actor=1
        )
    )
    assert refused.codes == ("input.invalid.abbreviation",)
    assert refused.violations[0].params["max_length"] == 16
    assert narrow.catalog.add(
        "cut_reason", description="B", abbreviation="X" * 5, actor=1
    ).id
    # another system of the same process keeps the library's own lengths (20):
    # the text enters, and the reference table's own rule (CAT-2) refuses it
    assert _refused(
        lambda: wide.catalog.add(
            "cut_reason", description="A", abbreviation="X" * 17, actor=1
        )
    ).codes == ("common.too_long",)


def test_the_active_limits_reach_inside_attrs_arguments() -> None:
    narrow = _narrowed(abbreviation=16)
    item = CatalogItem(
        kind="cut_reason", id=99, description="NOVO", abbreviation="S" * 17
    )
    refused = _refused(lambda: narrow.catalog.check(item))
    assert refused.codes == ("input.invalid.item.abbreviation",)
    # the library's own length (20) lets it in; the kind's rule speaks
    assert [v.code for v in gsan_core.in_memory().catalog.check(item)] == [
        "common.too_long"
    ]


def test_a_profile_file_narrows_lengths(tmp_path: Path) -> None:
    path = tmp_path / "narrow.toml"
    path.write_text(
        'extends = "gsan_default"\nname = "narrow"\n[text_lengths]\nnumber = 11\n',
        encoding="utf-8",
    )
    loaded = profiles.load(path)
    assert loaded.profile.text_length("number") == 11
    assert loaded.profile.text_length("name") == TEXT_LENGTHS["name"]


def test_a_length_must_be_positive() -> None:
    with pytest.raises(ConfigurationError, match="positive") as raised:
        UtilityProfile(name="x", text_lengths={"number": 0})
    assert raised.value.code == "configuration.profile"


@pytest.mark.parametrize("line", sorted(LINES))
def test_the_legacy_profile_narrows_to_gsans_columns(line: str) -> None:
    legacy = LegacyProfile.for_line(line)
    profile = legacy.narrow(profiles.default().profile)
    # hidr_nnhidrometro is varchar(11); the library's meter number takes 12
    assert profile.text_length("number") == 11
    assert profile.text_length("seal_number") == 10
    # never wider than what the utility profile already said
    tight = attrs.evolve(profiles.default().profile, text_lengths={"number": 8})
    assert legacy.narrow(tight).text_length("number") == 8


def test_an_unknown_line_still_fails() -> None:
    with pytest.raises(ConfigurationError):
        LegacyProfile.for_line("sabesp")
