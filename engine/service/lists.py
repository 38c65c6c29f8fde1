"""Worklists: filtered, sorted, paged lists and saved filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from engine.core.db import Database
from engine.core.org import Actor
from engine.runtime import (
    list_pages,
    saved_filters,
)


def work_list_page(db: Database, actor: Actor, list_name: str, args: Mapping[str, str]) -> list_pages.ListPage:
    """One page of Việc của tôi ("mine"), Việc của đơn vị ("unit") or Việc đã làm ("done"), filtered by the query
    string `args`, with the actor's saved filters of that list. Forbidden for a unit the actor is not of."""
    with db.read() as s:
        page = list_pages.work_page(s, actor, list_name, args)
        return replace(page, saved=tuple(saved_filters.saved_filters(s, actor, list_name)))


def instance_list_page(db: Database, actor: Actor, args: Mapping[str, str]) -> list_pages.ListPage:
    """One page of the instances the actor may see, filtered by the query string `args`, with their saved
    filters."""
    with db.read() as s:
        page = list_pages.instance_page(s, actor, args)
        return replace(page, saved=tuple(saved_filters.saved_filters(s, actor, list_pages.INSTANCES)))


def save_filter(db: Database, actor: Actor, list_name: str, name: str,
                args: Mapping[str, str]) -> saved_filters.SavedFilterRow:
    """Save the filter `args` of a list under a name (replacing one of that name)."""
    with db.session() as s:
        return saved_filters.save(s, actor, list_name, name, args)


def delete_filter(db: Database, actor: Actor, filter_id: int) -> saved_filters.SavedFilterRow:
    """Delete one of the actor's saved filters (NotFound for anyone else's)."""
    with db.session() as s:
        return saved_filters.remove(s, actor, filter_id)
