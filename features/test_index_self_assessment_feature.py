"""index_self_assessment.feature: the annual CCHC index self-assessment the scheduler opens on 01/01 (Huế HUE-CS-01,
Đồng Nai 2021-2030 DNA-CS-01, Quảng Ngãi QNG-CS-01): evidence by batch (the plug-in, through engine.service),
self-score, approval, submission and the .xlsx export. Shared steps: features/common_steps.py; steps ending in
"với:" (a form filled in from a table): features/form_steps.py.
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook
from pytest_bdd import scenarios, then, when

from engine import service
from engine.core import clock
from engine.core.errors import FormInvalid
from engine.planning import deadlines
from engine.plugins.index_self_assessment import api
from engine.plugins.index_self_assessment.appraisal_export import EXPORT_NAME
from features.common_steps import complete, focus_view, instance_by_title, item_in_focus, refusal, step

scenarios("index_self_assessment.feature")

SELF_SCORE = "Tự chấm điểm"


@dataclass
class Case:
    """What the scenario exported (refusals are in the shared `attempt` fixture)."""

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


def panel(plan) -> dict[str, Any]:
    return api.evidence_panel(plan.db, plan.who("Giám đốc Sở"), plan.instance_id)


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
    api.add_evidence_file(plan.db, plan.who(person), plan.instance_id, code, filename, file_bytes(filename))


@when(step('{person:Nguoi} thử tải lên tệp "{filename}" cho tiêu chí {code}'))
def when_tries_upload(plan, attempt, person, filename, code):
    with refusal(attempt):
        api.add_evidence_file(plan.db, plan.who(person), plan.instance_id, code, filename, file_bytes(filename))


@when(step('{person:Nguoi} gửi đường link "{url}" với tiêu đề "{title}" cho tiêu chí {code}'))
def when_adds_link(plan, person, url, title, code):
    api.add_evidence_link(plan.db, plan.who(person), plan.instance_id, code, url, title)


@when(step('{person:Nguoi} thử tự chấm điểm tối đa mọi tiêu chí mà không giải trình'))
def when_scores_without_explaining(plan, attempt, person):
    with refusal(attempt, FormInvalid):
        self_score(plan, person, max_scores(plan, ""), "Tự chấm điểm Chỉ số CCHC năm 2027")


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
    data = service.export_instance(plan.db, plan.who(person), plan.instance_id, EXPORT_NAME).content
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
        row, content = api.open_evidence(plan.db, plan.who("Giám đốc Sở"), rows[0].id)
        assert content.startswith(b"%PDF-") and row.content_type == "application/pdf"


@then(step('hồ sơ ghi nhận đợt {batch:d} đề nghị bổ sung tài liệu kiểm chứng cho tiêu chí {codes}'))
def then_missing_requested(plan, batch, codes):
    reviews = [json.loads(e.payload)["data"] for e in focus_view(plan)["history"]
               if e.kind == "complete" and json.loads(e.payload).get("bpmn_id") == "review_batch"]
    assert len(reviews) >= batch, f"mới rà soát {len(reviews)} đợt"
    assert reviews[batch - 1]["missing_requests"] == codes.replace(" và ", ", ").split(", ")


@then(step('chỉ các tiêu chí chưa có tài liệu kiểm chứng bị yêu cầu giải trình, trong đó có tiêu chí {code}'))
def then_explanations_required(plan, attempt, code):
    assert isinstance(attempt.error, FormInvalid), attempt.error
    without = {r["code"] for r in panel(plan)["coverage"] if not r["evidence_count"]}
    flagged = {key.removeprefix("scores.") for key, message in attempt.error.errors.items()
               if key.startswith("scores.") and message == "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình"}
    assert flagged == without and code in flagged
    assert attempt.error.errors["scores"] == f"Có {len(without)} tiêu chí chưa hợp lệ"


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
