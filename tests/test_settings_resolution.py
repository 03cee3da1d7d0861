"""Settings: defaults → config file → SPINSCOPE_* environment → flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.errors import ConfigError
from spinscope.settings import default_store_path, load_settings


def test_precedence(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('store = "/from/config.sqlite"\nfetch_timeout = 5\nretries = 4\n', "utf-8")
    s = load_settings(config=cfg, env={})
    assert (s.store, s.fetch_timeout, s.retries) == ("/from/config.sqlite", 5.0, 4)
    env = {"SPINSCOPE_STORE": "postgresql://u@h/db", "SPINSCOPE_RETRIES": "1",
           "SPINSCOPE_ALLOW_PRIVATE_ADDRESSES": "yes", "SPINSCOPE_LANGUAGES": "en, ru"}
    s = load_settings(config=cfg, env=env)
    assert s.store == "postgresql://u@h/db" and s.store_kind == "postgres"
    assert (s.retries, s.allow_private_addresses, s.languages) == (1, True, ("en", "ru"))
    s = load_settings(config=cfg, env=env, store="~/x.sqlite", retries=None)
    assert s.store == str(Path("~/x.sqlite").expanduser()) and s.retries == 1
    assert s.store_kind == "sqlite"


def test_defaults_and_env_config_path(tmp_path: Path) -> None:
    s = load_settings(env={})
    assert s.store == str(default_store_path()) and s.respect_robots
    cfg = tmp_path / "c.toml"
    cfg.write_text("max_bytes = 1000\n", "utf-8")
    assert load_settings(env={"SPINSCOPE_CONFIG": str(cfg)}).max_bytes == 1000


def test_errors_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'stor'"):
        load_settings(env={}, stor="x")
    with pytest.raises(ConfigError, match="fetch_timeout"):
        load_settings(env={"SPINSCOPE_FETCH_TIMEOUT": "soon"})
    with pytest.raises(ConfigError, match="true or false"):
        load_settings(env={"SPINSCOPE_RESPECT_ROBOTS": "maybe"})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(config=tmp_path / "nope.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("store = ", "utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config=bad, env={})


def test_every_setting_is_documented() -> None:
    import dataclasses

    from spinscope.settings import Settings

    docs = (Path(__file__).resolve().parents[1] / "docs" / "ingest.md").read_text("utf-8")
    missing = [f.name for f in dataclasses.fields(Settings) if f"\n{f.name} = " not in docs]
    assert not missing, f"settings missing from the config example in docs/ingest.md: {missing}"
