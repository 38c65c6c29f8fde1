"""Evidence (tài liệu kiểm chứng) of the annual CCHC index self-assessment, and its self-score form.

The panel (coverage per criterion, the evidence list, upload and link forms) shows on the instance page and on the
task pages whose form asks for it (`"x-panel": "evidence"`); the `criteria-scores` widget turns the self-score form
into one row per criterion. Everything is checked by the engine (its plug-in, through engine.service): this
module only reads the request, calls the service and says what happened in Vietnamese.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, send_file, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import EngineError, NotFound
from engine.plugins.index_self_assessment.evidence import CONTENT_TYPES, MAX_FILE_BYTES

from .auth import actor
from .security import safe_next

bp = Blueprint("evidence", __name__)

PROCESS_KEY = "index_self_assessment"
SCORES_WIDGET = "criteria-scores"
ACCEPT = ",".join(CONTENT_TYPES)  # .pdf,.docx,.xlsx,.png,.jpg,.jpeg — the engine checks the content too
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
# The request may carry one file of MAX_FILE_BYTES plus the form around it; bigger requests are refused (413)
# before they are read, a file just over the limit reaches the engine, which says how big it was.
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 1024 * 1024
TOO_LARGE_MESSAGE = (f"Tệp gửi lên quá lớn: mỗi tệp tài liệu kiểm chứng tối đa {MAX_FILE_MB} MB. Dữ liệu chưa "
                     "được lưu; vui lòng quay lại, chọn tệp nhỏ hơn (ví dụ tách hoặc nén tệp PDF) rồi tải lên lại.")
PANEL_KEYS = {"scores", "total_score"}  # case data the panel shows itself (not again under "Thông tin hồ sơ")


def _db():
    return current_app.extensions["cchc_db"]


# --------------------------------------------------------------------------------------------------------------
# The panel, for the instance page and the task pages


def panel(instance_id: int, here: str) -> dict[str, Any]:
    """What _evidence_panel.html shows; `here` is the page the forms come back to."""
    me = actor()
    data = service.evidence_panel(_db(), me, instance_id)
    scores = (data["self_score"] or {}).get("scores") or {}
    batches = data["batches"]
    current = data["current_batch"]
    return {**data, "units": service.unit_names(_db(), me.org_id), "here": here, "me": me.login,
            "scores": scores, "accept": ACCEPT, "max_mb": MAX_FILE_MB,
            "batch_due": batches[current - 1] if current and current <= len(batches) else None,
            "covered": sum(1 for row in data["coverage"] if row["evidence_count"]),
            "can_add_any": any(row["can_add"] for row in data["coverage"])}


def instance_panel(instance) -> dict[str, Any] | None:
    """The panel for an instance page, if the instance is a self-assessment."""
    if instance.process_key != PROCESS_KEY:
        return None
    return panel(instance.id, url_for("processes.instance", instance_id=instance.id))


def task_panel(form) -> dict[str, Any] | None:
    """The panel for a task page whose form asks for it (or whose form has a criteria-scores table); `form` is
    the service's TaskForm."""
    wanted = form.schema.get("x-panel") == "evidence" or any(
        spec.get("x-widget") == SCORES_WIDGET for spec in form.schema["properties"].values())
    if not wanted or form.process_key != PROCESS_KEY:
        return None
    return panel(form.instance_id, url_for("work.task", task_id=form.task_id))


def hide_panel_rows(context_rows: list[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
    """Case-data rows minus those the panel already shows (the per-criterion scores)."""
    return [row for row in context_rows if row[0] not in PANEL_KEYS]


# --------------------------------------------------------------------------------------------------------------
# The criteria-scores widget


def _float(text: str) -> float | None:
    """'1,5' / '1.5' -> 1.5; None if it is not a finite number."""
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _shown(value: Any) -> str:
    """A score as the number input shows it: 1.75 -> '1.75', 2.0 -> '2', '1,5' -> '1.5', text kept as typed."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return f"{value:g}"
    number = _float(str(value)) if str(value).strip() else None
    return f"{number:g}" if number is not None else str(value)


def score_widgets(schema: dict[str, Any]) -> list[str]:
    """Names of the form's criteria-scores fields."""
    return [name for name, spec in schema["properties"].items() if spec.get("x-widget") == SCORES_WIDGET]


def read_scores(schema: dict[str, Any], form: Mapping[str, str], data: dict[str, Any], errors: dict[str, str],
                evidence_panel: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Put the criteria tables of a submitted form into `data` as {code: {"score", "explanation"}}.

    A blank score leaves the criterion out (the engine says it is not scored); text that is not a number is
    passed as typed (the engine says so). The generic parse knows nothing of these rows, so its error for the
    field ("required") is dropped: the engine checks every row when the task is completed."""
    names = score_widgets(schema)
    if not names or evidence_panel is None:
        return data, errors
    data, errors = dict(data), dict(errors)
    for name in names:
        errors.pop(name, None)
        scores: dict[str, Any] = {}
        for row in evidence_panel["coverage"]:
            code = row["code"]
            raw = (form.get(f"{name}.{code}.score") or "").strip()
            if not raw:
                continue
            number = _float(raw)
            scores[code] = {"score": number if number is not None else raw,
                            "explanation": " ".join((form.get(f"{name}.{code}.explanation") or "").split())}
        data[name] = scores
    return data, errors


def score_rows(schema: dict[str, Any], evidence_panel: dict[str, Any] | None, prefill: Mapping[str, Any],
               values: Mapping[str, str], errors: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of each criteria-scores table: criterion, evidence count, the score and explanation to show (what was
    typed after a refused submission, else the last self-score on rework), and the row's error."""
    tables: dict[str, list[dict[str, Any]]] = {}
    if evidence_panel is None:
        return tables
    for name in score_widgets(schema):
        earlier = prefill.get(name) or evidence_panel["scores"] or {}
        rows = []
        for row in evidence_panel["coverage"]:
            code = row["code"]
            key = f"{name}.{code}"
            if values:
                score, explanation = values.get(f"{key}.score", ""), values.get(f"{key}.explanation", "")
            else:
                entry = earlier.get(code)
                if isinstance(entry, Mapping):
                    score, explanation = entry.get("score"), entry.get("explanation") or ""
                else:
                    score, explanation = entry, ""
            rows.append({**row, "key": key, "slug": code.replace(".", "_"), "score": _shown(score),
                         "explanation": explanation, "error": errors.get(key, ""),
                         "explanation_required": not row["evidence_count"]})
        tables[name] = rows
    return tables


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    """1536 -> '1,5 KB', 2_500_000 -> '2,4 MB' (Vietnamese decimal comma)."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


@bp.app_template_filter("points")
def points(value: Any) -> str:
    """2 -> '2', 1.5 -> '1,5', 0.25 -> '0,25' (Vietnamese decimal comma); '' for nothing."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        return f"{float(value):g}".replace(".", ",")
    except (TypeError, ValueError):
        return str(value)


# --------------------------------------------------------------------------------------------------------------
# Adding, withdrawing, downloading


def _back(instance_id: int | None = None) -> str:
    """Where a panel form returns to: the page it was on (a local path only), at the panel."""
    target = safe_next(request.form.get("next"))  # as the browser reads it: no //host, no CR/LF for the header
    if target is None:
        target = url_for("processes.instance", instance_id=instance_id) if instance_id else url_for("work.worklist")
    return target.split("#")[0] + "#evidence"


@bp.route("/instances/<id:instance_id>/evidence/file", methods=["POST"])
@login_required
def add_file(instance_id: int):
    upload = request.files.get("file")
    code = request.form.get("criterion", "")
    if upload is None or not upload.filename:
        flash(f"Chưa chọn tệp tài liệu kiểm chứng cho tiêu chí {code}.", "error")
        return redirect(_back(instance_id)), 303
    try:
        row = service.add_evidence_file(_db(), actor(), instance_id, code, upload.filename, upload.read(),
                                        request.form.get("title", ""))
    except NotFound:
        raise  # a foreign or unknown instance: 404, as for any link one may not follow
    except EngineError as exc:  # type, content, size, empty, another unit's criterion, instance ended
        flash(f"Chưa lưu tài liệu: {exc}", "error")
    else:
        flash(f"Đã tải lên tài liệu kiểm chứng cho tiêu chí {row.criterion_code}: {row.title} ({row.filename}).",
              "success")
    return redirect(_back(instance_id)), 303


@bp.route("/instances/<id:instance_id>/evidence/link", methods=["POST"])
@login_required
def add_link(instance_id: int):
    try:
        row = service.add_evidence_link(_db(), actor(), instance_id, request.form.get("criterion", ""),
                                        request.form.get("url", ""), request.form.get("title", ""))
    except NotFound:
        raise
    except EngineError as exc:
        flash(f"Chưa lưu đường link: {exc}", "error")
    else:
        flash(f"Đã thêm đường link kiểm chứng cho tiêu chí {row.criterion_code}: {row.title}.", "success")
    return redirect(_back(instance_id)), 303


@bp.route("/evidence/<id:evidence_id>/withdraw", methods=["POST"])
@login_required
def withdraw(evidence_id: int):
    try:
        row = service.withdraw_evidence(_db(), actor(), evidence_id, request.form.get("reason", ""))
    except NotFound:
        raise
    except EngineError as exc:
        flash(str(exc), "error")
        return redirect(_back()), 303
    flash(f"Đã rút tài liệu kiểm chứng của tiêu chí {row.criterion_code}: {row.title}.", "success")
    return redirect(_back(row.instance_id)), 303


def _attachment(data: bytes, mimetype: str, filename: str):
    """A download of `data` (Content-Disposition with a UTF-8 filename*), never sniffed or cached."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/evidence/<id:evidence_id>/download")
@login_required
def download(evidence_id: int):
    row, content = service.open_evidence(_db(), actor(), evidence_id)  # NotFound (404) unless one may see it
    if not row.content_type or not row.filename:
        abort(404)
    return _attachment(content, row.content_type, row.filename)


@bp.route("/instances/<id:instance_id>/self-assessment.xlsx")
@login_required
def export(instance_id: int):
    data = service.export_self_assessment(_db(), actor(), instance_id)
    return _attachment(data, CONTENT_TYPES[".xlsx"], f"Hồ sơ tự đánh giá Chỉ số CCHC - hồ sơ {instance_id}.xlsx")
