"""Offset pages as the domain sees them; cursors are the API's business."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from domain.shared.db import Reader

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


async def paged(reader: Reader, entity: type, select: str, order: str, page: PageRequest, *args) -> Page:
    """One page of `select` (whose columns are the entity's fields) with the list's total."""
    n = len(args)
    rows = await reader.fetch(
        f"SELECT *, count(*) OVER () AS total FROM ({select}) listed ORDER BY {order}"
        f" OFFSET ${n + 1} LIMIT ${n + 2}", *args, page.offset, page.limit + 1)
    if rows:
        total = rows[0]["total"]
    elif page.offset == 0:
        total = 0
    else:  # past the end: the window saw no rows to count
        total = (await reader.fetchrow(f"SELECT count(*) FROM ({select}) listed", *args))[0]
    return page_from_rows([entity(*r[:-1]) for r in rows], page, total)
