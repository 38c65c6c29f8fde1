"""Every main page at a phone's width (390 px) and a laptop's (1366 px), as a chuyên viên, a Trưởng phòng and the
Giám đốc: the page never scrolls sideways (on a phone the tables' rows are cards), the header does not cover the
content, the logout button is readable and touch-sized. Screenshots of each page at both widths go to the folder
in CCHC_SCREENSHOTS, else test-artifacts/layout/ (gitignored); the test prints it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import support
from tests.browser.support import expect, login

pytestmark = pytest.mark.browser

ORG = "syt-hue"
WIDTHS = ((390, 844), (1366, 900))
COLLECT = "Cung cấp tài liệu kiểm chứng theo đợt"

# The colour of an element and the first non-transparent background behind it (its own or an ancestor's).
COLOURS = """(el) => {
  const colour = getComputedStyle(el).color;
  for (let node = el; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(bg)) return [colour, bg];
  }
  return [colour, 'rgb(255, 255, 255)'];
}"""


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("CCHC_SCREENSHOTS") or support.ARTIFACTS / "layout")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def cases(live_server):
    """A legal review waiting for the Giám đốc and an index self-assessment collecting evidence: their ids."""
    from engine import service
    from engine.core.db import Database
    from tests.helpers import run_to_approval, start_review

    db = Database(live_server.db_url)
    try:
        def actor(login: str):
            return service.actor_for_login(db, login, ORG)

        review = start_review(db, actor, supporting=("KHTC",))
        run_to_approval(db, actor, review.id, supporting=("KHTC",))
        index = service.start_duty(db, actor("vp.chuyenvien"), "HUE-CS-01", "VP", "2027")
        return {"review": review.id, "index": index.id}
    finally:
        db.engine.dispose()


def check_layout(page, name: str, folder: Path, logged_in: bool = True) -> None:
    """At both widths: no sideways scroll of the page, the header above the content, a readable, touch-sized
    logout button; a screenshot of the whole page each."""
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(250)  # the diagram refits after a resize
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} at {width} px: the page is {scroll} px wide"
        header, main = page.locator("header.top").bounding_box(), page.locator("main").bounding_box()
        assert header["y"] + header["height"] <= main["y"] + 1, f"{name} at {width} px: the header covers the page"
        if logged_in:
            logout = page.get_by_role("button", name="Đăng xuất")
            expect(logout).to_be_visible()
            colour, background = logout.evaluate(COLOURS)
            assert colour != background, f"{name} at {width} px: logout is {colour} on {background}"
            box = logout.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} at {width} px: logout off screen"
            if width < 700:
                assert box["height"] >= 44, f"{name}: the logout button is {box['height']} px high"
                for link in page.get_by_role("navigation").get_by_role("link").all():
                    assert link.bounding_box()["height"] >= 44, f"{name}: nav link {link.inner_text()} too small"
        if width < 700:  # tables are cards there (tables.js): not even a table scrolls sideways
            wide = page.evaluate("""Array.from(document.querySelectorAll('table.list'))
                .filter(t => !t.classList.contains('cards') || t.scrollWidth > t.clientWidth + 1).map(t => t.id)""")
            assert wide == [], f"{name} at {width} px: tables not shown as cards: {wide}"
        page.screenshot(path=str(folder / f"{name}_{width}.png"), full_page=True)


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.ok, (url, response.status)
    page.wait_for_load_state("networkidle")


def step_link(page, base: str, instance_id: int) -> str:
    """The task page of the first step in the instance page's table of steps."""
    visit(page, f"{base}/instances/{instance_id}")
    return base + page.locator("#steps tbody a").first.get_attribute("href")


@pytest.mark.parametrize("who", ["tt.chuyenvien", "tt.truongphong", "giamdoc"])
def test_every_main_page_fits_a_phone_and_a_laptop(live_server, cases, page, who):
    base, folder = live_server.base, screenshot_dir()
    print(f"\nscreenshots: {folder}")
    visit(page, f"{base}/login")
    check_layout(page, "login", folder, logged_in=False)
    login(page, base, who)

    pages = {
        "worklist": f"{base}/",
        "instances": f"{base}/instances",
        "instance": f"{base}/instances/{cases['review']}",
        "plan": f"{base}/plan?year=2027",
        "start": f"{base}/start",
    }
    for name, url in pages.items():
        visit(page, url)
        check_layout(page, f"{who}_{name}", folder)

    visit(page, step_link(page, base, cases["review"]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_layout(page, f"{who}_task", folder)

    if who == "tt.chuyenvien":  # the step is theirs: the evidence panel with its upload forms, and the scores
        visit(page, f"{base}/")
        page.get_by_role("link", name=COLLECT, exact=True).click()
    else:
        visit(page, step_link(page, base, cases["index"]))
    expect(page.locator("#evidence")).to_be_visible()
    check_layout(page, f"{who}_index_task", folder)
    visit(page, f"{base}/instances/{cases['index']}")
    check_layout(page, f"{who}_index_instance", folder)
