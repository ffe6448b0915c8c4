from datetime import date
from decimal import Decimal

import pytest

from crm.domain.pipeline import Stage
from crm.domain.projects import Rag, RagCause, RagFacts, RagReason, RagSettings, at_least_yi, rag, scale_band

TODAY = date(2025, 5, 21)  # the seed report's day


@pytest.mark.parametrize(
    ("amount", "band"),
    [
        (0, "<5000万"), (4_999.99, "<5000万"), (5_000, "5000万–1亿"), (10_000, "1–3亿"), (29_999, "1–3亿"),
        (30_000, "3–5亿"), (50_000, "5–10亿"), (130_000, "10–20亿"), (200_000, "20–50亿"),
        (500_000, "50–100亿"), (999_999, "50–100亿"), (3_000_000, "≥100亿"),
    ],
)
def test_scale_bands(amount: float, band: str) -> None:
    assert scale_band(Decimal(str(amount))) == band


def test_no_band_for_missing_or_negative() -> None:
    assert scale_band(None) is None and scale_band(Decimal(-1)) is None


def test_yi_thresholds() -> None:
    assert at_least_yi(Decimal(10_000), 1) and not at_least_yi(Decimal(9_999), 1)
    assert at_least_yi(Decimal(500_000), 50) and not at_least_yi(Decimal(499_999), 50)
    assert not at_least_yi(None, 1)


def test_seed_red_projects() -> None:
    # 鲁山县石材建材工业城 and 海亮(兴发)工业园: signed, planned start 2025-04, still 前期 in May → 红.
    colour, reasons = rag(RagFacts(Stage.SIGNED, planned_start=date(2025, 4, 30), last_update=TODAY), TODAY)
    assert colour is Rag.RED and reasons == [RagReason(RagCause.START_PASSED)]


def test_started_projects_are_not_red_for_their_planned_start() -> None:
    colour, _ = rag(RagFacts(Stage.STARTED, planned_start=date(2025, 4, 1), last_update=TODAY), TODAY)
    assert colour is Rag.GREEN


def test_overdue_milestone_or_issue_is_red() -> None:
    assert rag(RagFacts(Stage.STARTED, last_update=TODAY, overdue_milestones=1), TODAY)[0] is Rag.RED
    assert rag(RagFacts(Stage.STARTED, last_update=TODAY, overdue_issues=2), TODAY)[1] == [RagReason(RagCause.ISSUES_OVERDUE, 2)]


def test_amber_for_stale_or_due_soon() -> None:
    assert rag(RagFacts(Stage.STARTED, last_update=date(2025, 5, 7)), TODAY)[0] is Rag.AMBER  # 14 days
    assert rag(RagFacts(Stage.STARTED, last_update=date(2025, 5, 8)), TODAY)[0] is Rag.GREEN  # 13 days
    assert rag(RagFacts(Stage.STARTED, last_update=None), TODAY) == (Rag.AMBER, [RagReason(RagCause.STALE, 14)])
    due = RagFacts(Stage.STARTED, last_update=TODAY, next_milestone_due=date(2025, 5, 28))
    assert rag(due, TODAY) == (Rag.AMBER, [RagReason(RagCause.MILESTONE_DUE, due=date(2025, 5, 28))])
    assert rag(RagFacts(Stage.STARTED, last_update=TODAY, next_milestone_due=date(2025, 5, 29)), TODAY)[0] is Rag.GREEN


def test_thresholds_are_settings() -> None:
    facts = RagFacts(Stage.STARTED, last_update=date(2025, 5, 14))
    assert rag(facts, TODAY)[0] is Rag.GREEN
    assert rag(facts, TODAY, RagSettings(stale_days=7))[0] is Rag.AMBER


def test_paused_and_terminated_are_not_red() -> None:
    late = dict(planned_start=date(2025, 1, 1), last_update=TODAY, overdue_milestones=1)
    assert rag(RagFacts(Stage.PAUSED, **late), TODAY)[0] is Rag.GREEN
    assert rag(RagFacts(Stage.TERMINATED, **late), TODAY)[0] is Rag.GREEN
