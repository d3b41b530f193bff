"""A page of products loads its offer summaries by level: one call of the loader's batch
function for the page, the items then reading the cache."""
import pytest
from strawberry.exceptions import WrongNumberOfResultsReturned

from api.core.dataloaders import Loader, keyed, load_batch
from tests.fixtures.db import rolled_back


async def test_a_batch_primes_the_cache_once_and_leaves_cached_keys_alone(database):
    calls = []

    async def fetch(reader, keys):
        calls.append(list(keys))
        return {k: f"value {k}" for k in keys if k != 3}

    async with rolled_back(database) as conn:
        loader = keyed(conn, fetch)
        assert await loader.load(1) == "value 1"
        await load_batch(loader, [1, 2, 2, 3, 4])
        # every key is now answered from the cache, without another batch
        assert [await loader.load(k) for k in (1, 2, 3, 4)] == ["value 1", "value 2", None, "value 4"]
    assert calls == [[1], [2, 3, 4]]


async def test_an_error_for_a_key_is_not_cached():
    async def load_fn(keys):
        return [ValueError("no") if k == 2 else k for k in keys]

    loader = Loader(load_fn)
    await load_batch(loader, [1, 2])
    assert loader.values == {1: 1} and loader.futures == {}


async def test_a_first_batch_asks_each_key_once_and_keeps_every_value():
    calls = []

    async def load_fn(keys):
        calls.append(list(keys))
        return [None if k == 3 else k * 10 for k in keys]

    loader = Loader(load_fn)
    await load_batch(loader, [2, 1, 2, 3])
    assert calls == [[2, 1, 3]]
    assert loader.values == {2: 20, 1: 10, 3: None} and loader.futures == {}


async def test_a_batch_function_answering_too_few_values_fails_the_batch():
    async def load_fn(keys):
        return [1]

    loader = Loader(load_fn)
    with pytest.raises(WrongNumberOfResultsReturned):
        await load_batch(loader, [1, 2])
    assert loader.values == {}


async def test_a_keyed_loader_keeps_what_its_fetch_found_beyond_the_keys_and_needs_no_cyclic_collector():
    import gc
    import weakref

    class Value:
        pass

    found_beyond = [Value()]  # what the fetch finds beyond the keys (a category's ancestor)

    async def fetch(reader, keys):
        return {**{k: k * 10 for k in keys if k != 3}, 7: found_beyond[0]}

    loader = keyed(None, fetch)
    await load_batch(loader, [1, 3])
    assert loader.values == {1: 10, 3: None, 7: found_beyond[0]}
    assert await loader.load(2) == 20  # a batch of its own, through the same fetch
    gone = weakref.ref(found_beyond.pop())
    gc.disable()
    try:
        assert gone() is not None  # held by the loader alone
        del loader
        assert gone() is None  # freed with the loader by reference counts: it holds no cycle
    finally:
        gc.enable()
