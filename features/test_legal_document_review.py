"""Steps for legal_document_review.feature: every step goes through engine.service, time moves with the FakeClock.

People and units are named as users say them ("chuyên viên Thanh tra Sở", "Giám đốc Sở", "Phòng Nghiệp vụ Y");
names resolve to codes and logins through service.unit_names and the demo accounts (service.demo_logins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from parse import with_pattern
from pytest_bdd import given, parsers, scenarios, then, when

from engine import clock, service, worklist
from tests.conftest import DEMO_ORG

scenarios("legal_document_review.feature")

PROCESS_KEY = "legal_document_review"
START, CONTRIBUTE, CONSOLIDATE = ("Khởi động rà soát văn bản QPPL", "Rà soát văn bản thuộc lĩnh vực của đơn vị",
                                  "Tổng hợp, xây dựng báo cáo kết quả rà soát")
APPROVE = "Xem xét, phê duyệt báo cáo"
INSTANCE_STATUS = {"Đang thực hiện": "running", "Đã kết thúc": "completed", "Đã hủy": "cancelled"}

# Valid answers for each user task's form (forms/legal_document_review/<bpmn id>.schema.json).
FORM_DATA = {
    "start_review": {"scope": "Văn bản QPPL về y tế do HĐND, UBND tỉnh ban hành còn hiệu lực",
                     "contribute_due": "2026-12-20", "instructions": "Gửi kết quả về Thanh tra Sở"},
    "contribute": {"documents_reviewed": 12, "documents_to_amend": 2, "documents_to_repeal": 1,
                   "document_list": ["Quyết định 15/2021/QĐ-UBND"], "proposals": "Sửa đổi Quyết định 15/2021"},
    "consolidate": {"report_title": "Báo cáo kết quả rà soát, hệ thống hóa văn bản QPPL năm 2026",
                    "total_reviewed": 24, "summary": "Đã rà soát 24 văn bản; 4 văn bản cần sửa đổi, bổ sung"},
    "approve": {"decision": "approve"},
    "finalize_by_approver": {"final_note": "Lãnh đạo Sở hoàn thiện"},
    "handle_overdue": {"direction": "Thanh tra Sở hoàn thành báo cáo trong 03 ngày làm việc"},
}


@with_pattern(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")
def vn_datetime(text: str) -> datetime:
    """dd/mm/yyyy HH:MM, Việt Nam time."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=clock.VN_TZ)


def step(text: str):
    return parsers.parse(text, extra_types={"NgayGio": vn_datetime})


@dataclass
class Case:
    """What the scenario has built so far."""

    instance_id: int | None = None


@pytest.fixture
def case() -> Case:
    return Case()


@pytest.fixture
def people(db, actor):
    """Helpers naming units and people the way the feature does."""
    return People(db, actor)


class People:
    def __init__(self, db, actor):
        self.db, self.actor = db, actor
        org_id = actor("giamdoc").org_id
        self.units = service.unit_names(db, org_id)  # code -> name
        self.codes = {name: code for code, name in self.units.items()}
        # "chuyên viên Thanh tra Sở" -> tt.chuyenvien; a title held by one account ("Giám đốc Sở") -> that login.
        self.logins: dict[str, str] = {}
        titles: dict[str, list[str]] = {}
        for login, description in service.demo_logins(db, DEMO_ORG):
            title, _, unit = description.partition(" — ")
            titles.setdefault(title.lower(), []).append(login)
            if unit in self.units:
                self.logins[f"{title} {self.units[unit]}".lower()] = login
        self.logins.update({t: logins[0] for t, logins in titles.items() if len(logins) == 1})

    def code(self, unit_name: str) -> str:
        assert unit_name in self.codes, f"không có đơn vị '{unit_name}' trong {sorted(self.codes)}"
        return self.codes[unit_name]

    def who(self, person: str):
        login = self.logins.get(person.lower())
        assert login is not None, f"không biết tài khoản của '{person}'"
        return self.actor(login)


def open_items(db, person, task: str):
    return [w for w in service.my_work_items(db, person) if w.name == task]


def the_item(db, person, task: str):
    items = open_items(db, person, task)
    assert len(items) == 1, f"{person.login} có {len(items)} việc '{task}'"
    return items[0]


def complete(db, person, task: str, data: dict | None = None):
    item = the_item(db, person, task)
    return service.complete_task(db, person, item.task_id, data if data is not None else FORM_DATA[item.bpmn_id])


def view(db, people: People, case: Case) -> dict:
    return service.instance_view(db, people.who("Giám đốc Sở"), case.instance_id)


def history(db, people: People, case: Case):
    return view(db, people, case)["history"]


def mentions(event, kind: str, text: str) -> bool:
    """An audit event of `kind` whose summary or payload mentions `text`."""
    return event.kind == kind and (text in event.summary or text in event.payload)


def item_of(db, people: People, case: Case, task: str, unit_name: str):
    """The latest work item (open or closed) of `task` for a unit."""
    code = people.code(unit_name)
    items = [w for w in view(db, people, case)["items"] if w.name == task and w.unit_code == code]
    assert items, f"chưa có việc '{task}' của {unit_name}"
    return items[-1]


# --- Cho -------------------------------------------------------------------------------------------------------------

@given(step("đồng hồ đang là {when:NgayGio}"))
def clock_is(fake_clock, when):
    fake_clock.set(when)


@given(step("{lead} khởi tạo nhiệm vụ rà soát văn bản QPPL kỳ {period:d} với đơn vị phối hợp {supporting}"))
def start_review_duty(db, people, case, lead, period, supporting):
    codes = [people.code(name.strip()) for name in supporting.replace(", ", " và ").split(" và ")]
    starter = people.who(f"chuyên viên {lead}")
    instance = service.start_instance(db, starter, PROCESS_KEY, lead_unit=people.code(lead), period=str(period),
                                      supporting_units=codes)
    case.instance_id = instance.id


@given("các đơn vị phối hợp đã gửi kết quả rà soát")
def contributions_sent(db, people, case):
    lead = people.who("chuyên viên Thanh tra Sở")
    complete(db, lead, START)
    for code in view(db, people, case)["data"]["supporting_units"]:
        complete(db, people.who(f"chuyên viên {people.units[code]}"), CONTRIBUTE)
    the_item(db, lead, CONSOLIDATE)


@given("báo cáo đã được trình Giám đốc Sở")
def report_submitted(db, people, case):
    contributions_sent(db, people, case)
    complete(db, people.who("chuyên viên Thanh tra Sở"), CONSOLIDATE)
    the_item(db, people.who("Giám đốc Sở"), APPROVE)


# --- Khi -------------------------------------------------------------------------------------------------------------

@when(step("đồng hồ đến ngày {when:NgayGio}"))
def clock_moves(fake_clock, when):
    fake_clock.set(when)


@when("bộ hẹn giờ được chạy")
def timers_run(db):
    service.fire_due_timers(db)


@when(step('{person} hoàn thành việc "{task}"'))
def person_completes(db, people, person, task):
    complete(db, people.who(person), task)


@when(step("{person} phê duyệt báo cáo"))
def approves(db, people, person):
    complete(db, people.who(person), APPROVE, {"decision": "approve"})


@when(step('{person} trả lại báo cáo với ý kiến "{comment}"'))
def returns(db, people, person, comment):
    complete(db, people.who(person), APPROVE, {"decision": "return", "comment": comment})


# --- Thì -------------------------------------------------------------------------------------------------------------

@then(step("hạn báo cáo là {due:NgayGio} và nhắc hạn lúc {remind:NgayGio}"))
def deadline_and_reminder(db, people, case, due, remind):
    shown = view(db, people, case)
    assert clock.from_db(shown["instance"].due_at) == due
    assert datetime.fromisoformat(shown["data"]["due_at"]) == due
    assert datetime.fromisoformat(shown["data"]["reminder_at"]) == remind


@then(step('{person} có việc "{task}"'))
def has_task(db, people, person, task):
    the_item(db, people.who(person), task)


@then(step('{person} có đúng {count:d} việc "{task}" của {unit}'))
def has_tasks_of_unit(db, people, person, count, task, unit):
    items = open_items(db, people.who(person), task)
    assert [w.unit_code for w in items] == [people.code(unit)] * count


@then(step('{person} không thấy việc "{task}"'))
def has_no_task(db, people, person, task):
    assert open_items(db, people.who(person), task) == []


@then(step('{person} thấy "{label}" là "{value}" trong việc "{task}"'))
def sees_in_task(db, people, person, label, value, task):
    someone = people.who(person)
    context = service.task_context(db, someone, the_item(db, someone, task).task_id)
    assert context["can_act"]
    shown = {row[-2]: str(row[-1]) for row in context["context_rows"]}  # rows end with (label, value)
    assert shown.get(label) == value, shown


@then(step('quy trình ở trạng thái "{label}"'))
def instance_status(db, people, case, label):
    assert view(db, people, case)["instance"].status == INSTANCE_STATUS[label]


@then(step('việc "{task}" của {unit} ở trạng thái "{label}"'))
def item_status(db, people, case, task, unit, label):
    assert worklist.status(item_of(db, people, case, task, unit)) == label


@then(step('việc "{task}" của {unit} đã bị hủy'))
def item_cancelled(db, people, case, task, unit):
    assert item_of(db, people, case, task, unit).state == "CANCELLED"


@then("lịch sử quy trình có các sự kiện theo thứ tự:")
def history_in_order(db, people, case, datatable):
    events = iter(history(db, people, case))
    for kind, text in datatable[1:]:
        assert any(mentions(e, kind, text) for e in events), f"thiếu '{kind}: {text}' (theo thứ tự)"


@then(step('lịch sử quy trình có sự kiện "{kind}" về "{text}"'))
def history_has(db, people, case, kind, text):
    assert any(mentions(e, kind, text) for e in history(db, people, case))


@then(step('lịch sử quy trình chưa có sự kiện "{kind}" về "{text}"'))
def history_lacks(db, people, case, kind, text):
    assert not any(mentions(e, kind, text) for e in history(db, people, case))
