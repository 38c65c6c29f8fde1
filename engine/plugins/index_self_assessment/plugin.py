"""The index self-assessment's entry in the hook table (engine.core.hooks): what it adds to the core.

- start data: the criteria set resolved for the plan's units, and the evidence batches of the year still ahead;
  the supporting units are the criteria's owner units (not the duty's `support` list);
- the self-score step's completion check (self_score);
- the evidence panel (coverage, evidence, add forms) on the instance page and on the task pages that ask for it,
  also needed by the `criteria-scores` widget of the self-score form;
- the label of the criteria the focal unit asks more evidence for;
- the appraisal export (.xlsx);
- `batches` in the duty registry.
"""

from __future__ import annotations

from engine.core import clock, hooks
from engine.plugins.index_self_assessment import PROCESS_KEY, appraisal_export, criteria, evidence, self_score

PANEL = "evidence"  # what the forms' "x-panel" names; web/evidence.py draws it
SCORES_WIDGET = "criteria-scores"


def start_data(opening: hooks.DutyOpening) -> hooks.StartData:
    """The criteria (each with its owner unit in this plan) and the year's batch deadlines; a duty opened late
    (plan loaded mid-year, worker down) skips the batches already past."""
    year = opening.period.year
    today = clock.today_local()
    resolved = criteria.resolve(criteria.load(), opening.registry.functions)
    batches = [b.in_year(year).isoformat() for b in opening.duty.batches if b.in_year(year) >= today]
    return hooks.StartData({"batches": batches, "criteria": resolved},
                           supporting_units=criteria.owner_units(resolved, opening.lead_unit))


hooks.register(hooks.Plugin(
    process_key=PROCESS_KEY,
    start=start_data,
    completion_checks={evidence.SELF_SCORE_TASK: self_score.check_self_score},
    panel=hooks.Panel(PANEL, evidence.panel, widgets=frozenset({SCORES_WIDGET}),
                      shows=frozenset({"scores", "total_score"})),
    labels={"requested_evidence": "Tiêu chí đơn vị đầu mối yêu cầu bổ sung tài liệu kiểm chứng"},
    exports=(hooks.Export(
        appraisal_export.EXPORT_NAME, "Xuất hồ sơ tự đánh giá (.xlsx)", evidence.CONTENT_TYPES[".xlsx"],
        appraisal_export.filename, appraisal_export.export_xlsx,
        hint="Bảng tự chấm điểm và danh sách tài liệu kiểm chứng, để gửi thẩm định."),),
    duty_keys=frozenset({"batches"}),
))
