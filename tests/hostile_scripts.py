"""The hostile-script corpus: code a malicious or careless modeller could put in a BPMN file, each case with where
it goes (a script task, a gateway condition, a timer expression), what must happen and the reason it must give.

`refused`: validate and deploy refuse the file, naming the element and the reason.
`stopped`: the file deploys (nothing can see the problem before the data is there), and starting the process is
stopped at run time with the reason; nothing is stored.

tests/test_hostile_scripts.py runs every case; make_process() puts a case into a small process.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Case:
    id: str
    where: str  # "script", "condition" or "timer"
    source: str
    expect: str  # "refused" or "stopped"
    reason: str  # a fragment of the message that must be given


ISSUE_PAYLOAD = '''match "":
    case str(__reduce_ex__=r): pass
match "{0.__globals__[__builtins__][__loader__].find_spec.__func__.__globals__[sys].modules[os].environ}":
    case str(format=f): pass
results = f(r(2)[0])'''


def _r(id, where, source, reason):
    return Case(id, where, source, "refused", reason)


def _s(id, where, source, reason):
    return Case(id, where, source, "stopped", reason)


CASES: list[Case] = [
    # --- Escapes: refused at deploy -------------------------------------------------------------------------
    _r("issue-match-payload", "script", ISSUE_PAYLOAD, "'match' is not allowed"),
    _r("match-class-pattern", "script", "match v:\n    case str(__class__=c):\n        pass", "'match' is not allowed"),
    _r("match-mapping-pattern", "script", 'match v:\n    case {"k": x}:\n        pass', "'match' is not allowed"),
    _r("class-subclasses", "script", "x = ().__class__.__base__.__subclasses__()", "attribute '__class__'"),
    _r("mro-walk", "script", "x = [c for c in ().__class__.__mro__]", "attribute '__class__'"),
    _r("globals-of-function", "script", "x = len.__globals__", "attribute '__globals__'"),
    _r("self-of-builtin", "script", "x = ''.join.__self__", "attribute '__self__'"),
    _r("generator-frame", "script", "g = (i for i in [1])\nx = g.gi_frame.f_globals", "attribute 'gi_frame'"),
    _r("generator-code", "script", "g = (i for i in [1])\nx = g.gi_code", "attribute 'gi_code'"),
    _r("traceback-frame", "script", "x = e.tb_frame", "attribute 'tb_frame'"),
    _r("frame-back", "script", "x = frame.f_back", "attribute 'f_back'"),
    _r("str-format-walk", "script", "x = '{0.__class__}'.format(1)", "attribute 'format'"),
    _r("format-map-walk", "script", "x = '{a.__globals__}'.format_map({'a': len})", "attribute 'format_map'"),
    _r("format-on-data", "script", "x = comment.format(v)", "attribute 'format'"),
    _r("fstring-attribute-walk", "script", "x = f'{len.__self__}'", "attribute '__self__'"),
    _r("fstring-nested-spec", "script", "x = f'{v:{w}}'", "nested fields"),
    _r("fstring-huge-width", "condition", "f'{v:>1000000000}' != ''", "width over 999"),
    _r("getattr-string", "script", "x = getattr(v, '__cl' + 'ass__')", "name 'getattr'"),
    _r("vars", "script", "x = vars()", "name 'vars'"),
    _r("dir", "script", "x = dir(v)", "name 'dir'"),
    _r("type", "script", "x = type(v)", "name 'type'"),
    _r("globals", "condition", "globals() is not None", "name 'globals'"),
    _r("locals", "script", "x = locals()", "name 'locals'"),
    _r("decorator", "script", "@len\ndef f():\n    pass", "function definitions"),
    _r("lambda", "script", "f = lambda: 0", "'lambda' is not allowed"),
    _r("lambda-code", "condition", "(lambda: 0).__code__ is None", "'lambda' is not allowed"),
    _r("builtins-subscript", "script", "x = __builtins__['open']", "name '__builtins__'"),
    _r("dunder-import", "script", "x = __import__('os')", "name '__import__'"),
    _r("import", "script", "import os", "import is not allowed"),
    _r("import-from", "script", "from os import environ", "import is not allowed"),
    _r("open-file", "script", "x = open('/etc/passwd').read()", "name 'open'"),
    _r("eval", "condition", "eval('1') == 1", "name 'eval'"),
    _r("exec", "script", "exec('x = 1')", "name 'exec'"),
    _r("compile", "script", "x = compile('1', 'f', 'eval')", "name 'compile'"),
    _r("class-definition", "script", "class A:\n    pass", "class definitions"),
    _r("try-except", "script", "try:\n    x = 1\nexcept Exception:\n    pass", "'try' is not allowed"),
    _r("with-statement", "script", "with v as h:\n    pass", "'with' is not allowed"),
    _r("raise", "script", "raise SystemExit", "'raise' is not allowed"),
    _r("global", "script", "global y\ny = 1", "'global' is not allowed"),
    _r("print", "script", "print(v)", "name 'print'"),
    _r("dunder-keyword", "script", "x = dict(__class__=1)", "keyword '__class__'"),
    _r("guard-rebinding", "script", "_getattr_ = len", "name '_getattr_'"),
    _r("walrus-underscore", "condition", "(_y := 1) == 1", "name '_y'"),
    _r("iter-next", "script", "x = next(iter(v))", "name 'next'"),
    _r("bytearray", "script", "x = bytearray(10)", "name 'bytearray'"),
    _r("breakpoint", "script", "breakpoint()", "name 'breakpoint'"),
    _r("attribute-assignment", "script", "v.x = 1", "attribute 'x'"),
    _r("timer-escape", "timer", "().__class__.__base__", "attribute '__class__'"),
    _r("timer-import", "timer", "__import__('os').environ", "name '__import__'"),
    # --- Bombs the deploy can see: refused ------------------------------------------------------------------
    _r("while-true", "script", "while True:\n    pass", "'while' loops are not allowed"),
    _r("power-tower", "script", "x = 10**10**10", "the number would have"),
    _r("power-tower-condition", "condition", "10**10**10 > 0", "the number would have"),
    _r("power-tower-timer", "timer", "str(10**10**10)", "the number would have"),
    _r("string-bomb", "script", "x = 'a' * 10**10", "the repeated sequence would have"),
    _r("string-bomb-condition", "condition", "len('a' * 10**10) > 0", "the repeated sequence would have"),
    _r("string-bomb-timer", "timer", "'a' * 10**10", "the repeated sequence would have"),
    _r("list-bomb", "script", "x = [0] * 10**9", "the repeated sequence would have"),
    _r("shift-bomb", "script", "x = 1 << 10**9", "the number would have"),
    _r("sum-range", "script", "x = sum(range(10**13))", "range() of 10,000,000,000,000 steps"),
    _r("sum-range-condition", "condition", "sum(range(10**13)) > 0", "range() of"),
    _r("star-range", "condition", "max(*range(10**9)) > 0", "range() of"),
    _r("nested-loops", "script", "for i in range(10**6):\n    for j in range(10**6):\n        pass",
       "nested loops of at least 1,000,000,000,000 steps"),
    _r("percent-padding", "script", "x = '%*d' % (10**9, 1)", "'%' formatting of text"),
    # --- Found only when the data is there: stopped at run time ---------------------------------------------
    _s("power-from-data", "script", "n = return_count + 10\nx = n ** n ** n", "the number would have"),
    _s("string-from-data", "script", "x = 'a' * (return_count + 10**10)", "the repeated sequence would have"),
    _s("string-from-data-condition", "condition", "len(period * (return_count + 10**9)) > 0",
       "the repeated sequence would have"),
    _s("string-from-data-timer", "timer", "due_at if len('a' * (return_count + 10**10)) else due_at",
       "the repeated sequence would have"),
    _s("range-from-data-timer", "timer", "due_at if [i for i in range(return_count + 10**7)] else due_at",
       "range() of"),
    _s("cpu-bomb-timer", "timer", "due_at if sum(len(str(list(range(900000)))) for i in range(100)) else due_at",
       "of CPU time"),
    _s("cpu-bomb-condition", "condition", "sum(len(str(list(range(900000)))) for i in range(100)) > 0",
       "of CPU time"),
    _s("shared-list-bomb", "script", "x = [period] * 999999\ny = [x] * 999999\nz = str(y)",
       "counting what it holds"),
    _s("range-from-data", "script", "for i in range(return_count + 10**7):\n    pass", "range() of"),
    _s("sum-range-from-data", "condition", "sum(range(return_count + 10**13)) > 0", "range() of"),
    _s("loops-from-data", "script",
       "for i in range(return_count + 10**6):\n    for j in range(return_count + 10**6):\n        pass",
       "loop steps"),
    _s("cpu-bomb", "script", "x = [str(i) for i in range(500000)]\nfor i in range(500):\n    y = str(x)",
       "of CPU time"),
    _s("memory-bomb", "script", "x = [[0] * 999999 for i in range(400)]", "memory limit"),
    _s("replace-amplifier", "script", "s = period * 1000\nfor i in range(10):\n    s = s.replace('2', '22222')",
       "the replaced text would have"),
    _s("join-amplifier", "script", "s = period * 250000\nt = s.join([s, s, s, s, s])", "the joined text would have"),
    _s("padding-from-data", "script", "x = period.ljust(return_count + 10**10)", "the padded text would have"),
    _s("round-huge-digits", "script", "x = round(5, return_count - 10**9)", "round() to"),
    _r("os-environ", "script", "x = os.environ", "attribute 'environ'"),
    _s("unknown-module-name", "script", "x = os", "name 'os' is not defined"),
    _s("method-of-wrong-type", "script", "x = supporting_units.get('a')", "'list.get' is not available"),
    _s("attribute-of-a-type", "script", "x = str.join(',', ['a'])", "'type.join' is not available"),
    _s("non-data-result", "script", "x = map(str, supporting_units)", "not task data"),
    _s("circular-result", "script", "x = []\nx.append(x)", "contains itself"),
    _s("assert-false", "script", "assert return_count > 99, 'cố ý dừng'", "AssertionError: cố ý dừng"),
]


def make_process(case: Case, key: str = "hostile") -> bytes:
    """A small deployable process holding `case`: start → script → gateway (condition) → a user task whose
    boundary timer uses the timer expression → end. All of it runs when the process starts."""
    script = escape(case.source) if case.where == "script" else "checked = True"
    condition = escape(case.source) if case.where == "condition" else "True"
    timer = escape(case.source) if case.where == "timer" else "due_at"
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_{key}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{key}" name="Quy trình thử: {escape(case.id)}" isExecutable="true">
    <bpmn:extensionElements>
      <camunda:properties><camunda:property name="deadline" value="31/12" /></camunda:properties>
    </bpmn:extensionElements>
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_lead" name="Đơn vị chủ trì">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>hostile_script</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>gate</bpmn:flowNodeRef><bpmn:flowNodeRef>work</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>deadline</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end_late</bpmn:flowNodeRef><bpmn:flowNodeRef>end_default</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="hostile_script" name="Kịch bản" scriptFormat="python"><bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="gate" default="flow_default" />
    <bpmn:userTask id="work" name="Làm việc" camunda:formKey="legal_document_review/start_review" />
    <bpmn:boundaryEvent id="deadline" attachedToRef="work" cancelActivity="true">
      <bpmn:timerEventDefinition><bpmn:timeDate>{timer}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="end_late" />
    <bpmn:endEvent id="end_default" />
    <bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="hostile_script" />
    <bpmn:sequenceFlow id="flow_script" sourceRef="hostile_script" targetRef="gate" />
    <bpmn:sequenceFlow id="flow_condition" sourceRef="gate" targetRef="work">
      <bpmn:conditionExpression>{condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="flow_default" sourceRef="gate" targetRef="end_default" />
    <bpmn:sequenceFlow id="flow_work" sourceRef="work" targetRef="end" />
    <bpmn:sequenceFlow id="flow_late" sourceRef="deadline" targetRef="end_late" />
  </bpmn:process>
</bpmn:definitions>
'''.encode()
