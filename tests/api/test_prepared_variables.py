"""The coerced variables an admitted query keeps (api/core/prepared_variables.py): only values
that are told apart exactly and that nothing can change are shared between requests."""
from __future__ import annotations

import enum

from graphql.execution.values import VariableValues

from api.core.prepared_variables import MAX_KEPT, VariableMemo


class Colour(enum.Enum):
    RED = "red"


def coerced(**values) -> VariableValues:
    return VariableValues({}, values)


def test_values_sent_alike_but_of_another_class_are_another_entry():
    memo = VariableMemo()
    memo.keep({"n": 1}, coerced(n=1), 5)
    memo.keep({"n": True}, coerced(n=True), 6)
    assert memo.get({"n": 1}) == (coerced(n=1), 5)
    assert memo.get({"n": True}) == (coerced(n=True), 6)
    assert memo.get({"n": 1.0}) is None  # floats are never kept
    assert memo.get({"n": "1"}) is None
    assert memo.get({}) is None and memo.get(None) is None


def test_no_variables_is_one_entry():
    memo = VariableMemo()
    memo.keep(None, coerced(n=20), 3)  # the operation's default
    assert memo.get({}) == memo.get(None) == (coerced(n=20), 3)


def test_lists_sent_or_values_that_could_change_are_not_kept():
    memo = VariableMemo()
    memo.keep({"ids": ["a", "b"]}, coerced(ids=["a", "b"]), 1)
    memo.keep({"filter": None}, coerced(filter={"inStock": True}), 1)  # a default input object
    memo.keep({"colour": "RED", "slug": "x"}, coerced(colour=Colour.RED, slug="x"), 2)
    assert memo.get({"ids": ["a", "b"]}) is None
    assert memo.get({"filter": None}) is None
    assert memo.get({"colour": "RED", "slug": "x"}) == (coerced(colour=Colour.RED, slug="x"), 2)


def test_the_oldest_values_go_first_when_full():
    memo = VariableMemo()
    for n in range(MAX_KEPT + 1):
        memo.keep({"n": n}, coerced(n=n), n)
    assert memo.get({"n": 0}) is None
    assert memo.get({"n": 1}) == (coerced(n=1), 1)
    assert memo.get({"n": MAX_KEPT}) == (coerced(n=MAX_KEPT), MAX_KEPT)
