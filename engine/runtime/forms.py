"""Task forms: one JSON Schema per user task in forms/<key>.schema.json, Vietnamese labels.

Schema conventions understood by the renderer: `title` per field, `format: date` (entered dd/mm/yyyy, stored
ISO yyyy-mm-dd), numbers in Vietnamese notation (engine.runtime.numbers: "1,5"),
`x-widget: textarea | radio | lines`, choices as `oneOf: [{const, title}]`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from engine.core import clock, config
from engine.core.errors import FormInvalid
from engine.runtime import numbers

FORMS_DIR = config.FORMS_DIR  # shipped; config.apply() sets the deployment's (CCHC_FORMS_DIR)
_KEY = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$")
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


class FormMissing(ValueError):
    """No usable schema for a form key."""


def form_path(key: str, forms_dir: Path | None = None) -> Path:
    if not _KEY.match(key or ""):
        raise FormMissing(f"invalid form key '{key}'")
    return (forms_dir or FORMS_DIR) / f"{key}.schema.json"


def load_schema(key: str, forms_dir: Path | None = None) -> dict[str, Any]:
    """Read and check the schema for `key`; FormMissing with the reason if absent or not a valid schema."""
    return _load(str(form_path(key, forms_dir)))


def _load(path: str) -> dict[str, Any]:
    # Read afresh each time: deploy stores what it reads with the version, and must see an edited file.
    p = Path(path)
    if not p.is_file():
        raise FormMissing(f"form file {p.name} not found")
    try:
        schema = json.loads(p.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (ValueError, SchemaError) as exc:
        raise FormMissing(f"form file {p.name} is not a valid JSON Schema: {str(exc).splitlines()[0]}") from None
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise FormMissing(f"form file {p.name} must describe an object with properties")
    return schema


def choices(field: dict[str, Any]) -> list[tuple[Any, str]]:
    """(value, label) pairs of a choice field."""
    if "oneOf" in field:
        return [(c["const"], c.get("title", str(c["const"]))) for c in field["oneOf"] if "const" in c]
    return [(v, str(v)) for v in field.get("enum", [])]


def coerce(schema: dict[str, Any], raw: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn submitted strings into typed values. Returns (data, errors); bad values are reported, not dropped."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, field in schema["properties"].items():
        kind = field.get("type")
        value = raw.get(name)
        if kind == "boolean":
            data[name] = value in ("on", "true", "1", "yes")
            continue
        if value is None or str(value).strip() == "":
            continue
        value = str(value).strip()
        if kind in ("integer", "number"):
            try:
                data[name] = numbers.parse_number(value, integer=kind == "integer")
            except numbers.NumberError as exc:
                errors[name] = str(exc)
        elif kind == "array":
            data[name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif field.get("format") == "date":
            parsed = parse_vn_date(value)
            if parsed is None:
                errors[name] = "Ngày không hợp lệ (nhập dd/mm/yyyy)"
            elif not in_date_window(parsed):
                low, high = date_window()
                errors[name] = f"Ngày {parsed:%d/%m/%Y} không hợp lý: phải trong khoảng năm {low} đến năm {high}"
            else:
                data[name] = parsed.isoformat()
        else:
            data[name] = value
    return data, errors


def parse_and_validate(schema: dict[str, Any], raw: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Coerce submitted strings and check them against the schema; every bad field is reported at once."""
    data, errors = coerce(schema, raw)
    try:
        validate(schema, data)
    except FormInvalid as exc:
        errors = {**exc.errors, **errors}  # a value that could not be read says why, not just "required"
    return data, errors


# A date typed into a form (a document's date, a deadline) is within these years of today: 1900 or 2099 is a
# typing slip, not a date of this work.
DATE_YEARS_BACK, DATE_YEARS_AHEAD = 30, 5


def date_window() -> tuple[int, int]:
    """The first and last year a form date may have (around today)."""
    year = clock.today_local().year
    return year - DATE_YEARS_BACK, year + DATE_YEARS_AHEAD


def in_date_window(day: date) -> bool:
    """Whether a typed date is within date_window()."""
    low, high = date_window()
    return low <= day.year <= high


def parse_vn_date(value: str) -> date | None:
    """dd/mm/yyyy (or ISO yyyy-mm-dd) → date; None if not a real date."""
    m = _DMY.match(value)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


_MESSAGES = {
    "required": "Trường này là bắt buộc",
    "minLength": "Không được để trống",
    "maxLength": "Quá dài (tối đa {maxLength} ký tự)",
    "minimum": "Giá trị phải từ {minimum} trở lên",
    "maximum": "Giá trị phải không quá {maximum}",
    "type": "Giá trị không đúng kiểu",
    "enum": "Lựa chọn không hợp lệ",
    "const": "Lựa chọn không hợp lệ",
    "oneOf": "Lựa chọn không hợp lệ",
    "format": "Định dạng không hợp lệ",
    "additionalProperties": "Có trường không được phép",
    "minItems": "Cần ít nhất {minItems} mục",
}


_validators: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    """One validator per schema object (a version's forms live as long as the process): building one costs more
    than validating with it."""
    found = _validators.get(id(schema))
    if found is None or found[0] is not schema:
        if len(_validators) > 2048:
            _validators.clear()
        found = _validators[id(schema)] = (schema, Draft202012Validator(schema, format_checker=FormatChecker()))
    return found[1]


def validate(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Validate `data` against `schema`; FormInvalid maps each bad field to a Vietnamese message."""
    validator = _validator(schema)
    errors: dict[str, str] = {}
    for err in sorted(validator.iter_errors(data), key=lambda e: len(e.path)):
        if err.validator == "required":
            field = err.message.split("'")[1] if "'" in err.message else "_"
        elif err.path:
            field = str(err.path[0])
        else:
            field = "_"
        template = _MESSAGES.get(err.validator, "Giá trị không hợp lệ")
        errors.setdefault(field, template.format_map({err.validator: err.validator_value}))
    if errors:
        raise FormInvalid(errors)
    return data
