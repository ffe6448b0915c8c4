"""The navigation bar by role, and the home page's facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from crm.web.badges import tone
from crm.web.joins import enumeration, heading_number, semicolons
from crm.web.money import FILTERS
from crm.web.rag_text import reasons_text
from crm.web.urls import back_to
from crm.access.policy import current_actor
from crm.domain.access import Action, Actor, Gate, Resource, holds, passes
from crm.extensions import db
from crm.web.labels import band_label, label
from crm.access.reach import subtree_units
from crm.reports.cache import cached_figure


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    text: Any
    # Who is offered the page: its route's gate (``gate_required``), unless the page opens for everyone but
    # is of use only to some (我的待办 lists the tasks of those who work the unit's records).
    gate: Gate | None = None
    also: tuple[str, ...] = ()  # other pages of the item (a pair under review is part of 企业查重, not of 企业库)


@dataclass(frozen=True)
class NavGroup:
    """A menu of the bar (a dropdown on a desktop, a section of the phone's menu), named for the work it holds."""

    key: str
    text: Any
    items: tuple[NavItem, ...]


NAV: list[NavItem | NavGroup] = [
    # The home page ("/") is the 工作台 for those with tasks and the 数据看板 for the others: whichever of the two
    # the actor is offered first is marked on it.
    NavGroup("desk", _l("工作台"), (
        NavItem("web.workbench", _l("工作台"), Gate.TASKS, also=("web.home",)),
        NavItem("followups.todo", _l("我的待办"), Gate.TASKS),
        NavItem("followups.team", _l("团队待办")),
        NavItem("web.dashboard", _l("数据看板"), also=("web.home",)),
    )),
    NavGroup("work", _l("招商"), (
        NavItem("visits.index", _l("走访")),
        NavItem("leads.index", _l("线索")),
        NavItem("companies.index", _l("企业库")),
        NavItem("agreements.index", _l("协议")),
        NavItem("imports.index", _l("导入台账")),
    )),
    NavGroup("projects", _l("项目"), (
        NavItem("projects.index", _l("项目")),
        NavItem("assignments.my_projects", _l("我分包的项目")),
        NavItem("issues.index", _l("问题台账")),
        NavItem("admission.index", _l("准入评审"), also=("admission.create", "admission.detail", "admission.edit", "admission.settings")),
        NavItem("approvals.report", _l("联审联批"), also=("approvals.create", "approvals.edit", "approvals.kinds")),
        NavItem("compliance.index", _l("项目履约"), also=("compliance.settings",)),
        NavItem("zones.index", _l("园区"), also=("zones.detail", "zones.demand", "zones.create", "zones.edit", "zones.part", "zones.land", "zones.building")),
    )),
    NavGroup("aftercare", _l("安商"), (
        NavItem("aftercare.requests", _l("企业诉求"), also=("aftercare.create_request", "aftercare.request_detail", "aftercare.edit_request")),
        NavItem("aftercare.rates", _l("诉求办理考核")),
        NavItem("aftercare.protections", _l("挂牌保护"), also=("aftercare.create_protection", "aftercare.edit_protection")),
        NavItem("aftercare.quiet_days", _l("宁静日")),
    )),
    NavGroup("supervision", _l("督查"), (
        NavItem("submissions.index", _l("半月报")),
        NavItem("reviews.queue", _l("待审核")),
        NavItem("companies.duplicates", _l("企业查重"), also=("companies.review",)),
        NavItem("ratings.index", _l("服务单位评议"), also=("ratings.rate", "ratings.criteria", "ratings.criterion")),
    )),
    NavItem("reports.monthly", _l("统计报表")),
    NavGroup("admin", _l("管理"), (
        NavItem("users.index", _l("用户管理")),
        NavItem("units.index", _l("单位管理")),
        NavItem("catalog.chains", _l("产业链")),
        NavItem("audit.search", _l("操作日志")),
        NavItem("mail.failures", _l("邮件发送失败")),
        NavItem("channels.index", _l("群机器人"), also=("channels.create",)),
    )),
]
def gate_of(item: NavItem) -> Gate | None:
    """The gate the item's page is offered by: its own, else its route's."""
    return item.gate or getattr(current_app.view_functions.get(item.endpoint), "gate", None)


def _offered(actor: Actor, item: NavItem) -> bool:
    return (gate := gate_of(item)) is None or passes(actor, gate)


def nav_for(actor: Actor | None) -> list[NavItem | NavGroup]:
    """The bar for the actor: the pages they may open, as the policy's gates say, in their menus. A menu left with
    one page is that page."""
    if actor is None:
        return []
    entries: list[NavItem | NavGroup] = []
    for entry in NAV:
        if isinstance(entry, NavItem):
            if _offered(actor, entry):
                entries.append(entry)
            continue
        items = tuple(item for item in entry.items if _offered(actor, item))
        if len(items) == 1:
            entries.append(items[0])
        elif items:
            entries.append(NavGroup(entry.key, entry.text, items))
    return entries


def flat(entries: list[NavItem | NavGroup]) -> list[NavItem]:
    """Every page of the bar, menus opened."""
    return [item for entry in entries for item in (entry.items if isinstance(entry, NavGroup) else (entry,))]


NAV_ITEMS = flat(NAV)


def active_endpoint(items: list[NavItem], endpoint: str | None) -> str | None:
    """The nav item to highlight: the page's own item, else the first item of the page's blueprint."""
    if not endpoint:
        return None
    if own := next((item.endpoint for item in items if endpoint == item.endpoint or endpoint in item.also), None):
        return own
    blueprint = endpoint.split(".")[0]
    return next((item.endpoint for item in items if item.endpoint.split(".")[0] == blueprint), None)


def home_summary() -> dict[str, Any]:
    """Counts the signed-in user may see, computed in SQL under their scope."""
    from crm.audit.models import AuditLog
    from crm.units.models import Unit
    from crm.users.models import User

    actor = current_actor()
    assert actor is not None
    colleagues = db.session.scalars(
        sa.select(User).where(User.unit_id == actor.unit_id, User.is_active).order_by(User.display_name)
    ).all()
    summary: dict[str, Any] = {
        "colleagues": colleagues,
        "unit_count": len(actor.subtree),
    }
    if passes(actor, Gate.ADMINISTRATION):
        summary["user_count"] = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        summary["active_units"] = db.session.scalar(
            sa.select(sa.func.count()).select_from(Unit).where(subtree_units(actor).clause(Unit.id), Unit.is_active)
        )
        summary["recent_changes"] = db.session.scalars(
            sa.select(AuditLog)
            .where(subtree_units(actor).clause(AuditLog.unit_id))
            .order_by(AuditLog.id.desc())
            .limit(10)
        ).all()
    return summary


def when(value: Any) -> str:
    """A date as is, a datetime in the county's time zone (to the minute)."""
    from datetime import datetime

    if isinstance(value, datetime):
        return str(format_datetime(value, "yyyy-MM-dd HH:mm"))
    return "" if value is None else str(value)


def _todo_count(actor) -> int:  # type: ignore[no-untyped-def]
    """Overdue + today, shown on the 我的待办 item; counted once per page, in SQL."""
    if actor is None:
        return 0
    from crm.clock import local_today
    from crm.followups.queries import urgent_count

    return urgent_count(actor.user_id, local_today())


def _review_count(actor) -> int:  # type: ignore[no-untyped-def]
    """Stage reports and fund entries waiting for a reviewer's decision."""
    if actor is None or not holds(actor.role, Action.REVIEW, Resource.UNIT_RECORD):
        return 0
    return _waiting_for_review()


@cached_figure
def _waiting_for_review() -> int:
    """(On every page of a reviewer: kept per change of the data and per reader, as the figures are. Only
    reviewers ask, so readers with the same units are alike here.)"""
    from crm.progress.queries import pending_fund_count
    from crm.projects.queries import pending_review_count

    return pending_review_count() + pending_fund_count()


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _inject() -> dict[str, Any]:
        actor = current_actor()
        entries = nav_for(actor)
        todo = _todo_count(actor)
        return {
            "todo_count": todo,
            "nav_counts": {"followups.todo": todo, "reviews.queue": _review_count(actor)},
            "nav_entries": entries,
            "nav_active": active_endpoint(flat(entries), request.endpoint),
            "label": label,
            "actor": actor,
            "get_locale": get_locale,
        }

    @app.template_global()
    def back_to_list(endpoint: str) -> str:
        return back_to(url_for(endpoint), request.referrer, request.host)

    app.add_template_filter(label, "label")
    app.add_template_filter(when, "when")
    app.add_template_filter(tone, "tone")
    app.add_template_filter(band_label, "band")
    app.add_template_filter(reasons_text, "rag_reasons")  # crm/web/rag_text.py
    app.add_template_filter(semicolons, "semicolons")  # list joins: crm/web/joins.py
    app.add_template_filter(enumeration, "enumeration")
    app.add_template_global(heading_number, "heading_number")
    for name, formatter in FILTERS.items():  # amounts, rates and counts: crm/web/money.py
        app.add_template_filter(formatter, name)
