"""What a request works with: the engine database of the app serving it (create_app opened it once)."""

from __future__ import annotations

from flask import current_app

from engine.core.db import Database


def db() -> Database:
    """The engine database of the current app."""
    return current_app.extensions["cchc_db"]
