"""Anchoring the demo scenario's dates to the day it is loaded."""

from __future__ import annotations

from datetime import date

# The seed reports speak as of this day (鲁山县产业集聚区建设工作汇报, 2025-05-21).
REPORT_DAY = date(2025, 5, 21)


def anchored(report_date: date, today: date) -> date:
    """The report's date moved so that REPORT_DAY falls on ``today``; distances are kept."""
    return today + (report_date - REPORT_DAY)
