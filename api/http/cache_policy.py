"""How long the answer to a query may be cached, from cache hints on the types and fields it
selects (Apollo Server's `@cacheControl(maxAge, scope)` model).

Each object type, and any field that needs to differ from its type, has a hint: a max-age in
seconds, and whether the data is private to the caller. An operation's policy is the most
restrictive hint among everything it selects, through fragments, inline fragments (whose type
condition applies that type's hint) and `@include`/`@skip` alike (a field that may be selected
counts). Scalar and enum fields add nothing of their own unless hinted: they are part of their
object. Value types (money, images, facets, page info, every connection and edge) take their
hint from the field that holds them. Everything else, including every root field, type or
introspection field without a hint, is not cacheable: a new field is safe until it is given a
hint.

Only a `query` sent with GET, without credentials, that completes without errors is given a
policy at all (`Context.cache_hint`): api/http/caching.py turns it into `Cache-Control`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_named_type,
    is_leaf_type,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.limits.cost import selected_operation

# Requests carrying either header are a known caller's: never cached publicly.
CREDENTIAL_HEADERS = ("authorization", "x-api-client-key")


@dataclass(frozen=True)
class CacheHint:
    """Seconds the data may be reused for, and whether it is the caller's own (never stored in
    a shared cache)."""

    max_age: int
    private: bool = False

    @property
    def public(self) -> bool:
        return self.max_age > 0 and not self.private

    def tightest(self, other: CacheHint | None) -> CacheHint:
        if other is None:
            return self
        return CacheHint(min(self.max_age, other.max_age), self.private or other.private)


CATALOGUE = CacheHint(60)  # products, categories, brands, sellers, search: changed by staff now and then
PRICES = CacheHint(30)  # offers, prices, stock, delivery estimates: changed by sellers and orders
PRIVATE = CacheHint(0, private=True)
NO_CACHE = CacheHint(0)
INHERIT = None  # a value type: the hint of the field that holds it

TYPE_HINTS: dict[str, CacheHint | None] = {
    "Product": CATALOGUE, "Category": CATALOGUE, "Brand": CATALOGUE, "Work": CATALOGUE, "Seller": CATALOGUE,
    "SearchSuggestion": CATALOGUE, "CommissionRate": CATALOGUE,
    "Offer": PRICES, "PriceChange": PRICES, "DeliveryEstimate": PRICES,
    **dict.fromkeys(("Money", "Image", "ProductAttribute", "PriceRange", "PageInfo", "SearchFacets",
                     "CategoryFacet", "BrandFacet", "PriceBandFacet", "KindFacet", "FormatFacet",
                     "CompetitorMatch", "DeliveryOption", "DeliveryLocation"), INHERIT),
}

FIELD_HINTS: dict[tuple[str, str], CacheHint] = {
    # Root fields returning a connection or an interface, whose own type has no hint.
    ("Query", "products"): CATALOGUE,
    ("Query", "search"): CATALOGUE,
    ("Query", "node"): CATALOGUE,  # the type conditions the query spreads apply their types' hints
    ("Query", "nodes"): CATALOGUE,
    ("Product", "priceRange"): PRICES,  # computed from the offers
    ("Seller", "balance"): PRIVATE,
    ("Seller", "ledger"): PRIVATE,
    ("Query", "viewer"): PRIVATE,
    # The brand's owner's and the caller's own: never in a shared cache.
    ("Brand", "followerCount"): PRIVATE,
    ("Brand", "viewerFollows"): PRIVATE,
    ("Brand", "campaigns"): PRIVATE,
}


def type_hint(graphql_type) -> CacheHint | None:
    """The hint a type puts on whatever selects it (None: none of its own)."""
    if is_leaf_type(graphql_type):
        return None
    name = graphql_type.name
    if name in TYPE_HINTS:
        return TYPE_HINTS[name]
    if isinstance(graphql_type, GraphQLObjectType) and name.endswith(("Connection", "Edge")):
        return INHERIT
    return NO_CACHE


def operation_hint(schema, document, operation: OperationDefinitionNode) -> CacheHint:
    """The policy of `operation`: the tightest hint of all it selects (NO_CACHE when it
    selects nothing hinted, as `{ __typename }`)."""
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    root = schema.get_root_type(operation.operation)
    seen: set[tuple[str, str]] = set()  # a fragment adds the same hints wherever it is spread

    def hints(selection_set, parent) -> Iterator[CacheHint | None]:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                yield from field_hints(sel, parent)
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                yield from condition(target, sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
                fragment = fragments[sel.name.value]
                target = schema.get_type(fragment.type_condition.name.value)
                if (fragment.name.value, target.name) not in seen:
                    seen.add((fragment.name.value, target.name))
                    yield from condition(target, fragment.selection_set)

    def condition(target, selection_set) -> Iterator[CacheHint | None]:
        if isinstance(target, GraphQLObjectType):
            yield type_hint(target)
        yield from hints(selection_set, target)

    def field_hints(node: FieldNode, parent) -> Iterator[CacheHint | None]:
        name = node.name.value
        if name == "__typename":
            return
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:  # __schema, __type
            yield NO_CACHE
            return
        named = get_named_type(definition.type)
        hint = FIELD_HINTS.get((parent.name, name), type_hint(named))
        if parent is root and hint is None:
            hint = NO_CACHE
        yield hint
        if node.selection_set is not None:
            yield from hints(node.selection_set, named)

    policy = None
    for hint in hints(operation.selection_set, root):
        if hint is not None:
            policy = hint.tightest(policy)
    return policy or NO_CACHE


# Policies by (schema, query text, operation name): hints do not depend on variables. Cleared
# when full, which a steady set of client queries never reaches.
_policies: dict[tuple, CacheHint] = {}
_MAX_CACHED = 2048


def cached_hint(schema, query: str, operation: OperationDefinitionNode, document) -> CacheHint:
    key = (id(schema), query, operation.name.value if operation.name else None)
    hint = _policies.get(key)
    if hint is None:
        if len(_policies) >= _MAX_CACHED:
            _policies.clear()
        hint = _policies[key] = operation_hint(schema, document, operation)
    return hint


def anonymous_get(request) -> bool:
    # A WebSocket (a subscription) has no method: never a cacheable GET.
    return (request is not None and getattr(request, "method", None) == "GET"
            and not any(request.headers.get(name) for name in CREDENTIAL_HEADERS))


def record_policy(context, schema, query: str, operation_name: str | None, document, result) -> None:
    """Puts the policy of a query that has run in `Context.cache_hint`, when it was sent with GET
    without credentials and completed without errors."""
    if not hasattr(context, "cache_hint") or not anonymous_get(getattr(context, "request", None)):
        return
    if result is None or getattr(result, "errors", None) or document is None:
        return
    operation = selected_operation(document, operation_name)
    if operation is not None:
        context.cache_hint = cached_hint(schema, query, operation, document)


class CachePolicy(SchemaExtension):
    """After a query sent with GET without credentials has run without errors, puts its
    policy in `Context.cache_hint`. Runs after execution, so every refusal (validation,
    cost, budget) and every error leaves it unset."""

    def on_execute(self) -> Iterator[None]:
        yield
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.operation_type is OperationType.QUERY:
            record_policy(ctx.context, ctx.schema._schema, ctx.query or "", ctx.operation_name,
                          ctx.graphql_document, ctx.result)
