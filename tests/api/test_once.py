"""`Once` (api/core/once.py): made by the first await, shared by every other, failures and
cancellation included, without a task of its own."""
import asyncio

import pytest

from api.core.once import Once


async def test_made_once_and_shared_without_a_step_of_the_loop_when_it_needs_none():
    made = []

    async def make():
        made.append(1)
        return "caller"

    once = Once(make)
    loop = asyncio.get_running_loop()
    ready_before = len(loop._ready)  # noqa: SLF001  (nothing scheduled to make it)
    assert await once == "caller"
    assert len(loop._ready) == ready_before  # noqa: SLF001
    assert await once == "caller" and await asyncio.gather(once, once) == ["caller", "caller"]
    assert made == [1]


async def test_awaiters_while_it_is_made_get_the_same_value():
    gate = asyncio.Event()
    made = []

    async def make():
        made.append(1)
        await gate.wait()
        return 42

    once = Once(make)

    async def get():
        return await once

    waiting = [asyncio.create_task(get()) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == [42, 42, 42]
    assert made == [1]


async def test_a_failure_reaches_every_awaiter():
    async def make():
        raise LookupError("no such session")

    once = Once(make)
    for _ in range(2):
        with pytest.raises(LookupError):
            await once


async def test_a_cancelled_first_await_cancels_it_for_everyone():
    async def make():
        await asyncio.sleep(10)

    once = Once(make)

    async def get():
        return await once

    first = asyncio.create_task(get())
    await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    with pytest.raises(asyncio.CancelledError):
        await once
