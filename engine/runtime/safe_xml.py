"""Parse untrusted XML without entities, DTDs, XInclude or network access.

A document is decoded to text first (byte-order mark, else the encoding its XML declaration names, else UTF-8),
the checks run on that text, and lxml parses a canonical UTF-8 form of it. Checking raw bytes would miss a
`<!DOCTYPE` written in UTF-16 or UTF-32, and storing raw bytes would hand the viewer text it cannot decode.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 256  # libxml2's own limit without XML_PARSE_HUGE; BPMN files nest a dozen levels at most
XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")

# Byte-order marks, longest first: the UTF-32LE mark starts with the UTF-16LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings a modelling tool may write; anything else is refused by name rather than guessed at.
_ALLOWED = {"utf-8", "ascii", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
            *(f"iso8859-{n}" for n in range(1, 17) if n != 12), *(f"cp{n}" for n in range(1250, 1259))}
_DECLARATION = re.compile(
    r"<\?xml\s+version\s*=\s*([\"'])(?P<version>1\.[0-9]+)\1"
    r"(?:\s+encoding\s*=\s*([\"'])(?P<encoding>[A-Za-z][A-Za-z0-9._-]*)\3)?"
    r"(?:\s+standalone\s*=\s*([\"'])(?P<standalone>yes|no)\5)?\s*\?>"
)
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_NO_DTD = "DTD/entity declarations are not allowed in BPMN files"


class UnsafeXml(ValueError):
    """The document is malformed, too large, wrongly encoded, or declares a DTD/entities or XInclude."""


@dataclass(frozen=True)
class XmlDocument:
    """A parsed document and the text it was parsed from."""

    tree: etree._ElementTree
    text: str  # the document as text; its XML declaration, if any, says UTF-8
    encoding: str  # the encoding the file was written in (Python codec name)


def _family(codec: str) -> str:
    """UTF-16 and UTF-32 whatever the byte order; ASCII counts as UTF-8."""
    for family in ("utf-16", "utf-32"):
        if codec.startswith(family):
            return family
    return "utf-8" if codec in ("utf-8", "ascii") else codec


def _sniff(data: bytes) -> tuple[str | None, int]:
    """(codec, BOM length) from a byte-order mark, or from the NUL pattern of `<` in UTF-16/32 without one."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    head = data[:4]
    if len(head) == 4 and 0 in head:  # XML 1.0 Appendix F: the first character is ASCII ('<' or white space)
        zeros = tuple(b == 0 for b in head)
        found = {(False, True, True, True): "utf-32-le", (True, True, True, False): "utf-32-be",
                 (False, True, False, True): "utf-16-le", (True, False, True, False): "utf-16-be"}.get(zeros)
        if found:
            return found, 0
    return None, 0


def _codec(name: str) -> str:
    """The Python codec of an encoding named in an XML declaration; UnsafeXml if unknown or not allowed."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise UnsafeXml(f"unknown encoding '{name}' in the XML declaration; save the file as UTF-8") from None
    if codec not in _ALLOWED:
        raise UnsafeXml(f"encoding '{name}' is not supported; save the file as UTF-8")
    return codec


def decode_xml(data: bytes) -> tuple[str, str]:
    """(text, codec) of an XML document: BOM first, then the declared encoding, else UTF-8.

    The text has no BOM, and its XML declaration (if any) is rewritten to say UTF-8."""
    sniffed, skip = _sniff(data)
    codec = sniffed or "utf-8"
    if sniffed is None:
        # ASCII-compatible: the declaration can be read as Latin-1 before we know the real encoding.
        head = data[:4096].decode("latin-1")
        match = _DECLARATION.match(head)
        if match and match.group("encoding"):
            codec = _codec(match.group("encoding"))
            if codec.startswith(("utf-16", "utf-32")):
                raise UnsafeXml(f"encoding declared as '{match.group('encoding')}' but the file is not "
                                f"{match.group('encoding')} (no byte-order mark)")
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        raise UnsafeXml(f"file is not valid {codec.upper()} text (byte 0x{data[skip + exc.start]:02x} at offset "
                        f"{skip + exc.start}); save it as UTF-8") from None
    if not codec.startswith("utf-"):
        # Legacy code pages write some letters decomposed (windows-1258 has no toned Vietnamese letters, only
        # combining tones); composing them lets 'Đơn vị chủ trì' match the lane vocabulary as typed in UTF-8.
        text = unicodedata.normalize("NFC", text)
    if text.startswith("<?xml") and text[5:6] in ("", " ", "\t", "\r", "\n", "?"):
        match = _DECLARATION.match(text)
        if match is None:
            raise UnsafeXml("malformed XML declaration: " + " ".join(text[: text.find(">") + 1 or 80][:80].split()))
        declared = match.group("encoding")
        if declared and not sniffed and _codec(declared) != codec:  # a declaration longer than what we read
            raise UnsafeXml("malformed XML declaration (too long)")
        if declared and sniffed and _family(_codec(declared)) != _family(codec):
            raise UnsafeXml(f"encoding declared as '{declared}' but the file is {_family(codec).upper()} "
                            "(byte-order mark)")
        standalone = f' standalone="{match.group("standalone")}"' if match.group("standalone") else ""
        text = f'<?xml version="{match.group("version")}" encoding="UTF-8"{standalone}?>' + text[match.end():]
    return text, codec


def _has_doctype(text: str) -> bool:
    """Does the prolog (before the root element) declare a DOCTYPE? Only there can one take effect."""
    pos = 0
    while match := _PROLOG_ITEM.match(text, pos):
        pos = match.end()
    return text[pos:pos + 9].upper() == "<!DOCTYPE"


def read_xml(data: bytes) -> XmlDocument:
    """Decode, check and parse `data`; raise UnsafeXml with a one-line reason for anything we will not read."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml(f"file too large ({len(data)} bytes; limit {MAX_XML_BYTES})")
    if not data.strip():
        raise UnsafeXml("empty file (no XML content)")
    text, codec = decode_xml(data)
    if "\x00" in text:
        raise UnsafeXml("file contains NUL characters; it is binary data, not an XML text file")
    # Reject before parsing: a DOCTYPE is how XXE, billion-laughs and external-DTD files arrive, and BPMN never
    # needs one. <!ENTITY is looked for everywhere, as before, since it has no business in a BPMN file at all.
    if _has_doctype(text) or "<!entity" in text.lower():
        raise UnsafeXml(_NO_DTD)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=False,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(text.encode("utf-8"), parser))
    except etree.XMLSyntaxError as exc:
        message = " ".join(str(exc).split())
        if "Excessive depth" in message:
            raise UnsafeXml(f"elements nested too deeply (limit {MAX_DEPTH} levels)") from None
        raise UnsafeXml(f"malformed XML: {message}") from None
    if tree.docinfo.doctype:
        raise UnsafeXml(_NO_DTD)
    # lxml only performs XInclude when asked, but a file that carries one is an attack, not a model.
    include = next(tree.iter(*(f"{{{ns}}}*" for ns in XINCLUDE_NAMESPACES)), None)
    if include is not None:
        tag = (f"{include.prefix}:" if include.prefix else "") + etree.QName(include).localname
        raise UnsafeXml(f"XInclude elements are not allowed in BPMN files (<{tag}> on line {include.sourceline})")
    return XmlDocument(tree, text, codec)


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse `data`; raise UnsafeXml with a one-line reason for anything we will not read."""
    return read_xml(data).tree
