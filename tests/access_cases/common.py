"""The shape of an access case and the usual expectations, shared by every feature's case list."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ["anon", "staff", "chief", "reviewer", "leader", "admin"]
ASSET_ENDPOINTS = {"static", "bootstrap.static"}
LOGIN = "login"  # expected: a redirect to the login page


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str  # formatted with the world's ids: {own_user}, {other_user}, {own_unit}, {other_unit}
    expected: dict[str, int | str]
    data: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def everyone(status: int | str, anon: int | str = LOGIN) -> dict[str, int | str]:
    return {"anon": anon, **{role: status for role in ROLES[1:]}}


def admin_only(admin_status: int) -> dict[str, int | str]:
    return {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 403, "leader": 403, "admin": admin_status}


REVIEWERS = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 403, "admin": 200}

# Records of branch_a1 (see tests/world.py): own unit for staff and chief, subtree for the county roles.
UNIT_READ = {"anon": LOGIN, "staff": 200, "chief": 200, "reviewer": 200, "leader": 200, "admin": 200}
UNIT_EDIT = {"anon": LOGIN, "staff": 200, "chief": 200, "reviewer": 403, "leader": 403, "admin": 403}
UNIT_WORK = {"anon": LOGIN, "staff": 200, "chief": 200, "reviewer": 403, "leader": 403, "admin": 403}
