from __future__ import annotations

from flask_babel import lazy_gettext as _l

from crm.web.forms import VersionedForm, notes_field


class SubmissionForm(VersionedForm):
    """半月报 → 县发改委: three parts (DOMAIN §c)."""

    infrastructure = notes_field(_l("基础设施建设情况"), 4000)
    new_projects = notes_field(_l("新入驻企业及新上项目情况"), 4000)
    funding = notes_field(_l("争取上级资金情况"), 4000)
