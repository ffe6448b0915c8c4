"""The models import one another in one direction only: no cycle, and no import hidden inside a function.

Criteria that need another model's table read it by name (``crm.db.table``) instead of importing the model, so
that users ↔ projects ↔ teams need not be held together by lazy imports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import crm

ROOT = Path(crm.__file__).parent
MODEL_FILES = sorted(ROOT.glob("*/models.py"))


def _module(path: Path) -> str:
    return f"crm.{path.parent.name}.models"


def _imports(path: Path) -> tuple[set[str], list[str]]:
    """The crm model modules the file imports at its top, and those imported inside a function or a method."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
    nested = [
        node.module
        for function in ast.walk(tree)
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models")
    ]
    return {name for name in top if name.endswith(".models") and name.startswith("crm.")}, nested


def test_no_model_imports_another_inside_a_function():
    hidden = {_module(path): nested for path in MODEL_FILES if (nested := _imports(path)[1])}
    assert hidden == {}


def test_the_models_import_graph_has_no_cycle():
    graph = {_module(path): _imports(path)[0] for path in MODEL_FILES}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:  # pragma: no cover - the message names the cycle
        raise AssertionError(f"model import cycle: {error.args[1]}") from error


def test_every_models_module_imports_on_its_own():
    """Each in a fresh interpreter (all at once: an interpreter takes a second to import Flask and SQLAlchemy)."""
    running = {
        _module(path): subprocess.Popen([sys.executable, "-c", f"import {_module(path)}"], cwd=ROOT.parent,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for path in MODEL_FILES
    }
    failed = {module: process.communicate(timeout=120)[1][-400:] for module, process in running.items()}
    assert {module: error for module, error in failed.items() if running[module].returncode != 0} == {}


def test_the_app_maps_every_model_whatever_the_entry_point(tmp_path: Path) -> None:
    """`crm demo load` failed once: project_stage_events.import_id names the imports table, which no blueprint's
    module imported, so outside the tests (whose conftest imports crm.models) the foreign key had no table."""
    script = (
        "from crm import create_app\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.db', 'SECRET_KEY': 'x'}})\n"
        "from crm.db import Base\n"
        "with app.app_context():\n"
        "    Base.metadata.sorted_tables\n"
        "    assert 'imports' in Base.metadata.tables\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT.parent, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "CRM_INSTANCE_PATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-600:]
