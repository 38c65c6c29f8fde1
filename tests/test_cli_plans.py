"""`cchc plans`, `cchc duties`, `cchc simulate-year`, `cchc load-plan` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from web import cli

MINI = Path(__file__).parent / "data" / "plans" / "mini.yaml"
BAD = Path(__file__).parent / "data" / "plans" / "bad.yaml"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plans_lists_one_line_per_loaded_plan(db_url, capsys):
    code, out, _ = run(capsys, "--database-url", db_url, "plans")
    assert code == 0
    lines = {line.split("\t")[0]: line.split("\t") for line in out.strip().splitlines()}
    assert {"hue", "quang-ngai", "dong-nai-370", "dong-nai-2030", "thanh-hoa"} <= set(lines)
    assert lines["hue"][1] == "Thừa Thiên Huế"
    assert "Sở Y tế tỉnh Thừa Thiên Huế" in lines["hue"][2]


def test_duties_json_prints_the_registry_as_loaded(db_url, capsys):
    code, out, _ = run(capsys, "--database-url", db_url, "duties", "--plan", "hue", "--json")
    assert code == 0
    doc = json.loads(out)
    duty = next(d for d in doc["duties"] if d["id"] == "HUE-TTHC-01")
    assert duty["lead"] == ["TTRA"] and duty["timing"] == "Tháng 12 hàng năm"
    assert duty["deadline"] == "31/12 Y-1" and duty["process"] == "document_issuance"
    assert duty["source"] == "000_e9e08f42d66fca15.txt:427"
    assert doc["functions"]["tthc_control"] == "TTRA"


def test_duties_of_a_bad_registry_exit_1_with_one_line_per_problem(capsys, tmp_path):
    code, out, err = run(capsys, "duties", "--plan", "bad", "--registry", str(BAD))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "bad.yaml:9: nhiệm vụ BAD-01: không có đơn vị hay nhóm 'TTR' trong lead"
    assert len(err.splitlines()) == 7  # the file's own problems first; processes are checked once it parses
    broken_process = tmp_path / "process.yaml"
    broken_process.write_text(MINI.read_text(encoding="utf-8").replace(
        "process: legal_document_review\n    source: test.txt:5", "process: tthc_announce\n    source: test.txt:5"),
        encoding="utf-8")
    code, _, err = run(capsys, "duties", "--plan", "mini", "--registry", str(broken_process))
    assert code == 1
    assert err.strip() == "process.yaml:65: nhiệm vụ MINI-TTHC-02: quy trình 'tthc_announce' chưa được triển khai"


def test_simulate_year_prints_what_opens_and_when(capsys):
    code, out, _ = run(capsys, "simulate-year", "--plan", "mini", "--registry", str(MINI), "--year", "2027", "--json")
    assert code == 0
    rows = {(r["duty"], r["unit"], r["period"]): r for r in json.loads(out)}
    plan = rows[("MINI-TTHC-01", "TTRA", "2028")]
    assert (plan["opened_on"], plan["due_on"]) == ("2027-12-01", "2027-12-31")
    assert rows[("MINI-CD-01", "VP", "Q1/2027")]["opened_on"] == "2027-02-28"  # 20 days before 20/03
    assert {u for d, u, p in rows if d == "MINI-CD-02" and p == "2028"} == {"CDC", "BVDK"}  # opens 31/12/2027
    assert rows[("MINI-TC-01", "KHTC", "2027")]["opened_on"] == "2027-12-11"
    assert not any(d == "MINI-TTHC-02" for d, _u, _p in rows)
    code, out, _ = run(capsys, "simulate-year", "--plan", "mini", "--registry", str(MINI), "--year", "2027")
    assert "MINI-TTHC-01" in out and "01/12/2027" in out and "31/12/2027" in out


def test_load_plan_rejects_a_bad_registry_and_loads_a_good_one(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--database-url", url, "init-db")[0] == 0
    code, _, err = run(capsys, "--database-url", url, "load-plan", str(BAD))
    assert code == 1 and "bad.yaml:9:" in err
    assert run(capsys, "--database-url", url, "deploy")[0] == 0
    code, out, _ = run(capsys, "--database-url", url, "load-plan", str(MINI))
    assert code == 0 and "mini" in out
    code, out, _ = run(capsys, "--database-url", url, "plans")
    assert out.strip().split("\t")[:2] == ["mini", "Tỉnh Thử nghiệm"]


def test_simulate_year_runs_on_a_copy_of_the_database_and_leaves_it_untouched(db_url, capsys):
    from engine import service
    from engine.core.db import Database

    before = len(service.list_instances(Database(db_url)))
    code, out, _ = run(capsys, "--database-url", db_url, "simulate-year", "--plan", "thanh-hoa", "--year", "2027")
    assert code == 0
    assert "bản sao của" in out and "THA-CD-07" in out and "22/03/2027" in out
    assert len(service.list_instances(Database(db_url))) == before
