"""履约 forms: the county's setting (whether the 三率's 履约率 asks for the commitments)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from crm.web.forms import VersionedForm


class SettingForm(VersionedForm):
    uses_commitments = BooleanField(_l("三率的履约率按合同约定判断"), description=_l(
        "勾选：签有正式投资合同的项目，须合同约定（开工、投产、投资强度、亩均税收、用工）均按期才计入履约；"
        "不勾选：只看项目阶段（前期手续、在建、投产即为履约）。没有正式合同的项目始终只看阶段。"))
