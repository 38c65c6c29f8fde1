"""Hostile and oddly encoded BPMN files.

Every attack in tests/data/hostile/xml (XXE, parameter entities, external DTDs, XInclude …), the same attacks
re-encoded as UTF-16 and UTF-32, and the big ones generated here (oversized, deeply nested, billion laughs,
quadratic blow-up) are refused by validate *and* deploy with the same one-line reason, nothing is stored, and
nothing is fetched from the local HTTP server the files point at. Files written in UTF-16, UTF-32, Latin-1 or
windows-1258 deploy, and their stored XML is UTF-8 text with the diacritics intact.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from engine.core.errors import ValidationFailed
from engine.core.models import AuditEvent, ProcessDefinition
from engine.runtime import deploy
from engine.runtime.safe_xml import MAX_XML_BYTES

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile" / "xml"
BAD = ROOT / "tests" / "data" / "bad"
LEGAL = ROOT / "processes" / "legal_document_review" / "legal_document_review.bpmn"
CCHC = Path(sys.executable).parent / "cchc"
BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'

NO_DTD = "DTD/entity declarations are not allowed in BPMN files"
NO_XINCLUDE = "XInclude elements are not allowed in BPMN files"


# --- a local server the hostile files point at: it must never be asked for anything ------------------------------

class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        body = b'<!ENTITY leaked "fetched">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def url(server) -> str:
    """The server's base URL; the test fails if anything was requested from it meanwhile."""
    server.requests.clear()
    yield f"http://127.0.0.1:{server.server_port}"
    assert server.requests == [], f"fetched from the network: {server.requests}"


def test_the_recording_server_does_see_requests(server, url):
    """The no-fetch check is meaningful: a real request is recorded."""
    with urllib.request.urlopen(f"{url}/probe", timeout=5) as response:
        assert response.status == 200
    assert server.requests == ["/probe"]
    server.requests.clear()


# --- the corpus --------------------------------------------------------------------------------------------------

def hostile(name: str, base: str) -> bytes:
    """A corpus file with its server placeholder pointing at the recording server."""
    return (HOSTILE / name).read_bytes().replace(b"__SERVER__", base.encode())


def quadratic_blowup(base: str) -> bytes:
    """One 50 kB entity referenced 30,000 times: 1.5 GB once expanded, 200 kB on disk, no nesting."""
    refs = "&a;" * 30_000
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE definitions [ <!ENTITY a "{"x" * 50_000}"> ]>\n'
            f'<bpmn:definitions {BPMN} id="d1"><bpmn:process id="p" isExecutable="true">'
            f"<bpmn:documentation>{refs}</bpmn:documentation></bpmn:process></bpmn:definitions>").encode()


def oversized(base: str) -> bytes:
    """A valid process padded with a comment just over the size limit."""
    text = LEGAL.read_text(encoding="utf-8")
    return text.replace("<bpmn:process ", "<!--" + "x" * MAX_XML_BYTES + "--><bpmn:process ", 1).encode()


def deeply_nested(base: str, depth: int = 5_000) -> bytes:
    return (f'<bpmn:definitions {BPMN} id="d1">' + '<bpmn:extensionElements>' * depth
            + "</bpmn:extensionElements>" * depth + "</bpmn:definitions>").encode()


def nul_byte(base: str) -> bytes:
    return LEGAL.read_bytes().replace(b'name="', b'name="\x00', 1)


def binary(base: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def xinclude_variant(where: str, namespace: str = "http://www.w3.org/2001/XInclude") -> Callable[[str], bytes]:
    """An xi:include of /etc/passwd (or of the server) in a given place of an otherwise plain file."""
    include = f'<xi:include xmlns:xi="{namespace}" href="{{base}}/xi.xml" parse="text"/>'
    places = {
        "root": f'<bpmn:definitions {BPMN} id="d1">{include}<bpmn:process id="p" isExecutable="true"/>',
        "task": (f'<bpmn:definitions {BPMN} id="d1"><bpmn:process id="p" isExecutable="true">'
                 f'<bpmn:userTask id="t" name="Soạn thảo">{include}</bpmn:userTask></bpmn:process>'),
        "after": f'<bpmn:definitions {BPMN} id="d1"><bpmn:process id="p" isExecutable="true"/>{include}',
    }
    return lambda base: (places[where] + "</bpmn:definitions>").replace("{base}", base).encode()


def from_file(name: str, folder: Path = HOSTILE) -> Callable[[str], bytes]:
    if folder == HOSTILE:
        return lambda base: hostile(name, base)
    return lambda base: (folder / name).read_bytes()


# name -> (content given the server's URL, the reason the refusal must give)
ATTACKS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "xxe_file": (from_file("xxe_file.bpmn"), NO_DTD),
    "xxe_http": (from_file("xxe_http.bpmn"), NO_DTD),
    "xxe_in_attribute": (from_file("xxe.bpmn", BAD), NO_DTD),
    "parameter_entity": (from_file("parameter_entity.bpmn"), NO_DTD),
    "external_dtd": (from_file("external_dtd.bpmn"), NO_DTD),
    "doctype_after_long_comment": (from_file("doctype_after_long_comment.bpmn"), NO_DTD),
    "billion_laughs": (from_file("billion_laughs.bpmn", BAD), NO_DTD),
    "quadratic_blowup": (quadratic_blowup, NO_DTD),
    "xinclude_passwd": (from_file("xinclude.bpmn"), NO_XINCLUDE),
    "xinclude_http_other_prefix": (from_file("xinclude_http.bpmn"), NO_XINCLUDE),
    "xinclude_at_root": (xinclude_variant("root"), NO_XINCLUDE),
    "xinclude_in_task": (xinclude_variant("task"), NO_XINCLUDE),
    "xinclude_after_process": (xinclude_variant("after"), NO_XINCLUDE),
    "xinclude_2003_namespace": (xinclude_variant("task", "http://www.w3.org/2003/XInclude"), NO_XINCLUDE),
}
OTHERS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "oversized": (oversized, f"file too large ({MAX_XML_BYTES + 7 + os.path.getsize(LEGAL)} bytes; limit"),
    "deeply_nested": (deeply_nested, "elements nested too deeply (limit 256 levels)"),
    "not_xml": (from_file("not_xml.bpmn"), "malformed XML: Start tag expected"),
    "binary": (binary, "file is not valid UTF-8 text (byte 0x89 at offset 0)"),
    "empty": (from_file("empty.bpmn"), "empty file"),
    "nul_byte": (nul_byte, "file contains NUL characters"),
    "not_bpmn_root": (from_file("not_bpmn_root.bpmn"), "not a BPMN 2.0 document"),
}

# The attacks re-encoded: (codec, byte-order mark or b"", name in the XML declaration).
ENCODINGS = {
    "utf16le_bom": ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    "utf16be_bom": ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    "utf16le": ("utf-16-le", b"", "UTF-16LE"),
    "utf16be": ("utf-16-be", b"", "UTF-16BE"),
    "utf32le_bom": ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"),
    "utf32be_bom": ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32"),
    "utf32le": ("utf-32-le", b"", "UTF-32LE"),
    "utf32be": ("utf-32-be", b"", "UTF-32BE"),
}


def reencode(data: bytes, codec: str, bom: bytes, declared: str | None) -> bytes:
    """A UTF-8 document written in another encoding; its declaration names it (or is dropped if None)."""
    text = data.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2:].lstrip()
    if declared:
        text = f'<?xml version="1.0" encoding="{declared}"?>\n' + text
    return bom + text.encode(codec)


def all_cases() -> dict[str, tuple[Callable[[str], bytes], str]]:
    cases = {**ATTACKS, **OTHERS}
    for name, (make, reason) in ATTACKS.items():
        for label, (codec, bom, declared) in ENCODINGS.items():
            cases[f"{name}-{label}"] = (lambda base, m=make, c=codec, b=bom, d=declared: reencode(m(base), c, b, d),
                                        reason)
        # No declaration at all: only the byte-order mark (or the byte pattern) says what the file is.
        cases[f"{name}-utf16le_bom_nodecl"] = (
            lambda base, m=make: reencode(m(base), "utf-16-le", codecs.BOM_UTF16_LE, None), reason)
        cases[f"{name}-utf16be_nodecl"] = (lambda base, m=make: reencode(m(base), "utf-16-be", b"", None), reason)
    return cases


CASES = all_cases()


def counts(db) -> tuple[int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count(ProcessDefinition.id))), s.scalar(select(func.count(AuditEvent.id))))


def refusal(data: bytes, name: str = "hostile.bpmn") -> str:
    """The one problem validate gives for `data` (the test fails if it accepts it or gives several)."""
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(data, name)
    problems = caught.value.problems
    assert len(problems) == 1 and "\n" not in problems[0] and problems[0].startswith(f"{name}: "), problems
    return problems[0]


def assert_refused_everywhere(db, data: bytes, reason: str) -> None:
    problem = refusal(data)
    assert reason in problem, problem
    before = counts(db)
    with pytest.raises(ValidationFailed) as caught, db.session() as s:
        deploy.deploy(s, data, "hostile.bpmn", "modeller")
    assert caught.value.problems == [problem]
    assert counts(db) == before  # no definition, no audit event


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_by_validate_and_deploy(db, url, case):
    make, reason = CASES[case]
    assert_refused_everywhere(db, make(url), reason)


def test_corpus_size():
    """Every committed corpus file is used, and the count in the report is the count tested."""
    used = set(os.listdir(HOSTILE)) - {"xml_stylesheet.bpmn"}
    named = {"xxe_file.bpmn", "xxe_http.bpmn", "parameter_entity.bpmn", "external_dtd.bpmn", "xinclude.bpmn",
             "doctype_after_long_comment.bpmn", "xinclude_http.bpmn", "not_xml.bpmn", "empty.bpmn",
             "not_bpmn_root.bpmn"}
    assert used == named
    assert len(CASES) == len(ATTACKS) * (len(ENCODINGS) + 3) + len(OTHERS)


def test_deep_nesting_is_refused_quickly():
    started = time.perf_counter()
    problem = refusal(deeply_nested("", 5_000))
    assert time.perf_counter() - started < 2 and "nested too deeply" in problem


def test_a_hundred_thousand_siblings_are_read_quickly(db):
    """100,000 sibling tasks (1.8 MB, under the size limit) in a second process: validate answers within a couple
    of seconds, and deploy gives the same verdict (the file is a legal BPMN document, so both accept it)."""
    siblings = "".join(f'<task id="s{i}"/>' for i in range(100_000))
    extra = f'<process xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="siblings">{siblings}</process>'
    data = LEGAL.read_text(encoding="utf-8").replace("</bpmn:definitions>", extra + "</bpmn:definitions>").encode()
    assert len(data) < MAX_XML_BYTES
    started = time.perf_counter()
    parsed = deploy.validate_bpmn(data, "siblings.bpmn")
    assert time.perf_counter() - started < 2
    assert parsed.key == "legal_document_review"
    with db.session() as s:
        definition, created = deploy.deploy(s, data, "siblings.bpmn", "modeller")
    assert created and definition.bpmn_xml.count("<task ") == 100_000


def test_xml_stylesheet_is_never_fetched(db, url):
    """A stylesheet processing instruction is harmless (nothing applies it); the file deploys, nothing is fetched."""
    data = hostile("xml_stylesheet.bpmn", url)
    assert deploy.validate_bpmn(data, "xml_stylesheet.bpmn").key == "hostile_stylesheet"
    with db.session() as s:
        definition, created = deploy.deploy(s, data, "xml_stylesheet.bpmn", "modeller")
    assert created and "<?xml-stylesheet" in definition.bpmn_xml


# --- encodings ---------------------------------------------------------------------------------------------------

LATIN1 = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<bpmn:definitions {BPMN} id="d_latin1">
  <bpmn:process id="latin1_process" name="Révision générale à l'échéance" isExecutable="true">
    <bpmn:documentation>Procédure écrite en ISO-8859-1 (« Latin-1 »).</bpmn:documentation>
    <bpmn:startEvent id="start" name="Début" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" name="Terminé" />
  </bpmn:process>
</bpmn:definitions>
"""


def legal_in(codec: str, bom: bytes, declared: str | None) -> bytes:
    return reencode(LEGAL.read_bytes(), codec, bom, declared)


UNICODE_FILES = {
    "utf16_bom": ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    "utf16be_bom": ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    "utf16le_no_bom": ("utf-16-le", b"", "UTF-16LE"),
    "utf16_bom_no_declaration": ("utf-16-le", codecs.BOM_UTF16_LE, None),
    "utf32_bom": ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"),
    "utf8_bom": ("utf-8", codecs.BOM_UTF8, "UTF-8"),
}


@pytest.mark.parametrize("label", sorted(UNICODE_FILES))
def test_vietnamese_process_in_utf16_and_utf32_deploys_as_utf8_text(db, label):
    """The legal review process (lanes Đơn vị chủ trì, Lãnh đạo Sở phê duyệt …) saved as UTF-16/UTF-32 deploys;
    the stored XML is the same text as the UTF-8 original, and an unchanged file keeps its version."""
    data = legal_in(*UNICODE_FILES[label])
    parsed = deploy.validate_bpmn(data, "legal.bpmn")
    assert parsed.key == "legal_document_review"
    with db.session() as s:
        definition, created = deploy.deploy(s, data, "legal.bpmn", "modeller")
        version, stored = definition.version, definition.bpmn_xml
    assert created and definition.sha256 == deploy.version_digest(data, parsed.forms)
    original = LEGAL.read_text(encoding="utf-8")
    expected = original if UNICODE_FILES[label][2] else original[original.index("?>") + 2:].lstrip()
    assert stored == expected
    assert "Đơn vị chủ trì" in stored and "Lãnh đạo Sở phê duyệt" in stored
    lanes = etree.fromstring(stored.encode("utf-8")).iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}lane")
    assert "Đơn vị phối hợp" in {lane.get("name") for lane in lanes}
    with db.session() as s:
        again, created = deploy.deploy(s, data, "legal.bpmn", "modeller")
    assert not created and again.version == version


def test_latin1_file_deploys_and_is_stored_as_utf8(db):
    data = LATIN1.encode("iso-8859-1")
    assert b"\xe9" in data  # é as one Latin-1 byte: not UTF-8
    assert deploy.validate_bpmn(data, "latin1.bpmn").name == "Révision générale à l'échéance"
    with db.session() as s:
        definition, created = deploy.deploy(s, data, "latin1.bpmn", "modeller")
    assert created
    assert definition.bpmn_xml == LATIN1.replace('encoding="ISO-8859-1"', 'encoding="UTF-8"')
    assert definition.sha256 == deploy.version_digest(data, deploy.validate_bpmn(data, "latin1.bpmn").forms)


def to_windows_1258(text: str) -> str:
    """`text` as windows-1258 writes Vietnamese: the tone of a toned letter as a separate combining mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next((m for m in parts if m in tones), "")
            out.append(unicodedata.normalize("NFC", parts.replace(tone, "")) + tone)
    return "".join(out)


def test_windows_1258_file_deploys_with_its_lanes_recognised(db):
    """Vietnamese in the legacy Windows code page: the decomposed tones are composed, so the lanes match the
    role vocabulary and the stored text equals the UTF-8 original."""
    original = LEGAL.read_text(encoding="utf-8")
    data = to_windows_1258(original.replace('encoding="UTF-8"', 'encoding="windows-1258"')).encode("cp1258")
    parsed = deploy.validate_bpmn(data, "legal-1258.bpmn")
    assert parsed.meta["user_tasks"]["approve"]["role"] == "approver"
    with db.session() as s:
        definition, created = deploy.deploy(s, data, "legal-1258.bpmn", "modeller")
    assert created and definition.bpmn_xml == original


@pytest.mark.parametrize("data, reason", [
    (LATIN1.replace("ISO-8859-1", "ISO-8859-99").encode("iso-8859-1"),
     "unknown encoding 'ISO-8859-99' in the XML declaration"),
    (LATIN1.replace("ISO-8859-1", "UTF-7").encode("iso-8859-1"), "encoding 'UTF-7' is not supported"),
    (LATIN1.replace("ISO-8859-1", "UTF-8").encode("iso-8859-1"), "file is not valid UTF-8 text (byte 0xe9 at offset"),
    (LATIN1.replace("ISO-8859-1", "US-ASCII").encode("iso-8859-1"), "file is not valid ASCII text (byte 0xe9"),
    (LATIN1.replace("ISO-8859-1", "UTF-16").encode("iso-8859-1"),
     "encoding declared as 'UTF-16' but the file is not UTF-16 (no byte-order mark)"),
    (legal_in("utf-16-le", codecs.BOM_UTF16_LE, "UTF-8"), "encoding declared as 'UTF-8' but the file is UTF-16"),
    (legal_in("utf-16-le", codecs.BOM_UTF16_LE, "ISO-8859-1"),
     "encoding declared as 'ISO-8859-1' but the file is UTF-16"),
    (legal_in("utf-8", b"", "UTF-8").replace(b"\xc4\x90", b"\xc4"), "file is not valid UTF-8 text (byte 0xc4"),
    (legal_in("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16")[:-1], "file is not valid UTF-16-LE text"),
    (b'<?xml version="1.0" encoding=UTF-8?><bpmn:definitions/>', "malformed XML declaration"),
], ids=["unknown", "utf7", "latin1-declared-utf8", "latin1-declared-ascii", "utf16-declared-no-bom",
        "utf16-bom-declared-utf8", "utf16-bom-declared-latin1", "broken-utf8", "odd-length-utf16",
        "declaration-without-quotes"])
def test_unknown_or_wrong_encoding_is_refused_naming_it(db, data, reason):
    assert_refused_everywhere(db, data, reason)


# --- the command line agrees ---------------------------------------------------------------------------------------

def test_cli_validate_and_deploy_give_the_same_verdict_for_every_file(tmp_path, db_url, url):
    """`cchc validate` and `cchc deploy` (separate processes) agree on every file: the hostile corpus, its encoded
    variants and the good files written in UTF-16, UTF-32, Latin-1 and windows-1258."""
    files: dict[str, bytes] = {f"{case}.bpmn": make(url) for case, (make, _) in CASES.items()}
    files.update({f"legal-{label}.bpmn": legal_in(*spec) for label, spec in UNICODE_FILES.items()})
    files["latin1.bpmn"] = LATIN1.encode("iso-8859-1")
    legal = LEGAL.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="windows-1258"')
    files["legal-windows-1258.bpmn"] = to_windows_1258(legal).encode("cp1258")
    files["xml_stylesheet.bpmn"] = hostile("xml_stylesheet.bpmn", url)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / name) for name in sorted(files)]
    env = {**os.environ, "DATABASE_URL": db_url}
    validated = subprocess.run([str(CCHC), "validate", *paths], capture_output=True, text=True, timeout=120, env=env)
    deployed = subprocess.run([str(CCHC), "deploy", *paths], capture_output=True, text=True, timeout=120, env=env)
    assert "Traceback" not in validated.stderr + deployed.stderr, deployed.stderr[-2000:]
    verdict_validate: dict[str, list[str]] = {name: [] for name in files}
    for line in validated.stdout.splitlines():
        name, _, reason = line.removeprefix(str(tmp_path) + "/").partition(": ")
        if reason != "OK":
            verdict_validate[name].append(reason)
    verdict_deploy: dict[str, list[str]] = {name: [] for name in files}
    for line in deployed.stderr.splitlines():
        name, _, reason = line.partition(": ")
        verdict_deploy[name].append(reason)
    assert verdict_validate == verdict_deploy
    good = sorted(name for name, reasons in verdict_validate.items() if not reasons)
    assert good == sorted(["latin1.bpmn", "xml_stylesheet.bpmn", "legal-windows-1258.bpmn",
                           *(f"legal-{k}.bpmn" for k in UNICODE_FILES)])
    assert deployed.stdout.count(" deployed (") + deployed.stdout.count(" unchanged (") == len(good)
    assert validated.returncode == deployed.returncode == 1
