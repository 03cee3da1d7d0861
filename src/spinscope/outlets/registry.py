"""The outlet registry: a TOML or JSON file the user edits, mapping domains to outlets.

TOML::

    [[outlet]]
    id = "harbour-times"               # short, stable; what articles store and --outlet takes
    name = "The Harbour Times"
    domains = ["harbourtimes.example"] # subdomains match too
    country = "Westhaven"
    language = "en"
    ownership = "private"              # state | public | private | independent | cooperative
    state_affiliated = false           # leave out when unknown
    blocs = ["western", "broadsheet"]  # your own comparison groups; first = primary
    wire = false                       # a news agency whose copy others republish

JSON: ``{"outlets": [{...same keys...}]}``; ``domain = "x"`` is accepted for one domain, and
``wire`` defaults to true when ``"wire"`` is among the blocs.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from spinscope.dedup.urls import registered_domain
from spinscope.errors import ConfigError

__all__ = ["STARTER", "Outlet", "OutletRegistry", "load_registry", "user_registry_path"]

STARTER = "starter.toml"
_SLUG = re.compile(r"[^\w]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None
    ownership: str | None = None
    state_affiliated: bool | None = None
    blocs: tuple[str, ...] = ()
    wire: bool = False
    description: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "domains": list(self.domains),
                "country": self.country, "language": self.language,
                "ownership": self.ownership, "state_affiliated": self.state_affiliated,
                "blocs": list(self.blocs), "wire": self.wire, "description": self.description,
                **dict(self.extra)}


class OutletRegistry:
    """Outlets by id and by domain."""

    def __init__(self, outlets: list[Outlet], source: str = "(memory)"):
        self.source = source
        self._by_id: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        for o in outlets:
            if o.id in self._by_id:
                raise ConfigError(f"{source}: outlet id {o.id!r} appears twice; ids must be "
                                  "unique")
            self._by_id[o.id] = o
            self._by_name.setdefault(o.name.casefold(), o)
            for d in o.domains:
                other = self._by_domain.get(d)
                if other is not None and other.id != o.id:
                    raise ConfigError(f"{source}: domain {d!r} belongs to both {other.id!r} and "
                                      f"{o.id!r}; keep it in one outlet")
                self._by_domain[d] = o

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, ref: str) -> Outlet | None:
        """The outlet with this id, or this name (case-insensitive)."""
        return self._by_id.get(ref) or self._by_name.get(ref.casefold())

    def for_host(self, host: str) -> Outlet | None:
        """The outlet owning ``host`` or one of its parent domains."""
        host = registered_domain(host)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            outlet = self._by_domain.get(".".join(parts[i:]))
            if outlet is not None:
                return outlet
        return None

    @property
    def wire_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self if o.wire)


def user_registry_path() -> Path:
    from spinscope.settings import config_dir

    return config_dir() / "outlets.toml"


def load_registry(path: str | Path | None = None) -> OutletRegistry:
    """Read the registry at ``path``; without one, the user's file if it exists, else starter."""
    if path is None:
        user = user_registry_path()
        if user.is_file():
            path = user
    if path is None:
        text = resources.files("spinscope.data.outlets").joinpath(STARTER).read_text("utf-8")
        return OutletRegistry(_parse(text, STARTER, toml=True), f"(built-in {STARTER})")
    p = Path(path).expanduser()
    try:
        text = p.read_text("utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read outlet registry {p}: {e.strerror}; fix the path in "
                          "--outlets / SPINSCOPE_OUTLETS") from e
    return OutletRegistry(_parse(text, str(p), toml=p.suffix.lower() != ".json"), str(p))


def _parse(text: str, source: str, toml: bool) -> list[Outlet]:
    try:
        data = tomllib.loads(text) if toml else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(f"{source}: not valid {'TOML' if toml else 'JSON'}: {e}") from e
    entries = data.get("outlet", data.get("outlets", [])) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: expected a list of outlets ([[outlet]] tables or "
                          "{\"outlets\": [...]})")
    return [_outlet(e, source, i + 1) for i, e in enumerate(entries)]


_KNOWN = {"id", "name", "domain", "domains", "country", "language", "ownership",
          "state_affiliated", "blocs", "wire", "description"}


def _outlet(entry: Any, source: str, number: int) -> Outlet:
    where = f"{source}: outlet #{number}"
    if not isinstance(entry, dict) or not entry.get("name"):
        raise ConfigError(f"{where}: every outlet needs at least a name")
    domains = entry.get("domains", [])
    if isinstance(domains, str):
        domains = [domains]
    if entry.get("domain"):
        domains = [entry["domain"], *domains]
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise ConfigError(f"{where}: domains must be a list of strings")
    blocs = entry.get("blocs", [])
    if isinstance(blocs, str) or not all(isinstance(b, str) for b in blocs):
        raise ConfigError(f"{where}: blocs must be a list of strings")
    state = entry.get("state_affiliated")
    if state is not None and not isinstance(state, bool):
        raise ConfigError(f"{where}: state_affiliated must be true or false (or left out)")
    name = str(entry["name"])
    oid = str(entry.get("id") or _SLUG.sub("-", name.casefold()).strip("-"))
    return Outlet(
        id=oid, name=name,
        domains=tuple(dict.fromkeys(registered_domain(d) for d in domains)),
        country=entry.get("country"), language=entry.get("language"),
        ownership=entry.get("ownership"), state_affiliated=state, blocs=tuple(blocs),
        wire=bool(entry.get("wire", "wire" in blocs)), description=entry.get("description"),
        extra={k: v for k, v in entry.items() if k not in _KNOWN},
    )
