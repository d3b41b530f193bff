"""Offset pages as the domain sees them; cursors are the API's business."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class PageRequest:
    offset: int = 0
    limit: int = DEFAULT_PAGE_SIZE


@dataclass(slots=True)
class Page(Generic[T]):
    """`items` of one page; `has_next` is known without counting the whole list."""

    items: list[T]
    offset: int
    has_next: bool
    total: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def page_from_rows(rows: list, request: PageRequest, total: int | None = None) -> Page:
    """Rows fetched with `LIMIT limit + 1`: the extra row only says a next page exists."""
    return Page(rows[: request.limit], request.offset, len(rows) > request.limit, total)
