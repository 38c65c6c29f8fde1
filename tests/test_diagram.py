"""The instance diagram: /instances/<id>/diagram.json (BPMN XML + element states), scoped like the instance page."""

from __future__ import annotations

from tests.helpers import run_to_approval, start_review
from tests.web_helpers import login_ok, token


def test_diagram_json_for_the_lead_unit_404_for_a_foreign_unit(client, db, actor):
    inst = start_review(db, actor)
    url = f"/instances/{inst.id}/diagram.json"
    assert client.get(url).status_code == 302  # login first

    login_ok(client, "tt.chuyenvien")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"xml", "states"}
    assert "BPMNDiagram" in body["xml"] and 'id="approve"' in body["xml"]
    assert body["states"]["start_review"] == "active"
    assert body["states"]["start"] == "completed"
    assert "approve" not in body["states"]

    run_to_approval(db, actor, inst.id)
    states = client.get(url).get_json()["states"]
    assert states["approve"] == "active"
    assert states["start_review"] == states["contribute"] == states["consolidate"] == "completed"

    # The page itself only points at the endpoint: no BPMN XML inlined into the HTML.
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert f'data-src="{url}"' in html and "instance_diagram.js" in html
    assert "BPMNDiagram" not in html and "Đã hoàn thành" in html and "Đang chờ xử lý" in html

    client.post("/logout", data={"csrf_token": token(html)})
    login_ok(client, "nvd.chuyenvien")
    response = client.get(url)
    assert response.status_code == 404
    assert "BPMNDiagram" not in response.get_data(as_text=True)
    assert client.get(f"/instances/{inst.id + 1000}/diagram.json").status_code == 404


def test_instance_page_works_without_the_npm_assets(client, db, actor, tmp_path):
    """No web/static/vendor/ (npm not run): the page still renders, with a short note instead of the diagram."""
    inst = start_review(db, actor)
    client.application.static_folder = str(tmp_path)
    login_ok(client, "tt.chuyenvien")
    response = client.get(f"/instances/{inst.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Khởi động rà soát văn bản QPPL" in html
    assert "Chưa cài đặt thư viện hiển thị sơ đồ" in html
    assert "bpmn-navigated-viewer" not in html and "instance_diagram.js" not in html
