"""The self-score of the index self-assessment (`self_score` task), checked here rather than by JSON Schema:
each criterion scored 0..max_points in steps of 0.25, with an explanation wherever the criterion has no evidence.
`check_self_score` is the step's completion check (registered by the plug-in's entry, plugin.py);
`complete_self_score` completes the task, so checked."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine.core.errors import EngineError, FormInvalid
from engine.core.org import Actor
from engine.plugins.index_self_assessment.criteria import SCORE_STEP, is_step
from engine.plugins.index_self_assessment.evidence import SELF_SCORE_TASK, coverage_of, criteria_of
from engine.runtime import numbers, tasks


def score_number(value: Any) -> float | None:
    """A score as float (numbers, or text read by the UI's one number parser, engine.runtime.numbers: "1,5"
    → 1.5, never 15); None if it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = numbers.parse_number(value)
        except numbers.NumberError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None  # "nan" / "inf" are not scores (and NaN broke is_step)


def score_error(value: Any) -> str:
    """Why a score entry is not a number, in Vietnamese: the parser's own reason where it has a particular one
    (an ambiguous "1.500"), else that it must be a number."""
    if isinstance(value, str):
        try:
            numbers.parse_number(value)
        except numbers.NumberError as exc:
            if str(exc) != numbers.NOT_A_NUMBER:
                return f"Điểm: {str(exc)[0].lower()}{str(exc)[1:]}"
    return "Điểm phải là một số"


def _points(value: float) -> str:
    """2 -> '2', 1.5 -> '1,5', 0.25 -> '0,25' (Vietnamese decimal comma)."""
    return numbers.format_number(value)


def _entry(value: Any) -> tuple[Any, str]:
    """(raw score, explanation) of one scores entry: {score, explanation} or a bare number."""
    if isinstance(value, Mapping):
        return value.get("score"), " ".join(str(value.get("explanation") or "").split())
    return value, ""


def validate_scores(criteria: list[dict[str, Any]], scores: Any,
                    coverage: list[dict[str, Any]] | Mapping[str, int]) -> dict[str, str]:
    """Errors of a self-score, keyed by criterion code (empty when valid); Vietnamese messages.

    `scores` maps code -> {"score": number, "explanation": text} (a bare number is accepted as the score).
    Every criterion needs a score from 0 to its max_points in steps of 0.25; a criterion with no evidence
    (per `coverage`: coverage() rows or a mapping code -> count) needs an explanation."""
    if not isinstance(scores, Mapping):
        return {"scores": "Chưa có bảng điểm tự chấm"}
    counts = (dict(coverage) if isinstance(coverage, Mapping)
              else {row["code"]: int(row.get("evidence_count", 0)) for row in coverage})
    errors: dict[str, str] = {}
    known = {c["code"] for c in criteria}
    for code in scores:
        if code not in known:
            errors[str(code)] = "Không có tiêu chí này trong bộ tiêu chí"
    for c in criteria:
        code, top = c["code"], float(c["max_points"])
        if code not in scores:
            errors[code] = "Chưa chấm điểm tiêu chí này"
            continue
        raw, explanation = _entry(scores[code])
        score = score_number(raw)
        if score is None:
            errors[code] = score_error(raw)
        elif score < 0 or score > top + 1e-9:
            errors[code] = f"Điểm phải từ 0 đến {_points(top)}"
        elif not is_step(score):
            errors[code] = f"Điểm phải là bội số của {_points(SCORE_STEP)} (ví dụ 0,25; 0,5; 0,75)"
        elif counts.get(code, 0) == 0 and not explanation:
            errors[code] = "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình"
    return errors


def score_total(scores: list[Any]) -> float:
    """The total of scores as the engine totals a self-score (rounded to 0,01); what is not a number counts 0
    (for a page's running total; a self-score with such a score is refused). web/static/evidence.js adds up the
    same way as one types."""
    return round(sum(n for n in map(score_number, scores) if n is not None), 2)


def normalize_scores(criteria: list[dict[str, Any]], scores: Mapping[str, Any]) -> tuple[dict[str, Any], float]:
    """Valid scores as {code: {"score": float, "explanation": str}} in criteria order, and their total."""
    result: dict[str, Any] = {}
    for c in criteria:
        raw, explanation = _entry(scores[c["code"]])
        result[c["code"]] = {"score": score_number(raw), "explanation": explanation}
    return result, score_total([v["score"] for v in result.values()])


def complete_self_score(session: Session, actor: Actor, task_id: str, data: dict[str, Any]) -> tasks.Completed:
    """Complete the `self_score` task (tasks.complete runs check_self_score on it)."""
    item = tasks.visible_item(session, actor, task_id)
    if item.bpmn_id != SELF_SCORE_TASK:
        raise EngineError("Công việc này không phải bước tự chấm điểm")
    return tasks.complete(session, actor, task_id, data)


def check_self_score(session: Session, instance, workflow, data: dict[str, Any]) -> dict[str, Any]:
    """The per-criterion checks of a self-score; FormInvalid with one message per bad criterion (keys
    `scores.<code>`) otherwise. The data to complete with: scores normalised, and `total_score`."""
    criteria = criteria_of(workflow)
    errors = validate_scores(criteria, data.get("scores"), coverage_of(session, instance, criteria))
    if errors:
        bad = {("scores" if code == "scores" else f"scores.{code}"): message for code, message in errors.items()}
        bad.setdefault("scores", f"Có {len(errors)} tiêu chí chưa hợp lệ")
        raise FormInvalid(bad)
    scores, total = normalize_scores(criteria, data["scores"])
    return {**data, "scores": scores, "total_score": total}


def score_of(entry: Any) -> tuple[float | None, str]:
    """(score, explanation) of one criterion's self-score entry, as stored."""
    raw, explanation = _entry(entry) if entry is not None else (None, "")
    return score_number(raw), explanation
