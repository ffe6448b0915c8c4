from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from crm.attachments.services import ACCEPT, MAX_SIZE_TEXT
from crm.domain.agreements import MAX_PER_MU, AgreementType
from crm.web.fields import PER_MU_MESSAGES, AmountField, CountField, DayField
from crm.web.forms import LookupField, EnumField, VersionedForm, notes_field, text_field
from crm.companies.picker import COMPANY_PICKER


class AgreementForm(VersionedForm):
    type = EnumField(_l("协议类型"), AgreementType)
    name = text_field(_l("协议名称"), 200, description=_l("可不填"))
    number = text_field(_l("协议编号"), 60, description=_l("可不填"))
    signed_on = DayField(_l("签约日期"), required=True)
    signing_event = text_field(_l("签约活动"), 120, description=_l("例如：三个一批第二期、投洽会"))
    party_a = text_field(
        _l("甲方"), 120, required=True, description=_l("县政府、管委会或授权单位"),
        render_kw={"list": "party-a-suggestions", "autocomplete": "off"},
    )
    company_name = text_field(
        _l("乙方（企业）"), 200, required=True, description=_l("输入企业名称、拼音或首字母，从提示中选择"),
        render_kw=COMPANY_PICKER,
    )
    company_id = HiddenField()  # set when the form is opened from a company's page
    lead_id = LookupField(_l("关联线索"))
    investment_amount = AmountField(_l("协议投资额（万元）"))
    attracted_amount = AmountField(_l("合同引资额（万元）"), description=_l("外来资金部分，不含本地投资方出资"))
    planned_start_on = DayField(_l("约定开工日期"))
    planned_production_on = DayField(_l("约定投产日期"))
    investment_intensity = AmountField(_l("投资强度（万元/亩）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES)
    tax_per_mu = AmountField(_l("亩均税收（万元/亩）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES)
    jobs = CountField(_l("承诺用工（人）"))
    notes = notes_field(_l("备注"))


class TerminateForm(VersionedForm):
    terminated_on = DayField(_l("终止日期"), required=True)
    reason = text_field(_l("终止原因"), 500, required=True)


class UploadForm(FlaskForm):
    file = FileField(
        _l("上传附件"),
        validators=[FileRequired(message=_l("请选择要上传的文件"))],
        description=_l("PDF、JPG 或 PNG，每个不超过 %(size)s", size=MAX_SIZE_TEXT),
        render_kw={"accept": ACCEPT},
    )
