"""What every response and every URL of the web app is held to: safe redirect targets, database ids and task ids
in URLs, the security headers (Content-Security-Policy, HSTS behind HTTPS), downloads, header-breaking input."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from flask import Flask, render_template, send_file
from werkzeug.routing import BaseConverter, ValidationError

# --------------------------------------------------------------------------------------------------------------
# Redirect targets (?next= after login, the "next" of the panels' forms)

_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))  # what a browser strips from both ends of a URL
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")  # what a browser removes anywhere in a URL


def safe_next(raw: str | None) -> str | None:
    """`raw` as a path on this site, else None (the caller falls back to a page of its own).

    The check is made on what a browser would follow, not on the raw text: browsers strip C0 controls and
    spaces at both ends, drop tab/CR/LF anywhere and read `\\` as `/`, so `/<TAB>/evil`, `\\t//evil` and
    `/\\evil` all mean `//evil` (another site). The normalised path is returned; it holds printable ASCII
    only, so it is safe in a Location header."""
    if not raw:
        return None
    url = raw.strip(_C0_AND_SPACE).translate(_TAB_NEWLINE).replace("\\", "/")
    if not url.startswith("/") or url.startswith("//"):
        return None
    if any(not "!" <= ch <= "~" for ch in url):  # controls, spaces, non-ASCII: never in a link we make
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return url


# --------------------------------------------------------------------------------------------------------------
# Ids in URLs

MAX_DB_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL (bigint) store; beyond it a query overflows


class DbIdConverter(BaseConverter):
    """`<id:name>`: a database id, 1 to 2^63-1 in ASCII digits without leading zeros; anything else is no route
    (404) instead of an integer overflow in the database (500)."""

    regex = r"[1-9][0-9]{0,18}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        """The id as an int; out of range: the rule does not match."""
        number = int(value)
        if number > MAX_DB_ID:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        """The id as it appears in a URL."""
        return str(int(value))


class TaskIdConverter(BaseConverter):
    """`<task:name>`: a SpiffWorkflow task id (a UUID in its text form), kept as text."""

    regex = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    part_isolating = True


def register_converters(app: Flask) -> None:
    """Make `<id:…>` and `<task:…>` available to the routes (before the blueprints are registered)."""
    app.url_map.converters["id"] = DbIdConverter
    app.url_map.converters["task"] = TaskIdConverter


# --------------------------------------------------------------------------------------------------------------
# Security headers

# Everything the pages load is our own: scripts and styles are static files (no inline <script>, no on…=""
# handlers, no style="" attributes in the templates). bpmn-js draws the diagram through the DOM/CSSOM
# (element.style, SVG attributes), which style-src does not govern, so it needs no 'unsafe-inline' either.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # bpmn-js and the stylesheets use data: URIs for small icons
    "font-src 'self'",
    "connect-src 'self'",  # the diagram's JSON
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(app: Flask) -> None:
    """Every response gets the CSP and the usual hardening headers; HSTS when the site is HTTPS-only (config
    CCHC_SECURE_COOKIES, which create_app sets from the settings)."""

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("CCHC_SECURE_COOKIES"):
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def attachment(data: bytes, mimetype: str, filename: str):
    """A download of `data` (Content-Disposition with a UTF-8 filename*), never sniffed or cached."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------------------------
# Header-breaking input

_HEADER_NEWLINE = re.compile(r"^Header values must not contain newline characters")  # werkzeug's ValueError


def handle_header_errors(app: Flask) -> None:
    """A view that would put CR/LF from the request into a response header answers 400, not 500; any other
    ValueError stays a bug (500)."""

    @app.errorhandler(ValueError)
    def _header_value(exc: ValueError):
        if not _HEADER_NEWLINE.match(str(exc)):
            raise exc
        message = "Yêu cầu chứa ký tự điều khiển không hợp lệ."
        return render_template("error.html", code=400, title="Yêu cầu không hợp lệ", message=message), 400
