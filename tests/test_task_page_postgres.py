"""The task page's tables and the contribution sent back on PostgreSQL (migration 0009_task_page, bytea content,
the row locks of send back and resubmit)."""

from __future__ import annotations

import pytest

from engine import service
from tests.helpers import CONTRIBUTION, REPORT, complete, open_item, start_review
from tests.test_index_self_assessment import PDF
from tests.test_postgres import pg, pg_actor  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.postgres


def test_draft_attachment_comment_and_send_back_on_postgres(pg, pg_actor):  # noqa: F811
    assert pg.engine.dialect.name == "postgresql"
    tt, nvy = pg_actor("tt.chuyenvien"), pg_actor("nvy.chuyenvien")
    inst = start_review(pg, pg_actor)
    complete(pg, tt, "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    step = open_item(pg, nvy, "contribute", inst.id)
    service.save_draft(pg, nvy, step.task_id, {"proposals": "nháp"})
    assert service.task_page(pg, pg_actor("nvy.truongphong"), step.task_id).draft.values == {"proposals": "nháp"}
    row = service.attach_file(pg, nvy, step.task_id, "a.pdf", PDF)
    assert service.attachment_download(pg, tt, row.id).content == PDF
    service.add_comment(pg, tt, inst.id, "Ý kiến")
    service.submit_task_page(pg, nvy, step.task_id, {"documents_reviewed": "4", "proposals": "Đề nghị"},
                             had_draft=True)
    complete(pg, pg_actor("khtc.chuyenvien"), "contribute", inst.id, CONTRIBUTION)
    consolidation = open_item(pg, tt, "consolidate", inst.id)
    service.send_back_contribution(pg, tt, consolidation.task_id, "NVY", "Bổ sung")
    again = open_item(pg, nvy, "contribute", inst.id)
    service.submit_task_page(pg, nvy, again.task_id, {"documents_reviewed": "5", "proposals": "Đã bổ sung"},
                             rework=True)
    complete(pg, tt, "consolidate", inst.id, REPORT)
    approve = open_item(pg, pg_actor("giamdoc"), "approve", inst.id)
    table = service.task_page(pg, pg_actor("giamdoc"), approve.task_id).contributions[0]
    proposals = dict((n, v) for n, _, v in table.rows)["proposals"]
    assert dict(zip(table.units, proposals, strict=True)) == {"NVY": "Đã bổ sung", "KHTC": CONTRIBUTION["proposals"]}
