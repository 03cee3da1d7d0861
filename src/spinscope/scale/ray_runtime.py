"""Ray as an optional dependency: import it with a clear error, connect or start it once.

Nothing in spinscope imports Ray at module level; ``require_ray()`` does it when a Ray engine
is used, and names the pip extra when it is missing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from spinscope.errors import ConfigError

__all__ = ["RAY_EXTRA_HINT", "RayConnection", "connect", "require_ray"]

log = logging.getLogger(__name__)

RAY_EXTRA_HINT = "pip install 'spinscope[ray]'"


def require_ray() -> ModuleType:
    """The ``ray`` module (with Ray Data), or a ``ConfigError`` naming the extra to install."""
    try:
        import ray
        import ray.data  # Ray Data ships with ray[data]
    except ImportError as e:
        raise ConfigError(
            f"the ray engine needs Ray, which is not installed ({e}): install the optional "
            f"extra with `{RAY_EXTRA_HINT}` or use the default local engine") from e
    return ray


@dataclass(frozen=True)
class RayConnection:
    """How to reach Ray: ``address=None`` starts a private local instance on 127.0.0.1.

    ``address`` is what ``ray.init`` takes: ``"auto"`` (a cluster started with ``ray start``
    on this machine), ``"HOST:PORT"`` or ``"ray://HOST:10001"`` (Ray Client).
    ``num_cpus`` sizes the local instance only (default: the cores this process may use).
    """

    address: str | None = None
    num_cpus: int | None = None
    progress_bars: bool = False


def connect(conn: RayConnection) -> bool:
    """Initialise Ray unless it already is; True when this call started or joined it.

    An existing ``ray.init`` (a notebook, a test fixture, a Ray job) is reused as it is.
    """
    ray = require_ray()
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = conn.progress_bars
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                              "configure_logging": False, "ignore_reinit_error": True}
    if conn.address is None:
        from spinscope.analyze.engine import available_cores

        # spinscope works offline: a private instance never reports usage statistics.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

        kwargs.update(address="local", num_cpus=conn.num_cpus or available_cores(),
                      _node_ip_address="127.0.0.1")
        log.info("starting a local Ray instance with %d CPUs", kwargs["num_cpus"])
    else:
        kwargs["address"] = conn.address
        log.info("connecting to Ray at %s", conn.address)
    try:
        ray.init(**kwargs)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise ConfigError(
            f"cannot start or reach Ray at {conn.address or 'a local instance'}: {e}; check "
            "the address (`ray status` on the head node) or drop --address to run locally"
        ) from e
    ray.data.DataContext.get_current().enable_progress_bars = conn.progress_bars
    return True
