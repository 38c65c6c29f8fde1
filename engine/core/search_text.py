"""Text folded for search: lower case, without Vietnamese diacritics ("Kế hoạch" and "ke hoach" both become
"ke hoach"), so a plain LIKE on a stored folded column finds either spelling on SQLite and PostgreSQL alike."""

from __future__ import annotations

import unicodedata

# đ is a letter of its own, not d with a combining mark: NFD leaves it, so it is mapped by hand.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """`text` lower-cased, without diacritics, its whitespace collapsed to single spaces."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def words(query: str | None) -> list[str]:
    """The folded words of a search box's text (every one must match)."""
    return fold(query).split()
