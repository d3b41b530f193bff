"""Static query cost, computed before execution and reported in `extensions.cost`.

Rules (like Shopify's): a leaf field costs 0; an object field costs 1 plus its selections;
a paginated field (one taking `first`/`last`) costs 2 plus its page size times the cost of one
item (at least 1); a connection's own `edges`, `nodes` and `node` cost nothing extra; a
mutation costs 10 plus its selections (writes cost more than reads). A page size given by a
variable uses the variable's value (the maximum, 100, when it is missing). An operation over
the limit is refused whole with `MAX_COST_EXCEEDED`.

The cost is also taken from the caller's budget (api/budget.py) before the operation runs; a
caller whose budget holds too little is refused whole with `THROTTLED`, and every response
reports the budget in `extensions.cost.throttleStatus`.
"""
from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator

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

from api.budget import CostBudget, caller_key
from domain.shared.errors import DomainError
from domain.shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

MUTATION_COST = 10


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
    mutation_root = root if op.operation.value == "mutation" else None

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
        if parent is mutation_root:
            inner = selections_cost(node.selection_set, named, seen) if node.selection_set else 0
            return MUTATION_COST + inner
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
    """Refuses operations above `max_cost`, takes the cost of the others from the caller's
    budget (refusing them when it holds too little), and reports both in every response."""

    def __init__(self, max_cost: int, budget: CostBudget | None = None) -> None:
        self.max_cost = max_cost
        self.budget = budget
        self.cost: int | None = None
        self.debit = None

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.cost = _cached_cost(ctx.schema, ctx.query or "", ctx.operation_name,
                                     json.dumps(ctx.variables or {}, sort_keys=True, default=str),
                                     ctx.graphql_document)
            ctx.result = await self._refusal()
        yield

    async def _refusal(self) -> ExecutionResult | None:
        """Why the operation may not run (a result with one error and no data), or None."""
        budget, context = self.budget, self.execution_context.context
        key = None
        if budget is not None and hasattr(context, "viewer"):
            try:
                key = await caller_key(context)
            except Exception as error:  # noqa: BLE001  (api/errors.py words it: a bad token is UNAUTHENTICATED)
                message = error.message if isinstance(error, DomainError) else "Unexpected error."
                return ExecutionResult(data=None, errors=[GraphQLError(message, original_error=error)])
        if self.cost > self.max_cost:
            if key is not None:
                self.debit = budget.peek(key)
            return ExecutionResult(data=None, errors=[GraphQLError(
                f"The query costs {self.cost}; the limit is {self.max_cost}. Ask for smaller pages or fewer fields.",
                extensions={"code": "MAX_COST_EXCEEDED", "cost": self.cost, "maximumAvailable": self.max_cost})])
        if key is None:
            return None
        self.debit = debit = budget.take(key, self.cost)
        if debit.allowed:
            return None
        wait = max(1, math.ceil(debit.retry_after))
        available = math.floor(debit.available)
        return ExecutionResult(data=None, errors=[GraphQLError(
            f"Throttled: the query costs {self.cost} points and {available} are available"
            f" (at most {debit.capacity}, restored at {debit.restore_rate:g} per second);"
            f" try again in {wait} second{'s' if wait > 1 else ''}.",
            extensions={"code": "THROTTLED", "cost": self.cost, "currentlyAvailable": available,
                        "retryAfterSeconds": wait})])

    def get_results(self) -> dict:
        if self.cost is None:
            return {}
        cost = {"requestedQueryCost": self.cost, "maximumAvailable": self.max_cost}
        if self.debit is not None:
            cost["throttleStatus"] = self.debit.throttle_status()
        return {"cost": cost}


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
