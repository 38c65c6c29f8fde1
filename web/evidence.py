"""The web part of the index self-assessment plug-in: its evidence panel, the `criteria-scores` widget of the
self-score form, and the evidence routes (upload, link, withdraw, download).

The panel (coverage per criterion, the evidence list, upload and link forms) shows on the instance page and on the
task pages whose form asks for it (`"x-panel": "evidence"`): the engine's hook table decides where, web.panels
draws it with what this module registers. The `criteria-scores` widget turns the self-score form into one row per
criterion. Everything is checked by the engine (the plug-in, through its façade engine.plugins.….api): this module
only reads the request, calls the engine and says what happened in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import EngineError, NotFound
from engine.plugins.index_self_assessment import api
from engine.plugins.index_self_assessment.appraisal_export import EXPORT_NAME
from engine.plugins.index_self_assessment.evidence import CONTENT_TYPES, MAX_FILE_BYTES
from engine.plugins.index_self_assessment.plugin import PANEL, SCORES_WIDGET

from . import filters, panels, processes
from .auth import actor
from .context import db
from .security import attachment, safe_next

bp = Blueprint("evidence", __name__)

ACCEPT = ",".join(CONTENT_TYPES)  # .pdf,.docx,.xlsx,.png,.jpg,.jpeg — the engine checks the content too
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
# The request may carry one file of MAX_FILE_BYTES plus the form around it; bigger requests are refused (413)
# before they are read, a file just over the limit reaches the engine, which says how big it was.
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 1024 * 1024
TOO_LARGE_MESSAGE = (f"Tệp gửi lên quá lớn: mỗi tệp tài liệu kiểm chứng tối đa {MAX_FILE_MB} MB. Dữ liệu chưa "
                     "được lưu; vui lòng quay lại, chọn tệp nhỏ hơn (ví dụ tách hoặc nén tệp PDF) rồi tải lên lại.")


# --------------------------------------------------------------------------------------------------------------
# The panel, for the instance page and the task pages


def panel_context(data: dict[str, Any], here: str) -> dict[str, Any]:
    """What _evidence_panel.html shows as `p`, from the engine's panel (evidence.panel); `here` is the page the
    forms come back to."""
    me = actor()
    scores = (data["self_score"] or {}).get("scores") or {}
    batches = data["batches"]
    current = data["current_batch"]
    return {**data, "units": service.unit_names(db(), me.org_id), "here": here, "me": me.login,
            "scores": scores, "accept": ACCEPT, "max_mb": MAX_FILE_MB,
            "batch_due": batches[current - 1] if current and current <= len(batches) else None,
            "covered": sum(1 for row in data["coverage"] if row["evidence_count"]),
            "can_add_any": any(row["can_add"] for row in data["coverage"])}


# --------------------------------------------------------------------------------------------------------------
# The criteria-scores widget


def _shown(value: Any) -> str:
    """A score as its input shows it, exactly as it is stored (1.5 -> '1,5', 2.0 -> '2'); typed text that is not
    a number is kept as typed."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return filters.vn_number(value)
    return str(value)


def read_scores(p: dict[str, Any], name: str, form: Mapping[str, str]) -> dict[str, Any]:
    """A criteria table of a submitted form as {code: {"score", "explanation"}}.

    A blank score leaves the criterion out (the engine says it is not scored); text that is not a number is
    passed as typed (the engine says so): the engine checks every row when the task is completed."""
    scores: dict[str, Any] = {}
    for row in p["coverage"]:
        code = row["code"]
        raw = (form.get(f"{name}.{code}.score") or "").strip()
        if not raw:
            continue
        number = api.score_number(raw)
        scores[code] = {"score": number if number is not None else raw,
                        "explanation": " ".join((form.get(f"{name}.{code}.explanation") or "").split())}
    return scores


def score_rows(p: dict[str, Any], name: str, earlier: Any, values: Mapping[str, str],
               errors: Mapping[str, str]) -> dict[str, Any]:
    """What the criteria-scores table shows: its criteria by area, each criterion once with its evidence count,
    the score and explanation to show (what was typed after a refused submission, else the last self-score on
    rework) and its error; the total of what is shown, by the rule the engine totals with (api.score_total).

    An area opens when one of its criteria has an error, and the first one on a first visit."""
    earlier = earlier or p["scores"] or {}
    rows = []
    for row in p["coverage"]:
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
    areas: list[dict[str, Any]] = []
    for row in rows:
        if not areas or areas[-1]["code"] != row["area_code"]:
            areas.append({"code": row["area_code"], "name": row["area_name"], "rows": []})
        areas[-1]["rows"].append(row)
    any_error = any(r["error"] for r in rows)
    for number, area in enumerate(areas):
        area["open"] = any(r["error"] for r in area["rows"]) or (number == 0 and not any_error)
        area["max_points"] = sum(r["max_points"] for r in area["rows"])
        area["total"] = api.score_total([r["score"] for r in area["rows"]])
    return {"areas": areas, "rows": rows, "max_points": sum(r["max_points"] for r in rows),
            "total": api.score_total([r["score"] for r in rows])}


panels.register_panel(PANEL, panels.PanelPart("_evidence_panel.html", panel_context))
panels.register_widget(SCORES_WIDGET, panels.Widget(PANEL, "_criteria_scores.html", read_scores, score_rows))


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
    """Points as the UI shows every number (web.filters.vn_number): 2 -> '2', 1.5 -> '1,5'; '' for nothing."""
    if isinstance(value, str) and value.strip():
        number = api.score_number(value)
        return filters.vn_number(number) if number is not None else value
    return filters.vn_number(value)


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
        row = api.add_evidence_file(db(), actor(), instance_id, code, upload.filename, upload.read(),
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
        row = api.add_evidence_link(db(), actor(), instance_id, request.form.get("criterion", ""),
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
        row = api.withdraw_evidence(db(), actor(), evidence_id, request.form.get("reason", ""))
    except NotFound:
        raise
    except EngineError as exc:
        flash(str(exc), "error")
        return redirect(_back()), 303
    flash(f"Đã rút tài liệu kiểm chứng của tiêu chí {row.criterion_code}: {row.title}.", "success")
    return redirect(_back(row.instance_id)), 303


@bp.route("/evidence/<id:evidence_id>/download")
@login_required
def download(evidence_id: int):
    row, content = api.open_evidence(db(), actor(), evidence_id)  # NotFound (404) unless one may see it
    if not row.content_type or not row.filename:
        abort(404)
    return attachment(content, row.content_type, row.filename)


@bp.route("/instances/<id:instance_id>/self-assessment.xlsx")
@login_required
def export(instance_id: int):
    """The appraisal export at the address it was first published under (the instance page links the generic
    /instances/<id>/exports/self-assessment.xlsx): the same download, the same checks."""
    return processes.export(instance_id, EXPORT_NAME)
