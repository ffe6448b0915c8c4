"""An English user reads English: on the demo world, with every demo account's locale set to 'en', no Chinese
reaches a page from the code — labels, reasons, units, counts, flash and chart text, exports' headers.

Chinese that comes from data (names of companies, projects, units and users, notes, addresses…) is allowed: the
text values stored in the database are removed from each page before it is searched for CJK characters.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm.access.scoping import SYSTEM, set_scope
from crm.db import Base
from crm.demo.scenario import ACCOUNTS
from crm.extensions import db
from crm.users.models import User
from tests.conftest import sign_in
from tests.test_demo_pages import demo  # noqa: F401  (the shared demo world fixture)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm"}


class _Visible(HTMLParser):
    """The text a reader sees: text nodes outside scripts and styles, and the attributes browsers show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                return _strings(json.loads(value))
            except ValueError:
                pass
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)] + [s for key in value for s in _strings(key)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []


def data_strings() -> list[str]:
    """Every Chinese text value stored in any table, longest first (so a name is removed before a part of it)."""
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for value in row:
                for text in _strings(value):
                    for line in text.splitlines():
                        if CJK.search(line):
                            found.add(line.strip())
    return sorted(found - {""}, key=len, reverse=True)


def chinese_left(text: str, data: list[str]) -> dict[str, str]:
    """Each CJK run left once the data is removed, with the words around it (to find where it comes from)."""
    for value in data:
        if value in text:
            text = text.replace(value, "\x00")
    text = re.sub(r"\s+", " ", text)
    return {m.group(): text[max(m.start() - 40, 0) : m.end() + 40] for m in CJK.finditer(text)}


def xlsx_text(body: bytes) -> str:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
    )


LIST_PAGES = [
    "/",
    "/workbench",
    "/dashboard",
    "/projects/",
    "/projects/board",
    "/leads/",
    "/leads/candidates",
    "/companies/",
    "/companies/duplicates",
    "/visits/",
    "/agreements/",
    "/issues/",
    "/issues/report",
    "/my-projects",
    "/reviews/",
    "/funds/reviews",
    "/submissions/",
    "/targets/",
    "/targets/zone",
    "/todo",
    "/team-todo",
    "/notifications",
    "/reports/monthly",
    "/reports/monthly/print",
    "/reports/ranking",
    "/reports/ranking/quarter",
    "/reports/cohorts",
    "/reports/weekly",
    "/reports/weekly/print",
    "/reports/batches",
    "/my-projects/briefs",
    "/imports/",
    "/imports/new",
    "/reports/funds",
    "/reports/milestones",
    "/reports/settings",
    "/admin/units/",
    "/admin/users/",
    "/admin/audit",
    "/admin/chains/",
    "/admin/mail",
    "/account",
    "/projects/new",
    "/leads/new",
    "/visits/new",
    "/companies/new",
    "/issues/new",
    "/agreements/new",
]
# A page takes about 30 ms, and most read the same for every role: the admin reads every page it may open; each other
# role reads the pages that change with the reader's role (its own lists and queues, one project's buttons), and the
# first role that may open a page closed to the admin reads it. (Every page as every role took 20 s.)
ROLE_PAGES = ["/", "/workbench", "/dashboard", "/projects/", "/leads/", "/my-projects", "/reviews/", "/funds/reviews",
              "/submissions/", "/targets/", "/todo", "/team-todo", "/notifications", "/account"]
# A language picker names each language in its own script: "中文" stays in English pages' picker, and only there.
OWN_SCRIPT = {"/account": ["中文"]}
EXPORTS = [
    "/projects/export.xlsx",
    "/leads/export.xlsx",
    "/companies/export.xlsx",
    "/agreements/export.xlsx",
    "/issues/export.xlsx",
    "/issues/report.xlsx",
    "/targets/export.xlsx",
    "/reports/dashboard.xlsx",
    "/reports/monthly.xlsx",
    "/reports/ranking.xlsx",
    "/reports/ranking/quarter.xlsx",
    "/reports/cohorts.xlsx",
    "/reports/funds.xlsx",
    "/reports/milestones.xlsx",
]


def _detail_pages() -> list[str]:
    """A few of each kind of record: the first ones, and the projects whose colour is red or amber."""
    from crm.agreements.models import Agreement
    from crm.companies.models import Company
    from crm.issues.models import Issue
    from crm.leads.models import Lead
    from crm.projects.models import Project
    from crm.visits.models import Visit

    def first(model: type, n: int = 3) -> list[int]:
        return list(db.session.scalars(sa.select(model.id).order_by(model.id).limit(n)))

    pages = []
    for pid in first(Project, 6):  # the demo's first projects: red, amber and green ones, at several stages
        pages += [f"/projects/{pid}", f"/projects/{pid}/progress", f"/projects/{pid}/schedule", f"/projects/{pid}/plan"]
    pages += [f"/leads/{i}" for i in first(Lead)] + [f"/companies/{i}" for i in first(Company)]
    pages += [f"/visits/{i}" for i in first(Visit)] + [f"/agreements/{i}" for i in first(Agreement)]
    pages += [f"/issues/{i}" for i in first(Issue)]
    return pages


def _digest_pages() -> list[str]:
    return [f"/admin/users/{i}/digest" for i in db.session.scalars(sa.select(User.id).order_by(User.id).limit(11))]


def test_english_pages_carry_no_chinese_from_code(app, client, demo):  # type: ignore[no-untyped-def]  # noqa: F811
    with app.app_context():
        set_scope(db.session, SYSTEM)
        db.session.execute(sa.update(User).values(locale="en"))
        db.session.commit()
        data = data_strings()
        details = _detail_pages()
        admin_reads = LIST_PAGES + details + EXPORTS + _digest_pages()
        one_per_role = list({a.role: a.username for a in reversed(ACCOUNTS)}.values())
        demo_accounts = sa.select(User).where(User.username.in_(one_per_role)).order_by(User.id)
        accounts = sorted(((u.get_id(), u.id, u.username) for u in db.session.scalars(demo_accounts)), key=lambda a: a[2] != "admin")
    leaks: dict[str, dict[str, str]] = {}

    unread: list[str] = []  # pages closed to the admin (and to the roles so far)
    for token, user_id, username in accounts:  # the admin first
        sign_in(client, token, user_id)
        paths = admin_reads if username == "admin" else list(dict.fromkeys(ROLE_PAGES + details[:4] + unread))
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                if username == "admin":
                    unread.append(path)
                continue
            if path in unread and path not in ROLE_PAGES:
                unread.remove(path)
            if response.mimetype.endswith("sheet"):
                text = xlsx_text(response.data)
            elif response.mimetype == "text/html":
                text = visible_text(response.get_data(as_text=True))
            else:
                continue
            for run, around in chinese_left(text, data + OWN_SCRIPT.get(path, [])).items():
                leaks.setdefault(run, {})[f"{username} {path}"] = around
    report = "\n".join(
        f"{run!r} on {len(pages)} pages, e.g. {page}: …{pages[page]}…"
        for run, pages in sorted(leaks.items())
        for page in [sorted(pages)[0]]
    )
    assert not leaks, f"Chinese from code on English pages:\n{report}"


def test_rag_reasons_read_in_each_language_with_plurals(app):  # type: ignore[no-untyped-def]
    from datetime import date

    from flask_babel import force_locale

    from crm.domain.projects import RagCause, RagReason
    from crm.web.rag_text import reasons_text

    reasons = [RagReason(RagCause.START_PASSED), RagReason(RagCause.MILESTONES_OVERDUE, 1), RagReason(RagCause.ISSUES_OVERDUE, 3)]
    amber = [RagReason(RagCause.STALE, 14), RagReason(RagCause.MILESTONE_DUE, due=date(2026, 12, 8))]
    with app.test_request_context():
        assert reasons_text(reasons) == "计划开工日期已过仍未开工；1 个节点逾期；3 个问题逾期未办结"  # as before
        assert reasons_text(amber) == "14 天以上未更新进度；节点将于 2026-12-08 到期"
        with force_locale("en"):
            assert reasons_text(reasons) == (
                "Planned start date has passed, not yet started; 1 milestone overdue; 3 issues overdue and unresolved"
            )
            assert reasons_text([RagReason(RagCause.MILESTONES_OVERDUE, 2)]) == "2 milestones overdue"
            assert reasons_text(amber) == "No progress update for 14 days or more; Milestone due on 2026-12-08"


def test_amounts_read_in_one_english_format(app):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from flask_babel import force_locale

    from crm.web.money import reading, wan_text, yi_aside, yi_text

    with app.test_request_context():
        assert (reading(Decimal(69_000)), reading(Decimal(1_500)), wan_text(Decimal(150_000), 0)) == ("6.90 亿元", "1,500 万元", "150,000 万元")
        assert (yi_text(Decimal(69_000)), yi_aside(Decimal(150_000))) == ("6.90 亿元", "（15.00 亿元）")
        with force_locale("en"):
            assert reading(Decimal(69_000)) == yi_text(Decimal(69_000)) == wan_text(Decimal(69_000)) == "CNY 690 million"
            assert reading(Decimal(150_000)) == "CNY 1.5 billion" and reading(Decimal(1_500)) == "CNY 15 million"
            assert reading(Decimal(5)) == "CNY 50,000" and yi_aside(Decimal(150_000)) == ""


def test_periods_weeks_and_stage_needs_read_in_each_language(app):  # type: ignore[no-untyped-def]
    from datetime import date

    from flask_babel import force_locale

    from crm.digests.send import subject_for
    from crm.domain.pipeline import Facts, Stage, gate_problems
    from crm.projects.gate_text import problem_text
    from crm.submissions.queries import label_of
    from crm.web.joins import labelled, noted, semicolons

    class Digest:  # what subject_for reads of a digest
        period, week_start, week_end = "2026-W48", date(2026, 11, 23), date(2026, 11, 29)

    needs = gate_problems(Stage.TALKS, Stage.SIGNED, Facts())
    with app.test_request_context():
        assert (label_of("2026-11-2"), label_of("2026-07-1")) == ("2026年11月下半月（16–30日）", "2026年7月上半月（1–15日）")
        assert subject_for(Digest()) == "【招商引资】每周摘要 2026年第48周（11月23日—11月29日）"  # as before
        assert semicolons(problem_text(p) for p in needs[:2]) == "须有有效的正式投资合同/投资协议书；须填写总投资"
        assert (noted("第一招商分局", "鲁山县"), labelled("完成跟进", "已电话联系")) == ("第一招商分局（鲁山县）", "完成跟进：已电话联系")
        with force_locale("en"):
            assert label_of("2026-11-2") == "November 2026, second half (16–30)"
            assert label_of("2026-07-1") == "July 2026, first half (1–15)"
            assert subject_for(Digest()) == "[Investment Promotion] Weekly summary, week 48 of 2026 (Nov 23–Nov 29)"
            assert semicolons(problem_text(p) for p in needs[:2]) == (
                "A formal investment contract or investment agreement in force is required; Enter the total investment"
            )
            assert (noted("Branch 1", "Lushan"), labelled("Follow-up done", "called")) == ("Branch 1 (Lushan)", "Follow-up done: called")
