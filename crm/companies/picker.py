"""The one company picker of every form that names a company (lead, visit stops, agreement, project investors):
the input asks the server as the user types (htmx, crm/static/vendor/htmx) and gets back a list rendered here
(templates/companies/_pick.html) — names, pinyin and initials that contain what is typed, then what the duplicate
matcher finds likely — with "新建企业「…」" last. crm/static/company_picker.js adds the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import url_for

from crm.companies.duplicates import likely_duplicates
from crm.companies.models import Company
from crm.extensions import db
from crm.web.search import company_text_contains

CONTAINING_SHOWN = 8
LIKELY_SHOWN = 5
MATCHER_FROM = 2  # characters typed before the matcher is asked (one character matches everything)


class _RouteUrl:
    """A route's URL, built when the field is rendered (form classes are made before any request)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def __str__(self) -> str:
        return url_for(self.endpoint)


# The input's attributes (a field's ``render_kw``); the list lands in the next ``.company-options`` element.
COMPANY_PICKER: dict[str, Any] = {
    "autocomplete": "off",
    "data-company-picker": "",
    "role": "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "hx-get": _RouteUrl("companies.pick"),
    "hx-trigger": "input changed delay:250ms",
    "hx-target": "next .company-options",
    "hx-swap": "innerHTML",
    "hx-sync": "this:replace",
}


@dataclass(frozen=True)
class Option:
    name: str
    note: str = ""  # why a likely one is offered: the name it resembles, and how much


def pick_options(q: str) -> list[Option]:
    """What the picker offers for ``q``: companies whose names contain it, then the matcher's likely ones."""
    q = q.strip()[:60]
    if not q:
        return []
    names = db.session.scalars(
        sa.select(Company.name)
        .where(Company.merged_into_id.is_(None), company_text_contains(q))
        .order_by(sa.func.length(Company.name), Company.name)
        .limit(CONTAINING_SHOWN)
    ).all()
    options = [Option(name) for name in names]
    if len(q) >= MATCHER_FROM:
        seen = set(names)
        for likely in likely_duplicates([q], None, limit=LIKELY_SHOWN):
            if likely.company.name not in seen:
                seen.add(likely.company.name)
                options.append(Option(likely.company.name, f"{round(likely.score)}%"))  # the matcher scores 0–100
    return options
