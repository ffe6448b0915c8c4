"""Every form of the product, posted with what careless users and attackers type, by every role that may open it.

The forms are found, not listed: every page of the access cases that a role may open (``CASES``, which must
cover every route) is read, and each ``<form method="post">`` on it is posted back to its action

- with every field set to one hostile value at a time (non-finite, huge and negative numbers, huge ids,
  overlong text, control characters, NUL, right-to-left override, markup, impossible dates), and
- with the page's own values except one number-like field (ids, amounts, years, versions) set to NaN or to an
  id past any database's range.

It must never answer 500, never show the markup unescaped (on the answer nor on the page a redirect leads to),
and never store a control character or a non-finite number. Bounded: the first role that can open a form posts
every value; every other role that can open it posts a short list (its own path through the views and services).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from tests.access_cases.common import ROLES
from tests.test_access_routes import CASES, ids

MARKUP = "<script>alert('fuzz')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(7)>'
HUGE_ID = str(10**20)
HOSTILE = [
    "NaN", "Infinity", "-Infinity", "sNaN", "1e309", "-1e400", HUGE_ID, "-99999999999999999999", "-1", "1e-400",
    "x" * 5000, "abc\x00def", "左\u202e右", "铃\x07\x1b", MARKUP, ATTRIBUTE,
    "2026-02-30", "0000-00-00", "9999-99-99", "2026-13-01", "99999-01-01", "",
]
# Every other role that may open a form posts these (the first posts them all, field by field too).
SHORT = ["NaN", HUGE_ID, "abc\x00def", MARKUP, "2026-02-30"]
NUMBER_LIKE = ("id", "_id", "amount", "investment", "capital", "year", "version", "months", "count", "area", "score")
# Posting these would end the test's own session or reach outside the form under test.
SKIPPED_ACTIONS = ("/logout", "/account/logout-everywhere")


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, default value)
    submit: tuple[str, str] | None = None


class FormParser(HTMLParser):
    """The POST forms of a page: each named field with its kind and the value the page gives it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: list[Any] | None = None  # [name, first value, selected value]
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", "")) if a.get("method", "get").lower() == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name, kind = a["name"], a.get("type", "text").lower()
        if tag == "input":
            if kind in ("submit", "button", "image"):
                self._form.submit = self._form.submit or (name, a.get("value", ""))
            elif kind == "file":
                return
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, kind, a.get("value", "on")))
                elif not any(f[0] == name for f in self._form.fields):
                    self._form.fields.append((name, kind, ""))
            else:
                self._form.fields.append((name, kind, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit") == "submit":
                self._form.submit = self._form.submit or (name, a.get("value", ""))
        elif tag == "select":
            self._select = [name, None, None]
        elif tag == "textarea":
            self._textarea = [name, ""]

    def _option(self, a: dict[str, str]) -> None:
        assert self._select is not None
        value = a.get("value", "")
        if self._select[1] is None and value:
            self._select[1] = value
        if "selected" in a:
            self._select[2] = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            if self._form is not None:
                self._form.fields.append((name, "select", chosen if chosen is not None else (first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form.fields.append((self._textarea[0], "textarea", self._textarea[1]))
            self._textarea = None


def forms_of(page: str, path: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        form.action = urlsplit(form.action).path if form.action else path
    return [f for f in parser.forms if f.fields and not f.action.endswith(SKIPPED_ACTIONS) and f.action.startswith("/")]


def _payload(form: Form, value: str | None = None, only: str | None = None) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, _kind, default in form.fields:
        replaced = value is not None and (only is None or name == only) and name != "csrf_token"
        data[name] = value if replaced else default  # type: ignore[assignment]
    if form.submit:
        data.setdefault(*form.submit)
    return data


def _number_like(name: str, kind: str) -> bool:
    return kind in ("number", "select", "hidden") or name.endswith(NUMBER_LIKE)


def _check(client: Any, response: Any, what: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{what}: {response.status_code}\n{body[:1500]}"
    assert MARKUP not in body and ATTRIBUTE not in body, f"{what}: markup shown unescaped"
    if response.status_code in (302, 303) and (location := response.headers.get("Location", "")).startswith("/"):
        followed = client.get(location)
        shown = followed.get_data(as_text=True)
        assert followed.status_code < 500, f"{what} → {location}: {followed.status_code}"
        assert MARKUP not in shown and ATTRIBUTE not in shown, f"{what} → {location}: markup shown unescaped"


def _bad_stored_values(app: Any) -> list[str]:
    """Control characters in any stored text, non-finite numbers in any stored number: what no form may store."""
    from crm.access.scoping import SYSTEM, set_scope
    from crm.db import Base
    from crm.extensions import db

    found = []
    with app.app_context():
        set_scope(db.session, SYSTEM)
        for table in Base.metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text)) and not isinstance(c.type, sa.Enum)]
            numbers = [c for c in table.columns if isinstance(c.type, (sa.Numeric, sa.Float))]
            if not texts and not numbers:
                continue
            for row in db.session.execute(sa.select(*texts, *numbers)).all():
                for column, value in zip(texts + numbers, row):
                    if isinstance(value, str) and any(
                        unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in "\n\r\t" for ch in value
                    ):
                        found.append(f"{table.name}.{column.name}: {value[:40]!r}")
                    elif isinstance(value, (Decimal, float)) and not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
                        found.append(f"{table.name}.{column.name}: {value}")
    return found


def _form_pages(role: str) -> list[str]:
    return sorted({c.path for c in CASES if c.method == "GET" and c.expected.get(role) == 200})


def test_every_form_survives_hostile_input_from_every_role(app, client, auth, world) -> None:  # type: ignore[no-untyped-def]
    """One test for all roles, so that a form any role may open is fuzzed once, by the first of them."""
    done: set[tuple[str, frozenset[str]]] = set()
    by_role: set[tuple[str, tuple[str, frozenset[str]]]] = set()
    posted = 0
    for role in ROLES[1:]:
        auth.login_as(role)
        for template in _form_pages(role):
            path = template.format(**ids(world))
            page = client.get(path)
            if page.status_code != 200 or "text/html" not in page.content_type:
                page.close()  # an export streams: close it unread
                continue
            for form in forms_of(page.get_data(as_text=True), urlsplit(path).path):
                key = (form.action, frozenset(name for name, _k, _d in form.fields))
                if (role, key) in by_role:
                    continue
                by_role.add((role, key))
                if key in done:  # another role fuzzed it in full: this one's own path through it, briefly
                    for value in SHORT:
                        _check(client, client.post(form.action, data=_payload(form, value)), f"{role} {form.action} all={value[:20]!r}")
                        posted += 1
                    auth.login_as(role)
                    continue
                done.add(key)
                for value in HOSTILE:
                    _check(client, client.post(form.action, data=_payload(form, value)), f"{role} {form.action} all={value[:20]!r}")
                    posted += 1
                for name, kind, _default in form.fields:
                    if _number_like(name, kind) and name != "csrf_token":
                        for value in ("NaN", HUGE_ID):
                            _check(client, client.post(form.action, data=_payload(form, value, only=name)), f"{role} {form.action} {name}={value}")
                            posted += 1
                auth.login_as(role)  # a form may have ended or changed the session (a password, a unit)
    print(f"fuzzed {len(done)} forms with {posted} posts")
    assert len(done) >= 60 and posted >= 1500, (len(done), posted)  # the crawl found the product's forms
    assert _bad_stored_values(app) == []
