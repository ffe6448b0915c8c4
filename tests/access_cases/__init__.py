"""Access cases of the features, one module each (``CASES`` in every module of this package).

``tests/test_access_routes.py`` runs them with its own list; splitting them keeps features from
editing one long file.
"""

from __future__ import annotations

import importlib
import pkgutil


def feature_cases() -> list:  # type: ignore[type-arg]
    cases: list = []  # type: ignore[type-arg]
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name == "common":
            continue
        cases.extend(importlib.import_module(f"{__name__}.{module.name}").CASES)
    return cases
