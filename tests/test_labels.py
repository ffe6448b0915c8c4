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


def test_amounts_are_formatted_in_one_module() -> None:
    """Money formatting has one home (crm/web/money.py, templates/_macros/money.html): templates use its filters
    and macros, Python its functions. There were 16 format calls in templates, three ``wan`` macros and three
    Python copies, and they had begun to round differently."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    template_formats = re.compile(r"""['"]\{:[^'"]*\}['"]\s*\.format\(""")
    python_formats = re.compile(r"\{[^{}]*:,(\.\d+f)?\}")
    found = [str(p.relative_to(root)) for p in (root / "templates").rglob("*.html") if template_formats.search(p.read_text("utf-8"))]
    found += [str(p.relative_to(root)) for p in (root / "crm").rglob("*.py")
              if p.name != "money.py" and python_formats.search(p.read_text("utf-8"))]
    assert found == []


def test_every_badge_state_has_one_tone_and_templates_do_not_pick_colours_by_state() -> None:
    """One colour per state (crm/web/badges.py): "审核中" was info on the project page and warning in the queue.
    Every member of the badge enumerations has a tone, and no template maps state values to colours itself."""
    import re
    from pathlib import Path

    from crm.web.badges import TONES

    for enum_cls in {type(member) for member in TONES}:
        assert set(enum_cls) <= set(TONES), enum_cls
    root = Path(__file__).resolve().parents[1]
    picking = re.compile(r"\{\s*'[a-z_]+'\s*:\s*'text-bg-")
    assert [p.name for p in (root / "templates").rglob("*.html") if picking.search(p.read_text("utf-8"))] == []


def test_an_amount_range_reads_in_each_language(app):
    from decimal import Decimal

    from flask_babel import force_locale

    from crm.web.money import range_text

    with app.test_request_context():
        assert range_text(Decimal(3000), Decimal(5000)) == "3,000.00 – 5,000.00 万元"
        assert range_text(Decimal(3000), Decimal(3000)) == "3,000.00 万元" and range_text(None, None) == "—"
        with force_locale("en"):
            assert range_text(Decimal(3000), Decimal(5000)) == "CNY 30 million – CNY 50 million"
