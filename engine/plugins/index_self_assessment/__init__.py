"""The annual CCHC index self-assessment: its criteria set, evidence (tài liệu kiểm chứng), the per-criterion
self-score and the appraisal export. plugin.py registers what it adds to the core (engine.core.hooks).

The process key is written here, once; every other module of the plug-in imports it."""

PROCESS_KEY = "index_self_assessment"
