"""Saved filters: a user names the filter of a list, picks it again later, deletes it. Only its owner sees it
(engine.core.access); saving and deleting are audited."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from engine.core import access, audit, clock
from engine.core.errors import EngineError
from engine.core.models import SavedFilter
from engine.core.org import Actor
from engine.runtime import list_pages

MAX_PER_LIST = 30  # a user's saved filters of one list


@dataclass(frozen=True)
class SavedFilterRow:
    """A saved filter: its name and the query string it stands for."""

    id: int
    list_name: str
    name: str
    query: dict[str, str]


def _row(f: SavedFilter) -> SavedFilterRow:
    return SavedFilterRow(f.id, f.list_name, f.name, json.loads(f.query))


def saved_filters(session: Session, actor: Actor, list_name: str) -> list[SavedFilterRow]:
    """The actor's saved filters of a list, by name."""
    return [_row(f) for f in session.scalars(
        select(SavedFilter).where(SavedFilter.user_id == actor.user_id, SavedFilter.org_id == actor.org_id,
                                  SavedFilter.list_name == list_name).order_by(SavedFilter.name))]


def save(session: Session, actor: Actor, list_name: str, name: str, args: Mapping[str, str]) -> SavedFilterRow:
    """Save the filter `args` of a list under `name` (a filter of that name is replaced, so saving twice is
    harmless). EngineError for an empty or too long name, an unusable filter, or too many filters."""
    access.check_save_filter(actor)
    if list_name not in list_pages.LISTS:
        raise EngineError("Danh sách không hợp lệ")
    name = " ".join((name or "").split())
    if not name:
        raise EngineError("Hãy đặt tên cho bộ lọc")
    if len(name) > 100:
        raise EngineError("Tên bộ lọc dài quá 100 ký tự")
    chosen, errors = list_pages.parse_filter(list_name, args)
    if errors:
        raise EngineError("Bộ lọc chưa lưu được: " + "; ".join(errors))
    query = json.dumps(chosen.query(), ensure_ascii=False, sort_keys=True)
    existing = session.scalar(select(SavedFilter).where(SavedFilter.user_id == actor.user_id,
                                                        SavedFilter.list_name == list_name, SavedFilter.name == name))
    if existing is None:
        count = session.scalar(select(func.count()).select_from(SavedFilter).where(
            SavedFilter.user_id == actor.user_id, SavedFilter.list_name == list_name)) or 0
        if count >= MAX_PER_LIST:
            raise EngineError(f"Mỗi danh sách lưu được tối đa {MAX_PER_LIST} bộ lọc: hãy xóa bớt bộ lọc cũ")
        existing = SavedFilter(org_id=actor.org_id, user_id=actor.user_id, list_name=list_name, name=name,
                               query=query, created_at=clock.to_db(clock.now()))
        session.add(existing)
    else:
        existing.query = query
    session.flush()
    audit.record(session, "filter_saved", actor.login, org_id=actor.org_id, summary=name,
                 payload={"list": list_name, "query": chosen.query()})
    return _row(existing)


def remove(session: Session, actor: Actor, filter_id: int) -> SavedFilterRow:
    """Delete one of the actor's saved filters; NotFound for another's (or one already deleted)."""
    found = access.check_saved_filter(actor, session.get(SavedFilter, filter_id))
    row = _row(found)
    session.execute(delete(SavedFilter).where(SavedFilter.id == filter_id))
    audit.record(session, "filter_deleted", actor.login, org_id=actor.org_id, summary=row.name,
                 payload={"list": row.list_name})
    return row
