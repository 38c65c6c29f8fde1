"""The Content-Security-Policy in a real Chromium: every page of a working day (login, Việc của tôi, a task page with
the evidence panel of the index self-assessment, the instance page with its bpmn-js diagram, the plan page) loads
and works without a single CSP violation, and the diagram is drawn. Screenshots of the instance page at 1366 and
390 px wide go to test-artifacts/ (gitignored)."""

from __future__ import annotations

import pytest

from tests.browser import support
from tests.browser.support import expect, expect_diagram, login, logout, open_my_task

pytestmark = pytest.mark.browser

ORG = "syt-hue"
COLLECT = "Cung cấp tài liệu kiểm chứng theo đợt"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Runs before any page script: every securitypolicyviolation event of the document is kept for the test to read.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile
                    + ':' + e.lineNumber);
});
"""


@pytest.fixture
def db(live_server):
    from engine.core.db import Database

    database = Database(live_server.db_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def watched(page):
    """The page, with the CSP violations it reports (events and console messages) collected in `page.csp`."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.csp = problems
    return page


def violations(page) -> list[str]:
    """What the page reported so far: console lines, uncaught errors and securitypolicyviolation events."""
    return page.csp + page.evaluate("window.__csp || []")


def visit(page, url: str) -> None:
    """Open `url`; the response carries the policy and nothing on the page breaks it."""
    response = page.goto(url)
    assert response.ok, (url, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], url


def test_every_page_works_under_the_csp(live_server, db, watched):
    from engine import service
    from engine.plugins.index_self_assessment import api

    page, base = watched, live_server.base
    vp = service.actor_for_login(db, "vp.chuyenvien", ORG)
    inst = service.start_duty(db, vp, "HUE-CS-01", "VP", "2027")  # what the scheduler does for the year
    api.add_evidence_file(db, service.actor_for_login(db, "tt.chuyenvien", ORG), inst.id, "2.1",
                          "Danh mục văn bản.pdf", PDF)

    visit(page, f"{base}/login")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    login(page, base, "tt.chuyenvien")
    assert violations(page) == []

    open_my_task(page, COLLECT)  # a task page with the evidence panel and its upload forms (evidence.js)
    page.wait_for_load_state("networkidle")
    row = page.locator('#coverage tr[data-code="2.2"]')
    row.locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    expect(row.get_by_label("Tệp tài liệu (tiêu chí 2.2)")).to_be_visible()
    expect(page.locator("#evidence-list")).to_contain_text("Danh mục văn bản.pdf")
    assert violations(page) == [], page.url

    visit(page, f"{base}/instances/{inst.id}")
    expect_diagram(page, active=("collect_evidence",))
    page.locator(".diagram-fit").click()  # the button's handler is in instance_diagram.js
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)  # the diagram refits 150 ms after a resize
        expect(page.locator("#diagram .diagram-canvas svg").first).to_be_visible()
        support.save_screenshot(page, f"csp_instance_{width}")
        page.screenshot(path=str(support.ARTIFACTS / f"csp_instance_{width}_screen.png"))  # what one sees first
    page.set_viewport_size({"width": 1280, "height": 900})
    assert violations(page) == [], page.url

    visit(page, f"{base}/")
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    visit(page, f"{base}/plan?year=2027")
    expect(page.get_by_role("heading", name="Kế hoạch CCHC năm 2027")).to_be_visible()
    visit(page, f"{base}/instances")
    visit(page, f"{base}/start")
    logout(page)
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert violations(page) == []


def test_an_inline_script_would_be_blocked(live_server, watched):
    """The policy is really enforced: a script injected into a page does not run and is reported."""
    page = watched
    visit(page, f"{live_server.base}/login")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.appendChild(s);
    }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in v for v in violations(page))
