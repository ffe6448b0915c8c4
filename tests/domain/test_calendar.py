from datetime import date

from crm.domain.calendar import REPORT_DAY, anchored


def test_report_day_becomes_today() -> None:
    assert anchored(REPORT_DAY, date(2026, 11, 27)) == date(2026, 11, 27)


def test_distances_are_kept() -> None:
    today = date(2026, 11, 27)
    assert anchored(date(2025, 4, 1), today) == date(2026, 10, 8)  # 50 days before
    assert anchored(date(2025, 6, 1), today) == date(2026, 12, 8)  # 11 days after
