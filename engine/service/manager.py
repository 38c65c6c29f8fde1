"""The unit's manager: claim, release, reassign, delegate, unit review."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core import access
from engine.core.db import Database
from engine.core.org import Actor
from engine.runtime import (
    claims,
    unit_review,
)


@dataclass(frozen=True)
class ManagerPanel:
    """The task page's claim panel: who has the step and what the actor may do with it, and the unit review
    (the held contribution on a Trưởng phòng's review item; a return's comment on the contribution)."""

    claim: claims.ClaimPanel
    review: unit_review.ReviewInfo | None
    may_review: bool  # the actor may approve or return the held contribution


def manager_panel(db: Database, actor: Actor, task_id: str) -> ManagerPanel:
    """The claim panel of a step the actor may see (NotFound otherwise)."""
    with db.read() as s:
        item = claims.visible(s, actor, task_id)
        panel = claims.panel(s, actor, item)
        review = unit_review.info(s, item)
        may_review = (review is not None and review.on_review_item and review.state == unit_review.PENDING
                      and panel.open and access.may_do_step(actor, item) and review.submitted_by_id != actor.user_id
                      and (item.assignee_id in (None, actor.user_id) or access.is_unit_head(actor, item)))
        return ManagerPanel(panel, review, may_review)


def claim_task(db: Database, actor: Actor, task_id: str) -> claims.Person:
    """Claim an open step of the actor's unit (a Trưởng phòng takes over one claimed by another)."""
    with db.session() as s:
        return claims.claim(s, actor, task_id)


def release_task(db: Database, actor: Actor, task_id: str) -> None:
    """Give a claimed step back to the unit (its claimant or the unit's Trưởng phòng)."""
    with db.session() as s:
        claims.release(s, actor, task_id)


def reassign_task(db: Database, actor: Actor, task_id: str, login: str) -> claims.Person:
    """The Trưởng phòng gives a step to a person of the unit with its role, or delegates one of their own."""
    with db.session() as s:
        return claims.reassign(s, actor, task_id, login)


def approve_contribution(db: Database, actor: Actor, review_task_id: str) -> str:
    """The Trưởng phòng approves a contribution held for review: it counts as submitted (its task id)."""
    with db.session() as s:
        return unit_review.approve(s, actor, review_task_id)


def return_contribution(db: Database, actor: Actor, review_task_id: str, comment: str) -> str:
    """The Trưởng phòng returns a held contribution with a comment to who submitted it (its task id)."""
    with db.session() as s:
        return unit_review.send_back(s, actor, review_task_id, comment)


def assignees(db: Database, actor: Actor, task_ids: list[str]) -> dict[str, str]:
    """task id -> claimant's full name, for lists of the actor's organisation's steps."""
    with db.read() as s:
        return claims.assignees(s, actor, task_ids)
