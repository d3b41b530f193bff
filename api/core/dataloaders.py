"""Per-request DataLoaders: every cross-entity field is one batched statement per page."""
from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from strawberry.dataloader import AbstractCache, DataLoader

from api.core.weak_calls import weakly
from domain.shared.db import Reader

BulkFetch = Callable[[Reader, Sequence[Any]], Awaitable[dict]]
GroupFetch = Callable[[Reader, Sequence[Any], Hashable], Awaitable[dict]]


def keyed(reader: Reader, fetch: BulkFetch) -> DataLoader:
    """A loader over `fetch(reader, keys) -> {key: value}`; missing keys load as None.
    Values fetched for keys nobody asked for yet (a category's ancestors) prime the cache."""

    async def load(keys: list) -> list:
        found = await fetch(reader, keys)
        asked = set(keys)
        loader = loader_ref()
        if loader is not None:
            loader.prime_many({k: v for k, v in found.items() if k not in asked})
        return [found.get(k) for k in keys]

    loader = DataLoader(load_fn=load, cache_map=KeyCache())
    # Weakly: the loader holds its batch function, which would otherwise hold the loader, a
    # reference cycle that kept every loaded value of a request until the cyclic collector ran.
    loader_ref = weakref.ref(loader)
    return loader


def loaded(loader: DataLoader, key: Any) -> Any:
    """The loader's value for `key` at once when it already holds it (a page loaded by level, see
    `load_batch`), else its future to await: a sync resolver returning this costs no coroutine
    per item where the value is there (an awaitable result is awaited by either executor)."""
    cache = loader.cache_map
    # Our loaders' cache is a dict by the key itself: read it at once, without `load`'s calls.
    future = cache.cache_map.get(key) if cache.__class__ is KeyCache else None
    if future is None or future.cancelled():
        future = loader.load(key)
    return future.result() if future.done() else future


def loaded_all(loader: DataLoader, keys: Sequence[Any]) -> Any:
    """`loaded` for several keys: their values at once when the loader holds them all, else an
    awaitable of them (`load_many`)."""
    cache = loader.cache_map
    if cache.__class__ is KeyCache:
        futures = [cache.cache_map.get(key) for key in keys]
        if all(future is not None and future.done() and not future.cancelled() and future.exception() is None
               for future in futures):
            return [future.result() for future in futures]
    return loader.load_many(keys)


async def load_batch(loader: DataLoader, keys: Sequence[Any]) -> None:
    """Puts `keys` in the loader's cache with one call of its batch function, before a list's
    items ask for them one by one (loading by level): `load_many` would make, gather and call
    back a future per key, which costs more than the statement on a page of 100 products. Keys
    already cached or on their way are left to the loader; a key whose value is an error is not
    cached (its item's own `load` raises it)."""
    cached = loader.cache_map.get
    missing = list(dict.fromkeys(k for k in keys if cached(k) is None))
    if missing:
        values = await loader.load_fn(missing)
        loader.prime_many({k: v for k, v in zip(missing, values, strict=True) if not isinstance(v, BaseException)})


def keyed_for_viewer(fetch: Callable[[Reader, Any, list], Awaitable[dict]]) -> Callable[..., DataLoader]:
    """A loader factory for private data: `fetch(reader, principal, keys)` gets the caller with
    each batch, and the domain leaves out what the caller may not see."""

    def factory(reader: Reader, viewer) -> DataLoader:
        async def load(reader: Reader, keys) -> dict:
            return await fetch(reader, await viewer(), list(keys))

        return keyed(reader, load)

    return factory


def grouped(reader: Reader, fetch: GroupFetch) -> DataLoader:
    """A loader whose keys are (id, args): one statement per distinct args in a batch."""

    async def load(keys: list[tuple[Any, Hashable]]) -> list:
        by_args: dict[Hashable, list] = defaultdict(list)
        for pk, args in keys:
            by_args[args].append(pk)
        results: dict[tuple, Any] = {}
        for args, ids in by_args.items():
            found = await fetch(reader, ids, args)
            for pk in ids:
                results[(pk, args)] = found.get(pk)
        return [results[k] for k in keys]

    return DataLoader(load_fn=load, cache_map=KeyCache())


class KeyCache(AbstractCache):
    """Our loaders' cache: a dict of futures by the key itself (`loaded` reads it), without the
    call of a key function that strawberry's `DefaultCache` makes on every read and write."""

    __slots__ = ("cache_map",)

    def __init__(self) -> None:
        self.cache_map: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        return self.cache_map.get(key)

    def set(self, key: Any, value: Any) -> None:
        self.cache_map[key] = value

    def delete(self, key: Any) -> None:
        del self.cache_map[key]

    def clear(self) -> None:
        self.cache_map.clear()


class LoaderRegistry:
    """Creates each loader on first use so a request pays only for the loaders it needs."""

    def __init__(self, reader: Reader, factories: dict[str, Callable[..., DataLoader]], context: Any = None) -> None:
        self._reader = reader
        self._factories = factories
        # Loaders of private data filter by the caller: they get the context's `viewer`, held
        # weakly (the context holds this registry: a cycle would keep the request's loaders and
        # all they loaded until the cyclic collector ran).
        viewer = getattr(context, "viewer", None)
        self._viewer = weakly(viewer) if viewer is not None else None
        self._loaders: dict[str, DataLoader] = {}

    def __getattr__(self, name: str) -> DataLoader:
        try:
            factory = self._factories[name]
        except KeyError:
            raise AttributeError(name) from None
        loader = self._loaders[name] = factory(self._reader, self._viewer)
        self.__dict__[name] = loader
        return loader
