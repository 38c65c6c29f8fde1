"""index_self_assessment.feature: the annual CCHC index self-assessment the scheduler opens on 01/01 (Huế HUE-CS-01,
Đồng Nai 2021-2030 DNA-CS-01, Quảng Ngãi QNG-CS-01): evidence by batch (engine.evidence through engine.service),
self-score, approval, submission and the .xlsx export. Shared steps: features/common_steps.py.

Form answers are generated from the task's JSON Schema (features/form_data.py); a step ending in "với:" overrides
them with a table of | trường | giá trị | rows, fields named by their titles in the form, values typed as a user
types them in the web form (dd/mm/yyyy dates, "có"/"không", list items separated by ";").
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook
from parse import with_pattern
from pytest_bdd import parsers, scenarios, then, when

from engine import clock, deadlines, forms, service
from engine.errors import EngineError, FormInvalid
from features.common_steps import (
    complete,
    focus_view,
    instance_by_title,
    item_in_focus,
    move_clock,
    vn_date,
    vn_datetime,
)
from features.form_data import _value, answers

scenarios("index_self_assessment.feature")


@with_pattern(r'(?:[Cc]huyên viên|[Tt]rưởng phòng|[Tt]hủ trưởng đơn vị) (?:(?!thử )[^"])+?|Giám đốc Sở')
def person_name(text: str) -> str:
    """Someone, as in common_steps, but never "… thử" (so "chuyên viên X thử tải lên" is not "X thử" doing it)."""
    return text


def step(text: str):
    return parsers.parse(text, extra_types={"NgayGio": vn_datetime, "Ngay": vn_date, "Nguoi": person_name})

SELF_SCORE = "Tự chấm điểm"


@dataclass
class Case:
    """What the scenario tried last and what it exported."""

    error: EngineError | None = None
    workbook: Any = None


@pytest.fixture
def case() -> Case:
    return Case()


def ascii_text(text: str) -> bytes:
    """'Kế hoạch năm 2027' -> b'Ke hoach nam 2027' (a PDF literal string without escapes)."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if c.isascii() and c not in "()\\").encode("ascii")


def pdf_bytes(title: str) -> bytes:
    """A minimal valid one-page PDF (header, catalog, pages, page, xref table, trailer) named `title`."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
               b"<< /Title (" + ascii_text(title) + b") >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def file_bytes(filename: str) -> bytes:
    """What a user would upload under that name: a real PDF for .pdf, a plain text otherwise."""
    if filename.lower().endswith(".pdf"):
        return pdf_bytes(filename.rsplit(".", 1)[0])
    return f"Nội dung tệp {filename}\n".encode()


def base_answers(process_key: str, bpmn_id: str) -> dict[str, Any]:
    """The generated answers of a form; where the generator cannot make a valid one (index_self_assessment/
    review_batch: a list of criterion codes with a pattern), only its required fields: the table fills in the rest."""
    try:
        return answers(process_key, bpmn_id)
    except AssertionError:
        schema = forms.load_schema(f"{process_key}/{bpmn_id}")
        return {name: _value(name, field) for name, field in schema["properties"].items()
                if name in schema.get("required", [])}


def table_answers(process_key: str, bpmn_id: str, datatable: list[list[str]]) -> dict[str, Any]:
    """The generated answers of a form with the fields of `datatable` (header row, then | title | value |) set
    as a user would type them: choices by their label, "có"/"không", dd/mm/yyyy, list items split on ";".
    An empty value leaves the field out."""
    schema = forms.load_schema(f"{process_key}/{bpmn_id}")
    fields = schema["properties"]
    by_title = {f.get("title", name).lower(): name for name, f in fields.items()}
    data = base_answers(process_key, bpmn_id)
    for title, text in datatable[1:]:
        name = by_title.get(title.strip().lower())
        assert name is not None, f"biểu mẫu {bpmn_id} không có trường '{title}' ({sorted(by_title)})"
        field, text = fields[name], text.strip()
        data.pop(name, None)
        if not text:
            continue
        labels = {label.lower(): value for value, label in forms.choices(field)}
        if labels:
            assert text.lower() in labels, f"'{text}' không phải lựa chọn của '{title}' ({sorted(labels)})"
            data[name] = labels[text.lower()]
        elif field.get("type") == "boolean":
            assert text in ("có", "không"), f"'{title}': ghi 'có' hoặc 'không'"
            data[name] = text == "có"
        else:
            typed, errors = forms.coerce({"properties": {name: field}}, {name: text.replace("; ", "\n")})
            assert not errors, f"'{title}': {errors[name]}"
            data[name] = typed[name]
    return data


def panel(plan) -> dict[str, Any]:
    return service.evidence_panel(plan.db, plan.who("Giám đốc Sở"), plan.instance_id)


def coverage_row(plan, code: str) -> dict[str, Any]:
    rows = [r for r in panel(plan)["coverage"] if r["code"] == code]
    assert len(rows) == 1, f"không có tiêu chí {code}"
    return rows[0]


def points(text: str) -> float:
    """'2,5' or '2.5' -> 2.5 (Vietnamese decimal comma)."""
    return float(text.replace(",", "."))


def max_scores(plan, explanation: str) -> dict[str, dict[str, Any]]:
    """Every criterion at its max points, with `explanation` where it has no evidence (none if empty)."""
    return {row["code"]: {"score": row["max_points"],
                          **({"explanation": explanation} if explanation and not row["evidence_count"] else {})}
            for row in panel(plan)["coverage"]}


def self_score(plan, person: str, scores: dict[str, Any], summary: str):
    return complete(plan, plan.who(person), SELF_SCORE, {"scores": scores, "summary": summary})


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} tải lên tệp "{filename}" cho tiêu chí {code}'))
def when_uploads(plan, person, filename, code):
    service.add_evidence_file(plan.db, plan.who(person), plan.instance_id, code, filename, file_bytes(filename))


@when(step('{person:Nguoi} thử tải lên tệp "{filename}" cho tiêu chí {code}'))
def when_tries_upload(plan, case, person, filename, code):
    with pytest.raises(EngineError) as refused:
        service.add_evidence_file(plan.db, plan.who(person), plan.instance_id, code, filename, file_bytes(filename))
    case.error = refused.value


@when(step('{person:Nguoi} gửi đường link "{url}" với tiêu đề "{title}" cho tiêu chí {code}'))
def when_adds_link(plan, person, url, title, code):
    service.add_evidence_link(plan.db, plan.who(person), plan.instance_id, code, url, title)


@when(step('{person:Nguoi} hoàn thành việc "{task}" với:'))
def when_completes_with(plan, person, task, datatable):
    item = item_in_focus(plan, plan.who(person), task)
    complete(plan, plan.who(person), task, table_answers(item.instance.process_key, item.bpmn_id, datatable))


@when(step('{person:Nguoi} hoàn thành việc "{task}" lúc {when:NgayGio} với:'))
def when_completes_at_with(plan, fake_clock, person, task, when, datatable):
    move_clock(plan, fake_clock, when)
    when_completes_with(plan, person, task, datatable)


@when(step('{person:Nguoi} thử tự chấm điểm tối đa mọi tiêu chí mà không giải trình'))
def when_scores_without_explaining(plan, case, person):
    with pytest.raises(FormInvalid) as refused:
        self_score(plan, person, max_scores(plan, ""), "Tự chấm điểm Chỉ số CCHC năm 2027")
    case.error = refused.value


@when(step('{person:Nguoi} tự chấm điểm tối đa mọi tiêu chí, giải trình "{explanation}" ở tiêu chí chưa có '
           'tài liệu kiểm chứng'))
def when_scores(plan, person, explanation):
    self_score(plan, person, max_scores(plan, explanation), "Tự chấm điểm Chỉ số CCHC năm 2027")


@when(step('{person:Nguoi} chấm lại tiêu chí {code} {score} điểm, giải trình "{explanation}"'))
def when_rescores(plan, person, code, score, explanation):
    who = plan.who(person)
    context = service.task_context(plan.db, who, item_in_focus(plan, who, SELF_SCORE).task_id)
    scores = dict(context["prefill"]["scores"])  # the form opens with the scores sent last time
    scores[code] = {"score": points(score), "explanation": explanation}
    self_score(plan, person, scores, context["prefill"]["summary"])


@when(step('{person:Nguoi} xuất hồ sơ tự đánh giá ra tệp Excel'))
def when_exports(plan, case, person):
    data = service.export_self_assessment(plan.db, plan.who(person), plan.instance_id)
    case.workbook = load_workbook(io.BytesIO(data))


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('nhiệm vụ "{title}" được mở ngày {day:Ngay} cho đơn vị đầu mối {unit}, hạn {due}'))
def then_opened_for_focal(plan, title, day, unit, due):
    rows = instance_by_title(plan, title)
    assert len(rows) == 1, f"có {len(rows)} nhiệm vụ '{title}'"
    instance = rows[0]
    assert instance.lead_unit_code == plan.code(unit)
    assert clock.local(clock.from_db(instance.started_at)).date() == day
    assert deadlines.due_phrase(clock.from_db(instance.due_at)) == due
    plan.instance_id = instance.id


@then(step('việc "{task}" của {unit} hạn {due}'))
def then_item_due(plan, task, unit, due):
    items = [w for w in focus_view(plan)["items"] if w.name == task and w.unit_code == plan.code(unit)]
    assert items, f"chưa có việc '{task}' của {unit}"
    assert deadlines.due_phrase(clock.from_db(items[-1].due_at)) == due


@then(step('các đơn vị phụ trách tiêu chí cung cấp tài liệu kiểm chứng là {units}'))
def then_owner_units(plan, units):
    expected = [plan.code(name) for name in units.replace(" và ", ", ").split(", ")]
    assert focus_view(plan)["data"]["supporting_units"] == expected


@then(step('tiêu chí {code} do {unit} phụ trách'))
def then_owner(plan, code, unit):
    assert coverage_row(plan, code)["owner_unit"] == plan.code(unit)


@then(step('tiêu chí {code} có {count:d} tài liệu kiểm chứng'))
def then_evidence_count(plan, code, count):
    assert coverage_row(plan, code)["evidence_count"] == count


@then(step('tài liệu kiểm chứng "{name}" của tiêu chí {code} do {unit} cung cấp trong đợt {batch:d}'))
def then_evidence_row(plan, name, code, unit, batch):
    rows = [e for e in panel(plan)["evidence"] if name in (e.filename, e.url, e.title)]
    assert len(rows) == 1, [(e.criterion_code, e.filename, e.url) for e in panel(plan)["evidence"]]
    assert (rows[0].criterion_code, rows[0].unit_code, rows[0].batch) == (code, plan.code(unit), batch)
    if rows[0].kind == "file":
        row, content = service.open_evidence(plan.db, plan.who("Giám đốc Sở"), rows[0].id)
        assert content.startswith(b"%PDF-") and row.content_type == "application/pdf"


@then(step('bị từ chối với thông báo "{message}"'))
def then_refused(case, message):
    assert case.error is not None, "bước trước không bị từ chối"
    assert message in str(case.error), str(case.error)


@then(step('hồ sơ ghi nhận đợt {batch:d} đề nghị bổ sung tài liệu kiểm chứng cho tiêu chí {codes}'))
def then_missing_requested(plan, batch, codes):
    reviews = [json.loads(e.payload)["data"] for e in focus_view(plan)["history"]
               if e.kind == "complete" and json.loads(e.payload).get("bpmn_id") == "review_batch"]
    assert len(reviews) >= batch, f"mới rà soát {len(reviews)} đợt"
    assert reviews[batch - 1]["missing_requests"] == codes.replace(" và ", ", ").split(", ")


@then(step('chỉ các tiêu chí chưa có tài liệu kiểm chứng bị yêu cầu giải trình, trong đó có tiêu chí {code}'))
def then_explanations_required(plan, case, code):
    assert isinstance(case.error, FormInvalid), case.error
    without = {r["code"] for r in panel(plan)["coverage"] if not r["evidence_count"]}
    flagged = {key.removeprefix("scores.") for key, message in case.error.errors.items()
               if key.startswith("scores.") and message == "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình"}
    assert flagged == without and code in flagged
    assert case.error.errors["scores"] == f"Có {len(without)} tiêu chí chưa hợp lệ"


@then(step('tổng điểm tự chấm là {total}'))
def then_total(plan, total):
    assert panel(plan)["self_score"]["total_score"] == points(total)  # the latest self-score sent


@then(step('bảng "Tự chấm điểm" có tiêu chí {code}: tự chấm {score} điểm, {count:d} tài liệu kiểm chứng, '
           'đơn vị phụ trách {unit}'))
def then_export_score(plan, case, code, score, count, unit):
    sheet = case.workbook["Tự chấm điểm"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[:2] == ("Lĩnh vực", "Mã tiêu chí"))
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(values_only=True) if r[1] == code}
    assert code in rows, f"bảng xuất không có tiêu chí {code}"
    row = rows[code]
    assert row["Điểm tự chấm"] == points(score)
    assert row["Số tài liệu kiểm chứng"] == count
    assert row["Đơn vị phụ trách"] == unit


@then(step('bảng "Tự chấm điểm" có giải trình "{explanation}" ở tiêu chí {code}'))
def then_export_explanation(case, explanation, code):
    rows = [r for r in case.workbook["Tự chấm điểm"].iter_rows(values_only=True) if r[1] == code]
    assert rows and rows[0][5] == explanation


@then(step('bảng "Tự chấm điểm" có dòng tổng cộng: tối đa {top} điểm, tự chấm {total} điểm'))
def then_export_total(case, top, total):
    rows = [r for r in case.workbook["Tự chấm điểm"].iter_rows(values_only=True) if r[0] == "Tổng cộng"]
    assert len(rows) == 1 and (rows[0][3], rows[0][4]) == (points(top), points(total))


@then(step('bảng "Tài liệu kiểm chứng" có {count:d} tài liệu, trong đó "{what}" của tiêu chí {code}, {unit}, '
           'đợt {batch}'))
def then_export_evidence(case, count, what, code, unit, batch):
    sheet = case.workbook["Tài liệu kiểm chứng"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header[:6] == ("Mã tiêu chí", "Tiêu chí", "Đơn vị", "Đợt", "Tiêu đề", "Tệp / đường link")
    assert len(body) == count
    found = [r for r in body if r["Tệp / đường link"] == what]
    assert len(found) == 1, [r["Tệp / đường link"] for r in body]
    assert (found[0]["Mã tiêu chí"], found[0]["Đơn vị"], str(found[0]["Đợt"])) == (code, unit, batch)
