"""Where the labelled data of ../shared/data lives, and what to do when it is absent.

CI lays shared/ beside the clone and sets CRM_REQUIRE_SHARED_DATA=1, so there a
missing file fails the run instead of skipping the tests that need it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEV_SET = SHARED_DATA / "companies-dedup-dev.csv"


def dev_set() -> Path:
    if not DEV_SET.exists():
        message = f"{DEV_SET} is missing (shared/ must lie beside the repository)"
        if os.environ.get("CRM_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return DEV_SET
