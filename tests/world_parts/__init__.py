"""Records the world gains per feature, one module each with ``build(app, world)``, run in this order
(later parts use the earlier ones' records). Keeps features from editing one long file."""

from __future__ import annotations

import importlib
from typing import Any

ORDER = ("projects", "assignments", "progress", "issues", "notifications", "mail", "channels", "submissions", "targets", "reports",
         "ratings", "aftercare", "admission", "approvals", "zones")


def build_parts(app: Any, world: Any) -> None:
    for name in ORDER:
        importlib.import_module(f"{__name__}.{name}").build(app, world)
