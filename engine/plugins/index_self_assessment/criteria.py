"""The criteria set of the annual CCHC index self-assessment (processes/<process key>/criteria.yaml).

A criteria set is areas (lĩnh vực) of criteria (tiêu chí); each criterion names the *function* that owns its
evidence (cchc_focal, tthc_control, …). A plan's `functions` mapping turns functions into unit codes, so the same
file serves every province. Loading validates the whole file and reports every problem as `file:line: message`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from engine.core import config
from engine.core.errors import ValidationFailed
from engine.planning import yaml_lines
from engine.planning.registry import FUNCTIONS
from engine.plugins.index_self_assessment import PROCESS_KEY

DEFAULT_CRITERIA = config.PROCESSES_DIR / PROCESS_KEY / "criteria.yaml"
SCORE_STEP = 0.25
_LINE = yaml_lines.LINE
_CODE = re.compile(r"[0-9A-Za-z]+(\.[0-9A-Za-z]+)*")
CRITERION_KEYS = {"code", "name", "max_points", "owner", "evidence", "source", "note"}
REQUIRED_KEYS = ("code", "name", "max_points", "owner", "evidence")


_text = yaml_lines.text


def is_step(value: float, step: float = SCORE_STEP) -> bool:
    """True when `value` is a whole multiple of `step` (0.25 points)."""
    return abs(value / step - round(value / step)) < 1e-9


def parse(text: str, name: str = "criteria.yaml") -> list[dict[str, Any]]:
    """Validate a criteria file's text; returns the criteria in file order, each
    {area_code, area_name, code, name, max_points, owner, evidence, source, note, line}.

    Raises ValidationFailed listing every problem as `name:line: message` (unknown owner function, duplicate
    code, non-positive max_points, missing keys …)."""
    problems: list[str] = []
    doc = yaml_lines.load(text, name)
    if not isinstance(doc, dict) or not isinstance(doc.get("areas"), list) or not doc["areas"]:
        line = doc.get(_LINE, 1) if isinstance(doc, dict) else 1
        raise ValidationFailed([f"{name}:{line}: tệp phải có mục 'areas' là danh sách lĩnh vực (không rỗng)"])

    def err(node: Any, message: str) -> None:
        line = node.get(_LINE, 1) if isinstance(node, dict) else doc.get(_LINE, 1)
        problems.append(f"{name}:{line}: {message}")

    result: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    area_codes: set[str] = set()
    for area in doc["areas"]:
        if not isinstance(area, dict):
            err(doc, "mỗi lĩnh vực phải là một bảng có code, name, criteria")
            continue
        area_code, area_name = _text(area.get("code")), _text(area.get("name"))
        if not area_code:
            err(area, "lĩnh vực: thiếu 'code'")
        elif area_code in area_codes:
            err(area, f"lĩnh vực: mã '{area_code}' bị trùng")
        area_codes.add(area_code)
        if not area_name:
            err(area, f"lĩnh vực {area_code}: thiếu 'name'")
        items = area.get("criteria")
        if not isinstance(items, list) or not items:
            err(area, f"lĩnh vực {area_code}: thiếu danh sách tiêu chí 'criteria'")
            continue
        for node in items:
            criterion = _criterion(node, area_code, area_name, err, seen)
            if criterion is not None:
                result.append(criterion)
    if problems:
        raise ValidationFailed(problems)
    return result


def _criterion(node: Any, area_code: str, area_name: str, err, seen: dict[str, int]) -> dict[str, Any] | None:
    if not isinstance(node, dict):
        err(None, f"lĩnh vực {area_code}: mỗi tiêu chí phải là một bảng (code, name, max_points, owner, evidence)")
        return None
    ok = True
    raw_code = node.get("code")
    if not isinstance(raw_code, str):
        hint = f" (viết \"{raw_code}\" trong ngoặc kép)" if isinstance(raw_code, (int, float)) else ""
        err(node, f"tiêu chí: mã phải là chuỗi{hint}")
        return None
    code = raw_code.strip()
    if not _CODE.fullmatch(code):
        err(node, f"tiêu chí: mã '{code}' không hợp lệ (ví dụ \"1.1\")")
        ok = False
    elif code in seen:
        err(node, f"tiêu chí {code}: mã bị trùng (đã có ở dòng {seen[code]})")
        ok = False
    else:
        seen[code] = node[_LINE]
    for key in REQUIRED_KEYS[1:]:
        if node.get(key) is None or (key != "max_points" and not _text(node.get(key))):
            err(node, f"tiêu chí {code}: thiếu '{key}'")
            ok = False
    for key in node:
        if key != _LINE and key not in CRITERION_KEYS:
            err(node, f"tiêu chí {code}: khóa '{key}' không được hỗ trợ ({', '.join(sorted(CRITERION_KEYS))})")
            ok = False
    points = node.get("max_points")
    if points is not None:
        if isinstance(points, bool) or not isinstance(points, (int, float)):
            err(node, f"tiêu chí {code}: max_points '{points}' phải là số")
            ok = False
        elif points <= 0:
            err(node, f"tiêu chí {code}: max_points phải lớn hơn 0 (đang là {points})")
            ok = False
        elif not is_step(points):
            err(node, f"tiêu chí {code}: max_points {points} phải là bội số của {SCORE_STEP}")
            ok = False
    owner = _text(node.get("owner"))
    if owner and owner not in FUNCTIONS:
        err(node, f"tiêu chí {code}: chức năng phụ trách '{owner}' không có ({', '.join(FUNCTIONS)})")
        ok = False
    if not ok:
        return None
    return {
        "area_code": area_code, "area_name": area_name, "code": code, "name": _text(node["name"]),
        "max_points": float(points), "owner": owner, "evidence": _text(node["evidence"]),
        "source": _text(node.get("source")), "note": _text(node.get("note")), "line": node[_LINE],
    }


def load(path: Path | str = DEFAULT_CRITERIA) -> list[dict[str, Any]]:
    """Read and validate a criteria file (default: the shipped sample set)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed([f"{path.name}: không đọc được tệp ({exc.strerror})"]) from None
    return parse(text, path.name)


def resolve(criteria: list[dict[str, Any]], functions: dict[str, str]) -> list[dict[str, Any]]:
    """Each criterion with `owner_unit`, the unit code its owner function maps to in a plan's `functions`.

    The result is plain JSON data (it goes into the process instance's start data as `criteria`)."""
    missing = sorted({c["owner"] for c in criteria if not functions.get(c["owner"])})
    if missing:
        raise ValidationFailed([f"functions: thiếu đơn vị cho chức năng '{key}'" for key in missing])
    return [{k: v for k, v in c.items() if k != "line"} | {"owner_unit": functions[c["owner"]]} for c in criteria]


def owner_units(resolved: list[dict[str, Any]], lead_unit: str | None = None) -> list[str]:
    """The units owning criteria, in first-appearance order, without the lead (focal) unit: the process's
    `supporting_units`."""
    return [u for u in dict.fromkeys(c["owner_unit"] for c in resolved) if u != lead_unit]


def batch_dates(year: int, day_months: list[str] | tuple[str, ...] = ("30/06", "30/09", "15/11")) -> list[str]:
    """Evidence batch deadlines as the process wants them (ISO dates) from `dd/mm` texts, for one year."""
    result = []
    for text in day_months:
        day, month = (int(x) for x in text.strip().split("/"))
        result.append(date(year, month, day).isoformat())
    return result


def max_total(criteria: list[dict[str, Any]]) -> float:
    """The sum of the criteria's max_points."""
    return round(sum(float(c["max_points"]) for c in criteria), 2)
