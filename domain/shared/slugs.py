"""URL slugs: ASCII, lower-case, hyphen-separated (the one rule every context and the seed use)."""
from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 120) -> str:
    """'Harry Potter and the Sorcerer's Stone' -> 'harry-potter-and-the-sorcerer-s-stone'.

    Cut at a word boundary so a slug never ends mid-word. Returns '' when nothing Latin is
    left (e.g. an Arabic title); callers supply a fallback.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")
    return slug
