"""Parse untrusted XML without entities, DTDs or network access."""

from __future__ import annotations

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024


class UnsafeXml(ValueError):
    """The document is malformed, too large, or declares a DTD/entities."""


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse `data`; raise UnsafeXml with a one-line reason for anything we will not read."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml(f"file too large ({len(data)} bytes; limit {MAX_XML_BYTES})")
    # Reject before parsing: a DOCTYPE is how XXE and billion-laughs files arrive, and BPMN never needs one.
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UnsafeXml("DTD/entity declarations are not allowed in BPMN files")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=False,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(f"malformed XML: {exc}") from None
    if tree.docinfo.doctype:
        raise UnsafeXml("DTD/entity declarations are not allowed in BPMN files")
    return tree
