"""The UI's one number parser and formatter (engine.runtime.numbers): what is stored is what the page shows."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.runtime import forms
from engine.runtime.numbers import MAX_DIGITS, NumberError, format_number, parse_decimal, parse_number

LIMIT = 10 ** MAX_DIGITS - 1

# Values the page can show: at most 15 significant digits, below 10^15.
decimals = st.builds(lambda digits, exponent: Decimal(digits).scaleb(-exponent),
                     st.integers(-LIMIT, LIMIT), st.integers(0, 14)).filter(lambda d: abs(d) < 10 ** MAX_DIGITS)
integers = st.integers(-LIMIT, LIMIT)
floats = st.floats(min_value=-1e14, max_value=1e14, allow_nan=False, allow_infinity=False).filter(
    lambda x: len(Decimal(repr(x)).normalize().as_tuple().digits) <= MAX_DIGITS)


@given(decimals)
def test_a_shown_decimal_reads_back_as_itself(x):
    assert parse_decimal(format_number(x)) == x


@given(floats)
def test_a_stored_float_is_shown_so_it_reads_back_exactly(x):
    assert parse_number(format_number(x)) == x


@given(integers)
def test_a_shown_integer_reads_back_in_an_integer_field(n):
    assert parse_number(format_number(n), integer=True) == n
    assert isinstance(parse_number(format_number(n), integer=True), int)


@given(st.integers(0, LIMIT))
def test_thousands_points_in_groups_of_three_are_read_as_thousands(n):
    grouped = f"{n:,}".replace(",", ".")
    assert parse_number(grouped, integer=True) == n


@given(decimals.filter(lambda d: d != d.to_integral_value()))
def test_an_integer_field_refuses_every_fraction(x):
    with pytest.raises(NumberError, match="số nguyên"):
        parse_number(format_number(x), integer=True)
    pointed = format_number(x).replace(",", ".")
    if len(pointed.split(".")[1]) != 3 or pointed.lstrip("-").startswith("0"):  # else thousands: "1.125" is 1125
        with pytest.raises(NumberError):
            parse_number(pointed, integer=True)  # "3.5" never becomes 35


@given(decimals)
def test_what_is_stored_is_what_the_page_then_shows_for_what_was_typed(x):
    typed = format_number(x)
    stored = parse_number(typed)
    assert parse_decimal(format_number(stored)) == parse_decimal(typed)


@pytest.mark.parametrize(("typed", "integer", "stored"), [
    ("1,5", False, 1.5), ("0,5", False, 0.5), ("0,25", False, 0.25), (" 8 ", False, 8.0), ("-0,75", False, -0.75),
    ("3.5", False, 3.5), ("0.25", False, 0.25), ("1.234,5", False, 1234.5), ("1.234.567", False, 1234567.0),
    ("1.234.567", True, 1234567), ("1.500", True, 1500), ("0.500", False, 0.5), ("3,0", True, 3), ("12", True, 12),
])
def test_examples(typed, integer, stored):
    value = parse_number(typed, integer=integer)
    assert value == stored and type(value) is type(stored)


@pytest.mark.parametrize(("typed", "integer", "message"), [
    ("3.5", True, "Phải là số nguyên"), ("3,5", True, "Phải là số nguyên"), ("1.500", False, "Không rõ “1.500”"),
    ("1,2,3", False, "Phải là số"), ("1.23.4", False, "Phải là số"), ("abc", False, "Phải là số"),
    ("nan", False, "Phải là số"), ("inf", False, "Phải là số"), ("1e5", False, "Phải là số"), ("", False, "Phải là số"),
    ("1,5.", False, "Phải là số"), ("0.500", True, "Phải là số nguyên"),
    ("1234567890123456", True, "quá dài"), ("0,1234567890123456", False, "quá dài"),
])
def test_refusals_say_why_in_vietnamese(typed, integer, message):
    with pytest.raises(NumberError, match=message):
        parse_number(typed, integer=integer)


def test_the_ambiguous_point_names_both_readings():
    with pytest.raises(NumberError) as exc:
        parse_number("1.500")
    assert "1500" in str(exc.value) and "1,5" in str(exc.value)


@pytest.mark.parametrize(("value", "shown"), [(1.5, "1,5"), (0.5, "0,5"), (2.0, "2"), (12.5, "12,5"),
                                              (1500, "1500"), (1500.5, "1500,5"), (1e-05, "0,00001"), (-0.0, "0"),
                                              (Decimal("8.00"), "8")])
def test_format_number(value, shown):
    assert format_number(value) == shown


SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}, "x": {"type": "number", "maximum": 8}}}


@pytest.mark.parametrize(("raw", "data", "errors"), [
    ({"x": "1,5"}, {"x": 1.5}, {}),
    ({"x": "0,5"}, {"x": 0.5}, {}),
    ({"n": "1.234.567"}, {"n": 1234567}, {}),
    ({"n": "3.5"}, {}, {"n": "Phải là số nguyên (không có phần thập phân)"}),
    ({"x": "1.500"}, {}, {"x": "Không rõ “1.500” là 1500 hay 1,5: phần thập phân hãy dùng dấu phẩy (ví dụ 1,5)"}),
])
def test_form_coercion_uses_the_parser(raw, data, errors):
    assert forms.coerce(SCHEMA, raw) == (data, errors)


def test_a_comma_decimal_is_checked_against_the_maximum_as_typed():
    data, errors = forms.parse_and_validate(SCHEMA, {"x": "8,5", "n": "3,5"})
    assert data == {"x": 8.5}
    assert errors == {"x": "Giá trị phải không quá 8", "n": "Phải là số nguyên (không có phần thập phân)"}


@pytest.mark.parametrize(("raw", "score"), [("1,5", 1.5), ("0,5", 0.5), ("0.25", 0.25), (2, 2.0), ("15", 15.0),
                                            ("1.500", None), ("1,5,0", None), ("nan", None), (True, None)])
def test_the_self_score_reads_scores_with_the_one_parser(raw, score):
    from engine.plugins.index_self_assessment import self_score

    assert self_score.score_number(raw) == score


def test_a_score_out_of_range_is_named_with_the_decimal_comma():
    from engine.plugins.index_self_assessment import self_score

    crit = [{"code": "1.2", "name": "A", "max_points": 1.5}]
    assert self_score.validate_scores(crit, {"1.2": {"score": "15", "explanation": "x"}}, {"1.2": 1}) == {
        "1.2": "Điểm phải từ 0 đến 1,5"}
    assert self_score.validate_scores(crit, {"1.2": {"score": "1.500", "explanation": "x"}}, {"1.2": 1}) == {
        "1.2": "Điểm: không rõ “1.500” là 1500 hay 1,5: phần thập phân hãy dùng dấu phẩy (ví dụ 1,5)"}
    assert self_score.score_total(["1,5", "0,5", "", "x"]) == 2


@given(decimals)
def test_the_page_shows_numbers_with_the_same_formatter(x):
    from web import filters

    assert filters.vn_number(float(x)) == format_number(float(x))
    assert filters.show_value(float(x), "anything", {}) == format_number(float(x))
    assert parse_number(filters.vn_number(float(x))) == float(x)
