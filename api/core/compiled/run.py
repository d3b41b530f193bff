"""Running a plan: the loop that produces a list's items, the settling of awaitable fields, and
the run's own state (an object's fields are produced by `builder.build_fields`).

Awaitables are gathered per object and per list as graphql-core does, so the loaders of sibling
fields and list items are asked in the same tick and batch the same way. When something fails,
the siblings already started are allowed to finish (not cancelled): a cancelled task would
cancel the loader future it waits on, and the stock run that follows shares those loaders.
"""
from __future__ import annotations

import asyncio
import inspect
import types
from types import CoroutineType
from typing import Any, NamedTuple

from graphql.pyutils import Path, Undefined

from api.core.compiled.errors import Bail

LEAF, TYPENAME, FIELD = 0, 1, 2

# Classes whose instances no `is_awaitable` calls awaitable: learned from the resolvers' results
# (domain objects, mostly), so that each is asked once per process rather than once per field.
# What makes a value awaitable (a coroutine type, an `__await__` method) is its class's, but for
# generators, which are awaitable when their code says so: they are never learned.
SYNC: set[type] = {dict, list, tuple, str, int, float, bool, type(None)}
_MAX_SYNC = 1024


def awaitable(run: Any, value: Any) -> bool:
    """`run.is_awaitable(value)`, remembering the class of a value that is not."""
    if run.is_awaitable(value):
        return True
    cls = value.__class__
    if cls is not types.GeneratorType and len(SYNC) < _MAX_SYNC:
        SYNC.add(cls)
    return False


class Run:
    """What one execution of a plan needs: the graphql-core executor it replaces (for resolve
    infos and variable values) and the arguments coerced from variables so far."""

    __slots__ = ("executor", "is_awaitable", "args", "stepped", "context_info")

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        # What resolvers that read only `info.context` get as their info.
        self.context_info = ContextInfo(executor.context_value)
        self.is_awaitable = executor.is_awaitable
        self.args: dict[int, dict[str, Any]] = {}
        # The rests of the resolver coroutines started where they were called (`plan._resume`).
        self.stepped: list[Any] = []

    def unfinished(self) -> list[Any]:
        """The started resolvers that nothing awaits, after a failure dropped what would have:
        they hold the request's connection (a statement on its way) or a loader's batch, so they
        must finish before the stock executor runs the operation again."""
        return [rest for rest in self.stepped if inspect.getgeneratorstate(rest) == inspect.GEN_CREATED]


class ContextInfo:
    """The info of a resolver that reads nothing of it but its context."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


async def settle_fields(results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
    if len(pending) == 1:
        name = pending[0]
        results[name] = await results[name]
        return results
    values = await settle([results[name] for name in pending])
    for name, value in zip(pending, values, strict=True):
        results[name] = value
    return results


def complete_items(run: Run, items: Any, inner: Any, info: Any, path: Path) -> Any:
    if type(items) is not list and type(items) is not tuple:
        raise Bail  # generators, async iterables: graphql-core's business
    is_awaitable = run.is_awaitable
    paths = getattr(inner, "needs_path", True)  # read only by the resolve infos built below
    completed: list[Any] = []
    pending: list[int] | None = None
    try:
        for index, item in enumerate(items):
            value = inner(run, item, info, Path(path, index, None) if paths else None)
            completed.append(value)
            if is_awaitable(value):
                if pending is None:
                    pending = [index]
                else:
                    pending.append(index)
    except BaseException:
        if pending:
            discard([completed[index] for index in pending])
        raise
    if pending is None:
        return completed
    return _settle_items(completed, pending)


# The classes of an object field's values (or a list's items) its type check accepted, kept per
# field for the fast path that skips the checks (`complete_objects`, the builder's fields).
MAX_ACCEPTED = 8


def by_class(is_type_of: Any) -> bool:
    """Whether an object type's check answers by the value's class alone: none at all, or one of
    the API's own (`is_type_of` classmethods, each an `isinstance` test, as a test holds them):
    a class it accepted once, it accepts always. Strawberry's own also reads a mark
    `strawberry.cast` may have put on the object."""
    return is_type_of is None or not getattr(is_type_of, "__module__", "strawberry").startswith("strawberry")


def complete_objects(run: Run, items: Any, produce: Any, is_type_of: Any, nullable_items: bool, path: Path,
                     paths: bool, accepted: set[type] | None) -> Any:
    """`complete_items` for a list of objects whose type check needs no info: each item's
    completion (as `plan._object`'s completer makes it) written out in the loop.

    Items all of classes this list has accepted before skip the checks, when the type's check
    answers by class (`accepted` is None when it may not: `by_class`): a class it accepted
    once it accepts always, and an accepted class is never None or an exception."""
    if type(items) is not list and type(items) is not tuple:
        raise Bail  # generators, async iterables: graphql-core's business
    if accepted and accepted.issuperset(map(type, items)):
        completed: list[Any] = []
        append = completed.append
        try:
            if paths:
                for index, item in enumerate(items):
                    append(produce(run, item, Path(path, index, None)))
            else:
                for item in items:
                    append(produce(run, item, None))
        except BaseException:
            discard([value for value in completed if value.__class__ is not dict])
            raise
        if _DICTS.issuperset(map(type, completed)):
            return completed
        is_awaitable = run.is_awaitable
        pending = [index for index, value in enumerate(completed)
                   if value.__class__ is not dict and is_awaitable(value)]
        return _settle_items(completed, pending) if pending else completed
    is_awaitable = run.is_awaitable
    completed = []
    pending: list[int] | None = None
    try:
        for index, item in enumerate(items):
            if item is None or item is Undefined:
                if not nullable_items:
                    raise Bail
                completed.append(None)
                continue
            if isinstance(item, Exception):
                raise Bail
            if is_type_of is not None and is_type_of(item, None) is not True:
                raise Bail
            if accepted is not None and len(accepted) < MAX_ACCEPTED:
                accepted.add(item.__class__)
            value = produce(run, item, Path(path, index, None) if paths else None)
            completed.append(value)
            if value.__class__ is not dict and is_awaitable(value):
                if pending is None:
                    pending = [index]
                else:
                    pending.append(index)
    except BaseException:
        if pending:
            discard([completed[index] for index in pending])
        raise
    if pending is None:
        return completed
    return _settle_items(completed, pending)


_DICTS = frozenset({dict})


async def _settle_items(completed: list[Any], pending: list[int]) -> list[Any]:
    values = await settle([completed[index] for index in pending])
    for index, value in zip(pending, values, strict=True):
        completed[index] = value
    return completed


async def settle(awaitables: list[Any]) -> list[Any]:
    """The values of all awaitables, or the first failure once every one has finished."""
    values = await asyncio.gather(*awaitables, return_exceptions=True)
    for value in values:
        if isinstance(value, BaseException):
            raise value
    return values


def discard(awaitables: list[Any]) -> None:
    """Close the coroutines that were never started (a started one is a task left to finish),
    and the resolvers' coroutines they hold, which would otherwise never be awaited."""
    for awaitable in awaitables:
        if inspect.iscoroutine(awaitable) and inspect.getcoroutinestate(awaitable) == inspect.CORO_CREATED:
            held = awaitable.cr_frame.f_locals.values()
            discard([value for value in held if inspect.iscoroutine(value)])
            discard([item for value in held if isinstance(value, list) for item in value])
            discard([item for value in held if isinstance(value, dict) for item in value.values()])
            awaitable.close()


class Inline(NamedTuple):
    """A field the builder calls in its own code: `resolver(source, **arguments)` (the source
    passed first, or as each of `source_parameters`; `info_parameter`, if any, given the run's
    context info), its value completed with `complete(run, value, None, path)`."""

    resolver: Any
    source_first: bool
    source_parameters: tuple[str, ...]
    arguments: dict[str, Any]
    info_parameter: str | None
    complete: Any


def step(run: Any, result: Any, complete: Any, info: Any, path: Any) -> Any:
    """The completed value of a resolver's coroutine, stepped once here: a resolver whose loader
    already holds its value (a page loaded by level) finishes at once, without a task to wait on
    it; otherwise an awaitable of it."""
    try:
        waiting_on = result.send(None)
    except StopIteration as done:
        return complete(run, done.value, info, path)
    if waiting_on is not None:
        # Not a task's to wait on yet: siblings may wait on the same loader future.
        waiting_on._asyncio_future_blocking = False
    rest = _resume(result, waiting_on)
    run.stepped.append(rest)
    return complete_later(run, rest, complete, info, path)


@types.coroutine
def _resume(coroutine: Any, waiting_on: Any) -> Any:
    """The rest of a coroutine stepped once: what it waits on is waited on first (as a task
    would), then it runs on. The future is marked as awaited just before the task gets it,
    as `Future.__await__` marks it."""
    if waiting_on is not None:
        waiting_on._asyncio_future_blocking = True
    yield waiting_on
    return (yield from coroutine.__await__())


def settled(run: Any, value: Any, complete: Any, path: Any) -> Any:
    """The completed value of a field read in place whose completion of a plain value is never
    awaitable (`builder._completes_at_once`): an awaitable value, which only an object holding
    one gives, is the stock executor's to await."""
    if value.__class__ is CoroutineType or (value.__class__ not in SYNC and awaitable(run, value)):
        raise Bail
    return complete(run, value, None, path)


async def complete_later(run: Any, result: Any, complete: Any, info: Any, path: Any) -> Any:
    value = complete(run, await result, info, path)
    if run.is_awaitable(value):
        return await value
    return value
