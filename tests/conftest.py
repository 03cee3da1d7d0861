"""Shared test fixtures: where the research corpora are, and a skip when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the repository; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"research corpora not found at {SHARED_DATA} (only present in CI and on "
                    "the team's machines; they cannot be redistributed)")
    return SHARED_DATA
