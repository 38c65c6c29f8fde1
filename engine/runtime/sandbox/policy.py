"""What BPMN code may be: the allow-list that scripts, conditions and timer expressions are checked against
before they are compiled, and whether a piece of code is provably cheap enough to run in the server's process.

RestrictedPython's `compile_restricted` does the compilation: its transformer already refuses every syntax node
it has no rule for and routes attribute, subscript and iteration access through guards (engine.runtime.sandbox.guards).
Our policy narrows it to what a process needs — assignments, arithmetic, comparisons, boolean logic, `if`,
`for` over a bounded iterable, comprehensions, subscripts, literals, f-strings and calls of the named safe
functions and methods — and routes arithmetic through a size guard too. No `_`-names anywhere (names, attributes,
keywords), no `match`, no `while`, no function or class definitions, no imports, no `format`.

Imports only the standard library and RestrictedPython (the sandbox worker imports it too).
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import RestrictingNodeTransformer

from engine.runtime.sandbox import guards

MAX_SOURCE = 20_000  # characters of one script or expression
MAX_NODES = 5_000  # syntax nodes of one script or expression
CHEAP_SOURCE = 2_000  # longer code runs in the worker process, whatever it holds
CHEAP_OPERATIONS = 32  # calls, operators, comparisons and subscripts; more run in the worker process

# Builtins a script may not name (everything Python has that is not in the safe set): a clear refusal at deploy
# beats a NameError at run time, and a data field must not be named like them either.
FORBIDDEN_NAMES = frozenset(n for n in dir(builtins) if not n.startswith("_")) - set(guards.SAFE_FUNCTIONS) - {
    "True", "False", "None"} | {"printed"}

_REFUSED = {
    ast.While: "'while' loops are not allowed in BPMN scripts (a 'for' over a list or range() is bounded)",
    ast.FunctionDef: "function definitions are not allowed in BPMN scripts",
    ast.AsyncFunctionDef: "function definitions are not allowed in BPMN scripts",
    ast.Lambda: "'lambda' is not allowed in BPMN scripts",
    ast.ClassDef: "class definitions are not allowed in BPMN scripts",
    ast.Import: "import is not allowed in BPMN scripts",
    ast.ImportFrom: "import is not allowed in BPMN scripts",
    ast.Try: "'try' is not allowed in BPMN scripts",
    ast.With: "'with' is not allowed in BPMN scripts",
    ast.Raise: "'raise' is not allowed in BPMN scripts",
    ast.Global: "'global' is not allowed in BPMN scripts",
    ast.Nonlocal: "'nonlocal' is not allowed in BPMN scripts",
    ast.Return: "'return' is not allowed in BPMN scripts",
    ast.Yield: "'yield' is not allowed in BPMN scripts",
    ast.YieldFrom: "'yield' is not allowed in BPMN scripts",
    ast.Await: "'await' is not allowed in BPMN scripts",
    ast.Match: "'match' is not allowed in BPMN scripts",
}
if hasattr(ast, "TryStar"):
    _REFUSED[ast.TryStar] = "'try' is not allowed in BPMN scripts"

# width / precision of a format spec: at most three digits each, no nested fields.
_FORMAT_SPEC = re.compile(r"^(?:.?[<>=^])?[+\- ]?z?#?0?(?P<width>\d*)[_,]?(?:\.(?P<precision>\d*))?[bcdeEfFgGnosxX%]?$")


class UnsafeScript(ValueError):
    """The code uses something BPMN code may not use; the message says what, and where."""


@dataclass(frozen=True)
class Compiled:
    """Restricted bytecode of one script or expression, and whether it may run in the server's process."""

    code: CodeType
    mode: str
    cheap: bool


def _where(node: ast.AST) -> str:
    line = getattr(node, "lineno", None)
    return f"line {line}: " if line else ""


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's transformer, narrowed to the BPMN allow-list; arithmetic goes through `_binop_`."""

    def not_allowed(self, node: ast.AST) -> None:
        message = _REFUSED.get(type(node)) or f"'{type(node).__name__}' is not allowed in BPMN scripts"
        self.error(node, message)

    def error(self, node: ast.AST, info: str) -> None:
        self.errors.append(_where(node) + info)

    def check_name(self, node: Any, name: str | None, allow_magic_methods: bool = False) -> None:
        if name is None:
            return
        if name.startswith("_"):
            self.error(node, f"name '{name}' is not allowed in BPMN scripts (names starting with '_' are reserved)")
        elif name in FORBIDDEN_NAMES:
            self.error(node, f"name '{name}' is not allowed in BPMN scripts (not one of the safe functions: "
                             f"{', '.join(sorted(guards.SAFE_FUNCTIONS))})")

    def visit_Name(self, node: ast.Name) -> Any:
        self.check_name(node, node.id)
        self.used_names[node.id] = True
        return node

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if node.attr not in guards.ALLOWED_ATTRIBUTES:
            self.error(node, f"attribute '{node.attr}' is not allowed in BPMN scripts (only methods of text, lists "
                             "and dictionaries such as strip, lower, split, join, get, append are)")
            return self.node_contents_visit(node)
        if not isinstance(node.ctx, ast.Load):
            self.error(node, f"assigning to '.{node.attr}' is not allowed in BPMN scripts")
            return self.node_contents_visit(node)
        return super().visit_Attribute(node)

    def visit_keyword(self, node: ast.keyword) -> Any:
        if node.arg is not None and node.arg.startswith("_"):
            self.error(node, f"keyword '{node.arg}' is not allowed in BPMN scripts (names starting with '_' are "
                             "reserved)")
        return self.node_contents_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            if not all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
                self.error(node, "nested fields in an f-string format are not allowed in BPMN scripts")
                return node
            text = "".join(p.value for p in parts)
            match = _FORMAT_SPEC.match(text)
            if match is None:
                self.error(node, f"f-string format '{text}' is not allowed in BPMN scripts")
                return node
            for part in ("width", "precision"):
                if len(match.group(part) or "") > len(str(guards.MAX_FORMAT_WIDTH)):
                    self.error(node, f"f-string format '{text}': {part} over {guards.MAX_FORMAT_WIDTH}")
                    return node
        node.value = self.visit(node.value)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = self.node_contents_visit(node)
        name = type(node.op).__name__
        if name not in guards.BINOP_NAMES:
            self.error(node, f"operator '{name}' is not allowed in BPMN scripts")
            return node
        func, op = ast.copy_location(ast.Name("_binop_", ast.Load()), node), ast.copy_location(ast.Constant(name), node)
        return ast.copy_location(ast.Call(func=func, args=[op, node.left, node.right], keywords=[]), node)



for _node_type in _REFUSED:
    setattr(_Policy, f"visit_{_node_type.__name__}", _Policy.not_allowed)


def _range_length(node: ast.AST) -> int | None:
    """The length of `range(<constants>)`, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"
            and not node.keywords):
        return None
    args = [_constant(a) for a in node.args]
    if not args or any(a is _UNKNOWN or not isinstance(a, int) for a in args):
        return None
    try:
        return len(range(*args))
    except (TypeError, ValueError, OverflowError):
        return None


_UNKNOWN = object()


def _constant(node: ast.AST) -> Any:
    """The value of a constant expression, folded through the guards (which refuse bombs); else _UNKNOWN."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        items = [_constant(e) for e in node.elts]
        if any(i is _UNKNOWN for i in items):
            return _UNKNOWN
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _constant(node.operand)
        if isinstance(value, (int, float)):
            return -value if isinstance(node.op, ast.USub) else value
        return _UNKNOWN
    if isinstance(node, ast.BinOp) and type(node.op).__name__ in guards.BINOP_NAMES:
        left, right = _constant(node.left), _constant(node.right)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        try:
            return guards.binop(type(node.op).__name__, left, right)
        except guards.ScriptRefused:
            raise
        except Exception:  # ZeroDivisionError, TypeError…: a run-time error, not a bomb
            return _UNKNOWN
    return _UNKNOWN


def _static_problems(tree: ast.AST) -> list[str]:
    """What the code can already be seen to do without bound: constant bombs, huge ranges, nested loops."""
    problems: list[str] = []

    def visit(node: ast.AST, steps: int) -> None:
        if isinstance(node, ast.BinOp):
            try:
                _constant(node)
            except guards.ScriptRefused as exc:
                problems.append(f"{_where(node)}{exc}")
                return
        length = _range_length(node)
        if length is not None and length > guards.MAX_ITERATIONS:
            problems.append(f"{_where(node)}range() of {length:,} steps; the limit is {guards.MAX_ITERATIONS:,}")
            return
        inner = steps
        if isinstance(node, (ast.For, ast.comprehension)):
            length = _range_length(node.iter)
            if length is not None:
                inner = steps * max(length, 1)
                if inner > guards.MAX_ITERATIONS:
                    problems.append(f"{_where(node)}nested loops of at least {inner:,} steps; the limit is "
                                    f"{guards.MAX_ITERATIONS:,}")
                    return
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, 1)
    return problems


# Functions and methods that cost at most linear time in their input and build nothing bigger than it.
_CHEAP_FUNCTIONS = frozenset({"abs", "all", "any", "bool", "float", "int", "isinstance", "len", "max", "min", "round",
                              "str", "sum"})
_COPYING_FUNCTIONS = frozenset({"dict", "list", "tuple"})  # cheap with one argument (a shallow copy)
_CHEAP_METHODS = frozenset({"count", "endswith", "find", "get", "index", "isdigit", "items", "join", "keys", "lower",
                            "lstrip", "removeprefix", "removesuffix", "replace", "rstrip", "split", "startswith",
                            "strip", "upper", "values"})
_OPERATIONS = (ast.Call, ast.BinOp, ast.AugAssign, ast.Subscript, ast.Compare, ast.JoinedStr)
_DISPLAYS = (ast.List, ast.Tuple, ast.Set, ast.Dict)


def _constant_display(node: ast.AST) -> bool:
    """A list, tuple, set or dict literal of constants only (it cannot share anything it does not own)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, _DISPLAYS):
        parts = [*node.keys, *node.values] if isinstance(node, ast.Dict) else node.elts
        return all(p is not None and _constant_display(p) for p in parts)
    return False


def _cheap_call(node: ast.Call) -> bool:
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return False
    if isinstance(node.func, ast.Name):
        if node.func.id in _COPYING_FUNCTIONS:
            return len(node.args) <= 1 and not node.keywords
        return node.func.id in _CHEAP_FUNCTIONS
    return isinstance(node.func, ast.Attribute) and node.func.attr in _CHEAP_METHODS


def _is_cheap(source: str, tree: ast.AST) -> bool:
    """Provably cheap: short; no loops, comprehensions or sorting; calls only of functions linear in their input;
    nothing that changes or builds a container from anything but constants, so no value can share (and so
    multiply) what it holds. Every operation is size-guarded and the task data is bounded, so such code ends in
    milliseconds whatever the data; everything else runs in the worker process."""
    if len(source) > CHEAP_SOURCE:
        return False
    operations = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.While, ast.comprehension, ast.ListComp, ast.SetComp, ast.DictComp,
                             ast.GeneratorExp, ast.Starred, ast.NamedExpr)):
            return False
        if isinstance(node, ast.Call) and not _cheap_call(node):
            return False
        if isinstance(node, _DISPLAYS) and not _constant_display(node):
            return False
        if isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, _OPERATIONS):
            operations += 1
    return operations <= CHEAP_OPERATIONS


@lru_cache(maxsize=2048)
def compile_code(source: str, mode: str = "exec") -> Compiled:
    """Check `source` against the allow-list and compile it restricted. mode: 'exec' (scripts) or 'eval'
    (conditions, timer expressions). Raises SyntaxError if it does not parse, UnsafeScript if it is refused."""
    if mode not in ("exec", "eval"):
        raise ValueError(mode)
    if len(source) > MAX_SOURCE:
        raise UnsafeScript(f"the code is {len(source):,} characters long; the limit is {MAX_SOURCE:,}")
    tree = ast.parse(source, "<bpmn>", mode)
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise UnsafeScript(f"the code has more than {MAX_NODES:,} syntax elements")
    problems = _static_problems(tree)
    cheap = _is_cheap(source, tree)
    compiler = compile_restricted_exec if mode == "exec" else compile_restricted_eval
    result = compiler(tree, "<bpmn>", policy=_Policy)
    problems = list(dict.fromkeys([*result.errors, *problems]))
    if problems or result.code is None:
        raise UnsafeScript("; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""))
    return Compiled(result.code, mode, cheap)


def check_source(source: str, mode: str = "exec") -> None:
    """Raise SyntaxError or UnsafeScript unless `source` may be deployed (the check deploy runs)."""
    compile_code(source, mode)
