"""Static query cost, computed before execution and reported in `extensions.cost`.

Rules (Shopify's, counted per page): a leaf field costs 0; an object field costs 1 plus its
selections; a paginated field (one with a page-size argument, such as `first`/`last`) costs 2,
plus its page size times the cost of one item (at least 1), plus once the fields of the page
itself (`totalCount`, `pageInfo`, `facets`: only a page's lists, `edges`, `nodes`, `changes`,
are per item); a connection's own `edges`, `nodes` and `node` cost nothing extra; a mutation
costs 10 plus its selections (writes cost more than reads). An operation over the limit
(`maximumCost`) is refused whole with `MAX_COST_EXCEEDED`. docs/cost-limits.md has the model
with the costs of real pages.

Page sizes are checked before any cost is computed from them, whether written in the document
or given by a variable: one outside its field's range refuses the whole operation with the
error the field itself gives (BAD_USER_INPUT, INVALID_PAGE_SIZE), so no size can make a cost
negative or unbounded, and nothing is taken from the budget.

The cost is also taken from the caller's budget (api/limits/budget.py) before the operation runs; a
caller whose budget holds too little is refused whole with `THROTTLED`. An operation refused
for any reason (a page size, the cost limit, the budget, a document that does not validate,
variables that do not coerce) takes nothing. Every response reports the cost and the budget:
in `extensions.cost`, and in the `X-Cost-*` headers (api/http/caching.py), which alone carry it
on a response cached publicly, so that its body is the same for every caller.
"""
from __future__ import annotations

import math
from collections.abc import AsyncIterator

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInt,
    InlineFragmentNode,
    IntValueNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    Undefined,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    value_from_ast,
)
from graphql.execution.values import get_variable_values
from graphql.type import GraphQLField, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.core.arguments import PAGE_SIZE, PageSize
from api.core.pagination import check_page_size
from api.limits.budget import CostBudget, caller_key
from domain.shared.errors import DomainError

MUTATION_COST = 10
# The largest GraphQL Int. Depth, token and page-size limits keep real costs far below it; it
# only bounds what `extensions.cost` reports for a document built to multiply pages.
COST_CEILING = 2**31 - 1


def page_sizes(definition: GraphQLField) -> dict[str, PageSize]:
    """The field's page-size arguments: those declared with `PAGE_SIZE` metadata."""
    sizes = {}
    for name, argument in definition.args.items():
        declared = (argument.extensions or {}).get("strawberry-definition")
        size = (getattr(declared, "metadata", None) or {}).get(PAGE_SIZE)
        if size is not None:
            sizes[name] = size
    return sizes


def _page_size(node: FieldNode, sizes: dict[str, PageSize], variables: dict) -> int:
    """How many items the field asks for, from literals or variables; a size out of range is
    refused here, before any cost is computed from it."""
    given = {a.name.value: a for a in node.arguments or ()}
    asked = None
    for name, rule in sizes.items():
        argument = given.get(name)
        if argument is None:
            continue
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
        else:
            value = None  # null: the field's default
        check_page_size(name, value, rule.maximum, nodes=[argument])
        if value is not None:
            asked = value if asked is None else max(asked, value)
    return max(rule.default for rule in sizes.values()) if asked is None else asked


def selected_operation(document, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return operations[0] if operations else None


def int_variables(operation: OperationDefinitionNode, variables: dict) -> dict[str, int | None] | None:
    """The operation's `Int` variables coerced as execution will coerce them (only those can
    set a page size), or None when one does not coerce: execution then refuses the operation
    with that error and runs nothing."""
    values = {}
    for definition in operation.variable_definitions or ():
        required = isinstance(definition.type, NonNullTypeNode)
        type_node = definition.type.type if required else definition.type
        if getattr(type_node, "name", None) is None or type_node.name.value != "Int":
            continue
        name = definition.variable.name.value
        try:
            if variables.get(name) is not None:
                value = GraphQLInt.parse_value(variables[name])
            elif name not in variables and definition.default_value is not None:
                value = value_from_ast(definition.default_value, GraphQLInt)
            else:
                value = None
        except (GraphQLError, TypeError, ValueError):
            return None
        if value is Undefined or (value is None and required):
            return None
        values[name] = value
    return values


def operation_cost(schema: GraphQLSchema, document, operation: OperationDefinitionNode,
                   variables: dict[str, int | None]) -> int:
    """The operation's cost, between 0 and COST_CEILING. `variables` are its coerced `Int`
    variables. Raises the INVALID_PAGE_SIZE error for a page size out of range."""
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]
    mutation_root = root if operation.operation.value == "mutation" else None
    # A fragment spread many times is walked once per type it lands on, so a document that
    # nests spreads costs linear time, not exponential.
    fragment_costs: dict[tuple[str, str, bool | None], int] = {}

    def selections_cost(selection_set, parent, part: bool | None = None) -> int:
        """The selections' cost; with `part` True only the fields that hold a page's items
        (lists: `edges`, `nodes`, `changes`), with False only the others."""
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                if part is None or _holds_items(parent, sel) is part:
                    total += field_cost(sel, parent)
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += selections_cost(sel.selection_set, target or parent, part)
            elif isinstance(sel, FragmentSpreadNode):
                total += fragment_cost(sel.name.value, parent, part)
        return total

    def fragment_cost(name: str, parent, part: bool | None) -> int:
        frag = fragments.get(name)
        if frag is None:
            return 0
        target = schema.get_type(frag.type_condition.name.value) or parent
        key = (name, target.name, part)
        if key not in fragment_costs:
            fragment_costs[key] = 0  # validation refuses cycles; this only ends one if it did not
            fragment_costs[key] = selections_cost(frag.selection_set, target, part)
        return fragment_costs[key]

    def field_cost(node: FieldNode, parent) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        sizes = page_sizes(definition)
        size = _page_size(node, sizes, variables) if sizes else None
        if parent is mutation_root:
            inner = selections_cost(node.selection_set, named) if node.selection_set else 0
            return MUTATION_COST + inner
        if is_leaf_type(named) or node.selection_set is None:
            return 0
        if size is not None:
            if is_list_type(get_nullable_type(definition.type)):  # a plain list: all of it is the items
                return 2 + size * max(selections_cost(node.selection_set, named), 1)
            items = selections_cost(node.selection_set, named, part=True)
            return 2 + size * max(items, 1) + selections_cost(node.selection_set, named, part=False)
        inner = selections_cost(node.selection_set, named)
        if parent.name.endswith(("Connection", "Edge")):
            return inner  # edges/nodes/node are the connection's own parts, paid for above
        return 1 + inner

    return min(selections_cost(operation.selection_set, root), COST_CEILING)


def _holds_items(parent, node: FieldNode) -> bool:
    """Whether a field of a page (a connection) holds its items: a list, as `edges` and `nodes`."""
    definition = getattr(parent, "fields", {}).get(node.name.value)
    return definition is not None and is_list_type(get_nullable_type(definition.type))


class Charge:
    """An operation's cost and what it did to the caller's budget (`debit`: a `Debit`, or None
    when no budget applies); `refusal` is the result of an operation that may not run (one
    error, no data), None for one that may."""

    __slots__ = ("cost", "debit", "refusal")

    def __init__(self) -> None:
        self.cost: int | None = None
        self.debit = None
        self.refusal: ExecutionResult | None = None

    def report(self, context, max_cost: int) -> dict:
        """The response's extensions for the cost (none when nothing was assessed), also put in
        the context for the X-Cost-* headers."""
        if self.cost is None and self.debit is None:
            return {}
        cost = {"maximumCost": max_cost}
        if self.cost is not None:
            cost["requestedQueryCost"] = self.cost
        if self.debit is not None:
            cost["throttleStatus"] = self.debit.throttle_status()
        if hasattr(context, "cost_report"):
            context.cost_report = cost  # for the X-Cost-* headers
        if getattr(context, "cache_hint", None) is not None and context.cache_hint.public:
            return {}  # cached for everyone: the caller's budget goes in the headers only
        return {"cost": cost}


async def charge(context, schema, query: str, operation_name: str | None, variables: dict, document,
                 max_cost: int, cost: int | None = None) -> Charge:
    """Assesses the operation's cost (unless given `cost`, which it was for these variables before)
    and takes it from the caller's budget, as it is about to run. A charge with neither cost nor
    refusal is an operation whose variables do not coerce: execution refuses it and runs nothing,
    so nothing is taken."""
    assessed = Charge()
    budget: CostBudget | None = getattr(context, "budget", None)
    key = capacity = restore_rate = None  # the caller's bucket: none without a budget
    if budget is not None and hasattr(context, "viewer"):
        try:
            caller = await caller_key(context)
        except Exception as error:  # noqa: BLE001  (api/core/errors.py words it: a bad token is UNAUTHENTICATED)
            message = error.message if isinstance(error, DomainError) else "Unexpected error."
            assessed.refusal = ExecutionResult(data=None, errors=[GraphQLError(message, original_error=error)])
            return assessed
        key, capacity, restore_rate = (caller, None, None) if isinstance(caller, str) else caller
    try:
        assessed.cost = cost if cost is not None else _cached_cost(schema, query, operation_name, variables, document)
    except GraphQLError as error:  # a page size out of range
        assessed.debit = _peek(budget, key, capacity, restore_rate)
        assessed.refusal = ExecutionResult(data=None, errors=[error])
        return assessed
    if assessed.cost is None:  # variables that do not coerce
        assessed.debit = _peek(budget, key, capacity, restore_rate)
        return assessed
    cost = assessed.cost
    if cost > max_cost:
        assessed.debit = _peek(budget, key, capacity, restore_rate)
        assessed.refusal = ExecutionResult(data=None, errors=[GraphQLError(
            f"The query costs {cost}; the limit is {max_cost}. Ask for smaller pages or fewer fields.",
            extensions={"code": "MAX_COST_EXCEEDED", "cost": cost, "maximumCost": max_cost})])
        return assessed
    if key is None:
        return assessed
    assessed.debit = debit = budget.take(key, cost, capacity, restore_rate)
    if not debit.allowed:
        wait = max(1, math.ceil(debit.retry_after))
        available = math.floor(debit.available)
        assessed.refusal = ExecutionResult(data=None, errors=[GraphQLError(
            f"Throttled: the query costs {cost} points and {available} are available"
            f" (at most {debit.capacity}, restored at {debit.restore_rate:g} per second);"
            f" try again in {wait} second{'s' if wait > 1 else ''}.",
            extensions={"code": "THROTTLED", "cost": cost, "currentlyAvailable": available,
                        "retryAfterSeconds": wait})])
    return assessed


def _peek(budget: CostBudget | None, key: str | None, capacity: int | None, restore_rate: float | None):
    return budget.peek(key, capacity, restore_rate) if key is not None else None


class CostLimit(SchemaExtension):
    """Refuses operations above `max_cost`, takes the cost of the others from the caller's
    budget (refusing them when it holds too little), and reports both in every response. The
    budget is the app's, handed to each request in its context (`Context.budget`), so apps with
    other budgets can share one schema."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost
        self.charge = Charge()

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.charge = await charge(ctx.context, ctx.schema, ctx.query or "", ctx.operation_name,
                                       ctx.variables or {}, ctx.graphql_document, self.max_cost)
            ctx.result = self.charge.refusal
            if ctx.result is not None and ctx.operation_type == OperationType.SUBSCRIPTION:
                # strawberry starts a subscription whatever result this hook sets: it is refused
                # by raising instead, which strawberry sends as the operation's one result.
                raise ctx.result.errors[0]
        yield

    def get_results(self) -> dict:
        return self.charge.report(self.execution_context.context, self.max_cost)


# Costs by (schema, query text, operation, coerced `Int` variables). Keyed on the text: hashing
# a parsed document walks the whole tree; and on the `Int` variables alone, so a large
# variables object neither makes a key expensive nor fills memory. Cleared when full, which a
# steady set of client queries never reaches.
_costs: dict[tuple, int] = {}
_MAX_CACHED = 2048


def _cached_cost(schema, query: str, operation_name, variables: dict, document) -> int | None:
    """The operation's cost, or None when its variables do not coerce."""
    operation = selected_operation(document, operation_name)
    if operation is None:
        return 0
    ints = int_variables(operation, variables)
    if ints is None:
        return None
    key = (id(schema), query, operation_name, tuple(ints.items()))
    cost = _costs.get(key)
    if cost is None:
        if len(_costs) >= _MAX_CACHED:
            _costs.clear()
        cost = _costs[key] = operation_cost(schema._schema, document, operation, ints)
    return cost if _others_coerce(schema._schema, operation, variables, ints) else None


def _others_coerce(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: dict,
                   ints: dict[str, int | None]) -> bool:
    """Whether the variables other than the `Int` ones coerce too (an input object, a string):
    when one does not, execution refuses the operation and runs nothing, so nothing is taken."""
    others = [d for d in operation.variable_definitions or ()
              if d.variable.name.value not in ints and not _plain(d, variables)]
    return not others or not isinstance(get_variable_values(schema, others, variables, max_errors=1), list)


def _plain(definition, variables: dict) -> bool:
    """Whether the variable coerces as it is given, in the common cases, without graphql-core's
    coercion machinery (7 us a variable): a `String` or `ID` given a string (a slug, a search
    text), or a nullable variable given null or nothing (an optional filter)."""
    value = variables.get(definition.variable.name.value)
    if not isinstance(definition.type, NonNullTypeNode):
        if value is None:
            return True
        type_node = definition.type
    else:
        type_node = definition.type.type
    name = getattr(type_node, "name", None)
    return name is not None and name.value in ("String", "ID") and isinstance(value, str)
