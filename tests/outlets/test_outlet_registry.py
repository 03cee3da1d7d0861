"""The outlet registry: TOML and JSON, domain matching, errors that say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.errors import ConfigError
from spinscope.outlets import load_registry

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "spinscope" / "samples"


def test_starter_registry() -> None:
    reg = load_registry()
    assert reg.for_host("www.harbourtimes.example").id == "harbour-times"  # type: ignore[union-attr]
    assert reg.for_host("news.bbc.co.uk").id == "bbc"  # type: ignore[union-attr]
    assert reg.for_host("unknown.example") is None
    assert {"meridian", "zsn"} <= reg.wire_ids
    assert reg.get("The Harbour Times").id == "harbour-times"  # type: ignore[union-attr]


def test_sample_corpus_outlets_load_as_json() -> None:
    path = SAMPLES / "outlets.json"
    if not path.exists():
        pytest.skip("sample corpus outlets.json not present")
    reg = load_registry(path)
    starter = {o.id: o for o in load_registry()}
    for outlet in reg:
        assert outlet.id in starter, f"{outlet.id} missing from the starter registry"
        assert starter[outlet.id].domains == outlet.domains
        assert starter[outlet.id].blocs == outlet.blocs


def test_user_file_errors(tmp_path: Path) -> None:
    p = tmp_path / "o.toml"
    p.write_text('[[outlet]]\nname = "A"\ndomains = ["a.example"]\n'
                 '[[outlet]]\nname = "B"\ndomains = ["a.example"]\n', "utf-8")
    with pytest.raises(ConfigError, match="belongs to both"):
        load_registry(p)
    p.write_text('[[outlet]]\ndomains = ["a.example"]\n', "utf-8")
    with pytest.raises(ConfigError, match="needs at least a name"):
        load_registry(p)
    p.write_text('[[outlet]\n', "utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_registry(p)
    with pytest.raises(ConfigError, match="cannot read"):
        load_registry(tmp_path / "missing.toml")
    p.write_text('[[outlet]]\nname = "Some Paper"\ndomain = "paper.example"\nblocs = ["wire"]\n',
                 "utf-8")
    outlet = next(iter(load_registry(p)))
    assert (outlet.id, outlet.domains, outlet.wire) == ("some-paper", ("paper.example",), True)
