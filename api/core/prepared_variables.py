"""An admitted query's coerced variables and cost, kept by the values the client sent.

Coercing a request's variables (graphql-core's `get_variable_values`: each definition's type read
from its AST, each value checked and converted) and pricing the operation cost more than the rest
of graphql-core's setup of a small query. For the same document and the same values they give
the same result, so they are kept, for the common case where that is safe to tell and to share:
every value sent is text, a whole number, a boolean or null (a slug, a page size, a flag), and
every coerced value is one nothing can change (text, numbers, booleans, enum members, dates,
decimals). Values of other kinds (lists, input objects, floats, where 1.0 and 1 coerce alike
but hash apart from 1.00 in a Decimal) are coerced on every request.
"""
from __future__ import annotations

import datetime
import decimal
import enum
from typing import Any

# What a value sent may be for its request to be kept: hashable, and equal only when the same
# (the key also holds each value's class, so True, 1 and 1.0 are three keys).
_SENT = frozenset({str, int, bool, type(None)})
_UNCHANGING = (str, int, float, bool, type(None), enum.Enum, decimal.Decimal, datetime.date, datetime.time)
# Distinct variable values kept per document: product pages are many slugs, so the oldest go.
MAX_KEPT = 256


def _key(variables: dict | None) -> tuple | None:
    if not variables:
        return ()
    key = []
    for name, value in variables.items():
        kind = value.__class__
        if kind not in _SENT:
            return None
        key.append((name, kind, value))
    return tuple(key)


class VariableMemo:
    """(coerced variable values, cost) of an admitted document, by the variables sent."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[Any, int]] = {}

    def get(self, variables: dict | None) -> tuple[Any, int] | None:
        key = _key(variables)
        return None if key is None else self._kept.get(key)

    def keep(self, variables: dict | None, coerced: Any, cost: int) -> None:
        """Keeps graphql-core's coerced values (`VariableValues`) of `variables` and the
        operation's cost for them, when both can be told apart and shared safely."""
        key = _key(variables)
        if key is None or not all(isinstance(v, _UNCHANGING) for v in coerced.coerced.values()):
            return
        if len(self._kept) >= MAX_KEPT:
            del self._kept[next(iter(self._kept))]
        self._kept[key] = (coerced, cost)
