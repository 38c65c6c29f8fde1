"""Valid answers to every task form, built from its JSON Schema (so a feature keeps working when a modeller adds
a field), with hand-written values where a generic one would not read as the real thing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from engine.core import clock
from engine.runtime import forms

OVERRIDES: dict[tuple[str, str], dict[str, Any]] = {
    ("document_issuance", "issue_and_send"): {"document_number": "2609/KH-SYT", "recipient": "UBND tỉnh; Sở Nội vụ"},
    ("inspection", "conclude"): {"remediation_required": False},
    # legal_document_review.feature: the 2026 review started on 01/12/2026, its phòng answering by 20/12
    ("legal_document_review", "start_review"): {
        "scope": "Văn bản QPPL về y tế do HĐND, UBND tỉnh ban hành còn hiệu lực", "contribute_due": "2026-12-20",
        "instructions": "Gửi kết quả về Thanh tra Sở"},
    ("legal_document_review", "contribute"): {
        "documents_reviewed": 12, "documents_to_amend": 2, "documents_to_repeal": 1,
        "document_list": ["Quyết định 15/2021/QĐ-UBND"], "proposals": "Sửa đổi Quyết định 15/2021"},
    ("legal_document_review", "consolidate"): {
        "report_title": "Báo cáo kết quả rà soát, hệ thống hóa văn bản QPPL năm 2026", "total_reviewed": 24,
        "summary": "Đã rà soát 24 văn bản; 4 văn bản cần sửa đổi, bổ sung"},
    ("legal_document_review", "finalize_by_approver"): {"final_note": "Lãnh đạo Sở hoàn thiện"},
    ("legal_document_review", "handle_overdue"): {
        "direction": "Thanh tra Sở hoàn thành báo cáo trong 03 ngày làm việc"},
}


def _value(name: str, field: dict[str, Any]) -> Any:
    if "const" in field:
        return field["const"]
    options = forms.choices(field) if ("oneOf" in field or "enum" in field) else []
    if options:
        return options[0][0]
    kind = field.get("type")
    if kind == "array":
        item = field.get("items", {})
        if "pattern" in item and "oneOf" not in item and "enum" not in item:
            return []  # e.g. criterion codes: none requested unless a feature says so
        return [_value(name, item)] * max(1, int(field.get("minItems", 1)))
    if kind == "integer":
        return max(int(field.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(field.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return True
    if kind == "object":
        return {k: _value(k, v) for k, v in field.get("properties", {}).items() if k in field.get("required", [])}
    if field.get("format") == "date":
        if name.endswith("_due"):  # a cut-off for other units: a week ahead, not today
            return (clock.today_local() + timedelta(days=7)).isoformat()
        return clock.today_local().isoformat()
    if field.get("format") in ("uri", "url") or "https?" in field.get("pattern", ""):
        return "https://vanban.syt.example.vn/tai-lieu/1"
    if "pattern" in field:
        return None  # no generic value; the form's OVERRIDES must say
    return f"Nội dung {field.get('title', name)}"[: int(field.get("maxLength", 200))]


def answers(process_key: str, bpmn_id: str) -> dict[str, Any]:
    """A valid submission of the form of `bpmn_id` in `process_key` (checked against the schema)."""
    schema = forms.load_schema(f"{process_key}/{bpmn_id}")
    data = {}
    for name, field in schema["properties"].items():
        if name in schema.get("required", []) or field.get("type") != "string" or "format" in field:
            value = _value(name, field)
            if value is not None:
                data[name] = value
    data.update(OVERRIDES.get((process_key, bpmn_id), {}))
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))
    assert not errors, f"{process_key}/{bpmn_id}: {[e.message for e in errors]}"
    return data
