"""The request's batching loader (api/core/dataloaders.py `Loader`): keys asked for before the
dispatch share one call of the batch function, what it loaded or was given is answered without
another, errors stay with their keys, and a batch nobody waits for any more is not sent."""
import asyncio

import pytest
from strawberry.exceptions import WrongNumberOfResultsReturned

from api.core.dataloaders import Loader, loaded, loaded_all


def recording(answer=lambda key: key * 10):
    calls: list[list] = []

    async def load_fn(keys):
        calls.append(list(keys))
        await asyncio.sleep(0)
        return [answer(key) for key in keys]

    return Loader(load_fn), calls


async def test_keys_asked_for_in_the_same_and_the_next_step_share_a_batch():
    loader, calls = recording()

    async def later(key):  # a sibling's task, whose first step runs a step after the first load
        return await loader.load(key)

    first = loader.load(1)
    assert await asyncio.gather(first, loader.load(2), later(3), loader.load(1)) == [10, 20, 30, 10]
    assert calls == [[1, 2, 3]]
    assert await loader.load(2) == 20 and loaded(loader, 3) == 30 and loaded_all(loader, [1, 2]) == [10, 20]
    assert await loader.load_many([1, 4]) == [10, 40]
    assert calls == [[1, 2, 3], [4]]


async def test_primed_values_answer_at_once_and_leave_a_waiting_batch():
    loader, calls = recording()
    loader.prime_many({5: "five"})
    assert loaded(loader, 5) == "five"
    waiting = loader.load(6), loader.load(7)
    loader.prime_many({6: "six", 5: "not again"})
    assert await asyncio.gather(*waiting) == ["six", 70]
    assert calls == [[7]] and loaded(loader, 5) == "five"


async def test_an_error_value_fails_its_key_alone_and_a_failed_call_every_key():
    loader, calls = recording(lambda key: LookupError(key) if key == 2 else key)
    results = await asyncio.gather(loader.load(1), loader.load(2), return_exceptions=True)
    assert results[0] == 1 and isinstance(results[1], LookupError)
    with pytest.raises(LookupError):
        await loader.load(2)  # the failure is kept, as the value is
    assert calls == [[1, 2]]

    async def broken(keys):
        raise RuntimeError("the database went away")

    failing = Loader(broken)
    for result in await asyncio.gather(failing.load(1), failing.load(2), return_exceptions=True):
        assert isinstance(result, RuntimeError)

    async def short(keys):
        return keys[:-1]

    with pytest.raises(WrongNumberOfResultsReturned):
        await asyncio.gather(Loader(short).load(1), Loader(short).load(2))


async def test_a_batch_whose_waiters_all_went_away_is_cancelled():
    started, finished = [], []

    async def slow(keys):
        started.append(keys)
        await asyncio.sleep(10)
        finished.append(keys)
        return keys

    loader = Loader(slow)
    waiters = [asyncio.ensure_future(loader.load(key)) for key in (1, 2)]
    for _ in range(4):
        await asyncio.sleep(0)
    assert started == [[1, 2]]
    for waiter in waiters:
        waiter.cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    for _ in range(3):
        await asyncio.sleep(0)
    assert finished == []
    loader.load(3).cancel()  # cancelled before its batch went: nothing is sent
    for _ in range(4):
        await asyncio.sleep(0)
    assert started == [[1, 2]]
