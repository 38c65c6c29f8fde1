"""Deployed process versions as the runtime needs them — spec, description and forms — read from the database and
deserialized once per version per process.

A version is cached by its digest (the sha256 of its BPMN file and forms), so the same content is parsed once
whatever database or row id it has, and a new deployment can never be served from a stale entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.core.errors import NotFound
from engine.core.models import ProcessDefinition
from engine.runtime import forms
from engine.runtime.serializer import specs_from_document


@dataclass(frozen=True)
class Version:
    """One deployed version, ready to run: its specs, what deploy learnt about it (`meta`) and its forms."""

    digest: str
    spec: Any
    subprocess_specs: dict[str, Any]
    meta: dict[str, Any]
    forms: dict[str, dict[str, Any]]  # form key -> JSON Schema, as deployed

    def form(self, key: str) -> dict[str, Any]:
        """The JSON Schema of a form of this version (a version deployed before forms were stored with it
        reads the forms folder)."""
        schema = self.forms.get(key)
        return schema if schema is not None else forms.load_schema(key)


_cache: dict[str, Version] = {}


def load(session: Session | Connection, definition_id: int, digest: str) -> Version:
    """The version `definition_id` whose digest is `digest` (both read by the caller's query; a session or a
    plain connection)."""
    found = _cache.get(digest)
    if found is None:
        columns = (ProcessDefinition.spec_json, ProcessDefinition.meta_json, ProcessDefinition.forms_json)
        row = session.execute(select(*columns).where(ProcessDefinition.id == definition_id)).one_or_none()
        if row is None:
            raise NotFound("Không tìm thấy phiên bản quy trình")
        spec, subprocess_specs = specs_from_document(row.spec_json)
        found = _cache[digest] = Version(digest, spec, subprocess_specs, json.loads(row.meta_json),
                                         json.loads(row.forms_json or "{}"))
    return found


def of(session: Session, definition: ProcessDefinition) -> Version:
    """The version of a definition row."""
    return load(session, definition.id, definition.sha256)


def of_instance(session: Session, instance) -> Version:
    """The version an instance runs on (one light query for its digest)."""
    digest = session.scalar(select(ProcessDefinition.sha256).where(ProcessDefinition.id == instance.definition_id))
    if digest is None:
        raise NotFound("Không tìm thấy phiên bản quy trình")
    return load(session, instance.definition_id, digest)
