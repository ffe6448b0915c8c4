"""World records of this feature (see tests/world_parts/__init__.py)."""

from __future__ import annotations

from typing import Any


def build(app: Any, w: Any) -> None:
    """Nothing yet."""
