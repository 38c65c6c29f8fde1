"""Hostile evidence uploads (engine level): macros and ActiveX hidden in .docx/.xlsx by case, percent-encoding or
content type; zip bombs; file names and titles spoofed with bidi overrides or invisible characters."""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile

import pytest
from sqlalchemy import func, select

from engine.core.errors import EngineError
from engine.core.models import AuditEvent
from engine.plugins.index_self_assessment import evidence
from tests.test_index_self_assessment import DOCX, PDF, XLSX, _zip, add_file, add_link, evidence_rows, param_id, start

MACRO = "có chứa macro hoặc điều khiển ActiveX"
DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="xml" ContentType="application/xml"/>{extra}'
              '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>')
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def docx(members: dict[str, str] | None = None, main: str = DOCX_MAIN, extra: str = "") -> bytes:
    """A minimal .docx with the given [Content_Types].xml entries and extra members."""
    return _zip({"[Content_Types].xml": DOCX_TYPES.format(main=main, extra=extra),
                 "word/document.xml": "<w:document/>", **(members or {})})


def with_members(package: bytes, members: dict[str, bytes | str]) -> bytes:
    """A copy of a ZIP package with members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, data in members.items():
            target.writestr(name, data)
    return out.getvalue()


def xlsx_types_replaced(old: str, new: str) -> bytes:
    """The openpyxl workbook with a piece of its [Content_Types].xml replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(XLSX)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)
    return out.getvalue()


def streamed(members: dict[str, int], fill: bytes = b"\0") -> bytes:
    """A ZIP whose members are `size` bytes of `fill` each, written in chunks (a zip bomb stays small)."""
    out = io.BytesIO()
    chunk = fill * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as stream:
                for _ in range(size // len(chunk)):
                    stream.write(chunk)
                stream.write(fill * (size % len(chunk)))
    return out.getvalue()


# --- macros and ActiveX ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("filename, data", [
    ("upper_case.docx", docx({"word/VBAPROJECT.BIN": "x"})),
    ("mixed_case.docx", docx({"Word/VbaProject.Bin": "x"})),
    ("percent_encoded.docx", docx({"word/vbaProject%2Ebin": "x"})),
    ("vba_data.docx", docx({"word/vbaData.xml": "<wne:vbaSuppData/>"})),
    ("activex.docx", docx({"word/activeX/activeX1.bin": "x"})),
    ("activex_upper.docx", docx({"WORD/ACTIVEX/ACTIVEX1.BIN": "x"})),
    ("workbook_vba.xlsx", with_members(XLSX, {"xl/VbaProject.bin": "x"})),
    ("excel4_macro_sheet.xlsx", with_members(XLSX, {"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"})),
    ("macro_enabled_main.docx", docx(main="application/vnd.ms-word.document.macroEnabled.main+xml")),
    ("macro_enabled_upper.docx", docx(main="APPLICATION/VND.MS-WORD.DOCUMENT.MACROENABLED.MAIN+XML")),
    ("macro_enabled_char_ref.docx", docx(main="application/vnd.ms-word.document.macro&#x45;nabled.main+xml")),
    ("macro_enabled_template.docx", docx(main="application/vnd.ms-word.template.macroEnabledTemplate.main+xml")),
    ("vba_by_default_extension.docx", docx({"word/project.dat": "x"},
                                           extra='<Default Extension="dat" '
                                                 'ContentType="application/vnd.ms-office.vbaProject"/>')),
    ("activex_content_type.docx", docx({"word/controls/c1.xml": "<ax/>"},
                                       extra='<Override PartName="/word/controls/c1.xml" '
                                             'ContentType="application/vnd.ms-office.activeX+xml"/>')),
    ("macro_enabled_sheet.xlsx", xlsx_types_replaced(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml")),
], ids=param_id)
def test_macros_and_activex_are_refused_whatever_the_case(filename, data):
    with pytest.raises(EngineError, match=MACRO):
        evidence.check_file(filename, data)


@pytest.mark.parametrize("filename, data", [
    ("Báo cáo.docx", DOCX),
    ("Báo cáo đủ.docx", docx()),
    ("Số liệu.xlsx", XLSX),
    ("Số liệu in.xlsx", with_members(XLSX, {"xl/printerSettings/printerSettings1.bin": b"\0" * 64})),
    ("Ảnh nhúng.docx", docx({"word/media/image1.png": b"\x89PNG\r\n\x1a\n"})),
], ids=param_id)
def test_ordinary_office_files_are_still_accepted(filename, data):
    """Printer settings (.bin, not ActiveX) and media are ordinary parts of Office files."""
    assert evidence.check_file(filename, data)[0] == filename


@pytest.mark.parametrize("filename, data", [
    ("two_parts_one_name.docx", docx({"WORD/document.xml": "<w:document/>"})),
    ("types_not_xml.docx", _zip({"[Content_Types].xml": "x", "word/document.xml": "x"})),
    ("types_with_dtd.docx", _zip({"[Content_Types].xml": '<!DOCTYPE t [<!ENTITY a "macroEnabled">]><Types/>',
                                  "word/document.xml": "x"})),
], ids=param_id)
def test_ambiguous_or_malformed_packages_are_not_office_files(filename, data):
    with pytest.raises(EngineError, match="không phải tệp DOCX hợp lệ"):
        evidence.check_file(filename, data)


def test_refused_macro_upload_stores_nothing(db, actor):
    inst = start(db, actor)
    with pytest.raises(EngineError, match=MACRO):
        add_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "bao_cao.docx", docx({"word/VBAPROJECT.BIN": "x"}))
    assert evidence_rows(db, inst.id) == []
    with db.session() as s:
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.kind == "evidence_add")) == 0


# --- zip bombs ---------------------------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking():
    """Under 1 MB on disk, 257 MB unpacked: refused from the sizes in the ZIP directory, quickly."""
    bomb = streamed({"[Content_Types].xml": 100, "word/document.xml": evidence.MAX_ZIP_UNCOMPRESSED + 1024 * 1024})
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(EngineError, match=r"nội dung giải nén quá lớn \(257 MB; tối đa 256 MB\)"):
        evidence.check_file("bom_nen.docx", bomb)
    assert time.perf_counter() - started < 1


def test_an_oversized_content_types_member_is_not_unpacked():
    """The one member the check reads is bounded too: 20 MB of [Content_Types].xml is refused unread."""
    bomb = streamed({"[Content_Types].xml": 20 * 1024 * 1024, "word/document.xml": 10}, fill=b" ")
    started = time.perf_counter()
    with pytest.raises(EngineError, match="không phải tệp DOCX hợp lệ"):
        evidence.check_file("bom_kieu_noi_dung.docx", bomb)
    assert time.perf_counter() - started < 1


def test_too_many_members_are_refused():
    many = docx({f"word/media/p{i}.txt": "" for i in range(evidence.MAX_ZIP_MEMBERS)})
    assert len(many) < evidence.MAX_FILE_BYTES
    with pytest.raises(EngineError, match=f"có quá nhiều thành phần nén \\({evidence.MAX_ZIP_MEMBERS + 2}; tối đa"):
        evidence.check_file("nhieu_thanh_phan.docx", many)


# --- names and titles --------------------------------------------------------------------------------------------

VIETNAMESE = "Báo cáo tự đánh giá năm 2026.pdf"


@pytest.mark.parametrize("given, stored", [
    (VIETNAMESE, VIETNAMESE),
    (unicodedata.normalize("NFD", VIETNAMESE), VIETNAMESE),  # decomposed (macOS) becomes composed
    ("Báo cáo\u202excod.pdf", "Báo cáoxcod.pdf"),  # displayed as "Báo cáopdf.docx"
    ("Kế\u200bhoạch\u200c\u200d\u200e\u200f.pdf", "Kếhoạch.pdf"),
    ("\ufeffBiên bản\u2066họp\u2069\u202a\u202b\u202c\u202d.pdf", "Biên bảnhọp.pdf"),
    ("bao_cao.pdf\u200b", "bao_cao.pdf"),  # an invisible character after the extension does not hide it
    ("dong\u2028moi\u2029doan\u0085.pdf", "dongmoidoan.pdf"),
    ("C:\\Tài liệu\\a\u00ad\u2060b.pdf", "ab.pdf"),  # soft hyphen, word joiner
], ids=["vietnamese", "nfd", "rlo", "zero-width", "bom-isolates-embeddings", "after-extension",
        "separators", "soft-hyphen"])
def test_stored_names_keep_diacritics_and_lose_invisible_characters(given, stored):
    assert evidence.clean_filename(given) == stored
    assert evidence.check_file(given, PDF)[0] == stored


def test_a_spoofed_extension_is_decided_on_the_cleaned_name():
    """'report' + RLO + 'fdp.exe' displays as 'reportexe.pdf'; the check and the message see 'reportfdp.exe'."""
    with pytest.raises(EngineError) as caught:
        evidence.check_file("report\u202efdp.exe", b"MZ\x90\x00")
    assert "'reportfdp.exe': chỉ nhận tệp PDF" in str(caught.value) and "\u202e" not in str(caught.value)


def test_a_name_of_invisible_characters_only_is_refused():
    with pytest.raises(EngineError, match="Tên tệp không hợp lệ"):
        evidence.check_file("\u202e\u200b\ufeff\u2066", PDF)


def test_upload_stores_the_cleaned_name_and_title(db, actor):
    inst = start(db, actor)
    tt = actor("tt.chuyenvien")
    row = add_file(db, tt, inst.id, "2.1", "Báo cáo\u202excod.pdf", PDF, title="Kế hoạch\u2028năm\u202e 2026\u200b")
    assert row.filename == "Báo cáoxcod.pdf" and row.title == "Kế hoạch năm 2026"
    plain = add_file(db, tt, inst.id, "2.1", VIETNAMESE, PDF)
    assert plain.filename == VIETNAMESE and plain.title == VIETNAMESE.removesuffix(".pdf")
    with db.session() as s:
        summaries = s.scalars(select(AuditEvent.summary).where(AuditEvent.kind == "evidence_add")).all()
    assert summaries and not any(unicodedata.category(ch) in ("Cf", "Cc") for text in summaries for ch in text)


def test_a_link_with_a_bidi_override_is_refused(db, actor):
    inst = start(db, actor)
    with pytest.raises(EngineError, match="ký tự ẩn"):
        add_link(db, actor("tt.chuyenvien"), inst.id, "3.3", "https://dichvucong.gov.vn/\u202efdp.exe", "Cổng")
    assert evidence_rows(db, inst.id) == []
