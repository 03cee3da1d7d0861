"""One typed settings object: defaults → config file → ``SPINSCOPE_*`` environment → flags.

The config file is TOML with top-level keys named like the fields of ``Settings``::

    store = "/data/news/corpus.sqlite"      # or "postgresql://user@host/db"
    user_agent = "my-lab-crawler/1.0 (mailto:me@example.org)"
    fetch_timeout = 20.0

It is read from ``--config`` / ``SPINSCOPE_CONFIG`` when given, else from
``<user config dir>/spinscope/config.toml`` if that file exists. Each field ``name`` can also be
set with the environment variable ``SPINSCOPE_<NAME>`` (e.g. ``SPINSCOPE_STORE``).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

import platformdirs

from spinscope import __version__
from spinscope.errors import ConfigError

__all__ = [
    "DEFAULT_LANGUAGES",
    "Settings",
    "config_dir",
    "data_dir",
    "default_store_path",
    "load_settings",
    "store_kind",
]

APP = "spinscope"

# Languages the detector chooses among by default: the project's three plus the languages most
# often met in news about them. Fewer candidates = faster detection and less memory.
DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "ru", "uk", "be", "pl", "de", "fr", "es", "it", "pt", "nl", "cs", "sk", "bg", "sr",
    "hr", "ro", "hu", "lt", "lv", "et", "fi", "sv", "da", "tr", "ka", "hy", "az", "kk", "ar",
    "fa", "he", "zh", "ja", "ko",
)


def data_dir() -> Path:
    """The user's data directory for spinscope (not created)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """The user's config directory for spinscope (not created)."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def default_store_path() -> Path:
    return data_dir() / "corpus.sqlite"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a command may need to know about where things are and how to fetch."""

    store: str = field(default_factory=lambda: str(default_store_path()))
    outlets: str | None = None  # outlet registry file; None = user file if present, else starter
    user_agent: str = (f"spinscope/{__version__} (news research tool; "
                       "+https://pypi.org/project/spinscope/)")
    fetch_timeout: float = 20.0  # seconds, per connect and per read
    fetch_deadline: float = 60.0  # seconds, total for one URL including redirects
    max_bytes: int = 20_000_000  # size cap for one fetched or local document
    max_redirects: int = 5
    retries: int = 2  # extra attempts after 429/5xx/connection errors
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    respect_robots: bool = True
    allow_private_addresses: bool = False
    fetch_workers: int = 4  # concurrent downloads (at most one at a time per host)
    host_delay: float = 0.5  # seconds between two requests to the same host
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    batch_size: int = 200  # documents per store transaction during ingest
    extract_workers: int = 1  # extraction processes (ingest --jobs); 2+ uses more cores

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied; ``None`` values are ignored (flag not given)."""
        return load_settings_from(self, {k: v for k, v in changes.items() if v is not None},
                                  origin="flags")

    @property
    def store_kind(self) -> str:
        return store_kind(self.store)


def store_kind(location: str) -> str:
    """``"postgres"`` for a ``postgresql://`` URL, else ``"sqlite"``."""
    return "postgres" if location.startswith(("postgresql://", "postgres://")) else "sqlite"


def load_settings(config: str | os.PathLike[str] | None = None,
                  env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Resolve settings: defaults, then the config file, then ``SPINSCOPE_*``, then ``flags``.

    ``flags`` with value ``None`` are treated as not given.
    """
    env = os.environ if env is None else env
    settings = Settings()
    path = _config_path(config, env)
    if path is not None:
        settings = load_settings_from(settings, _read_config(path), origin=str(path))
    from_env: dict[str, Any] = {}
    for f in fields(Settings):
        key = f"SPINSCOPE_{f.name.upper()}"
        if key in env and env[key] != "":
            from_env[f.name] = env[key]
    settings = load_settings_from(settings, from_env, origin="environment")
    return settings.replace(**flags)


def load_settings_from(base: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    """``base`` with ``values`` (strings allowed) converted to each field's type."""
    hints = get_type_hints(Settings)
    known = {f.name for f in fields(Settings)}
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(f"{origin}: unknown setting {name!r}; known settings: "
                              f"{', '.join(sorted(known))}")
        changes[name] = _convert(name, hints[name], value, origin)
    if "store" in changes:
        changes["store"] = _expand_store(changes["store"])
    return dataclasses.replace(base, **changes)


def _config_path(config: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    if config is not None:
        path = Path(config).expanduser()
    elif env.get("SPINSCOPE_CONFIG"):
        path = Path(env["SPINSCOPE_CONFIG"]).expanduser()
    else:
        default = config_dir() / "config.toml"
        return default if default.is_file() else None
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist; create it or drop --config / "
                          "SPINSCOPE_CONFIG")
    return path


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e}); fix the file") from e


def _expand_store(value: str) -> str:
    if store_kind(value) == "postgres":
        return value
    return str(Path(value).expanduser())


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _convert(name: str, hint: Any, value: Any, origin: str) -> Any:
    text = str(value)
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError("expected true or false")
        if hint is int:
            if isinstance(value, bool):
                raise ValueError("expected an integer")
            result: Any = int(value)
            if result < 0:
                raise ValueError("must not be negative")
            return result
        if hint is float:
            result = float(value)
            if result < 0:
                raise ValueError("must not be negative")
            return result
        if hint == tuple[str, ...]:
            items = value if isinstance(value, list | tuple) else text.split(",")
            return tuple(str(v).strip() for v in items if str(v).strip())
        if value is None:
            return None
        return text
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{origin}: setting {name}={value!r}: {e}") from e
