"""The arguments of a field fed by variables, coerced once per distinct value of those variables.

graphql-core's coercion of a field's arguments (its literals, its defaults and the values of the
variables it names) depends on nothing else, so a plan keeps each field's coerced arguments by
the values of the variables they read: the next request for the same page (the same slug, the
same page size) finds them made. Values are kept only when every variable they read holds text,
a whole number, a boolean, an enum value or null, whose equal values are the same value; lists,
input objects, floats and decimals (where 1.0 and 1.00 are equal) are coerced on every run.
"""
from __future__ import annotations

from enum import Enum
from typing import Any

from graphql.execution.values import get_argument_values
from graphql.language import ListValueNode, ObjectValueNode, VariableNode

_KEPT = frozenset({str, int, bool, type(None)})
_MAX_KEPT = 256
_MISSING = object()


class VariableArguments:
    """`values(run)`: the field's coerced arguments for the run's variables."""

    __slots__ = ("field_def", "node", "hide", "names", "key", "kept")

    def __init__(self, field_def: Any, node: Any, hide_suggestions: bool, key: int) -> None:
        self.field_def = field_def
        self.node = node
        self.hide = hide_suggestions
        self.names = tuple(dict.fromkeys(name for argument in node.arguments or () for name in variables_in(argument.value)))
        self.key = key  # the field's key in the run's arguments (one coercion per run)
        self.kept: dict[tuple, dict[str, Any]] = {}

    def values(self, run: Any) -> dict[str, Any]:
        args = run.args.get(self.key)
        if args is None:
            args = run.args[self.key] = self.for_variables(run.executor.variable_values)
        return args

    def for_variables(self, variables: Any) -> dict[str, Any]:
        """The arguments for these variable values (graphql-core's `VariableValues`), shared by
        every caller that reads them: not to be changed."""
        coerced = variables.coerced  # (their `sources` are read for fragment variables only)
        kept_by = []
        for name in self.names:
            value = coerced.get(name, _MISSING)
            if value is not _MISSING and value.__class__ not in _KEPT and not isinstance(value, Enum):
                kept_by = None
                break
            kept_by.append(value)
        if kept_by is None:
            args = get_argument_values(self.field_def, self.node, variables, None, self.hide)
        else:
            key = tuple(kept_by)
            args = self.kept.get(key)
            if args is None:
                args = get_argument_values(self.field_def, self.node, variables, None, self.hide)
                if len(self.kept) >= _MAX_KEPT:
                    self.kept.clear()
                self.kept[key] = args
        return args


def variables_in(value: Any) -> list[str]:
    """The names of the variables a value node reads (in a list or input object too)."""
    if isinstance(value, VariableNode):
        return [value.name.value]
    if isinstance(value, ListValueNode):
        return [name for item in value.values for name in variables_in(item)]
    if isinstance(value, ObjectValueNode):
        return [name for field in value.fields for name in variables_in(field.value)]
    return []
