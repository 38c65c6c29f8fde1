"""The script engine for BPMN conditions, scripts and timer expressions.

SpiffWorkflow runs them with plain eval/exec and real builtins. We gate every expression by its AST (no
imports, no names or attributes starting with an underscore, no reflective builtins) and run it with a small
set of safe builtins, so a script cannot reach the operating system.
"""

from __future__ import annotations

import ast
import copy

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

SAFE_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "filter", "float", "int", "len", "list", "map",
        "max", "min", "range", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
        "isinstance", "True", "False", "None",
    )
}
FORBIDDEN_NAMES = {
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "globals", "locals", "vars",
    "input", "breakpoint", "help", "memoryview", "type", "object", "super", "classmethod", "staticmethod",
    "property", "dir", "id", "print", "exit", "quit",
}
# str.format can walk attributes ("{0.__class__}"), so it is as dangerous as a dunder.
FORBIDDEN_ATTRS = {"format", "format_map", "mro", "gi_frame", "f_globals", "f_locals", "f_back"}


class UnsafeScript(ValueError):
    """The expression or script uses something scripts may not use."""


def check_source(source: str, mode: str = "exec") -> None:
    """Raise UnsafeScript or SyntaxError unless `source` passes the gate. mode: 'exec' or 'eval'."""
    tree = ast.parse(source, mode=mode)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise UnsafeScript("import is not allowed in BPMN scripts")
        if isinstance(node, (ast.Global, ast.Nonlocal, ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef, ast.AsyncWith, ast.With, ast.Try, ast.Raise, ast.Await,
                             ast.Yield, ast.YieldFrom)):
            raise UnsafeScript(f"'{type(node).__name__}' is not allowed in BPMN scripts")
        if isinstance(node, ast.Name) and (node.id.startswith("_") or node.id in FORBIDDEN_NAMES):
            raise UnsafeScript(f"name '{node.id}' is not allowed in BPMN scripts")
        if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr in FORBIDDEN_ATTRS):
            raise UnsafeScript(f"attribute '{node.attr}' is not allowed in BPMN scripts")


class _SafeEnvironment(TaskDataEnvironment):
    def __init__(self):
        super().__init__({"__builtins__": SAFE_BUILTINS})

    def evaluate(self, expression, context, external_context=None):
        check_source(expression, "eval")
        return super().evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        check_source(script, "exec")
        return super().execute(script, context, external_context)


class SafeScriptEngine(PythonScriptEngine):
    """PythonScriptEngine with the AST gate, safe builtins and copy-on-write task data."""

    def __init__(self):
        super().__init__(environment=_SafeEnvironment())

    def validate(self, expression: str) -> None:
        check_source(expression, "exec")

    def execute(self, task, script, external_context=None):
        # SpiffWorkflow 3.2 shares nested objects between a task and its parent; a script mutating a list
        # would leak into other branches, so it works on its own copy.
        task.data = copy.deepcopy(task.data)
        return super().execute(task, script, external_context)


ENGINE = SafeScriptEngine()
