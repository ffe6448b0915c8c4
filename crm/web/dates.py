"""Months and days in words, in the reader's language: "2026年11月", "11月23日"; in English "November 2026", "Nov 23".
(ISO dates — 2026-11-23 — read the same in both and need nothing here.)"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _


def month_text(day: date) -> str:
    return str(format_date(day, _("yyyy年M月")))


def month_day_text(day: date) -> str:
    return str(format_date(day, _("M月d日")))


def full_date_text(day: date) -> str:
    """A document's date line: "2026年12月3日" (公文 dates are written out), in English "December 3, 2026"."""
    return str(format_date(day, _("yyyy年M月d日")))
