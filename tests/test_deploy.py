"""Deploy and validation: good files deploy once per version; each kind of bad file is refused with a reason."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import service
from engine.core.errors import ValidationFailed
from engine.core.models import AuditEvent, ProcessDefinition, Timer
from engine.runtime import deploy

ROOT = Path(__file__).resolve().parent.parent
LEGAL = ROOT / "processes" / "legal_document_review" / "legal_document_review.bpmn"
BAD = ROOT / "tests" / "data" / "bad"
CCHC = Path(sys.executable).parent / "cchc"


def legal_xml() -> str:
    return LEGAL.read_text(encoding="utf-8")


def problems_of(xml: str | bytes) -> list[str]:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(data, "x.bpmn")
    return caught.value.problems


def test_legal_review_is_valid_and_describes_its_user_tasks():
    parsed = deploy.validate_bpmn(LEGAL.read_bytes(), LEGAL.name)
    tasks = parsed.meta["user_tasks"]
    assert parsed.key == "legal_document_review"
    assert {t["role"] for t in tasks.values()} == {"lead_unit", "supporting_unit", "approver"}
    assert tasks["contribute"]["role"] == "supporting_unit"
    assert tasks["approve"]["form"] == "legal_document_review/approve"
    assert parsed.meta["properties"]["deadline"] == "before 15/01"


@pytest.mark.parametrize("prop, value, message", [
    ("deadline", "15 tháng 1", "process property 'deadline': ngày '15 tháng 1' phải có dạng DD/MM"),
    ("deadline", "before 31/02", "process property 'deadline': ngày '31/02' không tồn tại"),
    ("reminder_working_days", "năm", "process property 'reminder_working_days' must be a whole number"),
])
def test_deadline_properties_that_do_not_parse_are_refused(prop, value, message):
    xml = legal_xml()
    old = {"deadline": 'name="deadline" value="before 15/01"',
           "reminder_working_days": 'name="reminder_working_days" value="5"'}[prop]
    assert old in xml
    problems = problems_of(xml.replace(old, f'name="{prop}" value="{value}"').encode())
    assert any(message in p for p in problems), problems


def test_deploy_stores_a_version_once_per_content(db):
    with db.session() as s:
        before = s.scalar(select(func.count(ProcessDefinition.id)))
    definition, created = service.deploy_file(db, LEGAL)
    assert not created and definition.version == 1
    changed = legal_xml().replace("Bắt đầu kỳ rà soát", "Bắt đầu kỳ rà soát (sửa)")
    with db.session() as s:
        second, created = deploy.deploy(s, changed.encode(), "legal.bpmn", "modeller")
    assert created and second.version == 2 and second.sha256 != definition.sha256
    with db.session() as s:
        assert s.scalar(select(func.count(ProcessDefinition.id))) == before + 1
        kinds = s.scalars(select(AuditEvent.summary).where(AuditEvent.kind == "deploy")).all()
    assert any("v2" in k for k in kinds)


@pytest.mark.parametrize("name, expected", [
    ("malformed.bpmn", "malformed XML"),
    ("xxe.bpmn", "DTD/entity declarations are not allowed"),
    ("billion_laughs.bpmn", "DTD/entity declarations are not allowed"),
    ("unknown_lane.bpmn", "lane 'Phòng Hành chính tổng hợp', which is not a known role"),
])
def test_bad_files_are_refused_with_a_reason(name, expected):
    problems = problems_of((BAD / name).read_bytes())
    assert len(problems) == 1 and expected in problems[0]


def test_non_executable_process():
    problems = problems_of(legal_xml().replace('isExecutable="true"', 'isExecutable="false"'))
    assert "no executable process" in problems[0] and "'legal_document_review'" in problems[0]


def test_not_bpmn_at_all():
    assert "not a BPMN 2.0 document" in problems_of("<html><body>hi</body></html>")[0]


def test_user_task_without_form():
    xml = legal_xml().replace('camunda:formKey="legal_document_review/approve"', 'camunda:formKey="nowhere/approve"')
    problems = problems_of(xml)
    assert any("userTask 'approve'" in p and "has no form" in p for p in problems)


def test_user_task_in_no_lane():
    xml = legal_xml().replace("<bpmn:flowNodeRef>approve</bpmn:flowNodeRef>", "")
    assert any("userTask 'approve'" in p and "in no lane" in p for p in problems_of(xml))


def test_condition_that_does_not_parse():
    xml = legal_xml().replace('decision == "approve"', 'decision === "approve"')
    assert any("condition of sequenceFlow 'flow_approved'" in p and "does not parse" in p for p in problems_of(xml))


def test_timer_expression_that_does_not_parse():
    xml = legal_xml().replace(">due_at<", ">15 tháng 1<")
    assert any("timer of intermediateCatchEvent 'wait_deadline'" in p for p in problems_of(xml))


def test_iso_timer_literal_that_is_not_a_date():
    xml = legal_xml().replace(">due_at<", ">2027-13-45T00:00:00+07:00<")
    assert any("is not a valid ISO 8601 date-time" in p for p in problems_of(xml))


def test_duration_written_in_a_date_timer():
    xml = legal_xml().replace(">due_at<", ">P5D<")
    assert any("'P5D' is not a valid ISO 8601 date-time" in p for p in problems_of(xml))


def test_script_that_imports_is_refused_at_deploy():
    xml = legal_xml().replace('report_status = "issued"', "import os")
    assert any("script of scriptTask 'issue'" in p and "import" in p for p in problems_of(xml))


def test_modeller_style_timers_deploy_and_arm(db, actor):
    """Bare ISO text as Camunda Modeler users type it (a date with offset, a duration) works."""
    xml = legal_xml().replace(">due_at<", ">2027-01-15T00:00:00+07:00<").replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">reminder_at</bpmn:timeDate>',
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P5D</bpmn:timeDuration>')
    assert "P5D" in xml
    with db.session() as s:
        deploy.deploy(s, xml.encode(), "legal.bpmn", "modeller")
    inst = service.start_instance(db, actor("tt.chuyenvien"), "legal_document_review", lead_unit="TTRA",
                                  period="2026", supporting_units=["KHTC"])
    # The reminder is armed 5 days after start (01/12/2026 09:00 +07:00) = 06/12/2026 02:00 UTC.
    assert inst.next_timer_at.isoformat() == "2026-12-06T02:00:00"


def test_cli_validate_exits_non_zero_with_one_line_per_problem():
    files = sorted(str(p) for p in BAD.glob("*.bpmn"))
    result = subprocess.run([str(CCHC), "validate", *files], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(files)
    assert all(any(line.startswith(f) for line in lines) for f in files)


def test_cli_validate_accepts_the_shipped_processes():
    files = [str(p) for p in (ROOT / "processes").rglob("*.bpmn")]
    result = subprocess.run([str(CCHC), "validate", *files], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_migrations_build_exactly_the_models_schema(tmp_path):
    """Alembic's migrations and the SQLAlchemy models agree, so later schema changes need a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from engine.core.db import Database
    from engine.core.models import Base

    database = Database(f"sqlite:///{tmp_path / 'm.db'}")
    service.init_db(database)
    service.init_db(database)  # idempotent
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_oversized_file_is_refused_before_parsing():
    from engine.runtime.safe_xml import MAX_XML_BYTES

    huge = legal_xml().replace("<bpmn:process ", "<!--" + "x" * MAX_XML_BYTES + "--><bpmn:process ", 1)
    problems = problems_of(huge)
    assert len(problems) == 1 and "file too large" in problems[0]


@pytest.mark.parametrize("written, fires_at", [
    ("2027-01-15T00:00:00+07:00", "2027-01-14T17:00:00"),
    ("2027-01-15T00:00:00Z", "2027-01-15T00:00:00"),
    ("2027-01-15", "2027-01-14T17:00:00"),            # a bare date: 00:00 Việt Nam time
    ("2027-01-15T08:00:00", "2027-01-15T01:00:00"),   # no offset: Việt Nam time, not the server's zone
])
def test_date_timers_as_modellers_write_them(db, actor, fake_clock, written, fires_at):
    xml = legal_xml().replace(">reminder_at<", ">2026-12-02<").replace(">due_at<", f">{written}<")
    with db.session() as s:
        deploy.deploy(s, xml.encode(), "legal.bpmn", "modeller")
    inst = service.start_instance(db, actor("tt.chuyenvien"), "legal_document_review", lead_unit="TTRA",
                                  period="2026", supporting_units=[])
    fake_clock.advance(timedelta(days=2))  # past the reminder: the deadline timer is armed next
    assert service.fire_due_timers(db) == 1
    with db.session() as s:
        fire = s.scalars(select(Timer.fire_at).where(Timer.instance_id == inst.id)).all()
    assert [f.isoformat() for f in fire] == [fires_at]


def test_lane_names_typed_with_combining_tone_marks_are_the_same_roles():
    """An editor on macOS may save "Lãnh đạo Sở phê duyệt" decomposed (NFD); it names the same lane."""
    import unicodedata

    text = (Path(__file__).resolve().parent.parent / "processes" / "legal_document_review"
            / "legal_document_review.bpmn").read_text(encoding="utf-8")
    for label in ("Đơn vị chủ trì", "Đơn vị phối hợp", "Lãnh đạo Sở phê duyệt"):
        text = text.replace(f'name="{label}"', f'name="{unicodedata.normalize("NFD", label)}"')
    assert unicodedata.normalize("NFD", "Lãnh đạo") in text
    parsed = deploy.validate_bpmn(text.encode("utf-8"), "nfd.bpmn")
    assert {t["role"] for t in parsed.meta["user_tasks"].values()} == {"lead_unit", "supporting_unit", "approver"}


def test_a_chain_too_long_for_the_engine_is_refused_with_a_reason_not_a_recursion_error():
    n = 600
    steps = "".join(f'<bpmn:task id="t{i}"/>' for i in range(n))
    flows = "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="t{i}" targetRef="t{i + 1}"/>' for i in range(n - 1))
    xml = ('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">'
           '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
           f'<bpmn:sequenceFlow id="fs" sourceRef="s" targetRef="t0"/>{steps}{flows}</bpmn:process>'
           '</bpmn:definitions>')
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(xml.encode(), "chain.bpmn")
    assert caught.value.problems == [caught.value.problems[0]]
    assert "chains too many steps" in caught.value.problems[0] and "Recursion" not in caught.value.problems[0]
