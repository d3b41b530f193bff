"""The plans, per (schema, operation) and per values of the variables `@skip`/`@include` read.

The parser and validation caches hand the same document object to every request with the same
text, so an operation node's identity stands for the document: entries hold the schema and the
node themselves, so neither id can be reused while its entry lives. Bounded like the parser
cache, least recently used out first.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql.language import DirectiveNode, FragmentSpreadNode, Visitor, visit

from api.core.compiled.errors import Unsupported
from api.core.compiled.plan import Planner

MAX_OPERATIONS = 1024
# More variants than this (skip/include combinations) and the operation is left to graphql-core.
MAX_VARIANTS = 16
_CONDITIONS = ("skip", "include")


class OperationPlans:
    __slots__ = ("schema", "operation", "condition_variables", "unsupported", "variants")

    def __init__(self, schema: Any, operation: Any, fragments: dict[str, Any]) -> None:
        self.schema = schema
        self.operation = operation
        self.variants: dict[tuple, Any] = {}  # a plan (`Planner.root`) or why there is none
        try:
            self.condition_variables = _condition_variables(operation, fragments)
            self.unsupported: Unsupported | None = None
        except Unsupported as reason:
            self.condition_variables = ()
            self.unsupported = reason

    def plan(self, executor: Any) -> Any:
        if self.unsupported is not None:
            return self.unsupported
        coerced = executor.variable_values.coerced
        key = tuple(coerced.get(name) for name in self.condition_variables)
        plan = self.variants.get(key)
        if plan is None:
            if len(self.variants) >= MAX_VARIANTS:
                return Unsupported("variants")
            try:
                plan = Planner(executor).root()
            except Unsupported as reason:
                plan = reason
            except Exception:  # noqa: BLE001  (a document the planner cannot read: graphql-core's)
                plan = Unsupported("plan_error")
            self.variants[key] = plan
        return plan


_operations: OrderedDict[tuple[int, int], OperationPlans] = OrderedDict()


def plan_for(executor: Any) -> Any:
    key = (id(executor.schema), id(executor.operation))
    entry = _operations.get(key)
    if entry is None:
        entry = _operations[key] = OperationPlans(executor.schema, executor.operation,
                                                  executor.fragment_definitions)
        if len(_operations) > MAX_OPERATIONS:
            _operations.popitem(last=False)
    else:
        _operations.move_to_end(key)
    return entry.plan(executor)


def _condition_variables(operation: Any, fragments: dict[str, Any]) -> tuple[str, ...]:
    """The variables `@skip`/`@include` read in the operation and the fragments it spreads;
    any other directive makes the operation unsupported."""
    if operation.directives:
        raise Unsupported("directive")
    names: list[str] = []
    seen_fragments: set[str] = set()
    pending = [operation]

    class Collector(Visitor):
        def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
            if node.name.value not in _CONDITIONS:
                raise Unsupported("directive")
            for argument in node.arguments or ():
                value = argument.value
                if value.kind == "variable" and value.name.value not in names:
                    names.append(value.name.value)

        def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: Any) -> None:
            name = node.name.value
            if name not in seen_fragments and name in fragments:
                seen_fragments.add(name)
                pending.append(fragments[name])

    while pending:
        definition = pending.pop()
        if definition is not operation and definition.directives:
            raise Unsupported("directive")
        visit(definition.selection_set, Collector())
    return tuple(names)
