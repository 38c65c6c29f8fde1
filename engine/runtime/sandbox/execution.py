"""Running compiled BPMN code on task data, the same way in the server's process and in the worker process:
fresh restricted globals per run, task data checked on the way in and out, errors as one clear line.

Imports only the standard library and RestrictedPython (the sandbox worker imports it too).
"""

from __future__ import annotations

import json
import traceback
from datetime import date, datetime
from typing import Any

from engine.runtime.sandbox import guards
from engine.runtime.sandbox.policy import Compiled

MAX_DATA = guards.MAX_DATA  # characters and items of the task data code may hand back


class ScriptFailed(Exception):
    """The code raised while running (NameError, ZeroDivisionError, a guard's refusal…): one line for users."""

    def __init__(self, message: str, limit: bool = False):
        super().__init__(message)
        self.limit = limit  # a limit was hit (time, memory, size, steps) rather than an error in the code


def _line_of(exc: BaseException) -> str:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<bpmn>"]
    return f"line {lines[-1]}: " if lines else ""


def describe(exc: BaseException) -> ScriptFailed:
    """The ScriptFailed for an exception raised by BPMN code."""
    if isinstance(exc, guards.ScriptLimitExceeded):
        return ScriptFailed(f"{_line_of(exc)}{exc}", limit=True)
    if isinstance(exc, MemoryError):
        return ScriptFailed(f"{_line_of(exc)}the script ran out of its memory limit", limit=True)
    if isinstance(exc, RecursionError):
        return ScriptFailed(f"{_line_of(exc)}the data is nested too deeply", limit=True)
    if isinstance(exc, guards.ScriptRefused):
        return ScriptFailed(f"{_line_of(exc)}{exc}")
    return ScriptFailed(f"{_line_of(exc)}{type(exc).__name__}: {exc}")


def check_data(value: Any, what: str = "the result") -> bool:
    """Raise ScriptFailed unless `value` is task data (JSON values, dates) of bounded size and without cycles.
    True if it holds a tuple or a number as a dictionary key, which the stored state turns into a list and a
    text key (as_stored() does the same at once)."""
    budget = MAX_DATA
    reshaped = False
    stack: list[tuple[Any, bool]] = [(value, False)]
    path: set[int] = set()  # the containers we are inside of: meeting one again is a cycle
    while stack:
        item, leaving = stack.pop()
        if leaving:
            path.discard(id(item))
            continue
        budget -= 1
        if isinstance(item, str):
            budget -= len(item)
        elif isinstance(item, (list, tuple, dict)):
            reshaped = reshaped or isinstance(item, tuple)
            if id(item) in path:
                raise ScriptFailed(f"{what} contains itself, which task data cannot")
            if isinstance(item, dict):
                bad = next((k for k in item if not isinstance(k, (str, int))), None)
                if bad is not None:
                    raise ScriptFailed(f"{what} has a dictionary key of type '{type(bad).__name__}'; task data "
                                       "keys are text")
                reshaped = reshaped or any(not isinstance(k, str) for k in item)
            path.add(id(item))
            stack.append((item, True))
            stack.extend((inner, False) for inner in (item.values() if isinstance(item, dict) else item))
        elif item is not None and not isinstance(item, (bool, int, float, date)):
            raise ScriptFailed(f"{what} holds a '{type(item).__name__}' value, which is not task data")
        if budget < 0:
            raise ScriptFailed(f"{what} is larger than the task data limit ({MAX_DATA:,} characters)", limit=True)
    return reshaped


def as_stored(value: Any) -> Any:
    """Task data as it reads back from the stored state: tuples become lists and number keys text. A script's
    result is taken in this shape at once, so the next step sees the same data whether its workflow was kept in
    memory (engine.runtime.state_cache) or restored, and whether the script ran here or in the worker."""
    return loads(dumps(value))


def run(compiled: Compiled, variables: dict[str, Any], in_process: bool = False) -> tuple[Any, dict[str, Any]]:
    """Run `compiled` with `variables` as its task data: (value of an expression or None, the variables after
    a script). Raises ScriptFailed; in the server's process (`in_process`), guards.NotCheapHere when the run
    must be redone in the worker."""
    restricted = guards.restricted_globals(in_process=in_process)
    namespace = {**variables, **restricted}  # the guards win over data of the same name
    try:
        value = eval(compiled.code, namespace)  # noqa: S307 - restricted bytecode, guarded globals
    except guards.NotCheapHere:
        raise
    except Exception as exc:  # the code's own error, or a guard's refusal
        raise describe(exc) from None
    if compiled.mode == "eval":
        if check_data(value):
            value = as_stored(value)
        return value, variables
    after = {k: v for k, v in namespace.items()
             if not (k in restricted and v is restricted[k]) and not callable(v)}
    for key, item in after.items():
        if not (key in variables and variables[key] is item):  # what the script left alone is task data already
            if check_data(item, f"variable '{key}'"):
                after[key] = as_stored(item)
    return None, after


# --- Task data as JSON between the server and the worker process ----------------------------------------------

def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"'{type(value).__name__}' is not task data")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
    return obj


def dumps(value: Any) -> bytes:
    """Task data as JSON bytes (dates tagged)."""
    return json.dumps(value, default=_default, ensure_ascii=False).encode("utf-8")


def loads(data: bytes) -> Any:
    """The inverse of dumps."""
    return json.loads(data.decode("utf-8"), object_hook=_hook)
