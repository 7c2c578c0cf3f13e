"""The period a report covers when the manager gives no dates, or only one."""

from __future__ import annotations

from datetime import date

from forms.period import RECENT_DAYS, NamedPeriod, Period

TODAY = date(2026, 6, 30)


def test_no_dates_mean_the_90_days_up_to_today_compared_with_the_90_before() -> None:
    recent = Period().or_recent(TODAY)
    assert recent == Period(date(2026, 4, 2), TODAY)
    assert RECENT_DAYS == 90
    assert recent.previous() == Period(date(2026, 1, 2), date(2026, 4, 1))


def test_one_date_keeps_it_and_the_other_follows_the_same_rule() -> None:
    assert Period(end=date(2026, 3, 31)).or_recent(TODAY) == Period(
        date(2026, 1, 1), date(2026, 3, 31)
    )
    assert Period(start=date(2026, 6, 1)).or_recent(TODAY) == Period(date(2026, 6, 1), TODAY)
    chosen = Period(date(2025, 1, 1), date(2025, 12, 31))
    assert chosen.or_recent(TODAY) == chosen


def test_named_periods_follow_the_calendar() -> None:
    assert NamedPeriod.LAST_12_MONTHS.period(TODAY) == Period(date(2025, 7, 1), TODAY)
    leap = date(2024, 2, 29)
    assert NamedPeriod.LAST_12_MONTHS.period(leap) == Period(date(2023, 3, 1), leap)
    assert NamedPeriod.LAST_12_MONTHS.period(date(2026, 3, 31)).start == date(2025, 4, 1)
    assert NamedPeriod.LAST_90_DAYS.period(TODAY) == Period().or_recent(TODAY)
    assert NamedPeriod.LAST_30_DAYS.period(TODAY) == Period(date(2026, 6, 1), TODAY)
    assert NamedPeriod.THIS_YEAR.period(TODAY) == Period(date(2026, 1, 1), TODAY)
    assert NamedPeriod.LAST_YEAR.period(TODAY) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert NamedPeriod.ALL_TIME.period(TODAY).open
    assert [named.label for named in NamedPeriod][:3] == [
        "Last 90 days",
        "Last 30 days",
        "Last 12 months",
    ]
