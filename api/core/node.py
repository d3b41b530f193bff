"""The Relay `Node` interface and the registry that resolves global IDs to objects."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.executor import inline


@strawberry.interface(description="An object with a global ID, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID of this object.")


def node_id(type_name: str):
    """The `id` field of a Node type: the global ID of the entity's database id.
    (A resolver per type needs no resolve info, which is the costly part of a field.)"""

    @inline
    def resolve(root: strawberry.Parent[Any]) -> strawberry.ID:
        return ids.encode(type_name, root.id)  # a str: an ID is one

    resolve.global_id_of = type_name  # the compiled executor's builder writes the call out in place
    return strawberry.field(resolver=resolve, description="Opaque global ID of this object.")


# type name -> coroutine(info, [database ids]) -> [object or None]
NodeFetcher = Callable[[Info, list[int]], Awaitable[list[Any]]]
_fetchers: dict[str, NodeFetcher] = {}


def register(type_name: str, fetcher: NodeFetcher) -> None:
    _fetchers[type_name] = fetcher


def loader_fetcher(loader_name: str) -> NodeFetcher:
    """Fetch through a context loader, so `nodes(ids:)` is one statement per type."""

    async def fetch(info: Info, pks: list[int]) -> list[Any]:
        return await getattr(info.context.loaders, loader_name).load_many(pks)

    return fetch


async def resolve_nodes(info: Info, global_ids: list[str], *, single: bool = False) -> list[Any]:
    """Objects for global IDs in order; None for unknown ones (malformed IDs are errors)."""
    decoded = [ids.decode(g, "id" if single else f"ids.{i}") for i, g in enumerate(global_ids)]
    results: list[Any] = [None] * len(decoded)
    by_type: dict[str, list[int]] = {}
    for index, (type_name, _) in enumerate(decoded):
        if type_name in _fetchers:
            by_type.setdefault(type_name, []).append(index)
    for type_name, indexes in by_type.items():
        found = await _fetchers[type_name](info, [decoded[i][1] for i in indexes])
        for i, obj in zip(indexes, found):
            results[i] = obj
    return results
