"""Việc của tôi in a real Chromium with more work than one page holds: searched without diacritics, filtered by
deadline state, paged, and a filter saved and picked again."""

from __future__ import annotations

import pytest

from tests.browser.support import expect, login, save_screenshot
from tests.test_worklists import seed

pytestmark = pytest.mark.browser

ORG = "syt-hue"


@pytest.fixture
def db(live_server):
    from engine.core.db import Database

    database = Database(live_server.db_url)
    yield database
    database.engine.dispose()


def test_the_worklist_is_searched_filtered_paged_and_a_filter_saved(live_server, db, page):
    from engine import service

    seed(db, lambda login, org=ORG: service.actor_for_login(db, login, org), 25)
    base = live_server.base
    login(page, base, "tt.chuyenvien")
    rows = page.locator("table.worklist tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator(".list-count")).to_contain_text("trang 1/2")

    pager = page.get_by_role("navigation", name="Phân trang")
    pager.get_by_role("link", name="2", exact=True).click()
    expect(pager.locator('[aria-current="page"]')).to_have_text("2")
    assert 1 <= rows.count() <= 20

    search = page.get_by_role("searchbox")
    search.fill("ke hoach chuyen doi")  # no diacritics: finds "Kế hoạch chuyển đổi số …"
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(rows).to_have_count(9)
    expect(page.locator(".list-count")).to_have_text("9 mục")
    expect(rows.first).to_contain_text("Kế hoạch chuyển đổi số")
    expect(page.get_by_role("navigation", name="Phân trang")).to_have_count(0)

    page.get_by_label("Sắp xếp").select_option(label="Tên (A–Z)")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(rows.first).to_contain_text("Kế hoạch chuyển đổi số 00")

    page.get_by_label("Lưu bộ lọc này:").fill("Kế hoạch số")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lưu bộ lọc «Kế hoạch số».")

    page.get_by_role("link", name="Bỏ lọc").click()
    expect(rows).to_have_count(20)
    page.locator(".saved-filters").get_by_role("link", name="Kế hoạch số").click()
    expect(rows).to_have_count(9)
    expect(search).to_have_value("ke hoach chuyen doi")
    save_screenshot(page, "worklist-filtered")

    page.get_by_label("Hạn từ").fill("31/02/2026")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page.locator(".flash.error")).to_contain_text("Hạn từ ngày «31/02/2026» không hợp lệ")
    expect(page.get_by_label("Hạn từ")).to_have_value("31/02/2026")
    expect(rows).to_have_count(9)  # the rest of the filter still applies
