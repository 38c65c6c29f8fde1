"""Helpers for the web tests (Flask test client): the demo password, the CSRF token of a page, logging in.

The `app` and `client` fixtures themselves are in tests/conftest.py."""

from __future__ import annotations

import re

from tests.conftest import DEMO_ORG

PASSWORD = "demo@2026"  # every demo login's password


def token(html: str) -> str:
    """The CSRF token of a page's form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client, name: str, password: str = PASSWORD, org: str = DEMO_ORG):
    """Post the login form as `name` of organisation `org`; the response, unchecked (302 in, 401 refused)."""
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": token(page), "org": org, "login": name, "password": password})


def login_ok(client, name: str, org: str = DEMO_ORG):
    """login() that must succeed: the redirect into the app."""
    response = login(client, name, org=org)
    assert response.status_code == 302, (name, org)
    return response
