"""Starting by hand, whichever way (the process form, the plan's duty list): period years, sane deadlines, no past
deadline unless a late start is confirmed, one instance per duty, unit and period.

The clock is the conftest's fake_clock: 01/12/2026 09:00 Việt Nam time. Huế's plan covers 2021-2030."""

from __future__ import annotations

from datetime import date

import pytest

from engine import service
from engine.core.errors import AlreadyStarted, EngineError, Forbidden, LateStart
from engine.runtime import forms, start_rules

THANH_TRA = "Thanh tra Sở"


def start(db, actor, **change):
    args = {"process_key": "legal_document_review", "lead_unit": "TTRA", "period": "2026", "due_text": "",
            **change}
    key = args.pop("process_key")
    return service.start_process(db, actor("tt.chuyenvien"), key, **args)


def history(db, actor, instance_id):
    return service.instance_view(db, actor("tt.chuyenvien"), instance_id)["history"]


@pytest.mark.parametrize("period", ["1900", "2024", "2029", "2030", "2099"])
def test_a_period_year_outside_the_plan_and_the_window_is_refused(db, actor, period):
    with pytest.raises(EngineError, match=f"Kỳ {period} nằm ngoài thời gian có thể khởi tạo .từ năm 2025 đến năm "
                                          "2028."):
        start(db, actor, period=period)
    assert all(i.process_key != "legal_document_review" for i in service.list_instances(db))


def test_years_of_the_plan_narrow_the_window():
    today = date(2026, 12, 1)
    assert start_rules.plan_years("2021-2030", today) == range(2025, 2029)
    assert start_rules.plan_years("2021-2025", today) == range(2025, 2026)
    assert start_rules.plan_years("2027", today) == range(2027, 2028)
    assert start_rules.plan_years(None, today) == range(2025, 2029)
    with pytest.raises(EngineError, match="không còn năm nào"):
        start_rules.check_year(2026, start_rules.plan_years("2021", today))


@pytest.mark.parametrize("due", ["01/01/2099", "01/01/1900", "15/01/2024"])
def test_a_deadline_far_from_the_period_is_refused(db, actor, due):
    with pytest.raises(EngineError, match=f"Hạn {due} không hợp lý cho kỳ 2026"):
        start(db, actor, due_text=due)


def test_a_past_deadline_needs_a_confirmed_late_start_and_the_history_says_so(db, actor):
    with pytest.raises(LateStart, match="Hạn 20/11/2026 đã qua.*Khởi tạo muộn"):
        start(db, actor, due_text="20/11/2026")
    inst = start(db, actor, due_text="20/11/2026", late=True)
    events = history(db, actor, inst.id)
    assert any("khởi tạo muộn, sau hạn 20/11/2026" in e.summary for e in events if e.kind == "start")
    fired = [e.summary for e in events if e.kind == "timer_fired"]  # the reminder and escalation fire at once …
    assert fired and all(s.endswith("— do khởi tạo muộn, sau hạn") for s in fired)  # … and say why


def test_the_default_deadline_counts_too(db, actor):
    with pytest.raises(LateStart, match="Hạn 14/01/2026 đã qua|Hạn 15/01/2026 đã qua"):
        start(db, actor, period="2025")  # its default deadline: before 15/01/2026


def test_a_future_deadline_is_not_a_late_start(db, actor):
    inst = start(db, actor, due_text="31/12/2026")
    assert not any("khởi tạo muộn" in e.summary for e in history(db, actor, inst.id))


def test_the_same_duty_unit_and_period_once_whichever_way_it_is_started(db, actor):
    first = service.start_duty(db, actor("tt.chuyenvien"), "HUE-TC-03", "TTRA", "2026")
    with pytest.raises(AlreadyStarted) as by_process:
        start(db, actor)
    with pytest.raises(AlreadyStarted) as by_duty:
        service.start_duty(db, actor("tt.chuyenvien"), "HUE-TC-03", "TTRA", "2026")
    for refused in (by_process.value, by_duty.value):
        assert refused.instance_id == first.id
        assert str(refused) == (f"“{first.title}” đã được khởi tạo cho {THANH_TRA}, kỳ 2026: mở nhiệm vụ đã có "
                                "thay vì khởi tạo lần nữa.")
        assert "TTRA" not in str(refused)


def test_a_process_started_first_is_the_duty_s_instance(db, actor):
    first = start(db, actor)
    assert first.duty_key == "HUE-TC-03"
    with pytest.raises(AlreadyStarted) as refused:
        service.start_duty(db, actor("tt.chuyenvien"), "HUE-TC-03", "TTRA", "2026")
    assert refused.value.instance_id == first.id
    with pytest.raises(AlreadyStarted):
        start(db, actor)


def test_a_past_period_of_the_duty_list_needs_a_late_start(db, actor):
    me = actor("tt.chuyenvien")
    with pytest.raises(LateStart, match="đã qua"):
        service.start_duty(db, me, "HUE-TTHC-01", "TTRA", "2026")
    inst = service.start_duty(db, me, "HUE-TTHC-01", "TTRA", "2026", late=True)
    assert any("khởi tạo muộn" in e.summary for e in history(db, actor, inst.id) if e.kind == "start")


def test_another_unit_is_refused_before_anything_about_its_input(db, actor):
    with pytest.raises(Forbidden):
        start(db, actor, lead_unit="KHTC", period="1900")


@pytest.mark.parametrize(("typed", "error"), [
    ("01/01/2099", "Ngày 01/01/2099 không hợp lý: phải trong khoảng năm 1996 đến năm 2031"),
    ("01/01/1900", "Ngày 01/01/1900 không hợp lý: phải trong khoảng năm 1996 đến năm 2031"),
    ("15/01/2027", None),
])
def test_form_dates_are_within_sane_bounds(db, typed, error):
    schema = {"type": "object", "properties": {"issued_on": {"type": "string", "format": "date"}}}
    data, errors = forms.coerce(schema, {"issued_on": typed})
    if error:
        assert errors == {"issued_on": error} and data == {}
    else:
        assert data == {"issued_on": "2027-01-15"} and errors == {}
