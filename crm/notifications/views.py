"""The bell (unread count on every page) and 通知 (the list, mark read, open the record)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from crm.access.policy import current_actor
from crm.extensions import db
from crm.notifications.alerts import KIND_LABELS
from crm.notifications.queries import notification_list, own_notification, unread_count
from crm.notifications.services import mark_all_read, mark_read
from crm.web.pagination import page_args, paginate
from crm.web.urls import is_local_path

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _bell() -> dict[str, Any]:
    """The unread count for the navigation bar, counted once per page in SQL (signed-in pages only)."""
    actor = current_actor()
    return {"bell_unread": unread_count(actor.user_id) if actor is not None else 0}


@bp.route("/notifications")
@login_required
def index():
    actor = current_actor()
    unread_only = request.args.get("show") == "unread"
    page, per_page = page_args()
    notifications = paginate(notification_list(actor.user_id, unread_only), page, per_page)
    return render_template(
        "notifications/index.html", notifications=notifications, unread_only=unread_only, kind_labels=KIND_LABELS,
    )


def _load(notification_id: int) -> Any:
    found = own_notification(current_actor().user_id, notification_id)
    if found is None:
        abort(404)
    return found


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_one_read(notification_id: int):
    mark_read(_load(notification_id))
    db.session.commit()
    return redirect(url_for("notifications.index", **({"show": "unread"} if request.form.get("show") == "unread" else {})))


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_record(notification_id: int):
    """Mark read and go to the record (the record's own page then checks access again)."""
    notification = _load(notification_id)
    mark_read(notification)
    db.session.commit()
    return redirect(notification.link if is_local_path(notification.link) else url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    count = mark_all_read(current_actor().user_id)
    db.session.commit()
    flash(_("已将 %(n)d 条通知标为已读。", n=count), "success")
    return redirect(url_for("notifications.index"))
