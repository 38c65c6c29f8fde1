"""Steps shared by the plan features (`# language: vi`): pick a Sở by its plan, move the clock (the scheduler and
the timers run as the worker would), act as people named the way users say them, check duties and deadlines.

Every step calls engine.service only. People are "chuyên viên <tên đơn vị>", "trưởng phòng <tên đơn vị>",
"Giám đốc Sở"; units by their names in the plan's registry. Form answers come from features/form_data.py; a step
ending in "với:" fills them from a table (features/form_steps.py). A step that tries something not allowed keeps the
refusal in the `attempt` fixture for "bị từ chối với thông báo …".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from parse import with_pattern
from pytest_bdd import given, parsers, then, when

from engine import service
from engine.core import clock
from engine.core.errors import EngineError
from engine.planning import deadlines
from engine.runtime import worklist
from features.form_data import answers

STATES = (worklist.ON_TIME, worklist.OVERDUE, worklist.DONE_ON_TIME, worklist.DONE_LATE)


@with_pattern(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")
def vn_datetime(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=clock.VN_TZ)


@with_pattern(r"\d{2}/\d{2}/\d{4}")
def vn_date(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


@with_pattern(r'(?:[Cc]huyên viên|[Tt]rưởng phòng|[Tt]hủ trưởng đơn vị) (?:(?!thử )[^"])+?|Giám đốc Sở')
def person_name(text: str) -> str:
    """Someone, never "… thử" (so in "chuyên viên X thử tải lên …" the person is not "chuyên viên X thử")."""
    return text


def step(text: str):
    """A parse pattern; {person:Nguoi} is someone ("chuyên viên Thanh tra Sở", "Giám đốc Sở")."""
    return parsers.parse(text, extra_types={"NgayGio": vn_datetime, "Ngay": vn_date, "Nguoi": person_name})


@dataclass
class Plan:
    """The Sở under test: its plan id, organisation, units and accounts; the duty instance in focus."""

    db: object
    plan_id: str = ""
    org_code: str = ""
    units: dict[str, str] = field(default_factory=dict)  # code -> name
    logins: dict[str, str] = field(default_factory=dict)  # "chuyên viên thanh tra sở" -> login
    instance_id: int | None = None

    def use(self, plan_id: str) -> None:
        row = next((p for p in service.list_plans(self.db) if p["id"] == plan_id), None)
        assert row is not None, f"chưa nạp kế hoạch '{plan_id}'"
        self.plan_id, self.org_code = plan_id, row["org_code"]
        giamdoc = service.actor_for_login(self.db, "giamdoc", self.org_code)
        self.units = service.unit_names(self.db, giamdoc.org_id)
        self.logins = {}
        for login, description in service.demo_logins(self.db, self.org_code):
            title, _, code = description.partition(" — ")
            key = title.lower() if code not in self.units or title == "Giám đốc Sở" else f"{title} {self.units[code]}"
            self.logins.setdefault(key.lower(), login)

    def code(self, unit_name: str) -> str:
        codes = {name.lower(): code for code, name in self.units.items()}
        assert unit_name.lower() in codes, f"không có đơn vị '{unit_name}' trong {sorted(self.units.values())}"
        return codes[unit_name.lower()]

    def who(self, person: str):
        login = self.logins.get(person.lower())
        assert login is not None, f"không biết tài khoản của '{person}' ({sorted(self.logins)})"
        return service.actor_for_login(self.db, login, self.org_code)

    def lead_of(self, unit_name: str):
        return self.who(f"chuyên viên {unit_name}")

    def staff(self, code: str):
        """The chuyên viên of the unit with that code."""
        return self.lead_of(self.units[code])


@pytest.fixture
def plan(db) -> Plan:
    return Plan(db)


@dataclass
class Attempt:
    """The refusal of the last step that tried something not allowed (None if it went through)."""

    error: EngineError | None = None
    form_key: str = ""  # the form of the refused task, where a form was refused


@pytest.fixture
def attempt() -> Attempt:
    return Attempt()


@contextmanager
def refusal(attempt: Attempt, kind: type[EngineError] = EngineError) -> Iterator[None]:
    """The block must be refused with `kind`; the refusal is kept for "bị từ chối …"."""
    with pytest.raises(kind) as refused:
        yield
    attempt.error = refused.value


def open_items(plan: Plan, person, task: str | None = None, title: str | None = None):
    items = service.my_work_items(plan.db, person)
    return [w for w in items if (task is None or w.name == task) and (title is None or w.instance.title == title)]


def item_in_focus(plan: Plan, person, task: str):
    """The open item `task` of `person` in the instance in focus (or the only one anywhere)."""
    everything = open_items(plan, person, task)
    items = [w for w in everything if plan.instance_id is None or w.instance_id == plan.instance_id]
    assert len(items) == 1, (f"{person.login} có {len(items)} việc '{task}' trong hồ sơ {plan.instance_id} "
                             f"(mọi hồ sơ: {[w.instance_id for w in everything]})")
    plan.instance_id = items[0].instance_id
    return items[0]


def complete(plan: Plan, person, task: str, data: dict | None = None):
    item = item_in_focus(plan, person, task)
    process_key = item.instance.process_key
    return service.complete_task(plan.db, person, item.task_id,
                                 data if data is not None else answers(process_key, item.bpmn_id))


def remaining_complete(plan: Plan, task: str, but: str | None = None) -> None:
    """Every unit whose `task` is still open in the instance in focus completes it (generated answers), but `but`."""
    remaining = [w.unit_code for w in items_of(plan, task) if w.state == "READY"
                 and (but is None or w.unit_code != plan.code(but))]
    assert remaining, f"không còn đơn vị nào chưa hoàn thành việc '{task}'"
    for code in remaining:
        complete(plan, plan.staff(code), task)


def focus_view(plan: Plan) -> dict:
    assert plan.instance_id is not None, "chưa chọn nhiệm vụ nào"
    return service.instance_view(plan.db, plan.who("Giám đốc Sở"), plan.instance_id)


def instance_by_title(plan: Plan, title: str):
    rows = [r for r in service.list_instances(plan.db, plan.who("Giám đốc Sở")) if r.title == title]
    return rows


def items_of(plan: Plan, task: str, unit: str | None = None):
    """The work items (open or closed) of `task` in the instance in focus, of one unit if given, oldest first."""
    return [w for w in focus_view(plan)["items"]
            if w.name == task and (unit is None or w.unit_code == plan.code(unit))]


def latest_item(plan: Plan, task: str, unit: str):
    items = items_of(plan, task, unit)
    assert items, f"chưa có việc '{task}' của {unit}"
    return items[-1]


def assert_own_items(plan: Plan, task: str, codes, due: str | None = None) -> None:
    """The chuyên viên of each unit of `codes` has exactly one open `task` in the instance in focus, the unit's own
    (due `due` if given)."""
    for code in codes:
        items = [w for w in open_items(plan, plan.staff(code), task) if w.instance_id == plan.instance_id]
        assert [w.unit_code for w in items] == [code], f"{plan.units[code]}: {[w.unit_code for w in items]}"
        if due is not None:
            assert deadlines.due_phrase(clock.from_db(items[0].due_at)) == due


def mentions(event, kind: str, text: str) -> bool:
    """An audit event of `kind` whose summary or payload mentions `text`."""
    return event.kind == kind and (text in event.summary or text in event.payload)


def has_event(plan: Plan, kind: str, text: str) -> bool:
    return any(mentions(e, kind, text) for e in focus_view(plan)["history"])


def move_clock(plan: Plan, fake_clock, when: datetime) -> None:
    """The worker's round at `when`: the scheduler (this plan only, to keep features fast) then due timers."""
    fake_clock.set(when)
    service.run_scheduler(plan.db, plan_keys={plan.plan_id})
    service.fire_due_timers(plan.db)


# --- Cho ---------------------------------------------------------------------------------------------------------

@given(step('Sở Y tế của kế hoạch "{plan_id}"'))
def given_plan(plan, plan_id):
    plan.use(plan_id)


@given(step("đồng hồ đang là {when:NgayGio}"))
def given_clock(fake_clock, when):
    fake_clock.set(when)


@given(step('nhiệm vụ "{title}" đã được mở'))
def given_opened(plan, title):
    rows = instance_by_title(plan, title)
    assert len(rows) == 1, f"có {len(rows)} nhiệm vụ '{title}'"
    plan.instance_id = rows[0].id


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step("đồng hồ đến {when:NgayGio}"))
def when_clock(plan, fake_clock, when):
    move_clock(plan, fake_clock, when)


@when(step('{person:Nguoi} hoàn thành việc "{task}"'))
def when_completes(plan, person, task):
    complete(plan, plan.who(person), task)


@when(step('{person:Nguoi} hoàn thành việc "{task}" lúc {when:NgayGio}'))
def when_completes_at(plan, fake_clock, person, task, when):
    move_clock(plan, fake_clock, when)
    complete(plan, plan.who(person), task)


@when(step('các đơn vị phối hợp hoàn thành việc "{task}"'))
def when_all_supporting_complete(plan, task):
    for code in focus_view(plan)["data"]["supporting_units"]:
        complete(plan, plan.staff(code), task)


@when(step('các đơn vị phối hợp hoàn thành việc "{task}" lúc {when:NgayGio}'))
def when_all_supporting_complete_at(plan, fake_clock, task, when):
    move_clock(plan, fake_clock, when)
    when_all_supporting_complete(plan, task)


@when(step('{person:Nguoi} phê duyệt việc "{task}"'))
def when_approves(plan, person, task):
    complete(plan, plan.who(person), task, {"decision": "approve"})


@when(step('{person:Nguoi} trả lại việc "{task}" với ý kiến "{comment}"'))
def when_returns(plan, person, task, comment):
    complete(plan, plan.who(person), task, {"decision": "return", "comment": comment})


@when(step('{person:Nguoi} chỉ đạo "{direction}" trong việc "{task}"'))
def when_directs(plan, person, direction, task):
    complete(plan, plan.who(person), task, {"direction": direction})


@when(step("{person:Nguoi} mở kỳ báo cáo với hạn các đơn vị gửi báo cáo {due:Ngay}"))
def when_period_opened(plan, person, due: date):
    """periodic_report's first task, with the units' cut-off a person would type (generated: today)."""
    title = focus_view(plan)["instance"].title
    data = {"unit_report_due": due.isoformat(),
            "guidance": f"Đề cương {title}: kết quả thực hiện trong kỳ, khó khăn, vướng mắc, kiến nghị, đề xuất"}
    complete(plan, plan.who(person), "Mở kỳ báo cáo, hướng dẫn các đơn vị", data)


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('{unit} có việc "{title}" hạn {due}'))
def then_unit_has_duty(plan, unit, title, due):
    person = plan.lead_of(unit)
    items = open_items(plan, person, title=title)
    assert items, f"{unit} không có việc nào của nhiệm vụ '{title}'"
    instance = items[0].instance
    assert instance.lead_unit_code == plan.code(unit)
    assert deadlines.due_phrase(clock.from_db(instance.due_at)) == due
    plan.instance_id = instance.id


@then(step('chưa có nhiệm vụ "{title}"'))
def then_no_duty(plan, title):
    assert instance_by_title(plan, title) == []


@then(step('nhiệm vụ "{title}" có {count:d} hồ sơ, mỗi đơn vị chủ trì một hồ sơ'))
def then_one_per_unit(plan, title, count):
    rows = instance_by_title(plan, title)
    assert len(rows) == count and len({r.lead_unit_code for r in rows}) == count


@then(step('{person:Nguoi} có việc "{task}"'))
def then_has_task(plan, person, task):
    item_in_focus(plan, plan.who(person), task)


@then(step('{person:Nguoi} không thấy việc "{task}"'))
def then_no_task(plan, person, task):
    items = open_items(plan, plan.who(person), task)
    if plan.instance_id is not None:
        items = [w for w in items if w.instance_id == plan.instance_id]
    assert items == []


@then(step('{person:Nguoi} thấy "{label}" là "{value}" trong việc "{task}"'))
def then_sees_in_task(plan, person, label, value, task):
    who = plan.who(person)
    context = service.task_context(plan.db, who, item_in_focus(plan, who, task).task_id)
    assert context["can_act"]
    shown = {row_label: str(row_value) for _key, row_label, row_value in context["context_rows"]}
    assert shown.get(label) == value, shown


@then(step('việc "{task}" của {unit} ở trạng thái "{label}"'))
def then_item_state(plan, task, unit, label):
    assert label in STATES
    assert worklist.status(latest_item(plan, task, unit)) == label


@then(step('việc "{task}" của {unit} hạn {due}'))
def then_item_due(plan, task, unit, due):
    assert deadlines.due_phrase(clock.from_db(latest_item(plan, task, unit).due_at)) == due


@then(step('việc "{task}" của {unit} đã bị hủy'))
def then_item_cancelled(plan, task, unit):
    item = latest_item(plan, task, unit)
    assert item.state == "CANCELLED", item.state


@then(step('nhiệm vụ ở trạng thái "{label}"'))
def then_instance_state(plan, label):
    assert label in STATES
    assert worklist.instance_status(focus_view(plan)["instance"]) == label


@then(step('nhiệm vụ đã kết thúc'))
def then_instance_completed(plan):
    assert focus_view(plan)["instance"].status == "completed"


@then(step('lịch sử nhiệm vụ có sự kiện "{kind}" về "{text}"'))
def then_history(plan, kind, text):
    assert has_event(plan, kind, text)


@then(step('lịch sử nhiệm vụ không có sự kiện "{kind}" về "{text}"'))
def then_no_history(plan, kind, text):
    assert not has_event(plan, kind, text)


@then(step('bị từ chối với thông báo "{message}"'))
def then_refused(attempt, message):
    assert attempt.error is not None, "bước trước không bị từ chối"
    assert message in str(attempt.error), str(attempt.error)
