"""The engine's own password hashes (engine.core.passwords, so the engine needs no Werkzeug) are Werkzeug's format:
hashes already stored in databases still verify, and new ones are what Werkzeug would accept."""

from __future__ import annotations

from werkzeug.security import check_password_hash as werkzeug_check
from werkzeug.security import generate_password_hash as werkzeug_generate

from engine.core.passwords import check_password_hash, generate_password_hash


def test_a_hash_stored_by_werkzeug_still_verifies():
    stored = werkzeug_generate("demo@2026")
    assert stored.startswith("scrypt:32768:8:1$")
    assert check_password_hash(stored, "demo@2026")
    assert not check_password_hash(stored, "demo@2027")


def test_a_new_hash_is_werkzeugs_format_with_a_fresh_salt():
    stored = generate_password_hash("mật khẩu")
    method, salt, digest = stored.split("$")
    assert method == "scrypt:32768:8:1" and len(salt) == 16 and salt.isalnum() and len(digest) == 128
    assert werkzeug_check(stored, "mật khẩu") and not werkzeug_check(stored, "mat khau")
    assert generate_password_hash("mật khẩu") != stored


def test_older_pbkdf2_hashes_verify_and_malformed_ones_never_do():
    stored = werkzeug_generate("x", method="pbkdf2:sha256:1000")
    assert check_password_hash(stored, "x") and not check_password_hash(stored, "y")
    for broken in ["", "x", "scrypt$salt", "md5$salt$00", "scrypt:a:b:c$salt$00", "plain$$x"]:
        assert not check_password_hash(broken, "x"), broken
