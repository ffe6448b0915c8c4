"""The official holiday calendar (chinesecalendar, updated each year when the State Council publishes it)."""

from __future__ import annotations

from datetime import date

import chinese_calendar

from crm.domain.workdays import next_working_day, weekday_only


def covered(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    """Official working days (调休 weekends included); outside the published years, Monday–Friday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return weekday_only(day)


def shift_to_workday(day: date) -> date:
    return next_working_day(day, is_workday)


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def holiday_name(day: date) -> str | None:
    """The public holiday a date falls in (e.g. 国庆节), when the official calendar covers the year."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    if not on_holiday or name is None:
        return None  # an ordinary weekend
    english = str(getattr(name, "value", name))
    return HOLIDAY_NAMES.get(english, english)


def snooze_presets(today: date) -> list[tuple[str, date]]:
    """The one-tap 推迟 choices: the next working day, and a week on (moved off a holiday)."""
    from datetime import timedelta

    from flask_babel import gettext as _

    tomorrow = today + timedelta(days=1)
    next_day = shift_to_workday(tomorrow)
    return [
        (_("明天") if next_day == tomorrow else _("下个工作日"), next_day),
        (_("一周后"), shift_to_workday(today + timedelta(days=7))),
    ]
