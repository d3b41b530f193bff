"""Subscribe & Save GraphQL: a customer's subscriptions and upcoming deliveries
(`Customer.subscriptions`, `Customer.upcomingDeliveries`) and the mutations that manage them.
Each mutation acts on the caller's own subscription in one transaction; another customer's
subscription does not exist for the caller (NOT_FOUND); a refusal writes nothing."""
from __future__ import annotations

import datetime
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.catalogue.types import Product
from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes, graphql_enum
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.core.pagination import Connection, connection, page_request
from api.core.scalars import Money
from domain.shared import clock
from domain.shared.money import Money as DomainMoney
from domain.subscriptions import errors as subscription_errors
from domain.subscriptions import service as subscriptions
from domain.subscriptions import statuses

TYPE = "SubscribeAndSaveSubscription"
SUBSCRIPTION_ID = f"Global ID of one of your Subscribe & Save subscriptions (`{TYPE}.id`)."

SubscriptionStatus = graphql_enum(statuses.SubscriptionStatus, """Where a Subscribe & Save subscription stands.
ACTIVE: delivered on `nextDeliveryDate`. PAUSED: no deliveries until resumed. CANCELLED: over for good.""")
SubscribeErrorCode = error_codes(subscription_errors.SubscribeErrorCode, description="""Stable codes of Subscribe &
Save `userErrors` (a refused mutation changes nothing): INVALID (a quantity outside 1-10, or a next delivery date not
between tomorrow and a year ahead), NOT_FOUND (no such subscription of yours), INVALID_FREQUENCY (not 1-6 months),
DELIVERY_ALREADY_PLACED (the delivery you meant to skip was already placed), NOT_ACTIVE (the subscription was cancelled),
NOT_SUBSCRIBE_ELIGIBLE (the product is not a Subscribe & Save product), PAYMENT_DECLINED (the new card was refused: see
`declineCode`; the old card stays), PAYMENT_PROVIDER_ERROR (the provider failed; nothing changed: try again).""")


@strawberry.type(description="A Subscribe & Save subscription: a product delivered every few months at the Subscribe & Save discount, with free delivery. Seen by its customer and administrators only.")
class SubscribeAndSaveSubscription:
    id: strawberry.ID = strawberry.field(description="Global ID, as the subscription mutations take it.")
    status: SubscriptionStatus = strawberry.field(description="Where the subscription stands.")
    quantity: int = strawberry.field(description="Units in each delivery (1-10).")
    frequency_months: int = strawberry.field(description="Months between deliveries (1-6).")
    next_delivery_date: datetime.date = strawberry.field(description="The day the next delivery is placed (while ACTIVE); deliveries fall on the same day of the month, or the month's last day when shorter.")
    reminded_unit_price: Optional[Money] = strawberry.field(description="The unit price the reminder e-mail stated for the next delivery: it is never charged more; null before the reminder.")
    created_at: datetime.datetime = strawberry.field(description="When the subscription began (UTC).")
    product_id: strawberry.Private[int]

    @strawberry.field(description="The product delivered; null if it was withdrawn from the catalogue.")
    async def product(self, info: Info) -> Product | None:
        return await info.context.loaders.product_by_id.load(self.product_id)


@strawberry.type(description="The next delivery of one active subscription.")
class UpcomingDelivery:
    date: datetime.date = strawberry.field(description="The day it is placed (UTC).")
    quantity: int = strawberry.field(description="Units delivered.")
    subscription: SubscribeAndSaveSubscription = strawberry.field(description="The subscription it belongs to.")


def subscription_of(row: subscriptions.Subscription) -> SubscribeAndSaveSubscription:
    reminded = row.price_cap_minor
    return SubscribeAndSaveSubscription(
        id=ids.encode(TYPE, row.id), status=row.status, quantity=row.quantity, frequency_months=row.frequency_months,
        next_delivery_date=row.next_delivery_date, created_at=row.created_at, product_id=row.product_id,
        reminded_unit_price=None if reminded is None else DomainMoney(reminded, row.currency))


async def customer_subscriptions(info: Info, account_id: int, first, after) -> Connection[SubscribeAndSaveSubscription]:
    reader, principal = info.context.reader, await info.context.viewer()
    page = await subscriptions.customer_subscriptions(reader, principal, account_id, page_request(first, after))
    page.items = [subscription_of(row) for row in page.items]
    return connection(page, lambda: subscriptions.count_customer_subscriptions(reader, principal, account_id,
                                                                               upcoming=False))


async def upcoming_deliveries(info: Info, account_id: int, first, after) -> Connection[UpcomingDelivery]:
    reader, principal = info.context.reader, await info.context.viewer()
    page = await subscriptions.upcoming_deliveries(reader, principal, account_id, page_request(first, after))
    page.items = [UpcomingDelivery(date=row.next_delivery_date, quantity=row.quantity, subscription=subscription_of(row))
                  for row in page.items]
    return connection(page, lambda: subscriptions.count_customer_subscriptions(reader, principal, account_id,
                                                                               upcoming=True))


@strawberry.type(description="Why a Subscribe & Save mutation failed.")
class SubscribeError(UserError):
    code: UserErrorCode = SubscribeErrorCode.field()
    decline_code: Optional[str] = strawberry.field(
        default=None, description="With PAYMENT_DECLINED: the provider's reason, e.g. card_declined, insufficient_funds, invalid_token.")


@strawberry.input(description="Changes to one of your subscriptions; a field left out keeps its value.")
class UpdateSubscriptionInput:
    subscription_id: strawberry.ID = strawberry.field(description=SUBSCRIPTION_ID)
    quantity: Optional[int] = strawberry.field(default=None, description="Units in each delivery (1-10).")
    frequency_months: Optional[int] = strawberry.field(default=None, description="Months between deliveries (1-6; INVALID_FREQUENCY otherwise).")
    next_delivery_date: Optional[datetime.date] = strawberry.field(default=None, description="The next delivery's day, from tomorrow to a year ahead; later deliveries fall on the same day of the month.")


@strawberry.input(description="One of your subscriptions.")
class SubscriptionInput:
    subscription_id: strawberry.ID = strawberry.field(description=SUBSCRIPTION_ID)


@strawberry.input(description="The next delivery of one of your subscriptions, to skip.")
class SkipSubscriptionDeliveryInput:
    subscription_id: strawberry.ID = strawberry.field(description=SUBSCRIPTION_ID)
    delivery_date: Optional[datetime.date] = strawberry.field(default=None, description="The delivery you mean, as `upcomingDeliveries` showed it; when the scheduler placed it meanwhile, DELIVERY_ALREADY_PLACED (rather than skipping the one after); when it is skipped already (a retried request), nothing changes. Leave out to skip whatever delivery is next.")


@strawberry.input(description="One of your subscriptions and the card to charge its later deliveries to.")
class UpdateSubscriptionPaymentMethodInput:
    subscription_id: strawberry.ID = strawberry.field(description=SUBSCRIPTION_ID)
    payment_token: str = strawberry.field(description="One-time token of the new card from the payment form (1-200 characters); the provider keeps the card, we never store the token.")


@strawberry.type(description="Result of a Subscribe & Save mutation.")
class SubscriptionPayload:
    subscription: Optional[SubscribeAndSaveSubscription] = strawberry.field(description="The subscription as it is now; null on failure.")
    user_errors: list[SubscribeError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _payload(info: Info, use_case) -> SubscriptionPayload:
    result, errors = await run(info, use_case, SubscribeError, SubscribeErrorCode)
    return SubscriptionPayload(subscription=None if result is None else subscription_of(result), user_errors=errors)


def _today() -> datetime.date:
    return clock.now().astimezone(datetime.UTC).date()


def _status_change(info: Info, input: SubscriptionInput, status: statuses.SubscriptionStatus):
    subscription_id = ids.decode_as(input.subscription_id, TYPE, "input.subscriptionId")
    return _payload(info, lambda s, viewer: subscriptions.set_subscription_status(
        s, viewer.require_signed_in(), subscription_id, status, today=_today(), now=clock.now()))


@strawberry.type
class SubscribeAndSaveMutation:
    @strawberry.mutation(description="Change the quantity, frequency or next delivery date of one of your Subscribe & Save subscriptions. Only its customer can (NOT_FOUND for anyone else). Requires sign-in.")
    async def update_subscription(self, info: Info, input: Annotated[UpdateSubscriptionInput, MutationInput]) -> SubscriptionPayload:
        subscription_id = ids.decode_as(input.subscription_id, TYPE, "input.subscriptionId")
        return await _payload(info, lambda s, viewer: subscriptions.update_subscription(
            s, viewer.require_signed_in(), subscription_id, today=_today(), now=clock.now(), quantity=input.quantity,
            frequency_months=input.frequency_months, next_delivery_date=input.next_delivery_date))

    @strawberry.mutation(description="Charge the later deliveries of one of your subscriptions to a new card, saved with the payment provider first: a declined card is PAYMENT_DECLINED (with `declineCode`) and the old card stays. A delivery whose payment was declined is retried with the new card at its next daily retry. Requires sign-in.")
    async def update_subscription_payment_method(
            self, info: Info, input: Annotated[UpdateSubscriptionPaymentMethodInput, MutationInput]) -> SubscriptionPayload:
        subscription_id = ids.decode_as(input.subscription_id, TYPE, "input.subscriptionId")
        provider = info.context.payments
        return await _payload(info, lambda s, viewer: subscriptions.replace_subscription_payment_method(
            s, viewer.require_signed_in(), subscription_id, provider, input.payment_token, now=clock.now()))

    @strawberry.mutation(description="Skip the next delivery of one of your subscriptions: nothing is placed that day and the next date moves one period on. A delivery already placed cannot be skipped (DELIVERY_ALREADY_PLACED). Requires sign-in.")
    async def skip_subscription_delivery(self, info: Info, input: Annotated[SkipSubscriptionDeliveryInput, MutationInput]) -> SubscriptionPayload:
        subscription_id = ids.decode_as(input.subscription_id, TYPE, "input.subscriptionId")
        return await _payload(info, lambda s, viewer: subscriptions.skip_subscription_delivery(
            s, viewer.require_signed_in(), subscription_id, today=_today(), now=clock.now(),
            delivery_date=input.delivery_date))

    @strawberry.mutation(description="Pause one of your subscriptions: no deliveries until you resume it. Requires sign-in.")
    async def pause_subscription(self, info: Info, input: Annotated[SubscriptionInput, MutationInput]) -> SubscriptionPayload:
        return await _status_change(info, input, statuses.SubscriptionStatus.PAUSED)

    @strawberry.mutation(description="Resume a paused subscription: when its date passed meanwhile, the next delivery is the first one after today on its day of the month. Requires sign-in.")
    async def resume_subscription(self, info: Info, input: Annotated[SubscriptionInput, MutationInput]) -> SubscriptionPayload:
        return await _status_change(info, input, statuses.SubscriptionStatus.ACTIVE)

    @strawberry.mutation(description="Cancel one of your subscriptions for good: nothing more is delivered or charged (NOT_ACTIVE for later changes). Requires sign-in.")
    async def cancel_subscription(self, info: Info, input: Annotated[SubscriptionInput, MutationInput]) -> SubscriptionPayload:
        return await _status_change(info, input, statuses.SubscriptionStatus.CANCELLED)
