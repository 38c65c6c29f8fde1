"""Where BPMN code runs: provably cheap code in the server's process, everything else in a fresh worker process
with CPU, memory and wall-clock limits that is killed on overrun.

A single C-level operation cannot be interrupted inside the server, so anything the policy cannot prove cheap
(loops, comprehensions, sorting, long code) goes to engine.runtime.sandbox.worker. The worker is a new interpreter
(`python -I`, no environment, an empty working folder): it never holds the server's memory, so no secret key,
session or database handle is reachable from it. Data travels as JSON both ways.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.runtime.sandbox import execution, guards, policy
from engine.runtime.sandbox.execution import ScriptFailed

_ROOT = str(Path(__file__).resolve().parents[3])  # the folder holding the `engine` package
_BOOT = f"import sys; sys.path.insert(0, {_ROOT!r}); from engine.runtime.sandbox.worker import main; sys.exit(main())"


@dataclass(frozen=True)
class Limits:
    """What one run in the worker process may use."""

    cpu_seconds: int = 1
    wall_seconds: float = 3.0
    memory_bytes: int = 256 * 1024 * 1024
    max_answer_bytes: int = 16 * 1024 * 1024


LIMITS = Limits()
_workdir: str | None = None


def _empty_folder() -> str:
    global _workdir
    if _workdir is None or not os.path.isdir(_workdir):
        _workdir = tempfile.mkdtemp(prefix="cchc-sandbox-")  # created 0700, left empty
    return _workdir


def run(source: str, mode: str, variables: dict[str, Any], limits: Limits = LIMITS) -> tuple[Any, dict[str, Any]]:
    """Run a script ('exec') or expression ('eval') on task data: (expression value or None, variables after a
    script). Raises SyntaxError / policy.UnsafeScript for code the allow-list refuses, ScriptFailed when it
    fails or overruns (`limit` set)."""
    compiled = policy.compile_code(source, mode)
    if compiled.cheap:
        # Cheap code changes no list or dict in place (the policy's rule), so the task data is not copied; the
        # worker gets its own copy anyway. (SpiffWorkflow 3.2 shares nested objects between a task and its
        # parent: a change in place would leak into other branches.)
        try:
            return execution.run(compiled, dict(variables), in_process=True)
        except guards.NotCheapHere:
            pass  # an operation that must walk its data: the worker does the whole run again
    return _in_worker(source, mode, variables, limits)


def _in_worker(source: str, mode: str, variables: dict[str, Any], limits: Limits) -> tuple[Any, dict[str, Any]]:
    try:
        request = execution.dumps({"source": source, "mode": mode, "variables": variables})
    except (TypeError, ValueError) as exc:
        raise ScriptFailed(f"the task data cannot be handed to the sandbox: {exc}") from None
    process = subprocess.Popen(
        [sys.executable, "-I", "-c", _BOOT, str(limits.cpu_seconds), str(limits.memory_bytes)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={}, cwd=_empty_folder(),
        close_fds=True, start_new_session=True,
    )
    try:
        out, err = process.communicate(request, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise ScriptFailed(f"the script ran longer than {limits.wall_seconds:g} s and was stopped",
                           limit=True) from None
    if process.returncode == -signal.SIGXCPU or process.returncode == -signal.SIGKILL:
        raise ScriptFailed(f"the script used more than {limits.cpu_seconds} s of CPU time and was stopped",
                           limit=True)
    if process.returncode != 0 or not out:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {process.returncode}"]
        raise ScriptFailed(f"the sandbox stopped the script ({detail[0][:200]})", limit=True)
    if len(out) > limits.max_answer_bytes:
        raise ScriptFailed("the script's result is larger than the task data limit", limit=True)
    answer = execution.loads(out)
    if not answer.get("ok"):
        raise ScriptFailed(answer.get("error", "the script failed"), limit=bool(answer.get("limit")))
    return answer.get("value"), answer.get("variables") or {}


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()
