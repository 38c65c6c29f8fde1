"""The appraisal (thẩm định) export of an index self-assessment: the self-score per criterion and the evidence list
as an Excel workbook, in Vietnamese."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.org import Actor
from engine.plugins.index_self_assessment import evidence, self_score

if TYPE_CHECKING:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.worksheet import Worksheet

EXPORT_NAME = "self-assessment.xlsx"  # /instances/<id>/exports/self-assessment.xlsx


def filename(instance) -> str:
    """The download's name: `Hồ sơ tự đánh giá Chỉ số CCHC - hồ sơ 12.xlsx`."""
    return f"Hồ sơ tự đánh giá Chỉ số CCHC - hồ sơ {instance.id}.xlsx"


def export_xlsx(session: Session, actor: Actor, instance_id: int) -> bytes:
    """The self-assessment as an Excel workbook: sheet "Tự chấm điểm" (area, code, criterion, max points, self
    score, explanation, evidence count, owner unit, totals row) and sheet "Tài liệu kiểm chứng" (criterion, unit,
    batch, title, file name or link, uploaded by, at, sha256)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    found = evidence.dossier(session, actor, instance_id)
    instance, criteria, rows = found["instance"], found["criteria"], found["coverage"]
    scored = found["self_score"]
    scores = scored.get("scores") or {}
    names = found["units"]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    book = Workbook()
    sheet = book.active
    sheet.title = "Tự chấm điểm"
    sheet.append(["BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"])
    sheet["A1"].font = Font(bold=True, size=13)
    _append(sheet, [instance.title])
    _append(sheet, [f"Đơn vị đầu mối: {names.get(instance.lead_unit_code, instance.lead_unit_code)} — "
                    f"Kỳ đánh giá: {instance.period}"])
    sheet.append([])
    header = ["Lĩnh vực", "Mã tiêu chí", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Giải trình",
              "Số tài liệu kiểm chứng", "Đơn vị phụ trách"]
    sheet.append(header)
    header_row = sheet.max_row
    total_score = 0.0
    for row in rows:
        score, explanation = self_score.score_of(scores.get(row["code"]))
        total_score += score or 0.0
        _append(sheet, [row["area_name"], row["code"], row["name"], row["max_points"], score, explanation,
                        row["evidence_count"], names.get(row["owner_unit"], row["owner_unit"])])
    sheet.append(["Tổng cộng", "", "", round(sum(float(r["max_points"]) for r in rows), 2),
                  round(total_score, 2) if scores else None, scored.get("summary", ""),
                  sum(r["evidence_count"] for r in rows), ""])
    for cell in sheet[header_row] + sheet[sheet.max_row]:
        cell.font = bold
    _layout(sheet, header_row, [28, 10, 60, 11, 11, 45, 12, 28], wrap)

    sheet = book.create_sheet("Tài liệu kiểm chứng")
    header = ["Mã tiêu chí", "Tiêu chí", "Đơn vị", "Đợt", "Tiêu đề", "Tệp / đường link", "Người tải lên",
              "Thời điểm tải lên", "SHA-256"]
    sheet.append(header)
    by_code = {c["code"]: c["name"] for c in criteria}
    for ev in found["evidence"]:
        _append(sheet, [ev.criterion_code, by_code.get(ev.criterion_code, ""), names.get(ev.unit_code, ev.unit_code),
                        ev.batch if ev.batch is not None else "Ngoài đợt", ev.title,
                        ev.filename if ev.kind == "file" else ev.url, ev.uploaded_by,
                        clock.local(clock.from_db(ev.uploaded_at)).replace(tzinfo=None), ev.sha256 or ""])
        if ev.kind == "link":
            sheet.cell(sheet.max_row, 6).hyperlink = ev.url
        sheet.cell(sheet.max_row, 8).number_format = "dd/mm/yyyy hh:mm"
    for cell in sheet[1]:
        cell.font = bold
    _layout(sheet, 1, [10, 50, 28, 10, 45, 45, 18, 18, 66], wrap)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row; text that Excel would take for a formula ("=…") stays text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _layout(sheet: Worksheet, header_row: int, widths: list[int], wrap: Alignment) -> None:
    """Column widths, wrapped cells from the header down, header row frozen."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
