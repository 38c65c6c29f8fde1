"""The script engine SpiffWorkflow runs BPMN conditions, scripts and timer expressions with.

SpiffWorkflow would run them with plain eval/exec and real builtins. Ours hands every one to the sandbox
(engine.runtime.sandbox): an allow-list checked at deploy and again before running, restricted compilation with
guarded access, and a resource-limited worker process for anything not provably cheap. A refusal or an overrun
raises a WorkflowTaskException naming the element and the reason; callers roll the transaction back.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine.runtime.sandbox import runner
from engine.runtime.sandbox.execution import ScriptFailed
from engine.runtime.sandbox.policy import UnsafeScript, check_source

__all__ = ["ENGINE", "SafeScriptEngine", "ScriptFailed", "UnsafeScript", "check_source"]


def _visible(context: dict[str, Any], external: dict[str, Any] | None) -> dict[str, Any]:
    """The variables code sees: data objects, then the task data; `_`-keys are never handed over."""
    merged = {**(external or {}), **context}
    return {k: v for k, v in merged.items() if isinstance(k, str) and not k.startswith("_")}


class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates and executes through the sandbox runner instead of eval/exec."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context: dict | None = None) -> Any:
        value, _ = runner.run(expression, "eval", _visible(context, external_context))
        return value

    def execute(self, script: str, context: dict[str, Any], external_context: dict | None = None) -> bool:
        given = _visible(context, external_context)
        _, after = runner.run(script, "exec", given)
        for key in given:  # `del name` in the script removes it from the task data
            if key not in after:
                context.pop(key, None)
        context.update({k: v for k, v in after.items() if not (external_context and k in external_context)})
        return True


class SafeScriptEngine(PythonScriptEngine):
    """PythonScriptEngine over the sandbox; errors say which element failed and why."""

    def __init__(self):
        super().__init__(environment=_SandboxEnvironment())

    def validate(self, expression: str) -> None:
        check_source(expression, "exec")

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except (ScriptFailed, UnsafeScript, SyntaxError) as exc:
            raise WorkflowTaskException(f"bước {_element(task)}: biểu thức '{_short(expression)}' bị dừng "
                                        f"({exc})", task=task, exception=exc) from None

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except (ScriptFailed, UnsafeScript, SyntaxError) as exc:
            raise WorkflowTaskException(f"bước {_element(task)}: kịch bản bị dừng ({exc})", task=task,
                                        exception=exc) from None


def _element(task) -> str:
    spec = task.task_spec
    name = getattr(spec, "bpmn_name", None)
    return f"'{getattr(spec, 'bpmn_id', None) or spec.name}'" + (f" (\"{name}\")" if name else "")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "…"


ENGINE = SafeScriptEngine()
