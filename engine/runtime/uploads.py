"""Uploaded files checked by their content, not trusted from their names: the generic checks every upload of the
engine uses (task attachments, and the index self-assessment's evidence).

A file is accepted when its extension is one of CONTENT_TYPES *and* its bytes are what that extension says (PDF
and image signatures; for .docx/.xlsx an Office package of its kind, of bounded unpacked size, without macro or
ActiveX parts), it is not empty and at most MAX_FILE_BYTES. Names lose directories and invisible characters.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from pathlib import PurePosixPath
from urllib.parse import unquote

from engine.core.errors import EngineError
from engine.runtime.safe_xml import UnsafeXml, parse_xml

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILENAME_LENGTH = 255

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PNG, JPEG"
# Unicode categories never kept in a stored name or title: control, format (bidi overrides such as U+202E,
# zero-width characters, BOM), lone surrogates, line and paragraph separators.
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_LINE_BREAKS = frozenset({"Cc", "Zl", "Zp"})  # in a title these become a space rather than vanish

# A .docx/.xlsx is a ZIP archive; its central directory says how much it unpacks to without unpacking it.
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_UNCOMPRESSED = 256 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# Macro and ActiveX parts, by (lower-case) part name and by content type in [Content_Types].xml. Office matches
# part names without regard to case, so VBAPROJECT.BIN is as much a macro as vbaProject.bin.
_MACRO_PART = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)activex/[^/]*\.bin$|^xl/macrosheets/")
_MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex", "macrosheet")



def visible_text(text: str, breaks: str = "") -> str:
    """`text` without control, format (bidi, zero-width), surrogate or line/paragraph separator characters,
    NFC-normalised; control characters and separators are replaced by `breaks`. Diacritics are kept."""
    kept = []
    for ch in str(text or ""):
        category = unicodedata.category(ch)
        kept.append(breaks if category in _LINE_BREAKS else "" if category in INVISIBLE else ch)
    return unicodedata.normalize("NFC", "".join(kept))


def clean_filename(filename: str) -> str:
    """The file's own name (no directories, no control or invisible characters, NFC), at most 255 characters.

    A right-to-left override (U+202E) before 'fdp.exe' makes 'report' + RLO + 'fdp.exe' display as
    'reportexe.pdf'; the override is dropped, so the name stored, shown and checked is 'reportfdp.exe'."""
    name = visible_text(filename).replace("\\", "/").split("/")[-1]
    name = name.strip().strip(".")  # no hidden or dot-only names
    if len(name) > MAX_FILENAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: MAX_FILENAME_LENGTH - len(suffix)] + suffix
    return name


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError,
               NotImplementedError, RuntimeError)  # RuntimeError: an encrypted member


def _check_office(name: str, extension: str, data: bytes) -> None:
    """A .docx/.xlsx must be an Office package of its kind, unpack to a bounded size, and hold no macro or
    ActiveX part; EngineError with the reason otherwise. Only [Content_Types].xml is decompressed, at most
    MAX_CONTENT_TYPES_BYTES of it."""
    invalid = EngineError(f"Nội dung tệp '{name}' không phải tệp {extension[1:].upper()} hợp lệ "
                          "(đuôi tệp không khớp với nội dung)")
    macro = EngineError(f"Không chấp nhận tệp '{name}' có chứa macro hoặc điều khiển ActiveX")
    if not data.startswith(b"PK\x03\x04"):
        raise invalid
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()  # the central directory: nothing is decompressed yet
            if len(members) > MAX_ZIP_MEMBERS:
                raise EngineError(f"Không chấp nhận tệp '{name}': có quá nhiều thành phần nén ({len(members)}; "
                                  f"tối đa {MAX_ZIP_MEMBERS})")
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_ZIP_UNCOMPRESSED:
                raise EngineError(f"Không chấp nhận tệp '{name}': nội dung giải nén quá lớn "
                                  f"({unpacked / 1024 / 1024:.0f} MB; tối đa "
                                  f"{MAX_ZIP_UNCOMPRESSED // 1024 // 1024} MB)")
            parts = {unquote(m.filename).replace("\\", "/").lstrip("/").lower(): m for m in members}
            folder = {".docx": "word/", ".xlsx": "xl/"}[extension]
            if (len(parts) != len(members) or "[content_types].xml" not in parts
                    or not any(p.startswith(folder) for p in parts)):
                raise invalid  # two members one part name (Office ignores case) would hide one of them
            if any(_MACRO_PART.search(p) for p in parts):
                raise macro
            types = parts["[content_types].xml"]
            if types.file_size > MAX_CONTENT_TYPES_BYTES:
                raise invalid
            with archive.open(types) as stream:
                declared = parse_xml(stream.read(MAX_CONTENT_TYPES_BYTES + 1))
    except (UnsafeXml, *_ZIP_ERRORS):
        raise invalid from None
    # Read as XML, not searched as bytes: a character reference (macro&#x45;nabled) would hide a substring.
    for node in declared.iter():
        content_type = str(node.get("ContentType") or "").lower() if isinstance(node.tag, str) else ""
        if any(word in content_type for word in _MACRO_CONTENT_TYPES):
            raise macro


def _matches(extension: str, data: bytes) -> bool:
    """Does the content of a PDF or image look like what its extension says?"""
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    return data.startswith(b"\xff\xd8\xff")


def check_file(filename: str, data: bytes) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable upload; EngineError with the reason otherwise."""
    name = clean_filename(filename)
    if not name:
        raise EngineError("Tên tệp không hợp lệ")
    if not data:
        raise EngineError(f"Tệp '{name}' rỗng, không có nội dung")
    if len(data) > MAX_FILE_BYTES:
        raise EngineError(f"Tệp '{name}' quá lớn ({len(data) / 1024 / 1024:.1f} MB); tối đa 10 MB mỗi tệp")
    extension = PurePosixPath(name).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise EngineError(f"Không chấp nhận tệp '{name}': chỉ nhận tệp {ALLOWED_LABEL}")
    if extension in (".docx", ".xlsx"):
        _check_office(name, extension, data)
    elif not _matches(extension, data):
        raise EngineError(f"Nội dung tệp '{name}' không phải tệp {extension[1:].upper()} hợp lệ "
                          "(đuôi tệp không khớp với nội dung)")
    return name, CONTENT_TYPES[extension]
