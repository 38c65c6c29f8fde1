"""Jinja filters: Vietnamese dates (dd/mm/yyyy, Việt Nam time) and labels."""

from __future__ import annotations

from datetime import date, datetime

from engine.core import audit, clock, roles
from engine.planning import deadlines
from engine.runtime import forms, numbers, worklist


def vn_date(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = clock.local(clock.from_db(value) if value.tzinfo is None else value).date()
    return value.strftime("%d/%m/%Y")


def vn_datetime(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = clock.local(clock.from_db(value) if value.tzinfo is None else value)
    return local.strftime("%d/%m/%Y %H:%M")


def vn_number(value) -> str:
    """A number as the UI shows it, the way the forms read it back (engine.runtime.numbers): 1.5 -> '1,5',
    2.0 -> '2'; '' for nothing, text as it is."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return numbers.format_number(value)
    return str(value)


def due_text(value) -> str:
    """'trước 15/01/2027' for a midnight deadline (overdue from that day), else the last day."""
    if value is None:
        return "—"
    return deadlines.due_phrase(clock.from_db(value) if value.tzinfo is None else value)


UNIT_KEYS = {"lead_unit", "approver_unit", "unit", "supporting_units"}


def show_value(value, key: str, units: dict[str, str], choices: dict[str, dict] | None = None) -> str:
    """A case-data value as a person reads it: unit names, the label of a chosen option, dd/mm/yyyy dates,
    lists joined."""
    labels = (choices or {}).get(key)
    if labels:
        picked = value if isinstance(value, list) else [value]
        if all(isinstance(v, str | int | bool) and v in labels for v in picked):
            return "; ".join(labels[v] for v in picked)
    if key in UNIT_KEYS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(units.get(str(c), str(c)) for c in codes)
    if key == "due_at" and isinstance(value, str):
        return due_text(datetime.fromisoformat(value))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float):
        return vn_number(value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return vn_date(value) or value
    return str(value)


STATUS_CLASS = {worklist.ON_TIME: "ok", worklist.OVERDUE: "late", worklist.DONE_ON_TIME: "done",
                worklist.DONE_LATE: "done-late", "": "none"}  # "": withdrawn by the process, no deadline state
STATE_LABEL = {"READY": "Đang chờ xử lý", "COMPLETED": "Đã hoàn thành", "CANCELLED": "Đã hủy",
               "IN_REVIEW": "Chờ trưởng phòng duyệt",
               "WAITING": "Chờ đơn vị gửi lại kết quả",
               "running": "Đang thực hiện", "completed": "Đã kết thúc", "cancelled": "Đã hủy"}


def register(app) -> None:
    app.add_template_filter(vn_date)
    app.add_template_filter(vn_datetime)
    app.add_template_filter(vn_number)
    app.add_template_filter(due_text)
    app.add_template_filter(lambda r: roles.ROLE_LABELS.get(r, r), "role_label")
    app.add_template_filter(lambda s: STATE_LABEL.get(s, s), "state_label")
    app.add_template_global(STATUS_CLASS, "STATUS_CLASS")
    app.add_template_global(forms.choices, "choices")
    app.add_template_filter(show_value)
    app.add_template_filter(lambda k: audit.KIND_LABELS.get(k, k), "event_label")
