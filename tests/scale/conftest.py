"""Fixtures of the scale-out tests: fictional input files, and ONE local Ray per session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analyze"))


@pytest.fixture(scope="session")
def ray_local() -> Iterator[Any]:
    """A real local Ray instance on 127.0.0.1 with 2 CPUs, started once for all Ray tests."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # offline: no usage reports
    ray = pytest.importorskip("ray", reason="the [ray] extra is not installed "
                                            "(pip install 'spinscope[ray]')")
    ray.init(address="local", num_cpus=2, include_dashboard=False,
             _node_ip_address="127.0.0.1", log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield ray
    finally:
        ray.shutdown()
