"""Password hashes: scrypt from the standard library, in the format Werkzeug writes ("scrypt:n:r:p$salt$hex").

The engine never imports the web stack (Flask, Werkzeug), so it hashes with hashlib itself. The format, the
parameters and the salt alphabet are Werkzeug's (werkzeug.security, which the app used before), so every hash
already stored in a database still verifies, and tests/test_passwords.py checks both ways against Werkzeug.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # Werkzeug's defaults: about 0.1 s and 32 MB per hash, on purpose
SALT_LENGTH = 16
_SALT_CHARS = string.ascii_letters + string.digits


def _derive(method: str, salt: str, password: str) -> str:
    """The hex digest for a stored method string ("scrypt:n:r:p" or "pbkdf2:hash:iterations"); ValueError for
    anything else."""
    name, *args = method.split(":")
    if name == "scrypt":
        n, r, p = (int(a) for a in args) if args else (SCRYPT_N, SCRYPT_R, SCRYPT_P)
        # maxmem as Werkzeug sets it: scrypt needs 128·n·r·p bytes and a little more.
        return hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p).hex()
    if name == "pbkdf2" and len(args) == 2:  # older Werkzeug hashes, still accepted when checking
        return hashlib.pbkdf2_hmac(args[0], password.encode(), salt.encode(), int(args[1])).hex()
    raise ValueError(f"unknown password hash method {name!r}")


def generate_password_hash(password: str) -> str:
    """A new salted scrypt hash of `password`, as "scrypt:32768:8:1$<salt>$<hex digest>"."""
    salt = "".join(secrets.choice(_SALT_CHARS) for _ in range(SALT_LENGTH))
    method = f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}"
    return f"{method}${salt}${_derive(method, salt, password)}"


def check_password_hash(stored: str, password: str) -> bool:
    """Whether `password` matches the stored hash (compared in constant time); False for a malformed hash."""
    try:
        method, salt, digest = stored.split("$", 2)
        derived = _derive(method, salt, password)
    except ValueError:
        return False
    return hmac.compare_digest(derived, digest)
