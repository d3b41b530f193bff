"""Composes the schema from every context, with the limits and caches every request gets."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import Info

from api.carts.mutations import CartMutation
from api.carts.queries import CartQuery, cart_lines_for_nodes, carts_for_nodes
from api.carts.types import Cart, PickupLocation
from api.catalogue.import_types import ProductImport
from api.catalogue.mutations import CatalogueMutation
from api.catalogue.queries import CatalogueQuery
from api.catalogue.review_flags import ProductReviewFlag, ReviewFlagMutation, ReviewFlagQuery
from api.catalogue.types import Brand, Category, Product, Work
from api.core import input_ids, node
from api.core.arguments import NodeId, NodeIds
from api.core.compiled import CompiledExecutionContext
from api.core.compiled.report import ExecutorReport
from api.core.errors import ErrorHandling
from api.core.executor import FastExecutionContext
from api.core.extension_hooks import ExtensionsRunner
from api.core.prepared import PreparedQueries
from api.core.scalars import (
    BYTE_COUNT,
    DATE,
    DATETIME,
    DECIMAL,
    FIELD_PATH_SEGMENT,
    UUID,
    UUID_SCALAR,
    ByteCount,
    FieldPathSegment,
)
from api.core.validation_cache import DocumentValidationCache
from api.http.cache_policy import CachePolicy
from api.identity.mutations import IdentityMutation
from api.identity.queries import IdentityQuery
from api.identity.types import Address, Customer, Device, Session
from api.licences.borrowing import BorrowingMutation
from api.licences.download_mutations import DownloadMutation
from api.licences.lending_mutations import LendingMutation
from api.licences.lending_types import EbookLoan
from api.licences.mutations import LicenceMutation
from api.licences.playback_mutations import PlaybackMutation
from api.licences.queries import LibraryQuery
from api.licences.reading_mutations import ReadingMutation
from api.licences.reading_queries import ReadingQuery
from api.licences.reading_types import Annotation
from api.licences.types import Licence
from api.limits.cost import CostLimit
from api.limits.input_limits import InputLimitsRule
from api.limits.suggestions import NoSuggestions
from api.lists.mutations import ListMutation
from api.lists.queries import ListQuery
from api.lists.types import ListItem
from api.marketplace.campaign_mutations import BrandCampaignMutation
from api.marketplace.campaign_types import BrandCampaign
from api.marketplace.mutations import MarketplaceMutation
from api.marketplace.queries import MarketplaceQuery
from api.marketplace.types import BrandRegistration, Offer, Seller, SellerApplication
from api.orders.checkout import CheckoutMutation
from api.orders.customer_service import CustomerServiceMutation
from api.orders.ebook_returns import EbookReturnMutation
from api.orders.fulfilment import FulfilmentMutation
from api.orders.queries import OrderQuery
from api.orders.types import Order, OrderLine, OrderRefund, ReturnRequest, Shipment
from api.profiles.mutations import ProfileMutation
from api.profiles.queries import ProfileQuery
from api.profiles.types import Profile
from api.questions.moderation import QuestionModerationMutation, QuestionModerationQuery
from api.questions.mutations import QuestionMutation
from api.questions.types import Answer, Question
from api.realtime.fields import RealtimeSubscription
from api.recommendations.history import BrowsingHistoryMutation
from api.reviews.moderation import ModerationMutation, ModerationQuery
from api.reviews.mutations import ReviewMutation
from api.reviews.types import Review
from api.search.queries import SearchQuery
from api.subscriptions.mutations import SubscriptionMutation
from api.subscriptions.queries import SubscriptionQuery
from api.subscriptions.subscribe_and_save import SubscribeAndSaveMutation
from api.webhooks import events as webhook_events
from api.webhooks import payloads as webhook_payloads
from api.webhooks.events import WebhookEventSubscription
from api.webhooks.mutations import WebhookMutation
from api.webhooks.queries import WebhookQuery
from api.webhooks.types import Webhook, WebhookDelivery
from domain.shared.config import Settings
from domain.webhooks import payloads as domain_payloads

MAX_NODES = 100

for _type, _loader in ((Product, "product_by_id"), (Category, "category_by_id"),
                       (Brand, "brand_by_id"), (Work, "work_by_id"), (Seller, "seller_by_id"),
                       (Offer, "offer_by_id"), (Customer, "account_by_id"), (Device, "device_by_id"),
                       (Address, "address_by_id"), (SellerApplication, "seller_application_by_id"),
                       (BrandRegistration, "brand_registration_by_id"), (ProductImport, "product_import_by_id"),
                       (Order, "order_by_id"), (Shipment, "shipment_by_id"), (Licence, "licence_by_id"),
                       (OrderLine, "order_line_by_id"), (OrderRefund, "order_refund_by_id"),
                       (ReturnRequest, "return_request_by_id"), (PickupLocation, "pickup_location_by_id"),
                       (Session, "session_by_id"), (Annotation, "annotation_by_id"),
                       (ProductReviewFlag, "product_review_flag_by_id"), (Review, "review_by_id"),
                       (Question, "question_by_id"), (Answer, "answer_by_id"),
                       (EbookLoan, "ebook_loan_by_id"), (Profile, "profile_by_id"),
                       (ListItem, "list_item_by_id"),
                       (BrandCampaign, "brand_campaign_by_id"), (Webhook, "webhook_by_id"),
                       (WebhookDelivery, "webhook_delivery_by_id")):
    node.register(_type.__name__, node.loader_fetcher(_loader))
node.register("List", node.loader_fetcher("list_by_id"))
node.register("Cart", carts_for_nodes)
node.register("CartLine", cart_lines_for_nodes)


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null when it does not exist or is not visible to you.")
    async def node(self, info: Info, id: NodeId) -> node.Node | None:
        return (await node.resolve_nodes(info, [id], single=True))[0]

    @strawberry.field(description="Objects by global IDs, in the same order (null for missing ones); at most 100 IDs.")
    async def nodes(self, info: Info, ids: NodeIds) -> list[node.Node | None]:
        if len(ids) > MAX_NODES:
            from graphql import GraphQLError
            raise GraphQLError(f"At most {MAX_NODES} IDs per call; got {len(ids)}.",
                               extensions={"code": "BAD_USER_INPUT", "reason": "TOO_MANY_IDS"})
        return await node.resolve_nodes(info, ids)


@strawberry.type(description="Read the catalogue, the marketplace, search, and the caller's own account.")
class Query(NodeQuery, IdentityQuery, CatalogueQuery, MarketplaceQuery, SearchQuery, CartQuery, OrderQuery,
            ReviewFlagQuery, LibraryQuery, ReadingQuery, ModerationQuery,
            QuestionModerationQuery, SubscriptionQuery, ProfileQuery, ListQuery, WebhookQuery):
    pass


@strawberry.type(description="Change data. Every mutation takes one `input` and returns a payload with `userErrors`; it runs in one transaction, so a failure changes nothing.")
class Mutation(IdentityMutation, CatalogueMutation, MarketplaceMutation, CartMutation, CheckoutMutation,
               FulfilmentMutation, CustomerServiceMutation, ReviewFlagMutation, LicenceMutation, ReadingMutation,
               DownloadMutation, EbookReturnMutation, PlaybackMutation, ReviewMutation, ModerationMutation,
               QuestionMutation, QuestionModerationMutation, SubscriptionMutation, BorrowingMutation,
               LendingMutation, SubscribeAndSaveMutation, ProfileMutation,
               BrowsingHistoryMutation, ListMutation,
               BrandCampaignMutation, WebhookMutation):
    pass


input_ids.guard(Mutation)


@strawberry.type(description="Be told of changes over a WebSocket (graphql-transport-ws; see docs/realtime.md): each field yields the object's state after every committed change, read with your permissions. `event` is the root of webhook payload documents (see `createWebhook`), not a WebSocket field.")
class Subscription(RealtimeSubscription, WebhookEventSubscription):
    pass


class Schema(strawberry.Schema):
    """Strawberry's schema, without its log line per error: expected failures (bad input,
    UNAUTHENTICATED, FORBIDDEN) are the client's business, and unexpected ones are logged once,
    with their `errorId` and stack trace, by `api.core.errors`. Its extensions' hooks are driven
    by `api.core.extension_hooks` (the same order and semantics, without strawberry's wrapping
    per request)."""

    prepared: PreparedQueries | None = None

    def process_errors(self, errors, execution_context=None) -> None:
        return None

    async def execute(self, query, variable_values=None, context_value=None, root_value=None,
                      operation_name=None, allowed_operation_types=None, operation_extensions=None):
        """Queries whose text has run before take the prepared path (api/core/prepared.py)."""
        if self.prepared is not None:
            result = await self.prepared.execute(query, variable_values, context_value, root_value, operation_name,
                                                 allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES,
                                                 operation_extensions)
            if result is not None:
                return result
        return await super().execute(query, variable_values, context_value, root_value, operation_name,
                                     allowed_operation_types, operation_extensions)

    def create_extensions_runner(self, execution_context, extensions) -> ExtensionsRunner:
        return ExtensionsRunner(execution_context=execution_context, extensions=extensions)


@dataclass(frozen=True)
class SchemaLimits:
    """Every setting the schema is built from (the rest are read per request)."""

    development: bool
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_cost: int
    compiled_executor: bool = True

    @classmethod
    def of(cls, settings: Settings) -> SchemaLimits:
        return cls(settings.development, settings.max_depth, settings.max_aliases, settings.max_tokens,
                   settings.max_cost, settings.compiled_executor)


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema for these settings' limits: built once per process for each set of limits
    (a build takes ~60 ms), and shared by apps with the same ones. Nothing per app is in it:
    the callers' cost budgets come with each request's context."""
    return _schema(SchemaLimits.of(settings))


@lru_cache(maxsize=16)
def _schema(limits: SchemaLimits) -> strawberry.Schema:
    # Factories, not instances: extensions keep per-operation state (the cost, for one).
    # The limiters' rule classes are built once: the validation cache is keyed by the rules,
    # and a new class per request would make every validation a miss.
    limit_rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
        InputLimitsRule,
    ]
    extensions = [
        ErrorHandling,
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=1024),
        lambda: AddValidationRules(limit_rules),
        lambda: DocumentValidationCache(maxsize=1024),
        lambda: CostLimit(max_cost=limits.max_cost),
        CachePolicy,
    ]
    if not limits.development:
        extensions += [DisableIntrospection, NoSuggestions]
    else:
        extensions.append(ExecutorReport)
    # The stock executor (the reference the differential tests compare with) keeps strawberry's
    # pipeline for every request.
    prepared = PreparedQueries(limits.max_cost, report_executor=limits.development) if limits.compiled_executor else None
    if prepared is not None:
        extensions.append(prepared.admission())
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[*WEBHOOK_EVENT_TYPES, Product, Category, Brand, Work, Seller, Offer, Customer, Device, Address, SellerApplication,
               BrandRegistration, ProductImport, Cart, Order, Shipment, Licence, Review,
               Question, Answer, Profile, BrandCampaign],
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=not limits.development,
                                scalar_map={ByteCount: BYTE_COUNT, UUID: UUID_SCALAR, Decimal: DECIMAL,
                                            datetime.datetime: DATETIME, datetime.date: DATE,
                                            FieldPathSegment: FIELD_PATH_SEGMENT}),
        execution_context_class=CompiledExecutionContext if limits.compiled_executor else FastExecutionContext,
    )
    if prepared is not None:
        # What each of these does for a query that validated, the prepared path does too.
        known = (ErrorHandling, MaxTokensLimiter, ParserCache, AddValidationRules, DocumentValidationCache,
                 CostLimit, CachePolicy, DisableIntrospection, NoSuggestions, ExecutorReport, extensions[-1])
        if prepared.attach(schema, extensions, known):
            schema.prepared = prepared
    return schema


WEBHOOK_EVENT_TYPES = list(webhook_events.EVENT_TYPES.values())


async def _render_webhook_payload(request: domain_payloads.RenderRequest) -> dict:
    return await webhook_payloads.render(build_schema(request.settings), request)


# The worker renders webhook bodies with this process's schema (see domain/webhooks/payloads.py).
domain_payloads.install(_render_webhook_payload)


def export_sdl() -> str:
    """The schema as SDL, as committed in schema.graphql."""
    return build_schema(Settings(env="development")).as_str() + "\n"
