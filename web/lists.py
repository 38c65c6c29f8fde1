"""How the list pages are drawn: Việc của tôi, Việc của đơn vị, Việc đã làm and the instance list share one filter
form, page links and saved filters (templates/_list_tools.html)."""

from __future__ import annotations

from flask import render_template

from engine import service

from .auth import actor
from .context import db

# The list pages (engine list name -> endpoint, template); the instance list is processes.instances.
LIST_PAGES = {"mine": ("work.worklist", "worklist.html"), "unit": ("work.unit_work", "unit_work.html"),
              "done": ("work.done", "done.html"), "instances": ("processes.instances", "instances.html")}


def render_list(list_name: str, page):
    """A list page: its rows, filter form, page links and saved filters (web/templates/_list_tools.html)."""
    endpoint, template = LIST_PAGES[list_name]
    return render_template(template, page=page, endpoint=endpoint, list_name=list_name,
                           units=service.unit_names(db(), actor().org_id))
