"""Whom a record or a task goes to: the 跟进人 picker of the lead and project forms and of the task forms."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from crm.access.policy import current_actor
from crm.domain.access import Role
from crm.web.forms import as_choices


def offer_owners(field: Any, members: list[tuple[int, str]], owner: Any = None) -> None:
    """Empty keeps ``owner`` (a record's current 跟进人; for a new record or task, the signed-in user), and a chief
    may pick any other active member of the unit: nobody is listed twice. A page rendered before may still post
    the kept person's id, which means the same."""
    actor = current_actor()
    if owner is not None:
        keep, kept_id = _("不变（%(name)s）", name=owner.display_name), owner.id
    else:
        keep, kept_id = _("本人"), actor.user_id
    others = [(uid, name) for uid, name in members if uid != kept_id] if actor.role is Role.CHIEF else []
    field.choices = as_choices([("", keep)] + others)
    field.aliases = {str(kept_id): ""}
