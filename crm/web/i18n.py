"""Locale and time zone: Chinese by default, English per user."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

SUPPORTED_LOCALES = ("zh", "en")


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED_LOCALES:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["CRM_TIMEZONE"]
