"""Relay connections: cursor parsing, page-size rules and the shared `PageInfo` type."""
from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

from domain.shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest

T = TypeVar("T")
_PREFIX = "o1:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith(_PREFIX) or len(cursor) > 40:
            raise ValueError
        offset = int(raw[len(_PREFIX):])
        if offset < 0:
            raise ValueError
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _bad(f"Argument {argument}: {cursor[:60]!r} is not a cursor of this list.",
                   "INVALID_CURSOR", argument) from None
    return offset


def _bad(message: str, reason: str, argument: str, nodes=None) -> GraphQLError:
    return GraphQLError(message, nodes=nodes, extensions={"code": "BAD_USER_INPUT", "reason": reason,
                                                          "field": [argument]})


def check_page_size(name: str, size: int | None, max_size: int = MAX_PAGE_SIZE, nodes=None) -> None:
    """Refuses a page size outside 1..`max_size` (None means the field's default)."""
    if size is not None and not 1 <= size <= max_size:
        raise _bad(f"Argument {name} must be between 1 and {max_size}; got {size}.",
                   "INVALID_PAGE_SIZE", name, nodes)


def page_request(first: int | None = None, after: str | None = None, last: int | None = None,
                 before: str | None = None, max_size: int = MAX_PAGE_SIZE) -> PageRequest:
    """Validate Relay arguments. Out-of-range sizes are errors, never silently clamped."""
    if first is not None and last is not None:
        raise _bad("Give first or last, not both.", "INVALID_PAGE_ARGUMENTS", "last")
    check_page_size("first", first, max_size)
    check_page_size("last", last, max_size)
    if last is not None:
        if before is None:
            raise _bad("Argument last needs before (page backwards from a cursor).",
                       "INVALID_PAGE_ARGUMENTS", "before")
        end = decode_cursor(before, "before")
        start = max(0, end - last)
        return PageRequest(start, end - start)
    start = decode_cursor(after, "after") + 1 if after is not None else 0
    if before is not None:
        end = decode_cursor(before, "before")
        return PageRequest(start, max(0, min(first or DEFAULT_PAGE_SIZE, end - start)))
    return PageRequest(start, first or DEFAULT_PAGE_SIZE)


@strawberry.type(description="Where a page sits in its list, with the cursors to move on.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item on this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item on this page.")


def page_info(page: Page) -> PageInfo:
    n = len(page.items)
    return PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=encode_cursor(page.offset) if n else None,
        end_cursor=encode_cursor(page.offset + n - 1) if n else None,
    )


@strawberry.type(description="One item of a list with the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor; pass it as after/before.")
    node: T = strawberry.field(description="The item.")


def edges(page: Page) -> list[Edge]:
    return [Edge(cursor=encode_cursor(page.offset + i), node=item) for i, item in enumerate(page.items)]


def page_edges(root) -> list[Edge]:
    """The edges of a connection that holds its domain page (`page`), as its `edges` resolver."""
    return edges(root.page)


@strawberry.type(description="A page of a list (Relay connection): default 20 items, at most 100.")
class Connection(Generic[T]):
    # Edges are made when asked for (`page_edges`): most clients read `nodes`, and an edge per
    # item, its cursor encoded, cost more than the item's own fields on a page of leaves.
    edges: list[Edge[T]] = strawberry.field(resolver=page_edges,
                                            description="The items with their cursors.")
    nodes: list[T] = strawberry.field(description="The items alone, for clients that need no cursors.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    page: strawberry.Private[Page] = None
    total: strawberry.Private[int | None] = None
    counter: strawberry.Private[object] = None

    @strawberry.field(description="Number of items in the whole list (not only this page).")
    async def total_count(self) -> int:
        if self.total is None:
            self.total = await self.counter()
        return self.total


def connection(page: Page, counter=None) -> Connection:
    """A connection for a domain page; `counter` computes the total when one is asked for."""
    return Connection(nodes=page.items, page_info=page_info(page), page=page, total=page.total, counter=counter)
