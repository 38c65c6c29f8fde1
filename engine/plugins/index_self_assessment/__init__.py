"""The annual CCHC index self-assessment: its criteria set, evidence (tài liệu kiểm chứng), the per-criterion
self-score and the appraisal export."""
