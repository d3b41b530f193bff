"""URL slugs: ASCII, lower-case, hyphen-separated, and unique within a table."""
from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 120) -> str:
    """'Harry Potter and the Sorcerer's Stone' -> 'harry-potter-and-the-sorcerer-s-stone'.

    Returns '' when nothing Latin is left (e.g. an Arabic title); callers supply a fallback.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        # Cut at a word boundary so a slug never ends mid-word.
        cut = slug[:max_length]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")
    return slug


class SlugRegistry:
    """Hands out slugs unique within one table: a repeat gets -2, -3... in call order,
    so the result is deterministic as long as rows are built in a fixed order."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        # Next suffix to try per base, so a title repeated a thousand times stays linear.
        self._next: dict[str, int] = {}

    def claim(self, base: str) -> str:
        n = self._next.get(base, 1)
        slug = base if n == 1 else f"{base}-{n}"
        while slug in self._taken:
            n += 1
            slug = f"{base}-{n}"
        self._next[base] = n + 1
        self._taken.add(slug)
        return slug
