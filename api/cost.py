"""Static query cost, computed before execution and reported in `extensions.cost`.

Rules (like Shopify's): a leaf field costs 0; an object field costs 1 plus its selections;
a paginated field (one taking `first`/`last`) costs 2 plus its page size times the cost of one
item (at least 1); a connection's own `edges`, `nodes` and `node` cost nothing extra. A page size given by a variable uses the variable's value (the maximum, 100, when it is
missing). An operation over the limit is refused whole with `MAX_COST_EXCEEDED`.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)
from graphql.type import GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from domain.shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


def _page_size(field: FieldNode, variables: dict) -> int | None:
    for arg in field.arguments or ():
        if arg.name.value in ("first", "last"):
            value = arg.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = variables.get(value.name.value)
                return given if isinstance(given, int) else MAX_PAGE_SIZE
    return None


def operation_cost(schema: GraphQLSchema, document, operation_name: str | None, variables: dict) -> int:
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if not operations:
        return 0
    op = operations[0]
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[op.operation.value]

    def selections_cost(selection_set, parent, seen: frozenset) -> int:
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total += field_cost(sel, parent, seen)
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += selections_cost(sel.selection_set, target or parent, seen)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                frag = fragments.get(sel.name.value)
                if frag is not None:
                    target = schema.get_type(frag.type_condition.name.value) or parent
                    total += selections_cost(frag.selection_set, target, seen | {sel.name.value})
        return total

    def field_cost(node: FieldNode, parent, seen: frozenset) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if is_leaf_type(named) or node.selection_set is None:
            return 0
        inner = selections_cost(node.selection_set, named, seen)
        size = _page_size(node, variables)
        if size is None and ("first" in definition.args or "last" in definition.args):
            size = DEFAULT_PAGE_SIZE
        if size is not None:
            return 2 + size * max(inner, 1)
        if parent.name.endswith(("Connection", "Edge")):
            return inner  # edges/nodes/node are the connection's own parts, paid for above
        return 1 + inner

    return selections_cost(op.selection_set, root, frozenset())


class CostLimit(SchemaExtension):
    """Refuses operations above `max_cost` and reports the cost of every operation."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.cost = _cached_cost(ctx.schema, ctx.query or "", ctx.operation_name,
                                     json.dumps(ctx.variables or {}, sort_keys=True, default=str),
                                     ctx.graphql_document)
            if self.cost > self.max_cost:
                ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                    f"The query costs {self.cost}; the limit is {self.max_cost}. Ask for smaller pages or fewer fields.",
                    extensions={"code": "MAX_COST_EXCEEDED", "cost": self.cost,
                                "maximumAvailable": self.max_cost})])
        yield

    def get_results(self) -> dict:
        if self.cost is None:
            return {}
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.max_cost}}


# Costs by (schema, query text, operation, variables). Keyed on the text: hashing a parsed
# document walks the whole tree. Cleared when full, which a steady set of client queries
# never reaches.
_costs: dict[tuple, int] = {}
_MAX_CACHED = 2048


def _cached_cost(schema, query: str, operation_name, variables_json: str, document) -> int:
    key = (id(schema), query, operation_name, variables_json)
    cost = _costs.get(key)
    if cost is None:
        if len(_costs) >= _MAX_CACHED:
            _costs.clear()
        cost = _costs[key] = operation_cost(schema._schema, document, operation_name,
                                            json.loads(variables_json))
    return cost
