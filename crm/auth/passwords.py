"""argon2id password hashing (argon2-cffi's PasswordHasher defaults to argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["CRM_ARGON2_TIME_COST"],
        memory_cost=current_app.config["CRM_ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: dict[str, str] = {}


def burn_time(password: str) -> None:
    """Spend as long as a real check, so an unknown username answers no faster."""
    key = f"{current_app.config['CRM_ARGON2_TIME_COST']}/{current_app.config['CRM_ARGON2_MEMORY_COST']}"
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not-a-real-password")
    verify_password(_DUMMY[key], password)


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable, in Chinese, or None."""
    if len(password) < MIN_LENGTH:
        return _("密码至少 %(n)d 位", n=MIN_LENGTH)
    if password.isdigit() or password.isalpha():
        return _("密码须同时包含字母和数字（或符号）")
    return None
