"""Duty registries: the five plans load, every duty maps to a deployed process, bad rows are rejected by line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine import service
from engine.core.errors import ValidationFailed
from engine.planning import registry

DATA = Path(__file__).parent / "data" / "plans"
SEEDS = {"hue": "000_e9e08f42d66fca15.txt", "quang-ngai": "001_07b90c17cd1837c6.txt",
         "dong-nai-370": "002_75465662d3185cd3.txt", "dong-nai-2030": "003_b5337e1b8adadf7a.txt",
         "thanh-hoa": "004_d81a6c3c1d17088b.txt"}


def test_the_five_plans_are_shipped_and_valid():
    plans = {registry.load(p).plan_id: registry.load(p) for p in registry.plan_files()}
    assert set(SEEDS) <= set(plans)
    for plan_id, seed in SEEDS.items():
        reg = plans[plan_id]
        assert reg.duties, plan_id
        assert all(d.source.startswith(seed + ":") for d in reg.duties), plan_id
        assert len({d.id for d in reg.duties}) == len(reg.duties)


def test_every_registry_duty_maps_to_a_deployed_process(db):
    deployed = {d.process_key for d in service.definitions(db)}
    for path in registry.plan_files():
        reg = registry.load(path)
        assert registry.check_processes(reg, deployed) == [], path.name
        recurring = [d for d in reg.duties if d.schedule.recurrence != "on_event"]
        assert recurring, path.name


def test_each_plan_is_its_own_organisation_with_its_units(db):
    plans = {p["id"]: p for p in service.list_plans(db)}
    assert set(SEEDS) <= set(plans)
    assert len({p["org_code"] for p in plans.values()}) == len(plans)
    for plan_id in SEEDS:
        reg = service.plan_registry(db, plan_id)
        org_code = plans[plan_id]["org_code"]
        giamdoc = service.actor_for_login(db, "giamdoc", org_code)
        assert giamdoc is not None and giamdoc.has_role("approver")
        names = service.unit_names(db, giamdoc.org_id)
        assert {u.code for u in reg.units} == set(names)


def test_the_same_function_has_different_owners_by_province(db):
    functions = {pid: service.plan_registry(db, pid).functions for pid in SEEDS}
    assert functions["hue"]["tthc_control"] == "TTRA"
    assert functions["dong-nai-2030"]["tthc_control"] == "VP"
    assert functions["thanh-hoa"]["tthc_control"] == "VP"
    assert functions["hue"]["personnel"] == "TCCB"
    assert functions["dong-nai-2030"]["personnel"] == "VP"


SEED_LINES = {"000_e9e08f42d66fca15.txt": 511, "001_07b90c17cd1837c6.txt": 435, "002_75465662d3185cd3.txt": 172,
              "003_b5337e1b8adadf7a.txt": 983, "004_d81a6c3c1d17088b.txt": 1147}


def test_source_lines_are_inside_their_seed_file():
    for path in registry.plan_files():
        for duty in registry.load(path).duties:
            name, line = duty.source.split(":")
            assert 1 <= int(line.split("-")[0]) <= SEED_LINES[name], (path.name, duty.id, duty.source)


def test_bad_rows_are_rejected_with_their_line():
    with pytest.raises(ValidationFailed) as caught:
        registry.load(DATA / "bad.yaml")
    problems = caught.value.problems
    assert "bad.yaml:9: nhiệm vụ BAD-01: không có đơn vị hay nhóm 'TTR' trong lead" in problems
    assert any(p.startswith("bad.yaml:20: nhiệm vụ BAD-02: ngày 'ngày 20 tháng cuối quý'") for p in problems)
    assert "bad.yaml:42: nhiệm vụ BAD-04: ngày '31/02' không tồn tại" in problems
    assert any(p.startswith("bad.yaml:42: nhiệm vụ BAD-04: lĩnh vực 'cai_cach'") for p in problems)
    assert "bad.yaml:42: nhiệm vụ BAD-04: không có đơn vị hay nhóm 'nhom_khong_co' trong support" in problems
    assert "bad.yaml:53: nhiệm vụ BAD-05: ngày mở (20/12/2027) sau hạn (15/12/2027) của kỳ 2027" in problems
    assert ("bad.yaml:53: nhiệm vụ BAD-05: 'batches' (các đợt tài liệu kiểm chứng) chỉ dùng cho index_self_assessment"
            in problems)
    assert len(problems) == 7  # BAD-03 is well-formed; its process is checked against the database


def test_unknown_process_is_rejected_on_load_and_nothing_is_loaded(db, tmp_path):
    text = (DATA / "bad.yaml").read_text(encoding="utf-8")
    doc_start, duties = text.split("duties:\n")
    bad_03 = duties.split("  - id: BAD-03")[1].split("  - id:")[0]
    only_bad_process = doc_start + "duties:\n" + "  - id: BAD-03" + bad_03
    path = tmp_path / "bad-process.yaml"
    path.write_text(only_bad_process, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        service.load_plan(db, path)
    assert caught.value.problems == [
        "bad-process.yaml:9: nhiệm vụ BAD-03: quy trình 'no_such_process' chưa được triển khai"]
    assert "bad" not in {p["id"] for p in service.list_plans(db)}
    assert "syt-bad" not in {code for code, _ in service.organisations(db)}


@pytest.mark.parametrize("text, message", [
    ("plan: [1, 2", "YAML không hợp lệ"),
    ("- just a list", "tệp phải là một bảng"),
    ("plan: {id: x}\norganisation: {code: a, name: b}\nunits: []\nduties: []\n", "thiếu danh sách đơn vị"),
])
def test_malformed_registry_files_get_a_clear_error(text, message):
    with pytest.raises(ValidationFailed) as caught:
        registry.parse(text, "x.yaml")
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_yaml_python_tags_are_refused():
    with pytest.raises(ValidationFailed):
        registry.parse("plan: !!python/object/apply:os.system ['true']\n", "evil.yaml")


def test_registry_round_trips_to_json_with_vietnamese_text():
    reg = registry.load(DATA / "mini.yaml")
    doc = reg.as_dict()
    duty = doc["duties"][0]
    assert duty["title"] == "Xây dựng Kế hoạch kiểm soát TTHC"
    assert duty["support"] == ["VP", "TTRA", "KHTC", "CDC", "BVDK"]  # groups resolved (the scheduler drops the lead)
    assert duty["deadline"] == "31/12 Y-1" and duty["opens"] == "01/12 Y-1"
    assert doc["duties"][2]["lead"] == ["CDC", "BVDK"]
    assert yaml.safe_load(yaml.safe_dump(doc, allow_unicode=True)) == doc
