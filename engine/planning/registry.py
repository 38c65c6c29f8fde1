"""Duty registries: a CCHC plan as a YAML file (processes/plans/README.md), loaded and validated with line numbers.

Validation collects every problem of a file before failing, each as `file:line: what is wrong`, so a modeller
fixes a registry in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.core import config, hooks
from engine.core.errors import ValidationFailed
from engine.planning import deadlines, yaml_lines

PLANS_DIR = config.PROCESSES_DIR / "plans"

AREAS = {
    "the_che": "Cải cách thể chế",
    "tthc": "Cải cách thủ tục hành chính",
    "to_chuc_bo_may": "Cải cách tổ chức bộ máy",
    "cong_vu": "Cải cách chế độ công vụ",
    "tai_chinh_cong": "Cải cách tài chính công",
    "chinh_quyen_so": "Xây dựng chính quyền điện tử, chính quyền số",
    "chi_dao_dieu_hanh": "Công tác chỉ đạo, điều hành",
    "chi_so": "Chỉ số cải cách hành chính",
}
FUNCTIONS = ("cchc_focal", "tthc_control", "legal", "inspection", "personnel", "finance", "digital", "one_stop")
UNIT_KINDS = ("leadership", "department", "affiliated")
REQUIRED_DUTY_KEYS = ("id", "area", "duty", "product", "lead", "support", "timing", "recurrence", "process", "source")
_LINE = yaml_lines.LINE
_text = yaml_lines.text


@dataclass(frozen=True)
class Duty:
    """One duty of a plan, as loaded (unit codes resolved from groups)."""

    id: str
    area: str
    duty: str
    title: str
    product: str
    lead_units: tuple[str, ...]
    support_units: tuple[str, ...]
    timing: str
    schedule: deadlines.Schedule
    approver: str
    recipient: str
    process: str
    source: str
    line: int
    batches: tuple[deadlines.DayMonth, ...] = ()
    note: str = ""

    @property
    def area_label(self) -> str:
        return AREAS[self.area]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (what `cchc duties --json` prints)."""
        return {
            "id": self.id, "area": self.area, "area_label": self.area_label, "duty": self.duty, "title": self.title,
            "product": self.product, "lead": list(self.lead_units), "support": list(self.support_units),
            "timing": self.timing, "recurrence": self.schedule.recurrence, "report": self.schedule.report,
            "deadline": self.schedule.deadline_text, "opens": self.schedule.opens_text,
            "batches": [b.text for b in self.batches], "approver": self.approver, "recipient": self.recipient,
            "process": self.process, "source": self.source, "line": self.line, "note": self.note,
        }


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    login: str


@dataclass
class Registry:
    """A validated plan: organisation, units, groups, functions and duties."""

    path: str
    plan_id: str
    province: str
    title: str
    number: str
    issued: str
    years: str
    source: str
    org_code: str
    org_name: str
    units: list[Unit]
    groups: dict[str, tuple[str, list[str]]]  # id -> (name, unit codes)
    functions: dict[str, str]
    approver: str
    recipient: str
    holiday_rule: str
    duties: list[Duty] = field(default_factory=list)

    def duty(self, duty_id: str) -> Duty:
        for d in self.duties:
            if d.id == duty_id:
                return d
        raise KeyError(duty_id)

    def unit_name(self, code: str) -> str:
        return next((u.name for u in self.units if u.code == code), code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": {"id": self.plan_id, "province": self.province, "title": self.title, "number": self.number,
                     "issued": self.issued, "years": self.years, "source": self.source},
            "organisation": {"code": self.org_code, "name": self.org_name},
            "units": [{"code": u.code, "name": u.name, "kind": u.kind, "login": u.login} for u in self.units],
            "groups": {k: {"name": n, "units": list(us)} for k, (n, us) in self.groups.items()},
            "functions": dict(self.functions),
            "defaults": {"approver": self.approver, "recipient": self.recipient, "holiday_rule": self.holiday_rule},
            "duties": [d.as_dict() for d in self.duties],
        }


def parse(text: str, name: str) -> Registry:
    """Validate a registry's text; raises ValidationFailed listing every problem as `name:line: message`."""
    problems: list[str] = []
    doc = yaml_lines.load(text, name)
    if not isinstance(doc, dict):
        raise ValidationFailed([f"{name}:1: tệp phải là một bảng (mapping) có plan, organisation, units, duties"])

    def err(node: Any, message: str) -> None:
        line = node.get(_LINE, 1) if isinstance(node, dict) else 1
        problems.append(f"{name}:{line}: {message}")

    plan = doc.get("plan") or {}
    organisation = doc.get("organisation") or {}
    for section, node in (("plan", plan), ("organisation", organisation)):
        if not isinstance(node, dict):
            err(doc, f"thiếu mục '{section}'")
    for key in ("id", "province", "title"):
        if not _text(plan.get(key)):
            err(plan or doc, f"plan: thiếu '{key}'")
    plan_id = _text(plan.get("id"))
    if plan_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", plan_id):
        err(plan, f"plan: id '{plan_id}' chỉ gồm chữ thường, số và '-'")
    for key in ("code", "name"):
        if not _text(organisation.get(key)):
            err(organisation or doc, f"organisation: thiếu '{key}'")

    units: list[Unit] = []
    seen_units: set[str] = set()
    for node in doc.get("units") or []:
        code = _text(node.get("code")) if isinstance(node, dict) else ""
        if not re.fullmatch(r"[A-Z0-9_]{1,40}", code):
            err(node, f"đơn vị: mã '{code}' không hợp lệ (chữ hoa, số, '_')")
            continue
        if code in seen_units:
            err(node, f"đơn vị: mã '{code}' bị trùng")
        kind = _text(node.get("kind")) or "department"
        if kind not in UNIT_KINDS:
            err(node, f"đơn vị {code}: loại '{kind}' không hợp lệ ({', '.join(UNIT_KINDS)})")
        if not _text(node.get("name")):
            err(node, f"đơn vị {code}: thiếu tên")
        seen_units.add(code)
        units.append(Unit(code, _text(node.get("name")), kind, _text(node.get("login")) or code.lower()))
    if not units:
        err(doc, "thiếu danh sách đơn vị (units)")
    leadership = [u.code for u in units if u.kind == "leadership"]
    if len(leadership) != 1:
        err(doc, f"cần đúng một đơn vị lãnh đạo (kind: leadership), có {len(leadership)}")

    groups: dict[str, tuple[str, list[str]]] = {}
    for group_id, node in (doc.get("groups") or {}).items():
        if group_id == _LINE:
            continue
        if not isinstance(node, dict):
            err(doc.get("groups"), f"nhóm '{group_id}' phải có name và units")
            continue
        if group_id in seen_units:
            err(node, f"nhóm '{group_id}' trùng mã một đơn vị")
        members = [str(u) for u in node.get("units") or []]
        for code in members:
            if code not in seen_units:
                err(node, f"nhóm '{group_id}': không có đơn vị '{code}'")
        if not members:
            err(node, f"nhóm '{group_id}' không có đơn vị nào")
        groups[group_id] = (_text(node.get("name")) or group_id, members)

    functions_node = doc.get("functions") or {}
    functions: dict[str, str] = {}
    for key in FUNCTIONS:
        code = _text(functions_node.get(key))
        if not code:
            err(functions_node or doc, f"functions: thiếu '{key}'")
        elif code not in seen_units:
            err(functions_node, f"functions: '{key}' trỏ tới đơn vị không có '{code}'")
        functions[key] = code
    for key in functions_node:
        if key != _LINE and key not in FUNCTIONS:
            err(functions_node, f"functions: '{key}' không phải chức năng đã biết ({', '.join(FUNCTIONS)})")

    defaults = doc.get("defaults") or {}
    approver = _text(defaults.get("approver")) or (leadership[0] if len(leadership) == 1 else "")
    recipient = _text(defaults.get("recipient"))
    holiday_rule = _text(defaults.get("holiday_rule")) or "next"
    if holiday_rule not in deadlines.HOLIDAY_RULES:
        err(defaults, f"defaults: holiday_rule '{holiday_rule}' phải là next hoặc previous")
    opens_before = defaults.get("opens_before_days", deadlines.DEFAULT_OPENS_BEFORE_DAYS)
    if not isinstance(opens_before, int) or opens_before < 0:
        err(defaults, "defaults: opens_before_days phải là số ngày (số nguyên không âm)")
        opens_before = deadlines.DEFAULT_OPENS_BEFORE_DAYS

    def resolve(node: dict, key: str, duty_id: str) -> tuple[str, ...]:
        value = node.get(key)
        items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        codes: list[str] = []
        for item in items:
            item = _text(item)
            if item in seen_units:
                codes.append(item)
            elif item in groups:
                codes.extend(groups[item][1])
            else:
                err(node, f"nhiệm vụ {duty_id}: không có đơn vị hay nhóm '{item}' trong {key}")
        return tuple(dict.fromkeys(codes))

    registry = Registry(
        path=name, plan_id=plan_id, province=_text(plan.get("province")), title=_text(plan.get("title")),
        number=_text(plan.get("number")), issued=_text(plan.get("issued")), years=_text(plan.get("years")),
        source=_text(plan.get("source")), org_code=_text(organisation.get("code")),
        org_name=_text(organisation.get("name")), units=units, groups=groups, functions=functions,
        approver=approver, recipient=recipient, holiday_rule=holiday_rule)

    seen_ids: set[str] = set()
    duties_node = doc.get("duties")
    if not isinstance(duties_node, list) or not duties_node:
        err(doc, "thiếu danh sách nhiệm vụ (duties)")
        duties_node = []
    for node in duties_node:
        if not isinstance(node, dict):
            problems.append(f"{name}: mỗi nhiệm vụ phải là một bảng (mapping)")
            continue
        duty_id = _text(node.get("id")) or "?"
        missing = [k for k in REQUIRED_DUTY_KEYS if k not in node or (k != "support" and not _text(node.get(k)))]
        if missing:
            err(node, f"nhiệm vụ {duty_id}: thiếu {', '.join(missing)}")
            continue
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,79}", duty_id):
            err(node, f"nhiệm vụ '{duty_id}': mã chỉ gồm chữ hoa, số và '-'")
        if duty_id in seen_ids:
            err(node, f"nhiệm vụ {duty_id}: mã bị trùng")
        seen_ids.add(duty_id)
        area = _text(node["area"])
        if area not in AREAS:
            err(node, f"nhiệm vụ {duty_id}: lĩnh vực '{area}' không hợp lệ ({', '.join(AREAS)})")
        lead = resolve(node, "lead", duty_id)
        if not lead and node.get("lead"):
            continue
        support = resolve(node, "support", duty_id)
        duty_approver = _text(node.get("approver")) or approver
        if duty_approver not in seen_units:
            err(node, f"nhiệm vụ {duty_id}: không có đơn vị phê duyệt '{duty_approver}'")
        if not re.fullmatch(r"\S+\.txt:\d+(-\d+)?", _text(node["source"])):
            err(node, f"nhiệm vụ {duty_id}: source '{_text(node['source'])}' phải có dạng tệp.txt:dòng")
        try:
            schedule = deadlines.parse_schedule(
                _text(node["recurrence"]), _text(node.get("deadline")), _text(node.get("opens")),
                _text(node.get("report")), opens_before, holiday_rule)
            batches = tuple(deadlines.parse_day_month(b) for b in node.get("batches") or [])
        except deadlines.DeadlineError as exc:
            err(node, f"nhiệm vụ {duty_id}: {exc}")
            continue
        sample = next((o for y in (2027, 2028) for o in schedule.occurrences(y)), None)  # a year with no 29/02
        if sample is not None and sample.opens_on > sample.due_on:
            err(node, f"nhiệm vụ {duty_id}: ngày mở ({sample.opens_on:%d/%m/%Y}) sau hạn ({sample.due_on:%d/%m/%Y}) "
                      f"của kỳ {sample.period.label}")
        if batches and not hooks.accepts_duty_key(_text(node["process"]), "batches"):
            # (the processes whose plug-in says their duties have batches: engine.core.hooks)
            allowed = ", ".join(hooks.processes_accepting("batches"))
            err(node, f"nhiệm vụ {duty_id}: 'batches' (các đợt tài liệu kiểm chứng) "
                      + (f"chỉ dùng cho {allowed}" if allowed else "không dùng cho quy trình nào"))
        if sample is not None and any(b.in_year(sample.period.year) > sample.due_on for b in batches):
            err(node, f"nhiệm vụ {duty_id}: có đợt tài liệu kiểm chứng sau hạn của nhiệm vụ")
        registry.duties.append(Duty(
            id=duty_id, area=area, duty=_text(node["duty"]), title=_text(node.get("title")) or _text(node["duty"]),
            product=_text(node["product"]), lead_units=lead, support_units=support, timing=_text(node["timing"]),
            schedule=schedule, approver=duty_approver, recipient=_text(node.get("recipient")) or recipient,
            process=_text(node["process"]), source=_text(node["source"]), line=node[_LINE], batches=batches,
            note=_text(node.get("note"))))
    if problems:
        raise ValidationFailed(problems)
    return registry


def load(path: Path) -> Registry:
    """Read and validate a registry file (UTF-8)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed([f"{path.name}: không đọc được tệp ({exc})"]) from None
    return parse(text, path.name)


def check_processes(registry: Registry, deployed: set[str]) -> list[str]:
    """Problems for duties whose process is not deployed (`file:line: …`)."""
    return [f"{registry.path}:{d.line}: nhiệm vụ {d.id}: quy trình '{d.process}' chưa được triển khai"
            for d in registry.duties if d.process not in deployed]


def plan_files(directory: Path = PLANS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))
