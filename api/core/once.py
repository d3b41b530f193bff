"""An awaitable computed once, by its first await, and shared by every later one."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any


class Once:
    """The value of `make()`, awaitable any number of times, as a task's is: made by the first
    await, in the awaiting task itself. A task of its own would cost a step of the event loop to
    start and another to hand its result back, on every request that asks who its caller is
    (none at all for an anonymous one, whose answer needs no I/O). A failure reaches the first
    awaiter and every later one; a cancelled first await cancels it for all, as cancelling the
    awaiter of a task cancels the task."""

    __slots__ = ("_make", "_future")

    def __init__(self, make: Callable[[], Awaitable[Any]]) -> None:
        self._make = make
        self._future: asyncio.Future | None = None

    def __await__(self) -> Generator[Any, None, Any]:
        future = self._future
        if future is not None:
            return (yield from future.__await__())
        future = self._future = asyncio.get_running_loop().create_future()
        # Let go of the maker (a bound method, often of what holds this: a reference cycle).
        make, self._make = self._make, None
        try:
            value = yield from make().__await__()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # the first awaiter raises it: not an error nobody saw
            raise
        future.set_result(value)
        return value
