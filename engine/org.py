"""Organisations, units, users and role grants; the demo Sở Y tế."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from . import roles
from .errors import EngineError
from .models import Organisation, RoleGrant, Unit, User


@dataclass(frozen=True)
class Actor:
    """Who is acting: what the service needs to authorise a call, without ORM objects."""

    user_id: int
    login: str
    full_name: str
    org_id: int
    unit_code: str
    grants: frozenset[tuple[str, str]]  # (role, unit code)

    def holds(self, role: str, unit_code: str) -> bool:
        return (role, unit_code) in self.grants

    def has_role(self, role: str) -> bool:
        return any(r == role for r, _ in self.grants)

    @property
    def unit_codes(self) -> set[str]:
        return {u for _, u in self.grants} | {self.unit_code}

    @property
    def is_system(self) -> bool:
        """The scheduler and timer worker act as the system user (id 0) of an organisation."""
        return self.user_id == 0


def system_actor(org_id: int) -> Actor:
    """The system acting for one organisation (scheduler, CLI jobs)."""
    return Actor(0, "system", "Hệ thống", org_id, "", frozenset())


def actor_for(session: Session, user: User) -> Actor:
    grants = frozenset((g.role, g.unit.code) for g in user.grants)
    return Actor(user.id, user.login, user.full_name, user.org_id, user.unit.code, grants)


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The active user with this login and password, else None."""
    user = session.scalar(select(User).where(User.login == login.strip().lower()))
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def unit_by_code(session: Session, org_id: int, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.org_id == org_id, Unit.code == code))


def unit_names(session: Session, org_id: int) -> dict[str, str]:
    return {u.code: u.name for u in session.scalars(select(Unit).where(Unit.org_id == org_id))}


def working_units(session: Session, org_id: int) -> dict[str, str]:
    """Units that can lead or support a duty (the leadership unit approves instead), in display order."""
    rows = session.scalars(select(Unit).where(Unit.org_id == org_id, Unit.kind != "leadership")
                           .order_by(Unit.sort_order, Unit.code))
    return {u.code: u.name for u in rows}


def add_user(session: Session, org: Organisation, login: str, full_name: str, unit_code: str, password: str,
             grants: list[tuple[str, str]], title: str = "", email: str = "") -> User:
    """Create a user with a hashed password and (role, unit code) grants."""
    unit = unit_by_code(session, org.id, unit_code)
    if unit is None:
        raise EngineError(f"Không có đơn vị '{unit_code}'")
    user = User(org_id=org.id, login=login.lower(), full_name=full_name, unit=unit, title=title, email=email,
                password_hash=generate_password_hash(password))
    for role, code in grants:
        if role not in roles.ALL_ROLES:
            raise EngineError(f"Vai trò không hợp lệ '{role}'")
        grant_unit = unit_by_code(session, org.id, code)
        if grant_unit is None:
            raise EngineError(f"Không có đơn vị '{code}'")
        user.grants.append(RoleGrant(role=role, unit=grant_unit))
    session.add(user)
    return user


DEMO_ORG = ("syt-demo", "Sở Y tế tỉnh Thừa Thiên Huế (demo)", "Thừa Thiên Huế")
DEMO_UNITS = [
    ("BGD", "Ban Giám đốc Sở", "leadership"),
    ("VP", "Văn phòng Sở", "department"),
    ("TTRA", "Thanh tra Sở", "department"),
    ("TCCB", "Phòng Tổ chức cán bộ", "department"),
    ("KHTC", "Phòng Kế hoạch - Tài chính", "department"),
    ("NVY", "Phòng Nghiệp vụ Y", "department"),
    ("NVD", "Phòng Nghiệp vụ Dược", "department"),
    ("CDC", "Trung tâm Kiểm soát bệnh tật", "affiliated"),
    ("TTGDYK", "Trung tâm Giám định y khoa", "affiliated"),
]
DEMO_PASSWORD = "demo@2026"
_STAFF = [  # login, full name, title, unit
    ("tt.truongphong", "Nguyễn Văn Thanh", "Chánh Thanh tra", "TTRA"),
    ("tt.chuyenvien", "Trần Thị Hương", "Chuyên viên", "TTRA"),
    ("vp.chuyenvien", "Lê Minh Đức", "Chuyên viên", "VP"),
    ("tccb.chuyenvien", "Phạm Thu Trang", "Chuyên viên", "TCCB"),
    ("khtc.chuyenvien", "Hoàng Quốc Bảo", "Chuyên viên", "KHTC"),
    ("nvy.chuyenvien", "Võ Thị Ngọc Ánh", "Chuyên viên", "NVY"),
    ("nvd.chuyenvien", "Đặng Văn Lực", "Chuyên viên", "NVD"),
    ("cdc.chuyenvien", "Bùi Thị Lan", "Chuyên viên", "CDC"),
]


def load_demo(session: Session) -> Organisation:
    """Create the demo Sở Y tế with its units and accounts (idempotent)."""
    existing = session.scalar(select(Organisation).where(Organisation.code == DEMO_ORG[0]))
    if existing is not None:
        return existing
    org = Organisation(code=DEMO_ORG[0], name=DEMO_ORG[1], province=DEMO_ORG[2])
    session.add(org)
    for order, (code, name, kind) in enumerate(DEMO_UNITS):
        session.add(Unit(organisation=org, code=code, name=name, kind=kind, sort_order=order))
    session.flush()
    add_user(session, org, "giamdoc", "Trần Kiên Hảo", "BGD", DEMO_PASSWORD,
             [(roles.APPROVER, "BGD")], title="Giám đốc Sở")
    for login, name, title, unit in _STAFF:
        add_user(session, org, login, name, unit, DEMO_PASSWORD,
                 [(roles.LEAD_UNIT, unit), (roles.SUPPORTING_UNIT, unit)], title=title)
    add_user(session, org, "admin", "Quản trị hệ thống", "VP", DEMO_PASSWORD,
             [(roles.ADMIN, "VP"), (roles.MODELLER, "VP")], title="Quản trị")
    session.flush()
    return org


def demo_logins() -> list[tuple[str, str]]:
    """(login, description) of the demo accounts, for printing at start-up."""
    rows = [("giamdoc", "Giám đốc Sở — phê duyệt")]
    rows += [(login, f"{title} — {unit}") for login, _n, title, unit in _STAFF]
    rows.append(("admin", "Quản trị / thiết kế quy trình"))
    return rows
