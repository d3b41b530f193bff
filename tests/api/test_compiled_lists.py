"""A list of objects is completed by `complete_objects`: each item checked (null, an exception,
the type's check) until its class has been accepted, then produced without the checks; awaitable
items settled together, and those already started closed when a later item fails."""
import asyncio

import pytest

from api.core.compiled.errors import Bail
from api.core.compiled.run import complete_objects


class Run:
    is_awaitable = staticmethod(asyncio.iscoroutine)


class Book:
    def __init__(self, title: str) -> None:
        self.title = title


class Film:
    title = "film"


class Checks:
    """A type check by class that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value, info) -> bool:
        self.calls += 1
        return isinstance(value, Book)


def produce(run, source, path):
    if source.title == "fail":
        raise Bail
    return {"title": source.title}


def test_items_of_an_accepted_class_skip_the_checks():
    check, accepted = Checks(), set()
    books = [Book("a"), Book("b")]
    assert complete_objects(Run(), books, produce, check, False, None, False, accepted) == [
        {"title": "a"}, {"title": "b"}]
    assert check.calls == 2 and accepted == {Book}
    assert complete_objects(Run(), books + [Book("c")], produce, check, False, None, False, accepted)[2] == {
        "title": "c"}
    assert check.calls == 2  # no check: every item of an accepted class


@pytest.mark.parametrize("items", [[Book("a"), None], [Book("a"), Film()], [Book("a"), ValueError("gone")]])
def test_an_item_of_another_class_is_checked_as_before(items):
    check, accepted = Checks(), {Book}
    with pytest.raises(Bail):  # a null item where none is allowed, a class the check refuses, an error
        complete_objects(Run(), items, produce, check, False, None, False, accepted)
    assert accepted == {Book}


def test_a_null_item_where_the_type_allows_one_and_no_learning_without_a_class_check():
    assert complete_objects(Run(), [Book("a"), None], produce, Checks(), True, None, False, {Book}) == [
        {"title": "a"}, None]
    check = Checks()
    for _ in range(2):  # a check that may not answer by class (`accepted` None): asked every time
        complete_objects(Run(), [Book("a")], produce, check, False, None, False, None)
    assert check.calls == 2


async def test_awaitable_items_are_settled_and_started_ones_closed_on_a_failure():
    async def later(run, source, path):
        await asyncio.sleep(0)
        return {"title": source.title}

    def mixed(run, source, path):
        return produce(run, source, path) if source.title in ("now", "fail") else later(run, source, path)

    items = [Book("now"), Book("soon")]
    assert await complete_objects(Run(), items, mixed, None, False, None, False, {Book}) == [
        {"title": "now"}, {"title": "soon"}]
    started = []

    def recorded(run, source, path):
        value = mixed(run, source, path)
        started.append(value)
        return value

    with pytest.raises(Bail):
        complete_objects(Run(), [Book("soon"), Book("fail")], recorded, None, False, None, False, {Book})
    assert started[0].cr_frame is None  # closed, never to be awaited
