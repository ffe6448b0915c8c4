"""Every read past the session's scope is asked for by name, in a query function, and listed here with why.

A new ``UNSCOPED`` fails this test until it is added below (and to docs/ARCHITECTURE.md): each one is a place
where another unit's rows could be shown, so each needs a reason a reviewer can check.
"""

from __future__ import annotations

import ast
from pathlib import Path

import crm

ALLOWED = {
    # Before anyone is signed in there is no scope to read under.
    "crm/auth/services.py:find_account": "the sign-in form looks the account up",
    "crm/auth/services.py:load_session_user": "loading the signed-in account that the scope is built from",
    "crm/users/services.py:username_taken": "usernames are unique across the installation",
    "crm/issues/services.py:next_number": "问题 numbers are unique across the installation",
    # Cross-unit hints (DESIGN §1): a unit's name and a date, nothing of the records themselves.
    "crm/leads/queries.py:lead_followers": "units with a live lead on the company",
    "crm/visits/queries.py:company_visit_followers": "units that visited the company",
    "crm/visits/services.py:recent_visits_by_others": "other units that visited the company lately",
    "crm/agreements/queries.py:agreement_followers": "units with an agreement with the company",
    "crm/projects/queries.py:project_followers": "units tracking a project of the company",
    # Records whose caller has already checked the record they belong to.
    "crm/audit/queries.py:record_history": "the history of a record the caller may see",
    "crm/assignments/queries.py:_rows_with_users": "the 服务专班 of a checked project names colleagues of other units",
    "crm/assignments/queries.py:member_name": "one member of a checked project's 服务专班",
    "crm/assignments/queries.py:key_history": "纳入/退出 三个一 of a checked project",
    "crm/projects/models.py:audit_unit_id": "the unit an audit row of a project's record belongs to, during the flush",
    "crm/admission/services.py:agreement_figures": "投资强度/亩均税收 of a checked project's agreements, for its 准入评审",
    "crm/admission/services.py:has_passed_review": "the 签约 gate of a checked project asks whether its 会审 passed",
    # County-level configuration above the reviewer's own unit (crm/reports/scope.py explains).
    "crm/reports/scope.py:county_rows": "targets, settings and published reports of the reader's county",
    "crm/digests/build.py:sibling_ranking": "the names of a unit's sibling units in its digest's ranking",
}


# Whole blocks run under the SYSTEM scope (every unit visible): the entry points of jobs and commands, and one
# figure that is read across units on purpose.
ALLOWED_SYSTEM = {
    "crm/cli.py:system_session": "CLI commands",
    "crm/scheduler.py:run_job": "scheduled jobs",
    "crm/digests/build.py:sibling_ranking": "the per-unit 签约 totals of a digest's ranking (names and totals only)",
}


def _uses(name: str = "UNSCOPED") -> dict[str, int]:
    """Where ``name`` (UNSCOPED or SYSTEM) is used (not imported or defined): "path:function" → how many times."""
    root = Path(crm.__file__).parent
    found: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        relative = f"crm/{path.relative_to(root).as_posix()}"
        if relative == "crm/access/scoping.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "crm_unscoped" not in text, f"{relative}: ask for UNSCOPED by name"
        tree = ast.parse(text)
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Name) and node.id == name:
                    key = f"{relative}:{function.name}"
                    found[key] = found.get(key, 0) + 1
        # A use outside any function (a module-level query) would escape the walk above: refuse it outright.
        module_level = [node for node in tree.body if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                                          ast.Import, ast.ImportFrom))]
        for statement in module_level:
            assert not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(statement)), relative
    return found


def test_every_unscoped_read_is_listed_with_its_reason():
    uses = _uses()
    assert set(uses) - set(ALLOWED) == set(), "a new UNSCOPED read needs a reason here and in docs/ARCHITECTURE.md"
    assert set(ALLOWED) - set(uses) == set(), "a listed UNSCOPED read is gone: take it off the list"


def test_every_system_scope_block_is_listed_with_its_reason():
    assert set(_uses("SYSTEM")) == set(ALLOWED_SYSTEM)


def test_no_view_reads_past_the_scope():
    assert [key for key in [*_uses(), *_uses("SYSTEM")] if key.split(":")[0].endswith("views.py")] == []


def test_the_architecture_document_lists_every_unscoped_read():
    text = (Path(crm.__file__).parent.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [key for key in ALLOWED if f"`{key.split(':')[1]}`" not in text]
    assert missing == []
