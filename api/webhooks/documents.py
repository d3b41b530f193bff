"""Checking a webhook's payload document at registration, against the schema and the owner.

A document is one subscription operation whose root selects `event` (and `__typename`) only;
it must validate against the schema (fields, arguments, fragments) and its depth limit; its
fragments may name only the event types the webhook subscribes to (and `WebhookEvent`, `WebhookPing`);
and for a seller's webhook, no field of what only a customer and administrators may see (the
customer's order, its refunds and returns, a customer's account and addresses): what the schema
can tell is refused here, and what it cannot (an object of another seller) is null at delivery."""
from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    parse,
    specified_rules,
    validate,
    visit,
)

from domain.shared.errors import DomainError
from domain.webhooks.errors import WebhookErrorCode
from domain.webhooks.statuses import WebhookEventType

FIELD = ["input", "query"]
MAX_TOKENS = 2_000
MAX_ERRORS = 5
# Types only a customer and administrators see (their descriptions say so): a seller's webhook
# may not select their fields, whoever the order is of.
CUSTOMER_PRIVATE_TYPES = frozenset({"Order", "OrderRefund", "ReturnRequest", "ReturnLine", "OrderPayment", "OrderEvent",
                                    "Customer", "Address", "Device", "Session", "Licence"})
TYPE_OF_EVENT = {
    WebhookEventType.ORDER_PLACED: "OrderPlaced", WebhookEventType.ORDER_UPDATED: "OrderUpdated",
    WebhookEventType.SHIPMENT_CREATED: "ShipmentCreated", WebhookEventType.SHIPMENT_UPDATED: "ShipmentUpdated",
    WebhookEventType.REFUND_CREATED: "RefundCreated", WebhookEventType.RETURN_REQUESTED: "ReturnRequested",
    WebhookEventType.OFFER_OUT_OF_STOCK: "OfferOutOfStock", WebhookEventType.REVIEW_CREATED: "ReviewCreated",
}
ALWAYS = frozenset({"WebhookEvent", "WebhookPing"})


def _invalid(message: str) -> DomainError:
    return DomainError(message, code=WebhookErrorCode.WEBHOOK_QUERY_INVALID, field=FIELD)


def check(schema: GraphQLSchema, rules: list, query: str, owner_is_admin: bool,
          types: frozenset[WebhookEventType]) -> None:
    """Raises WEBHOOK_QUERY_INVALID or WEBHOOK_FIELD_NOT_ALLOWED (see the module), or returns."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        raise _invalid(f"The payload document does not parse: {error.message}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation != OperationType.SUBSCRIPTION:
        raise _invalid("A payload document is one subscription operation: subscription { event { ... } }.")
    errors = validate(schema, document, [*specified_rules, *rules])
    if errors:
        raise _invalid("The payload document is not valid: " + " ".join(e.message for e in errors[:MAX_ERRORS]))
    for selection in operations[0].selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value not in ("event", "__typename"):
            raise _invalid("A payload document's subscription selects `event` only (no fragments at its root).")
    allowed = ALWAYS | {TYPE_OF_EVENT[t] for t in types}
    type_info = TypeInfo(schema)
    visit(document, TypeInfoVisitor(type_info, _Walker(type_info, allowed, owner_is_admin)))


class _Walker(Visitor):
    def __init__(self, type_info: TypeInfo, allowed: frozenset[str], owner_is_admin: bool) -> None:
        super().__init__()
        self.type_info = type_info
        self.allowed = allowed
        self.owner_is_admin = owner_is_admin

    def _condition(self, node) -> None:
        if node.type_condition is None:
            return
        name = node.type_condition.name.value
        if name in TYPE_OF_EVENT.values() and name not in self.allowed:
            raise _invalid(f"The payload document selects {name}, an event type the webhook does not subscribe to.")

    def enter_inline_fragment(self, node: InlineFragmentNode, *_args) -> None:
        self._condition(node)

    def enter_fragment_definition(self, node: FragmentDefinitionNode, *_args) -> None:
        self._condition(node)

    def enter_field(self, node: FieldNode, *_args) -> None:
        parent = self.type_info.get_parent_type()
        if self.owner_is_admin or parent is None or node.name.value == "__typename":
            return
        if parent.name in CUSTOMER_PRIVATE_TYPES:
            raise DomainError(f"A seller's webhook cannot select {parent.name}.{node.name.value}: a {parent.name} is"
                              " visible to its customer and administrators only.",
                              code=WebhookErrorCode.WEBHOOK_FIELD_NOT_ALLOWED, field=FIELD)
