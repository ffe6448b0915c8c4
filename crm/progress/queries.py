"""Reading progress records (under the actor's scope)."""

from __future__ import annotations

from typing import Any


def project_section(project: Any) -> dict[str, Any]:
    """What the project page shows of this feature (rendered by templates/progress/_project_section.html)."""
    return {}
