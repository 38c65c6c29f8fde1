"""Reading BPMN as modellers write it (bpmn.io, Camunda Modeler) into SpiffWorkflow specs."""

from __future__ import annotations

import re

from lxml import etree
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")
_ISO_TIMER = re.compile(
    r"^(R\d*/.*|P(?=\d|T\d)[0-9YMWDTHS.,]+|\d{4}-\d{2}-\d{2}([T ][0-9:.,]+)?(Z|[+-]\d{2}:?\d{2})?)$"
)


def is_iso_timer_literal(text: str) -> bool:
    """True for ISO 8601 dates, durations and repeating intervals written without quotes."""
    return bool(_ISO_TIMER.match(text.strip()))


_NAIVE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.,]+)?$")
VN_OFFSET = "+07:00"


def quote_iso_timers(tree: etree._ElementTree) -> None:
    """SpiffWorkflow evaluates timer text as Python; modellers write bare ISO text, so we quote it.

    A date or date-time written without an offset means Việt Nam time (SpiffWorkflow would otherwise read it
    in the server's time zone)."""
    for tag in TIMER_TAGS:
        for node in tree.iter(f"{{{NS['bpmn']}}}{tag}"):
            text = (node.text or "").strip()
            if text and is_iso_timer_literal(text):
                if tag == "timeDate" and _NAIVE_DATE.match(text):
                    text = (text if "T" in text or " " in text else text + "T00:00:00") + VN_OFFSET
                node.text = repr(text)


class ProjectParser(SpiffBpmnParser):
    """SpiffBpmnParser that accepts modeller-style timers."""

    def add_bpmn_xml(self, bpmn, filename=None):
        quote_iso_timers(bpmn)
        return super().add_bpmn_xml(bpmn, filename)


def element_label(node: etree._Element) -> str:
    """How a problem names an element: its tag, id and name."""
    tag = etree.QName(node).localname
    name = node.get("name")
    return f"{tag} '{node.get('id')}'" + (f" (\"{name}\")" if name else "")


def form_keys(process: etree._Element) -> dict[str, str]:
    """bpmn id -> form key of each user task, from camunda:formKey or spiffworkflow:formJsonSchemaFilename."""
    keys: dict[str, str] = {}
    for task in process.iter(f"{{{NS['bpmn']}}}userTask"):
        key = task.get(f"{{{NS['camunda']}}}formKey")
        if not key:
            spiff = task.find(".//spiffworkflow:formJsonSchemaFilename", NS)
            if spiff is not None and spiff.text:
                key = spiff.text.strip().removesuffix(".json").removesuffix(".schema")
        if key:
            keys[task.get("id")] = key.strip().removeprefix("embedded:").removeprefix("forms/")
    return keys


def process_properties(process: etree._Element) -> dict[str, str]:
    """camunda:properties on an element (editable in Camunda Modeler's properties panel)."""
    ext = process.find("bpmn:extensionElements", NS)
    if ext is None:
        return {}
    return {
        prop.get("name"): prop.get("value", "")
        for prop in ext.findall("camunda:properties/camunda:property", NS)
        if prop.get("name")
    }
