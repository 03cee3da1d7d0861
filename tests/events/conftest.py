"""Store fixtures over both backends (shared with the store tests)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from store_backends import store, store_location  # noqa: F401
