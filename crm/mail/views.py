"""Admin pages of outgoing email: failures (retry one), and a preview of anyone's weekly digest."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.reach import subtree_units
from crm.access.policy import current_actor, get_or_404, gate_required
from crm.clock import local_today
from crm.domain.access import Action, Gate
from crm.domain.schedule import digest_week, iso_week, week_bounds
from crm.extensions import db
from crm.mail.models import OutboxStatus
from crm.mail.outbox import retry_failed
from crm.mail.queries import message_in_subtree, problem_messages, status_counts
from crm.users.models import User
from crm.web.pagination import page_args, paginate

bp = Blueprint("mail", __name__)

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("待重试"),
    OutboxStatus.SENDING: _l("发送中"),
    OutboxStatus.SENT: _l("已发送"),
    OutboxStatus.FAILED: _l("发送失败"),
}
KIND_LABELS = {"weekly_digest": _l("每周摘要"), "daily_alerts": _l("每日提醒"), "report_reminder": _l("半月报提醒")}


@bp.route("/admin/mail")
@login_required
@gate_required(Gate.ADMINISTRATION)
def failures():
    actor = current_actor()
    page, per_page = page_args()
    messages = paginate(problem_messages(subtree_units(actor)), page, per_page)
    return render_template(
        "mail/failures.html", messages=messages, counts=status_counts(subtree_units(actor)),
        smtp_host=_smtp_host(), status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
    )


def _smtp_host() -> str | None:
    from flask import current_app

    host = current_app.config.get("CRM_SMTP_HOST")
    return f"{host}:{current_app.config.get('CRM_SMTP_PORT')}" if host else None


@bp.route("/admin/mail/<int:message_id>/retry", methods=["POST"])
@login_required
@gate_required(Gate.ADMINISTRATION)
def retry(message_id: int):
    """Send a failed message again (the next dispatch round picks it up, within minutes)."""
    message = message_in_subtree(message_id, subtree_units(current_actor()))
    if message is None:
        abort(404)
    if message.status is not OutboxStatus.FAILED:
        flash(_("该邮件不是发送失败状态，无需重试。"), "info")
        return redirect(url_for("mail.failures"))
    retry_failed(message)
    db.session.commit()
    flash(_("已将发给 %(to)s 的邮件重新加入发送队列。", to=message.to_address), "success")
    return redirect(url_for("mail.failures"))


@bp.route("/admin/users/<int:user_id>/digest")
@login_required
@gate_required(Gate.ADMINISTRATION)
def digest_preview(user_id: int):
    """The weekly digest ``user`` would get, as it would be built for them (under their own scope)."""
    from crm.digests.send import preview, subject_for

    user = get_or_404(User, user_id, Action.MANAGE, hide_denied=True)
    period = request.args.get("period", "").strip()
    try:
        week_bounds(period)
    except ValueError:
        period = digest_week(local_today())
    digest = preview(user, period)
    start, _end = week_bounds(period)
    return render_template(
        "digests/preview.html", digest=digest, subject=subject_for(digest), period=period, user=user,
        previous=iso_week(start - timedelta(days=7)), next=iso_week(start + timedelta(days=7)),
        will_send=bool(user.is_active and user.digest_email and user.email),
    )
