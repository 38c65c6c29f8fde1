"""What the browser tests do alike in the UI: screenshots, logging in and out, submitting a task form, reading its
errors, checking the instance diagram. The fixtures (live server, page) are in conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored
PASSWORD = "demo@2026"  # engine.planning.plans.DEMO_PASSWORD
HUE = "Sở Y tế tỉnh Thừa Thiên Huế"


def save_screenshot(page, name: str) -> None:
    """The whole page as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, base: str, username: str, org: str = HUE) -> None:
    """Log in as demo user `username` of the Sở `org` (chosen in the "Sở Y tế" select); lands on Việc của tôi."""
    page.goto(f"{base}/login")
    page.get_by_label("Sở Y tế").select_option(label=org)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator(".flash")).to_contain_text("Đã đăng xuất.")


def open_my_task(page, name: str) -> str:
    """From anywhere: Việc của tôi → the only work item called `name`; returns the task page URL."""
    page.get_by_role("navigation").get_by_role("link", name="Việc của tôi").click()
    link = page.get_by_role("link", name=name, exact=True)
    expect(link).to_have_count(1)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page.url


def submit_task(page) -> None:
    page.locator("form.task-form").get_by_role("button", name="Gửi").click()


def submit_task_refused(page) -> None:
    """Submit the task form and expect it back with status 400 and the message to check the fields."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/tasks/" in r.url) as posted:
        submit_task(page)
    assert posted.value.status == 400
    expect(page.locator(".flash.error")).to_contain_text("Vui lòng kiểm tra lại")


def field_error(page, field: str):
    """The error message shown under form field `field` (its .field wrapper)."""
    return page.locator(".field.has-error", has=page.locator(f"#f-{field}")).locator(".error")


def expect_diagram(page, completed: tuple[str, ...] = (), active: tuple[str, ...] = ()) -> None:
    """The instance page's bpmn-js diagram is drawn, with these BPMN elements marked completed / active."""
    diagram = page.locator("#diagram")
    expect(diagram).to_have_attribute("data-state", "ready")
    expect(diagram.locator(".diagram-canvas svg").first).to_be_visible()
    for marker, ids in (("cchc-completed", completed), ("cchc-active", active)):
        for bpmn_id in ids:
            element = diagram.locator(f'.djs-element[data-element-id="{bpmn_id}"]')
            expect(element).to_have_class(re.compile(rf"(^|\s){marker}(\s|$)"))
