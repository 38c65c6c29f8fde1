"""The one number parser and formatter of the UI: Vietnamese notation, read back exactly as it is shown.

The rule (what a person types → what is stored):
- the decimal separator is the comma: "1,5" → 1.5, "0,25" → 0.25;
- the point groups thousands, in groups of three: "1.234.567" → 1234567, "1.234,5" → 1234.5;
- a point is read as a decimal point only where it cannot be a thousands separator: one point, no comma, and not
  followed by exactly three digits ("3.5" → 3.5, "0.25" → 0.25);
- "1.500" (one point, three digits after it, no comma) could be either: an integer field reads it as 1500 (an
  integer has no fraction), a decimal field refuses it and asks for the comma;
- an integer field refuses a fraction ("3,5", "3.5" → error, never 35);
- at most 15 significant digits and magnitude below 10^15, so what is stored (a float) equals what was typed.

`format_number` writes a value the way `parse_number` reads it back, in either kind of field: decimal comma and
no thousands points (so never the ambiguous "1.500").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 15

_PLAIN = re.compile(r"^[+-]?\d+$")
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")  # "0.500" is no thousands grouping
_COMMA = re.compile(r"^([+-]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)),(\d+)$")
_POINT = re.compile(r"^[+-]?\d+\.\d+$")


class NumberError(ValueError):
    """Text that is not a number under the rule above; str() is the Vietnamese message for the user."""


NOT_A_NUMBER = "Phải là số (phần thập phân dùng dấu phẩy, ví dụ 1,5)"
NOT_AN_INTEGER = "Phải là số nguyên (không có phần thập phân)"
AMBIGUOUS = "Không rõ “{text}” là {thousands} hay {decimal}: phần thập phân hãy dùng dấu phẩy (ví dụ {decimal})"
TOO_LONG = f"Số quá dài (tối đa {MAX_DIGITS} chữ số)"


def parse_decimal(text: str, *, integer: bool = False) -> Decimal:
    """The exact value of `text` under the module's rule; NumberError with the Vietnamese reason otherwise."""
    text = (text or "").strip().replace("\u00a0", " ")
    if not text:
        raise NumberError(NOT_A_NUMBER)
    if _PLAIN.match(text):
        digits = text
    elif _GROUPED.match(text):
        if text.count(".") == 1 and not integer:
            whole, frac = text.lstrip("+-").split(".")
            sign = "-" if text.startswith("-") else ""
            raise NumberError(AMBIGUOUS.format(text=text, thousands=f"{sign}{whole}{frac}",
                                               decimal=f"{sign}{whole},{frac.rstrip('0') or '0'}"))
        digits = text.replace(".", "")
    elif (m := _COMMA.match(text)):
        digits = f"{m.group(1).replace('.', '')}.{m.group(2)}"
    elif _POINT.match(text):
        digits = text  # one point, not followed by exactly three digits: it cannot be a thousands separator
    else:
        raise NumberError(NOT_AN_INTEGER if integer and _looks_numeric(text) else NOT_A_NUMBER)
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise NumberError(NOT_A_NUMBER) from None
    if integer and value != value.to_integral_value():
        raise NumberError(NOT_AN_INTEGER)
    too_many = len(value.normalize().as_tuple().digits) > MAX_DIGITS
    if value != 0 and (abs(value) >= Decimal(10) ** MAX_DIGITS or too_many):
        raise NumberError(TOO_LONG)
    return value


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[\d.,]+", text))


def parse_number(text: str, *, integer: bool = False) -> int | float:
    """The value to store for `text`: an int for an integer field, else a float equal to what was typed."""
    value = parse_decimal(text, integer=integer)
    return int(value) if integer else float(value)


def format_number(value: int | float | Decimal) -> str:
    """A number as the page shows it and `parse_number` reads it back: 1.5 → "1,5", 0.25 → "0,25", 2.0 → "2",
    1500 → "1500", 1500.5 → "1500,5"."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return str(value)
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    text = format(exact.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "+0"):
        text = "0"
    return text.replace(".", ",")
