"""Slugs unique within a table, for the seed (the slug rule itself is domain.shared.slugs)."""
from __future__ import annotations

from domain.shared.slugs import slugify  # noqa: F401  (the seed modules take both from here)


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
