"""Per-request DataLoaders: every cross-entity field is one batched statement per page."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from itertools import repeat
from typing import Any

from strawberry.exceptions import WrongNumberOfResultsReturned

from api.core.weak_calls import weakly
from domain.shared.db import Reader

BulkFetch = Callable[[Reader, Sequence[Any]], Awaitable[dict]]
GroupFetch = Callable[[Reader, Sequence[Any], Hashable], Awaitable[dict]]


class Loader:
    """A request's batching loader (the DataLoader pattern, as strawberry's `DataLoader` batches):
    every key asked for with `load` before its batch is dispatched, two steps of the event loop
    later, is fetched by one call of `load_fn(keys)`, which answers a value per key in order (an
    exception as a value fails that key alone). What it loaded, or was given (`prime_many`), it
    keeps for the request as plain values: a future is kept only for a key whose value is on its
    way or failed, where strawberry's loader made, set and kept a future for every key, which on
    a page loaded by level (`load_batch`) cost more than its statement."""

    __slots__ = ("load_fn", "values", "futures", "_batch")

    def __init__(self, load_fn: Callable[[list], Awaitable[Sequence[Any]]] | None = None) -> None:
        if load_fn is not None:  # else the subclass's own method (`Keyed`)
            self.load_fn = load_fn
        self.values: dict[Any, Any] = {}
        self.futures: dict[Any, asyncio.Future] = {}  # keys on their way, or failed
        self._batch: _Batch | None = None

    def load(self, key: Any) -> Awaitable[Any]:
        """The key's value, awaitable."""
        future = self.futures.get(key)
        if future is not None and not future.cancelled():
            return future
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if key in self.values:
            future.set_result(self.values[key])
            return future
        self.futures[key] = future
        batch = self._batch
        if batch is None or batch.dispatched:
            batch = self._batch = _Batch()
            loop.call_soon(self._schedule, batch, loop)
        batch.add(key, future)
        return future

    def load_many(self, keys: Iterable[Any]) -> Awaitable[list[Any]]:
        return asyncio.gather(*[self.load(key) for key in keys])

    def prime_many(self, values: dict[Any, Any]) -> None:
        """Keeps `values` for keys it holds nothing for; a key waiting in a batch not yet
        dispatched gets its value at once and leaves the batch."""
        kept, futures = self.values, self.futures
        if not futures and kept.keys().isdisjoint(values):
            kept.update(values)  # the usual case, new keys only: kept in one step
        else:
            for key, value in values.items():
                if key not in kept and key not in futures:
                    kept[key] = value
        batch = self._batch
        if batch is not None and not batch.dispatched and any(key in values for key in batch.keys):
            for key, future in zip(batch.keys, batch.futures, strict=True):
                if key in values and not future.done():
                    future.set_result(values[key])
                    kept[key] = values[key]
            batch.drop_done()

    async def fill(self, keys: list) -> None:
        """Keeps the values of `keys`, none of them held or on its way, from one call of the batch
        function (`load_batch`); a key whose value is an error is not kept."""
        found = await self.load_fn(keys)
        if len(found) != len(keys):
            raise WrongNumberOfResultsReturned(expected=len(keys), received=len(found))
        if any(map(isinstance, found, repeat(BaseException))):
            self.prime_many({k: v for k, v in zip(keys, found) if not isinstance(v, BaseException)})
        else:
            self.prime_many(dict(zip(keys, found)))

    def _schedule(self, batch: _Batch, loop: asyncio.AbstractEventLoop) -> None:
        batch.task = loop.create_task(self._dispatch(batch))

    async def _dispatch(self, batch: _Batch) -> None:
        batch.dispatched = True
        pending = [(key, future) for key, future in zip(batch.keys, batch.futures, strict=True)
                   if not future.done()]
        if not pending:
            return  # every key was primed meanwhile, or nobody waits for it any more
        try:
            values = list(await self.load_fn([key for key, _ in pending]))
            if len(values) != len(pending):
                raise WrongNumberOfResultsReturned(expected=len(pending), received=len(values))
        except Exception as error:  # noqa: BLE001  (every key of the batch fails with it)
            for _key, future in pending:
                if not future.cancelled():
                    future.set_exception(error)
            return
        for (key, future), value in zip(pending, values, strict=True):
            if future.cancelled():
                continue
            if isinstance(value, BaseException):
                future.set_exception(value)
            else:
                future.set_result(value)
                self.values[key] = value


class _Batch:
    """Keys waiting for one call of a loader's batch function, with their futures. When every
    future is cancelled (all that waited went away), so is the dispatch, as strawberry's are."""

    __slots__ = ("keys", "futures", "dispatched", "task")

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.futures: list[asyncio.Future] = []
        self.dispatched = False
        self.task: asyncio.Task | None = None

    def add(self, key: Any, future: asyncio.Future) -> None:
        self.keys.append(key)
        self.futures.append(future)
        future.add_done_callback(self._on_done)

    def drop_done(self) -> None:
        kept = [(key, future) for key, future in zip(self.keys, self.futures, strict=True) if not future.done()]
        self.keys = [key for key, _ in kept]
        self.futures = [future for _, future in kept]

    def _on_done(self, future: asyncio.Future) -> None:
        task = self.task
        if (future.cancelled() and task is not None and not task.done()
                and all(f.cancelled() for f in self.futures)):
            task.cancel()


class Keyed(Loader):
    """A loader over `fetch(reader, keys) -> {key: value}`; missing keys load as None. Values
    fetched for keys nobody asked for yet (a category's ancestors) are kept too. Its batch
    function is a method, so the loader holds no closure of itself (a reference cycle would keep
    every loaded value of a request until the cyclic collector ran)."""

    __slots__ = ("reader", "fetch")

    def __init__(self, reader: Reader, fetch: BulkFetch) -> None:
        super().__init__()
        self.reader = reader
        self.fetch = fetch

    async def load_fn(self, keys: list) -> list:
        found = await self.fetch(self.reader, keys)
        extra = found.keys() - keys
        if extra:
            self.prime_many({k: found[k] for k in extra})
        return list(map(found.get, keys))

    async def fill(self, keys: list) -> None:
        """`Loader.fill` from the fetch's dict itself (None for keys not found), with whatever
        else it found, without the batch function's list of values."""
        found = await self.fetch(self.reader, keys)
        values = dict.fromkeys(keys)
        values.update(found)
        self.prime_many(values)


# The loaders' factories name it so: `keyed(reader, fetch)`.
keyed = Keyed


_MISSING = object()


def loaded(loader: Loader, key: Any) -> Any:
    """The loader's value for `key` at once when it already holds it (a page loaded by level, see
    `load_batch`), else its future to await: a sync resolver returning this costs no coroutine
    per item where the value is there (an awaitable result is awaited by either executor)."""
    value = loader.values.get(key, _MISSING)
    if value is not _MISSING:
        return value
    future = loader.load(key)
    return future.result() if future.done() else future


def loaded_all(loader: Loader, keys: Sequence[Any]) -> Any:
    """`loaded` for several keys: their values at once when the loader holds them all, else an
    awaitable of them (`load_many`)."""
    values = loader.values
    if all(key in values for key in keys):
        return [values[key] for key in keys]
    return loader.load_many(keys)


async def load_batch(loader: Loader, keys: Sequence[Any]) -> None:
    """Gives the loader the values of `keys` with one call of its batch function, before a list's
    items ask for them one by one (loading by level): `load_many` would make, gather and call
    back a future per key. Keys already held or on their way are left to the loader; a key whose
    value is an error is not kept (its item's own `load` raises it)."""
    values, futures = loader.values, loader.futures
    if len(keys) == 1:  # a single product's relations: the usual call
        missing = [] if keys[0] in values or keys[0] in futures else list(keys)
    elif not values and not futures:  # the loader's first batch: every key, once each (in C)
        missing = list(dict.fromkeys(keys))
    else:
        missing = list(dict.fromkeys(k for k in keys if k not in values and k not in futures))
    if missing:
        await loader.fill(missing)


def keyed_for_viewer(fetch: Callable[[Reader, Any, list], Awaitable[dict]]) -> Callable[..., Loader]:
    """A loader factory for private data: `fetch(reader, principal, keys)` gets the caller with
    each batch, and the domain leaves out what the caller may not see."""

    def factory(reader: Reader, viewer) -> Loader:
        async def load(reader: Reader, keys) -> dict:
            return await fetch(reader, await viewer(), list(keys))

        return keyed(reader, load)

    return factory


def grouped(reader: Reader, fetch: GroupFetch) -> Loader:
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

    return Loader(load)


class LoaderRegistry:
    """Creates each loader on first use so a request pays only for the loaders it needs."""

    def __init__(self, reader: Reader, factories: dict[str, Callable[..., Loader]], context: Any = None) -> None:
        self._reader = reader
        self._factories = factories
        # Loaders of private data filter by the caller: they get the context's `viewer`, held
        # weakly (the context holds this registry: a cycle would keep the request's loaders and
        # all they loaded until the cyclic collector ran).
        viewer = getattr(context, "viewer", None)
        self._viewer = weakly(viewer) if viewer is not None else None
        self._loaders: dict[str, Loader] = {}

    def __getattr__(self, name: str) -> Loader:
        try:
            factory = self._factories[name]
        except KeyError:
            raise AttributeError(name) from None
        loader = self._loaders[name] = factory(self._reader, self._viewer)
        self.__dict__[name] = loader
        return loader
