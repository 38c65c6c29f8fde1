"""Web security through Flask's test client: where a login may redirect to, login throttling and timing, sessions
ended by logout, Secure cookies and HSTS behind HTTPS, the Content-Security-Policy, ids out of range and
header-breaking input. The route-by-route attacks are in tests/test_attack_surface.py."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from sqlalchemy import update

from engine import service
from engine.core.models import User
from engine.plugins.index_self_assessment import api
from tests.helpers import open_item, start_review
from tests.test_index_self_assessment import PDF
from tests.test_index_self_assessment import start as start_self_assessment
from tests.web_helpers import PASSWORD, login, login_ok, token
from web.app import create_app
from web.security import CONTENT_SECURITY_POLICY, safe_next

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"


def make_app(db_url, **config):
    """Another app on the test's database (each has its own login throttle)."""
    return create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test", **config})


def logout(client):
    return client.post("/logout", data={"csrf_token": token(client.get("/").get_data(as_text=True))})


# --- 1. where a login may send the browser ----------------------------------------------------------------------

# (next as the browser sends it, decoded; where the login must redirect). A browser strips C0 controls and spaces
# at both ends, drops tab/CR/LF anywhere and reads "\" as "/": each of these means another site or a script.
OFF_SITE = [
    "//evil.example/",
    "///evil.example/",
    "////evil.example/",
    "/\\evil.example/",
    "\\/evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "\t//evil.example/",
    "/\n/evil.example/",
    "/\r/evil.example/",
    " //evil.example/",
    "\x00//evil.example/",
    "\x1f/\\evil.example/",
    "/ /evil.example/",
    "/\u3000/evil.example/",
    "https://evil.example/",
    "http:/evil.example/",
    "http:\\\\evil.example\\",
    "//evil.example@example.com/",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", OFF_SITE, ids=repr)
def test_login_never_redirects_off_site(client, target):
    page = client.get("/login").get_data(as_text=True)
    response = client.post(f"/login?next={quote(target, safe='')}", data={
        "csrf_token": token(page), "org": "syt-hue", "login": "tt.chuyenvien", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target, location", [
    ("/instances/3", "/instances/3"),
    ("/instances/3?tab=steps#evidence", "/instances/3?tab=steps#evidence"),
    ("/plan?year=2027", "/plan?year=2027"),
    ("/%2F%2Fevil.example/", "/%2F%2Fevil.example/"),  # encoded slashes are a path here, not a host
    ("/\r\nX-Injected:1", "/X-Injected:1"),  # CR/LF dropped as the browser does: a path, not a header
    ("/\r\nX-Injected: 1", "/"),  # a space is never in a link we make
], ids=repr)
def test_a_path_of_this_site_is_followed_as_the_browser_reads_it(client, target, location):
    page = client.get("/login").get_data(as_text=True)
    response = client.post(f"/login?next={quote(target, safe='')}", data={
        "csrf_token": token(page), "org": "syt-hue", "login": "tt.chuyenvien", "password": PASSWORD})
    assert response.status_code == 302 and "X-Injected" not in response.headers
    assert response.headers["Location"] == location
    assert urlsplit(urljoin("http://cchc.example/login", response.headers["Location"])).netloc == "cchc.example"


def test_the_crlf_next_of_the_report_is_no_crash(client):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=/%0d%0aX:1", data={
        "csrf_token": token(page), "org": "syt-hue", "login": "tt.chuyenvien", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/X:1" and "X" not in response.headers


def test_a_page_that_needed_login_is_opened_after_it(client, db, actor):
    inst = start_review(db, actor)
    sent = client.get(f"/instances/{inst.id}")
    assert sent.status_code == 302
    login_page = sent.headers["Location"]
    assert urlsplit(login_page).path == "/login"
    page = client.get(login_page).get_data(as_text=True)
    response = client.post(login_page, data={
        "csrf_token": token(page), "org": "syt-hue", "login": "tt.chuyenvien", "password": PASSWORD})
    assert response.headers["Location"] == f"/instances/{inst.id}"


@pytest.mark.parametrize("raw, expected", [
    ("/a/b?c=d", "/a/b?c=d"), ("  /a  ", "/a"), ("/a\tb", "/ab"), ("/\t/x", None), ("/\\x", None), ("//x", None),
    ("/é", None), ("/a b", None), ("/a\x7f", None), (None, None), ("", None),
], ids=repr)
def test_safe_next(raw, expected):
    assert safe_next(raw) == expected


def test_an_evidence_form_does_not_bounce_off_site_either(client, db, actor):
    inst = start_self_assessment(db, actor)
    login(client, "tt.chuyenvien")
    page = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    for target in ("/\t/evil.example/", "\\\\evil.example", "/\r\nX: 1"):
        response = client.post(f"/instances/{inst.id}/evidence/link", data={
            "csrf_token": token(page), "criterion": "2.2", "url": "https://a.vn/x", "title": "Bài", "next": target})
        assert response.status_code == 303
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//") and "evil" not in location, target


# --- 2. login throttling and timing ------------------------------------------------------------------------------

def test_five_failures_lock_the_login_even_for_the_right_password(client, app):
    for _ in range(5):
        assert login(client, "tt.chuyenvien", "sai-mat-khau").status_code == 401
    locked = login(client, "tt.chuyenvien", "sai-mat-khau")
    assert locked.status_code == 429
    html = locked.get_data(as_text=True)
    assert "Đăng nhập sai quá nhiều lần" in html and "thử lại sau" in html and 'lang="vi"' in html
    assert 1 <= int(locked.headers["Retry-After"]) <= 61  # the minute window, rounded up
    right = login(client, "tt.chuyenvien")
    assert right.status_code == 429 and client.get("/").status_code == 302  # not logged in
    app.extensions["cchc_limiter"].reset()
    assert login(client, "tt.chuyenvien").status_code == 302


def test_only_failures_count_and_other_logins_are_not_locked(client):
    for _ in range(4):
        assert login(client, "tt.chuyenvien", "sai").status_code == 401
    login_ok(client, "tt.chuyenvien")
    logout(client)
    assert login(client, "tt.chuyenvien", "sai").status_code == 401  # the 5th failure: the success did not count
    assert login(client, "tt.chuyenvien", "sai").status_code == 429
    assert login(client, "tt.chuyenvien", org="syt-thanh-hoa").status_code == 302  # same name, another Sở
    logout(client)
    login_ok(client, "vp.chuyenvien")
    assert login(client, "TT.ChuyenVien  ", "sai").status_code == 429  # the name as authenticate() reads it


def test_failures_from_one_address_are_throttled_across_logins(db_url):
    app = make_app(db_url, CCHC_LOGIN_LIMITS_PER_ADDRESS="3 per minute")
    attacker = app.test_client()
    for name in ("khong-co-1", "khong-co-2", "khong-co-3"):
        assert login(attacker, name, "sai").status_code == 401
    assert login(attacker, "tt.chuyenvien").status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert login(elsewhere, "tt.chuyenvien").status_code == 302


def test_behind_a_reverse_proxy_the_address_is_the_forwarded_one(db_url):
    """With CCHC_PROXY_HOPS=1 the throttle counts the client the proxy names, not the proxy (one address for all)."""
    for hops, other_client_status in ((0, 429), (1, 302)):
        app = make_app(db_url, CCHC_LOGIN_LIMITS_PER_ADDRESS="3 per minute", CCHC_PROXY_HOPS=hops)
        attacker, colleague = app.test_client(), app.test_client()
        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
        colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.9"
        for name in ("khong-co-1", "khong-co-2", "khong-co-3"):
            assert login(attacker, name, "sai").status_code == 401
        assert login(colleague, "tt.chuyenvien").status_code == other_client_status


def test_the_default_limits_and_turning_them_off(db_url):
    app = make_app(db_url)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    off = make_app(db_url, RATELIMIT_ENABLED=False).test_client()
    assert [login(off, "tt.chuyenvien", "sai").status_code for _ in range(6)] == [401] * 6
    assert login(off, "tt.chuyenvien").status_code == 302


def test_the_storage_can_be_shared_by_several_processes(db_url, monkeypatch):
    monkeypatch.setenv("CCHC_RATELIMIT_STORAGE_URI", "memory://?shared=1")
    assert make_app(db_url).config["RATELIMIT_STORAGE_URI"] == "memory://?shared=1"
    assert make_app(db_url, RATELIMIT_STORAGE_URI="memory://").config["RATELIMIT_STORAGE_URI"] == "memory://"


def _refusal_time(client, name: str, org: str = "syt-hue") -> float:
    page = client.get("/login").get_data(as_text=True)
    started = time.perf_counter()
    response = client.post("/login", data={"csrf_token": token(page), "org": org, "login": name,
                                           "password": "sai-mat-khau"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 401
    return elapsed


def test_a_refusal_takes_as_long_whatever_was_wrong(db, db_url):
    with db.session() as s:
        s.execute(update(User).where(User.login == "khtc.chuyenvien").values(active=False))
    client = make_app(db_url, RATELIMIT_ENABLED=False).test_client()
    _refusal_time(client, "khong-ton-tai")  # the dummy hash is made on first use
    tries = 5  # medians: one slow try on a busy machine does not decide

    def median(name, org="syt-hue"):
        return statistics.median(_refusal_time(client, name, org) for _ in range(tries))

    known = median("tt.chuyenvien")
    for name, org in (("khong-ton-tai", "syt-hue"), ("khtc.chuyenvien", "syt-hue"), ("tt.chuyenvien", "khong-co")):
        other = median(name, org)
        assert 0.5 <= other / known <= 2, (name, org, other, known)


# --- 3. sessions, cookies, HTTPS --------------------------------------------------------------------------------

def test_a_session_cookie_copied_before_logout_opens_nothing_after(app, client):
    login_ok(client, "tt.chuyenvien")
    copied = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 200  # the copy works while the session lives
    assert logout(client).status_code == 302
    replay = thief.get("/")
    assert replay.status_code == 302 and urlsplit(replay.headers["Location"]).path == "/login"
    login_ok(client, "tt.chuyenvien")  # a new login works, the copy still does not
    assert client.get("/").status_code == 200 and thief.get("/").status_code == 302


def test_a_session_naming_the_user_without_a_version_is_refused(client):
    login_ok(client, "tt.chuyenvien")
    with client.session_transaction() as session:
        user_id = session["_user_id"].split(":")[0]
        session["_user_id"] = user_id
    assert client.get("/").status_code == 302
    for forged in (f"{user_id}:99", f"{user_id}:-1", f"{user_id}:0:0", f"{2**64}:0", "x:0"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
        assert client.get("/").status_code == 302, forged


def test_migration_0005_gives_existing_users_session_version_0(tmp_path):
    from alembic import command

    from engine.core.db import Database, _alembic_config

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    with database.engine.begin() as c:
        command.upgrade(_alembic_config(c), "0004")
        c.exec_driver_sql("INSERT INTO organisation(code, name, province) VALUES ('a', 'Sở A', 'Tỉnh A')")
        c.exec_driver_sql("INSERT INTO unit(org_id, code, name, kind, sort_order) VALUES (1, 'VP', 'Văn phòng', "
                          "'department', 0)")
        c.exec_driver_sql("INSERT INTO app_user(org_id, login, full_name, title, email, unit_id, password_hash, active)"
                          " VALUES (1, 'giamdoc', 'Nguyễn Văn Á', '', '', 1, 'h', 1)")
    database.migrate()
    with database.engine.begin() as c:
        assert c.exec_driver_sql("SELECT login, session_version FROM app_user").fetchall() == [("giamdoc", 0)]
    service.end_sessions(database, 1)
    with database.engine.begin() as c:
        assert c.exec_driver_sql("SELECT session_version FROM app_user").scalar() == 1
    database.engine.dispose()


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_cookies_are_not_secure_by_default_and_there_is_no_hsts(client):
    response = login_ok(client, "tt.chuyenvien")
    cookies = _set_cookies(response)
    assert set(cookies) >= {"session", "cchc_org"}
    assert all("Secure" not in c for c in cookies.values()) and all("HttpOnly" in c for c in cookies.values())
    assert "Strict-Transport-Security" not in response.headers
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.mark.parametrize("how", ["config", "environment"])
def test_behind_https_cookies_are_secure_and_hsts_is_sent(db_url, monkeypatch, how):
    if how == "config":
        app = make_app(db_url, CCHC_SECURE_COOKIES=True)
    else:
        monkeypatch.setenv("CCHC_SECURE_COOKIES", "1")
        app = make_app(db_url)
    client = app.test_client()
    response = login_ok(client, "tt.chuyenvien")
    cookies = _set_cookies(response)
    assert "Secure" in cookies["session"] and "Secure" in cookies["cchc_org"]
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    for page in (response, client.get("/"), client.get("/login"), client.get("/static/style.css")):
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_environment_is_overridden_by_config(db_url, monkeypatch):
    monkeypatch.setenv("CCHC_SECURE_COOKIES", "1")
    assert make_app(db_url, CCHC_SECURE_COOKIES=False).config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("org", ["khong-co", "syt-hue\r\nSet-Cookie: x=1", "syt-hue; Secure", "\x00"], ids=repr)
def test_only_an_existing_organisation_goes_into_the_cookie(client, org):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": token(page), "org": org, "login": "tt.chuyenvien",
                                           "password": PASSWORD})
    assert response.status_code == 401 and "cchc_org" not in _set_cookies(response)


def test_a_forged_organisation_cookie_only_falls_back_to_the_first(client):
    client.set_cookie("cchc_org", "khong-co")
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<option value="[^"]+" selected>', html) and "khong-co" not in html
    client.set_cookie("cchc_org", "syt-thanh-hoa")
    assert '<option value="syt-thanh-hoa" selected>' in client.get("/login").get_data(as_text=True)
    response = login_ok(client, "giamdoc", org="syt-thanh-hoa")
    assert _set_cookies(response)["cchc_org"].startswith("cchc_org=syt-thanh-hoa;")


# --- 4. Content-Security-Policy ---------------------------------------------------------------------------------

def test_every_kind_of_response_carries_the_csp(client, db, actor):
    inst = start_self_assessment(db, actor)
    evidence = api.add_evidence_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "a.pdf", PDF)
    responses = [client.get("/login"), client.get("/"), client.get("/static/style.css"), client.get("/nothing")]
    login(client, "tt.chuyenvien")
    responses += [client.get("/"), client.get(f"/instances/{inst.id}"),
                  client.get(f"/instances/{inst.id}/diagram.json"), client.get(f"/evidence/{evidence.id}/download"),
                  client.get("/instances/99999"), client.post("/logout")]  # the last one: a CSRF refusal
    assert [r.status_code for r in responses] == [200, 302, 200, 404, 200, 200, 200, 200, 404, 400]
    for response in responses:
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_csp_is_strict():
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_templates_have_no_inline_script_handler_or_style():
    """What the CSP would block: <script> without src, on…="" handlers, style="" and <style>, javascript: links."""
    for path in sorted(TEMPLATES.glob("*.html")):
        html = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html, re.I):
            assert "src=" in tag, (path.name, tag)
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), path.name
        assert not re.search(r"\sstyle\s*=", html, re.I) and "<style" not in html.lower(), path.name
        assert "javascript:" not in html.lower(), path.name


# --- 5. ids out of range, header-breaking input -------------------------------------------------------------------

HUGE = "99999999999999999999"


def test_ids_out_of_range_are_not_found_not_a_crash(client):
    login(client, "tt.chuyenvien")
    for url in (f"/instances/{HUGE}", f"/instances/{HUGE}/diagram.json", f"/evidence/{HUGE}/download",
                f"/instances/{2**63}", f"/instances/{2**63 - 1}", "/instances/0", "/instances/007",
                f"/instances/{HUGE}/self-assessment.xlsx", "/instances/\u0661", "/tasks/" + "a" * 5000):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in response.get_data(as_text=True), url


def test_control_characters_in_query_and_form_are_refused_or_ignored(client, db, actor):
    for url in ("/?x=%0d%0aSet-Cookie:a=1", "/plan?year=%0d%0a", "/%0d%0a", "/tasks/%0d%0a", "/instances/1%0d%0a",
                "/login?next=%0d%0a", "/login?next=%E2%80%A8", "/static/%0d%0a"):  # nobody logged in yet
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert "Set-Cookie" not in response.headers or "a=1" not in response.headers["Set-Cookie"], url
        assert "\r" not in response.headers.get("Location", "") and "\n" not in response.headers.get("Location", "")
    login(client, "tt.chuyenvien")
    assert client.get("/plan?year=2027%0d%0aX:1").status_code == 200
    assert client.get("/?x=%0d%0a%00").status_code == 200
    page = client.get("/start").get_data(as_text=True)
    response = client.post("/start", data={"csrf_token": token(page), "process_key": "legal_document_review",
                                           "lead_unit": "TTRA\r\nX: 1", "period": "2026\r\n"})
    assert response.status_code == 400
    response = client.post("/start/duty", data={"csrf_token": token(page), "duty_id": "\r\nX: 1",
                                                "lead_unit": "TTRA\r\n", "period": "\x00"})
    assert response.status_code == 303 and "X" not in response.headers
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    response = client.post(f"/tasks/{item.task_id}", data={"csrf_token": token(page), "scope": "a\r\nb\x00",
                                                           "contribute_due": "\r\n"})
    assert response.status_code == 400


def test_a_header_value_error_anywhere_is_a_400(db_url):
    app = make_app(db_url, TESTING=False)

    @app.route("/_echo")
    def _echo():  # a view that would put what it was sent into a header
        from flask import make_response, request
        response = make_response("ok")
        response.headers["X-Echo"] = request.args["v"]
        return response

    @app.route("/_bug")
    def _bug():
        raise ValueError("some other bug")

    client = app.test_client()
    assert client.get("/_echo?v=fine").status_code == 200
    refused = client.get("/_echo?v=a%0d%0aSet-Cookie:x=1")
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    assert "Yêu cầu không hợp lệ" in refused.get_data(as_text=True)
    assert client.get("/_bug").status_code == 500  # not every ValueError is the client's fault


def test_the_database_secret_key_and_their_folder_are_private(tmp_path, monkeypatch):
    """Password hashes, evidence files and the session key are readable by the server's account only."""
    import os
    import stat

    from engine.core.db import Database

    folder = tmp_path / "instance"
    monkeypatch.setenv("CCHC_INSTANCE_DIR", str(folder))
    monkeypatch.delenv("CCHC_SECRET_KEY", raising=False)
    previous = os.umask(0o022)  # the usual default: files 0644, folders 0755
    try:
        url = f"sqlite:///{folder / 'cchc.db'}"
        service.init_db(Database(url))  # `cchc init-db`: the app itself never creates or upgrades the schema
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        app.extensions["cchc_db"].engine.dispose()
        Database(f"sqlite:///{tmp_path / 'other' / 'x.db'}").engine.dispose()
    finally:
        os.umask(previous)
    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(folder) == 0o700 and mode(folder / "secret_key") == 0o600
    assert mode(folder / "cchc.db") == 0o600
    assert mode(tmp_path / "other") == 0o700 and mode(tmp_path / "other" / "x.db") == 0o600
    for extra in folder.glob("cchc.db-*"):
        assert mode(extra) == 0o600, extra
