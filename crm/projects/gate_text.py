"""The stage gates' refusals in words. The rule (crm.domain.pipeline) says which need is unmet; the words are chosen
here, in the reader's language, for the project page, the report form's errors and the flash alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from crm.domain.pipeline import Need, Problem

NEED_TEXT = {
    Need.ASSESSMENT_FOLLOW: _l("研判结论须为“跟进”"),
    Need.FOLLOWING_UNIT: _l("须明确跟进单位"),
    Need.FORMAL_CONTRACT: _l("须有有效的正式投资合同/投资协议书"),
    Need.TOTAL_INVESTMENT: _l("须填写总投资"),
    Need.FIRST_PHASE_INVESTMENT: _l("须填写一期投资"),
    Need.SIGNED_MONTH: _l("须填写签约月份"),
    Need.REGISTRATION_NUMBER: _l("须填写工商注册号"),
    Need.REGISTERED_NAME: _l("须填写注册名称"),
    Need.REGISTERED_CAPITAL: _l("须填写注册资本"),
    Need.LEGAL_REPRESENTATIVE: _l("须填写法人代表"),
    Need.SITE: _l("须填写建设地点（园区）"),
    Need.LAND_MU: _l("须填写用地面积（亩）"),
    Need.START_MONTH: _l("须填写开工月份"),
    Need.FUNDS_ARRIVED: _l("须有投资方实际到资"),
    Need.START_EVIDENCE: _l("须上传施工许可或开工照片"),
    Need.CAPITAL_INCREASE_CONTRACT: _l("须有有效的正式投资合同/增资协议"),
    Need.PRODUCTION_MONTH: _l("须填写投产月份"),
    Need.FUNDS_ARRIVED_IN_ALL: _l("须有累计实际到资"),
    Need.CAPACITY: _l("须填写已形成产能"),
    Need.MONTHLY_SALES: _l("须填写月销售收入"),
    Need.ALREADY_THERE: _l("项目已处于该阶段"),
    Need.TERMINATED_ONLY_TO_TALKS: _l("已中止的项目只能重新激活为“在谈”"),
    Need.ASIDE_REASON: _l("暂缓或中止须填写原因"),
    Need.ALREADY_PAUSED: _l("项目已处于暂缓状态"),
    Need.PAUSED_ONLY_RESUME: _l("暂缓的项目只能恢复到暂缓前的阶段，或中止"),
    Need.BACKWARD_BY_ADMIN: _l("退回之前的阶段须由管理员操作"),
    Need.BACKWARD_REASON: _l("退回阶段须填写原因"),
    Need.ONE_STEP_AT_A_TIME: _l("只能逐级推进到下一阶段"),
    Need.ADMISSION_REVIEW: _l("本县要求签约前须经准入评审：该项目尚无会审“通过”或“有条件通过”的准入评审"),
}


def problem_text(problem: Problem) -> str:
    return str(NEED_TEXT[problem.need])
