"""A generated field builder answers as the generic loop over the same plan entries does: the
same results in the same order, the same `Bail` where a non-null leaf is null or a scalar
refuses its value, and awaitable fields settled together."""
import asyncio
from enum import Enum

import pytest
from graphql.type.scalars import serialize_boolean, serialize_int, serialize_string

from api.core.compiled.builder import build_fields
from api.core.compiled.errors import Bail
from api.core.compiled.run import FIELD, LEAF, TYPENAME, execute_fields


class Run:
    is_awaitable = staticmethod(asyncio.iscoroutine)


class Label(str, Enum):
    NEW = "new"


class Source:
    def __init__(self, **values) -> None:
        self.__dict__.update(values)


def leaf(name, serialize, nullable=True):
    return (LEAF, name, lambda source: getattr(source, name), serialize, nullable)


async def later(value):
    await asyncio.sleep(0)
    return value


ENTRIES = (
    leaf("title", serialize_string, nullable=False),
    leaf("subtitle", serialize_string),
    leaf("count", serialize_int),
    leaf("active", serialize_boolean),
    (TYPENAME, "__typename", "Book", None, None),
    (FIELD, "now", lambda run, source, path: path.as_list(), None, None),
    (FIELD, "soon", lambda run, source, path: later(source.title), None, None),
    (FIELD, "sooner", lambda run, source, path: later(1), None, None),
)


async def both(source):
    """The two answers for `source`: a value, or the exception raised."""
    answers = []
    for produce in (build_fields(ENTRIES, "Book"), lambda run, s, path: execute_fields(run, ENTRIES, "Book", s, path)):
        try:
            value = produce(Run(), source, None)
            answers.append(await value if asyncio.iscoroutine(value) else value)
        except Exception as error:  # noqa: BLE001  (compared, not raised)
            answers.append(type(error))
    return answers


@pytest.mark.parametrize("source", [
    Source(title="Dune", subtitle=None, count=3, active=True),
    Source(title=Label.NEW, subtitle="x", count=None, active=False),  # a str subclass: serialized
    Source(title=None, subtitle="x", count=1, active=True),            # a null non-null leaf
    Source(title="Dune", subtitle=None, count=2**40, active=True),     # an Int out of range
    Source(title=5, subtitle=None, count=1, active=1),                 # values the scalars convert
])
async def test_the_builder_answers_as_the_loop(source):
    built, looped = await both(source)
    assert built == looped
    if isinstance(built, dict):
        assert list(built) == ["title", "subtitle", "count", "active", "__typename", "now", "soon", "sooner"]


async def test_a_failure_raises_bail_and_a_type_with_nothing_selected_is_empty():
    with pytest.raises(Bail):
        build_fields(ENTRIES, "Book")(Run(), Source(title=None, subtitle="x", count=1, active=True), None)
    assert build_fields((), "Film")(Run(), Source(), None) == {}
