"""What compiled BPMN code may touch at run time: the guarded operations RestrictedPython routes every attribute,
subscript, iteration and (our policy adds) arithmetic through, and the named safe functions.

Every guard refuses before it allocates: `'a' * 10**10` is stopped by arithmetic on the lengths, not by a
MemoryError. The same guards run in-process (for code the policy proves cheap) and in the sandbox worker
process (for everything else), so both paths give the same answers and the same errors.

Imports only the standard library and RestrictedPython: the sandbox worker imports this module in a fresh
interpreter that holds nothing of the server.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

MAX_SEQUENCE = 1_000_000  # characters of a string, items of a list/tuple/dict built by one operation
MAX_INT_BITS = 64_000  # about 19,000 decimal digits: far beyond any count or amount a process needs
MAX_ITERATIONS = 1_000_000  # loop and comprehension steps of one evaluation, all loops together
MAX_FORMAT_WIDTH = 999  # width and precision in an f-string format spec
MAX_DATA = 4_000_000  # items and characters reachable from one value (task data handed back, lists built)


class ScriptRefused(Exception):
    """Run-time refusal by a guard; the message says what was refused and the limit."""


class ScriptLimitExceeded(ScriptRefused):
    """The code asked for more than a limit allows (size, steps, time, memory)."""


class NotCheapHere(Exception):
    """Raised in the server's process when an operation turns out to cost more than constant time on its data
    (joining or repeating lists must walk what they hold): the run is redone in the worker process. Cheap code
    changes nothing in place, so starting over is safe."""


def _limit(what: str, size: int, limit: int) -> ScriptLimitExceeded:
    return ScriptLimitExceeded(f"{what} would have {size:,} {'bits' if 'number' in what else 'items'}; "
                               f"the limit is {limit:,}")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else None


def _int_bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _is_int(value: Any) -> bool:
    return isinstance(value, int)


def deep_size(value: Any, limit: int = MAX_DATA) -> int:
    """Items and characters reachable from `value`, shared parts counted each time they are reached (as str()
    or a comparison would walk them); the count stops just past `limit`, so this costs at most that."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        total += 1
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.values())
    return total


def _check_repeat(seq: Any, times: Any) -> None:
    size = _size(seq)
    if not _is_int(times) or size is None or times <= 0:
        return
    if size * times > MAX_SEQUENCE:
        raise _limit("the repeated sequence", size * times, MAX_SEQUENCE)
    if isinstance(seq, (list, tuple)):
        # [x] * n shares x n times: what str() or a comparison of the result walks is n times x.
        deep = deep_size(seq, MAX_DATA // times + 1) * times
        if deep > MAX_DATA:
            raise _limit("the repeated list (counting what it holds)", deep, MAX_DATA)


def _check_pow(base: Any, exp: Any) -> None:
    if _is_int(base) and _is_int(exp) and exp > 0 and abs(base) > 1:
        bits = (_int_bits(base) - 1) * exp  # a lower bound of the result's size, computed without it
        if bits > MAX_INT_BITS:
            raise _limit("the number", bits, MAX_INT_BITS)


def _check_mult(left: Any, right: Any) -> None:
    _check_repeat(left, right)
    _check_repeat(right, left)
    if _is_int(left) and _is_int(right) and _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
        raise _limit("the number", _int_bits(left) + _int_bits(right), MAX_INT_BITS)


def _check_lshift(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right) and _int_bits(left) + max(right, 0) > MAX_INT_BITS:
        raise _limit("the number", _int_bits(left) + right, MAX_INT_BITS)


def _check_add(left: Any, right: Any) -> None:
    a, b = _size(left), _size(right)
    if a is None or b is None:
        return
    if a + b > MAX_SEQUENCE:
        raise _limit("the joined sequence", a + b, MAX_SEQUENCE)
    if isinstance(left, (list, tuple)):
        deep = deep_size(left) + deep_size(right)
        if deep > MAX_DATA:
            raise _limit("the joined list (counting what it holds)", deep, MAX_DATA)


def _check_mod(left: Any, right: Any) -> None:
    # printf-style formatting can pad to any width ('%*d', '%1000000000d'); f-strings are checked instead.
    if isinstance(left, (str, bytes)):
        raise ScriptRefused("'%' formatting of text is not allowed in BPMN scripts; use an f-string")


_BINOPS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], None] | None]] = {
    "Add": (operator.add, _check_add), "Sub": (operator.sub, None), "Mult": (operator.mul, _check_mult),
    "Div": (operator.truediv, None), "FloorDiv": (operator.floordiv, None), "Mod": (operator.mod, _check_mod),
    "Pow": (operator.pow, _check_pow), "LShift": (operator.lshift, _check_lshift),
    "RShift": (operator.rshift, None), "BitOr": (operator.or_, None), "BitXor": (operator.xor, None),
    "BitAnd": (operator.and_, None),
}
_INPLACE = {"+=": "Add", "-=": "Sub", "*=": "Mult", "/=": "Div", "//=": "FloorDiv", "%=": "Mod", "**=": "Pow",
            "<<=": "LShift", ">>=": "RShift", "|=": "BitOr", "^=": "BitXor", "&=": "BitAnd"}
BINOP_NAMES = frozenset(_BINOPS)


def binop(op: str, left: Any, right: Any) -> Any:
    """`left <op> right` after the size check of that operator."""
    function, check = _BINOPS[op]
    if check is not None:
        check(left, right)
    return function(left, right)


def binop_in_process(op: str, left: Any, right: Any) -> Any:
    """binop() for the server's process: + and * of lists or tuples go to the worker (their size check walks
    everything they hold)."""
    if op in ("Add", "Mult") and (isinstance(left, (list, tuple)) or isinstance(right, (list, tuple))):
        raise NotCheapHere(op)
    function, check = _BINOPS[op]
    if check is not None:
        check(left, right)
    return function(left, right)


def _inplace(operate: Callable[[str, Any, Any], Any]) -> Callable[[str, Any, Any], Any]:
    """`x op= y` on a name: the same checks as the binary operator."""
    def call(op: str, left: Any, right: Any) -> Any:
        if op not in _INPLACE:
            raise ScriptRefused(f"operator '{op}' is not allowed in BPMN scripts")
        return operate(_INPLACE[op], left, right)
    return call


# --- Attributes: only these methods of these exact types -------------------------------------------------------

_STR_METHODS = frozenset({
    "capitalize", "casefold", "center", "count", "endswith", "find", "index", "isalnum", "isalpha", "isdecimal",
    "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip",
    "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit",
    "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill",
})
_LIST_METHODS = frozenset({"append", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
                           "sort"})
_DICT_METHODS = frozenset({"copy", "get", "items", "keys", "pop", "setdefault", "update", "values"})
SAFE_METHODS: dict[type, frozenset[str]] = {str: _STR_METHODS, list: _LIST_METHODS, dict: _DICT_METHODS,
                                            tuple: frozenset({"count", "index"})}
ALLOWED_ATTRIBUTES = frozenset().union(*SAFE_METHODS.values())


def _padded(method: Callable[..., str]) -> Callable[..., str]:
    def call(width: Any, *rest: Any) -> str:
        if _is_int(width) and width > MAX_SEQUENCE:
            raise _limit("the padded text", width, MAX_SEQUENCE)
        return method(width, *rest)
    return call


def _replace(text: str) -> Callable[..., str]:
    def call(old: Any, new: Any, count: int = -1) -> str:
        if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
            hits = text.count(old) if count < 0 else min(count, text.count(old))
            size = len(text) + hits * (len(new) - len(old))
            if size > MAX_SEQUENCE:
                raise _limit("the replaced text", size, MAX_SEQUENCE)
        return text.replace(old, new, count)
    return call


def _join(separator: str) -> Callable[[Iterable[Any]], str]:
    def call(parts: Iterable[Any]) -> str:
        items = list(parts)
        try:
            size = sum(map(len, items)) + len(separator) * max(len(items) - 1, 0)
        except TypeError:  # an item without a length: join() itself says what is wrong
            size = 0
        if size > MAX_SEQUENCE:
            raise _limit("the joined text", size, MAX_SEQUENCE)
        return separator.join(items)
    return call


def _growing(container: list | dict, method: Callable[..., Any], by_argument: bool) -> Callable[..., Any]:
    """A method that adds to a list or dict: one item, or (extend, update) as many as its argument holds."""
    def call(*args: Any, **kwargs: Any) -> Any:
        extra = (sum(_size(a) or 0 for a in args) + len(kwargs)) if by_argument else 1
        if len(container) + extra > MAX_SEQUENCE:
            raise _limit("the list or dictionary", len(container) + extra, MAX_SEQUENCE)
        return method(*args, **kwargs)
    return call


def getattr_(obj: Any, name: str, default: Any = None) -> Any:
    """`obj.name` for the allowed methods of str, list, dict and tuple values; nothing else."""
    allowed = SAFE_METHODS.get(type(obj))
    if allowed is None or name not in allowed:
        raise ScriptRefused(f"'{type(obj).__name__}.{name}' is not available in BPMN scripts")
    method = getattr(obj, name)
    if name in ("center", "ljust", "rjust", "zfill"):
        return _padded(method)
    if name == "replace":
        return _replace(obj)
    if name == "join":
        return _join(obj)
    if name in ("extend", "update", "insert", "append", "setdefault"):
        return _growing(obj, method, by_argument=name in ("extend", "update"))
    return method


def getitem(obj: Any, key: Any) -> Any:
    """`obj[key]` on data values (str, list, tuple, dict); nothing else is subscriptable."""
    if not isinstance(obj, (str, list, tuple, dict)):
        raise ScriptRefused(f"'{type(obj).__name__}' values cannot be subscripted in BPMN scripts")
    return obj[key]


def write(obj: Any) -> Any:
    """Target of `obj[key] = value` / `del obj[key]`: lists and dicts of the task data only."""
    if type(obj) not in (list, dict):
        raise ScriptRefused(f"'{type(obj).__name__}' values cannot be changed in BPMN scripts")
    return obj


class Budget:
    """The loop steps one evaluation may take, shared by every loop and comprehension in it."""

    def __init__(self, steps: int = MAX_ITERATIONS):
        self.steps = self.left = steps

    def getiter(self, obj: Any) -> Iterator[Any]:
        """`iter(obj)` whose every step is counted against this budget."""
        return self._counted(iter(obj))

    def _counted(self, iterator: Iterator[Any]) -> Iterator[Any]:
        for item in iterator:
            self.left -= 1
            if self.left < 0:
                raise ScriptLimitExceeded(f"the script took more than {self.steps:,} loop steps")
            yield item


# --- The named safe functions ---------------------------------------------------------------------------------

def _range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_ITERATIONS:
        raise ScriptLimitExceeded(f"range() of {len(r):,} steps; the limit is {MAX_ITERATIONS:,}")
    return r


def _sum(values: Iterable[Any], start: Any = 0) -> Any:
    # sum() of lists or strings is quadratic; numbers only.
    if not isinstance(start, (int, float)) or isinstance(start, bool):
        raise ScriptRefused("sum() adds numbers only in BPMN scripts")
    return sum(values, start)


def _round(number: Any, ndigits: int | None = None) -> Any:
    # round(5, -10**9) computes 10**(10**9) inside CPython.
    if ndigits is not None and _is_int(ndigits) and abs(ndigits) > 300:
        raise ScriptLimitExceeded(f"round() to {ndigits:,} digits; the limit is 300")
    return round(number, ndigits)


SAFE_FUNCTIONS: dict[str, Any] = {
    "abs": abs, "all": all, "any": any, "bool": bool, "chr": chr, "dict": dict, "divmod": divmod,
    "enumerate": enumerate, "filter": filter, "float": float, "int": int, "isinstance": isinstance, "len": len,
    "list": list, "map": map, "max": max, "min": min, "ord": ord, "range": _range, "reversed": reversed,
    "round": _round, "sorted": sorted, "str": str, "sum": _sum, "tuple": tuple, "zip": zip,
}
"""Every function a BPMN script may call by name (besides the methods above)."""


def _apply(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


def restricted_globals(budget: Budget | None = None, in_process: bool = False) -> dict[str, Any]:
    """Fresh globals for one evaluation of compiled BPMN code: the guards, the safe functions and its own loop
    budget; no real builtins. `in_process`: the server's process, where costly operations go to the worker."""
    getiter = (budget or Budget()).getiter
    operate = binop_in_process if in_process else binop
    return {
        "__builtins__": {"True": True, "False": False, "None": None},
        "__name__": "bpmn_script",
        "_getattr_": getattr_, "_getitem_": getitem, "_getiter_": getiter, "_write_": write,
        "_inplacevar_": _inplace(operate), "_binop_": operate, "_apply_": _apply,
        "_unpack_sequence_": guarded_unpack_sequence, "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        **SAFE_FUNCTIONS,
    }
