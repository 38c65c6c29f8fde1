"""Roles and the vocabulary that maps BPMN lane names to them.

A modeller may name a lane by its role code or by its usual Vietnamese label; both resolve to one role.
Matching ignores case and surrounding spaces, but not diacritics ("Don vi chu tri" is not a lane name).
"""

from __future__ import annotations

import unicodedata

LEAD_UNIT = "lead_unit"
SUPPORTING_UNIT = "supporting_unit"
APPROVER = "approver"
ADMIN = "admin"
MODELLER = "modeller"
UNIT_HEAD = "unit_head"  # Trưởng phòng / thủ trưởng đơn vị: reviews and reassigns the unit's work

LANE_ROLES = (LEAD_UNIT, SUPPORTING_UNIT, APPROVER)
ALL_ROLES = LANE_ROLES + (ADMIN, MODELLER, UNIT_HEAD)

ROLE_LABELS = {
    LEAD_UNIT: "Đơn vị chủ trì",
    SUPPORTING_UNIT: "Đơn vị phối hợp",
    APPROVER: "Lãnh đạo Sở phê duyệt",
    ADMIN: "Quản trị hệ thống",
    MODELLER: "Người thiết kế quy trình",
    UNIT_HEAD: "Trưởng đơn vị",
}

LANE_VOCABULARY = {
    LEAD_UNIT: [LEAD_UNIT, "Đơn vị chủ trì", "Chủ trì", "Lead unit"],
    SUPPORTING_UNIT: [SUPPORTING_UNIT, "Đơn vị phối hợp", "Phối hợp", "Supporting unit", "Supporting units"],
    APPROVER: [APPROVER, "Lãnh đạo Sở phê duyệt", "Lãnh đạo Sở", "Giám đốc Sở", "Phê duyệt", "Approver"],
}

_LOOKUP = {label.strip().casefold(): role for role, labels in LANE_VOCABULARY.items() for label in labels}


def role_for_lane(lane_name: str | None) -> str | None:
    """The role a lane name stands for, or None when the name is not in the vocabulary."""
    if not lane_name:
        return None
    # NFC: an editor on macOS may write "Lãnh đạo" with combining tone marks.
    return _LOOKUP.get(" ".join(unicodedata.normalize("NFC", lane_name).split()).casefold())
