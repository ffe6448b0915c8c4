"""crm/domain imports neither Flask nor SQLAlchemy nor any feature package (DESIGN §2)."""

from __future__ import annotations

import ast
from pathlib import Path

import crm

DOMAIN = Path(crm.__file__).parent / "domain"
FORBIDDEN_ROOTS = {"flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "wtforms", "werkzeug", "jinja2"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_is_pure() -> None:
    offenders = []
    for path in sorted(DOMAIN.rglob("*.py")):
        for name in imported_modules(path):
            root = name.split(".")[0]
            if root in FORBIDDEN_ROOTS or (root == "crm" and not name.startswith("crm.domain")):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_the_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import g\nimport crm.users.models\n", encoding="utf-8")
    assert imported_modules(bad) == {"flask", "crm.users.models"}
