"""Deadline rules, periods and the Việt Nam working-day calendar (Tết, make-up days, the holiday rule)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from engine.core import clock
from engine.planning import calendar, deadlines
from engine.planning.deadlines import DeadlineError, parse_schedule


def occurrences(recurrence, deadline, year, **kw):
    return {o.period.label: o for o in parse_schedule(recurrence, deadline, **kw).occurrences(year)}


def test_annual_plan_for_next_year_is_due_in_december_of_the_year_before():
    occ = occurrences("annual", "31/12 Y-1", 2027, opens="01/12 Y-1")["2027"]
    assert (occ.opens_on, occ.due_on) == (date(2026, 12, 1), date(2026, 12, 31))
    assert occ.due_at == datetime(2026, 12, 31, 23, 59, 59, tzinfo=clock.VN_TZ)
    assert deadlines.due_phrase(occ.due_at) == "31/12/2026"


def test_before_15_january_means_late_from_midnight_on_the_15th():
    occ = occurrences("annual", "before 15/01 Y+1", 2026, opens="01/12")["2026"]
    assert occ.due_at == datetime(2027, 1, 15, 0, 0, tzinfo=clock.VN_TZ)
    assert occ.due_on == date(2027, 1, 14)
    assert deadlines.due_phrase(occ.due_at) == "trước 15/01/2027"


def test_quarterly_reports_on_the_20th_of_each_quarters_last_month():
    occ = occurrences("quarterly", "20/03, 20/06, 20/09, 20/12", 2027)
    assert list(occ) == ["Q1/2027", "Q2/2027", "Q3/2027", "Q4/2027"]
    assert occ["Q1/2027"].due_on == date(2027, 3, 22)  # 20/03/2027 is a Saturday: next working day
    assert occ["Q3/2027"].due_on == date(2027, 9, 20)
    assert occ["Q3/2027"].opens_on == date(2027, 8, 21)  # default: 30 days before the deadline


def test_semiannual_monthly_and_once_periods():
    semi = occurrences("semiannual", "15/06, 15/12", 2027)
    assert list(semi) == ["H1/2027", "H2/2027"]
    monthly = occurrences("monthly", "31", 2027)
    assert monthly["02/2027"].due_on == date(2027, 3, 1)  # clipped to 28/02 (Sunday) -> Monday 01/03
    assert occurrences("monthly", "05 M+1", 2027)["12/2027"].due_on == date(2028, 1, 5)
    once = parse_schedule("once", "31/12/2027")
    assert [o.period.label for o in once.occurrences(2027)] == ["2027"] and once.occurrences(2026) == []


def test_continuous_duties_report_per_period():
    schedule = parse_schedule("continuous", "15/03, 15/06, 15/09, 15/12", report="quarterly")
    assert [o.period.label for o in schedule.occurrences(2027)] == ["Q1/2027", "Q2/2027", "Q3/2027", "Q4/2027"]
    with pytest.raises(DeadlineError, match="report"):
        parse_schedule("continuous", "15/12")


def test_on_event_duties_are_not_scheduled():
    schedule = parse_schedule("on_event", "5 working days")
    assert not schedule.scheduled and schedule.occurrences(2027) == [] and schedule.within_working_days == 5


def test_deadline_on_tet_moves_to_the_first_working_day_after():
    occ = occurrences("annual", "06/02", 2027)["2027"]  # Tết Nguyên Đán 2027
    assert calendar.holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert occ.due_on == date(2027, 2, 11)
    previous = occurrences("annual", "06/02", 2027, holiday_rule="previous")["2027"]
    assert previous.due_on == date(2027, 2, 3)


def test_compensatory_day_off_counts_as_a_holiday():
    assert occurrences("annual", "30/04", 2027)["2027"].due_on == date(2027, 5, 4)  # 30/4, 1/5, nghỉ bù 3/5


def test_make_up_working_days_and_extra_days_off_are_configurable():
    saturday, friday = date(2027, 1, 9), date(2027, 1, 8)
    assert not calendar.is_working_day(saturday)
    try:
        calendar.configure(days_off={friday: "Nghỉ hoán đổi"}, make_up_days={saturday: "Làm bù"})
        assert calendar.is_working_day(saturday) and not calendar.is_working_day(friday)
        assert calendar.holiday_name(friday) == "Nghỉ hoán đổi"
        assert calendar.adjust_to_working_day(friday) == saturday
        assert calendar.subtract_working_days(date(2027, 1, 11), 1) == saturday
    finally:
        calendar.load_config()
    assert calendar.is_working_day(friday)


def test_the_shipped_calendar_file_loads():
    calendar.load_config()
    assert calendar.is_working_day(date(2027, 1, 4))


@pytest.mark.parametrize("recurrence, deadline, message", [
    ("yearly", "15/12", "chu kỳ 'yearly' không hợp lệ"),
    ("annual", "", "thiếu hạn"),
    ("annual", "31/02", "không tồn tại"),
    ("annual", "15-12", "phải có dạng DD/MM"),
    ("quarterly", "20/03, 20/06", "cần 4 ngày, có 2"),
    ("once", "2027", "DD/MM/YYYY"),
    ("monthly", "40", r"DD hoặc DD M\+1"),
    ("on_event", "soon", "N working days"),
])
def test_unparsable_deadlines_say_what_is_expected(recurrence, deadline, message):
    with pytest.raises(DeadlineError, match=message):
        parse_schedule(recurrence, deadline)


@pytest.mark.parametrize("label, phrase", [
    ("2027", "năm 2027"), ("H1/2027", "6 tháng đầu năm 2027"), ("H2/2027", "6 tháng cuối năm 2027"),
    ("Q3/2027", "quý III/2027"), ("05/2027", "tháng 05/2027"),
])
def test_period_phrases(label, phrase):
    assert deadlines.period_phrase(label) == phrase
