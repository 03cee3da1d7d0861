"""Store fixtures over both backends (shared with the store tests), and a tiny corpus."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_backends import store, store_location  # noqa: F401
