"""Enum labels: members of different enums that share a value keep their own labels."""

from crm.domain.companies import FundingSource, IndustryCategory, Ownership
from crm.domain.leads import LeadGrade, LeadSource
from crm.domain.visits import VisitOutcome, VisitType
from crm.web.labels import _PAIRS, label


def test_shared_values_keep_their_own_labels(app):
    with app.test_request_context():
        assert str(label(Ownership.HMT)) == "港澳台资" and str(label(FundingSource.HMT)) == "港澳台"
        assert str(label(Ownership.FOREIGN)) == "外资" and str(label(FundingSource.FOREIGN)) == "外国"
        assert str(label(LeadGrade.A)) == "A 级" and str(label(IndustryCategory.A)).startswith("A 农")
        assert str(label(LeadSource.EXPO)) == "展会/节会招商" and str(label(VisitType.EXPO)) == "展会/推介会洽谈"
        assert str(label(VisitOutcome.CONTRACT)) == "签合同"


def test_every_member_of_every_labelled_enum_has_a_label():
    classes = {type(member) for member, _text in _PAIRS}
    labelled = {(type(m), m.value) for m, _t in _PAIRS}
    missing = [f"{cls.__name__}.{m.name}" for cls in classes for m in cls if (cls, m.value) not in labelled]
    assert missing == []
