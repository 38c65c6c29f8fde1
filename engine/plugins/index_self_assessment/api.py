"""The plug-in's façade: what its web part (web/evidence.py) and test steps call, one transaction per function, as
engine.service is for the core. The panel and the export also reach the core through the hook table (plugin.py)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from engine.core.db import Database
from engine.core.models import Evidence
from engine.core.org import Actor
from engine.plugins.index_self_assessment import evidence
from engine.plugins.index_self_assessment.self_score import score_number, score_total  # noqa: F401 - for forms


@dataclass(frozen=True)
class EvidenceRow:
    """A piece of evidence as the web part shows and serves it (the read model; its content apart)."""

    id: int
    org_id: int
    instance_id: int
    criterion_code: str
    unit_code: str
    batch: int | None
    kind: str  # file / link
    title: str
    filename: str | None
    content_type: str | None
    size: int | None
    sha256: str | None
    url: str | None
    uploaded_by: str
    uploaded_at: datetime
    withdrawn: bool

    @classmethod
    def of(cls, row: Evidence) -> EvidenceRow:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def evidence_panel(db: Database, actor: Actor, instance_id: int) -> dict[str, Any]:
    """Coverage per criterion, the evidence, the current batch and the latest self-score (evidence.panel)."""
    with db.read() as s:
        return evidence.panel(s, actor, instance_id)


def add_evidence_file(db: Database, actor: Actor, instance_id: int, criterion: str, filename: str, data: bytes,
                      title: str = "") -> EvidenceRow:
    with db.session() as s:
        return EvidenceRow.of(evidence.add_file(s, actor, instance_id, criterion, filename, data, title))


def add_evidence_link(db: Database, actor: Actor, instance_id: int, criterion: str, url: str,
                      title: str = "") -> EvidenceRow:
    with db.session() as s:
        return EvidenceRow.of(evidence.add_link(s, actor, instance_id, criterion, url, title))


def withdraw_evidence(db: Database, actor: Actor, evidence_id: int, reason: str = "") -> EvidenceRow:
    with db.session() as s:
        return EvidenceRow.of(evidence.withdraw(s, actor, evidence_id, reason))


def open_evidence(db: Database, actor: Actor, evidence_id: int) -> tuple[EvidenceRow, bytes]:
    """(row, bytes) of an evidence file the actor may see."""
    with db.read() as s:
        row, content = evidence.open_file(s, actor, evidence_id)
        return EvidenceRow.of(row), content
