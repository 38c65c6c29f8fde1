"""The workflows of running instances as the last step in this process left them, so the next step on the same
instance need not rebuild its workflow from the state document (restoring is the largest single cost of a step).

`cchc serve` is one process (waitress threads and the timer worker), so a case's steps meet their workflow here;
with several web processes (PostgreSQL) a step served by another process restores as before.

Correctness rests on the content, not on a counter: an entry is used only when the state document the step has
just read under the instance's lock is the very document this process wrote from that workflow, on the same
version. Whatever else happened to the row (another process's step, a rolled-back step, a re-created database in
tests) changes the document, so the entry no longer matches and the step restores it. A step takes its entry out
(no two steps share a workflow); the workflow goes back only when the step's transaction has committed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, NamedTuple

from sqlalchemy import event
from sqlalchemy.orm import Session

DEFAULT_SIZE = 256  # instances; a workflow of a shipped process is a few hundred kilobytes in memory
_PENDING = "cchc_state_cache"  # session.info key: what goes back when the transaction commits


class Entry(NamedTuple):
    """A workflow as a committed step left it: its version, the document it was saved as, and its mirror
    (engine.runtime.instances.Mirror) so the next step need not walk the tree for it either."""

    digest: str
    document: str
    workflow: Any
    mirror: Any


class StateCache:
    """A bounded, thread-safe map instance id -> Entry (least recently used goes first)."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = size
        self._entries: OrderedDict[int, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def take(self, instance_id: int, digest: str, document: str) -> Entry | None:
        """The entry of an instance if it was saved as `document` on version `digest`, removed from the cache;
        else None (and any stale entry is dropped)."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
            if entry is not None and entry.digest == digest and entry.document == document:
                self.hits += 1
                return entry
            self.misses += 1
            return None

    def keep_after_commit(self, session: Session, instance_id: int, entry: Entry) -> None:
        """Put `entry` back once the session's transaction commits (nothing if it rolls back)."""
        if self.size > 0:
            session.info.setdefault(_PENDING, {})[instance_id] = (self, entry)

    def put(self, instance_id: int, entry: Entry) -> None:
        with self._lock:
            self._entries[instance_id] = entry
            self._entries.move_to_end(instance_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CACHE = StateCache()


def configure(size: int) -> None:
    """Set how many instances the process keeps (0: none, every step restores its document)."""
    CACHE.size = size
    CACHE.clear()


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for instance_id, (cache, entry) in session.info.pop(_PENDING, {}).items():
        cache.put(instance_id, entry)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
