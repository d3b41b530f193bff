"""Identity GraphQL types: the viewer, customers, sessions, devices, addresses and tokens."""
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.core.arguments import After, First
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.identity.enums import ClientKind, IdentityErrorCode, Role
from api.lists.queries import KindArg, customer_lists, customer_wish_list
from api.lists.types import CustomerList
from api.questions.types import Answer, Question, customer_answers, customer_questions
from api.recommendations.history_types import (
    BrowsingHistoryConnection,
    HistoryToken,
    browsing_history_count,
    viewer_browsing_history,
)
from api.recommendations.types import Recommendation, recommended_for_you
from api.reviews.types import Review, customer_reviews
from api.subscriptions.subscribe_and_save import (
    SubscribeAndSaveSubscription,
    UpcomingDelivery,
    customer_subscriptions,
    upcoming_deliveries,
)
from api.subscriptions.types import Membership, customer_membership
from domain.identity import entities
from domain.identity import service as identity
from domain.licences import service as licences
from domain.marketplace import service as marketplace

if TYPE_CHECKING:
    from api.catalogue.types import Brand
    from api.licences.lending_types import EbookLoan
    from api.marketplace.campaign_types import BrandFollow, BrandMessagePreferences
    from api.marketplace.types import Seller
    from api.profiles.types import Profile
    from api.reviews.types import Review


@strawberry.type(description="An expected failure of an identity mutation.")
class IdentityError(UserError):
    code: UserErrorCode = IdentityErrorCode.field()
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="With THROTTLED: seconds to wait before trying again.")


@strawberry.type(description="A signed-in client (browser, app or e-reader): one per sign-in, listed so a customer can end the ones they do not recognise. Visible to the account's owner and administrators.")
class Session(Node):
    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.Session))

    id: strawberry.ID = node_id("Session")
    client_kind: ClientKind = strawberry.field(description="The kind of client that signed in.")
    device_name: str = strawberry.field(description="The name the client gave itself or its registered device (may be empty).")
    created_at: datetime.datetime = strawberry.field(description="When the client signed in.")
    last_used_at: datetime.datetime = strawberry.field(description="When its tokens were last refreshed.")
    expires_at: datetime.datetime = strawberry.field(description="When it ends unless refreshed before.")

    @strawberry.field(description="The registered device this session runs on, if it registered one.")
    async def device(self, info: Info) -> "Device | None":
        if self.device_id is None:
            return None
        return await info.context.loaders.device_by_id.load(self.device_id)

    @strawberry.field(description="True for the session making this request.")
    async def current(self, info: Info) -> bool:
        return (await info.context.viewer()).session_id == self.id


@strawberry.type(description="An e-reader, phone or other client registered to an account; licences count their device slots against registered devices. Visible to the account's owner and administrators.")
class Device(Node):
    id: strawberry.ID = node_id("Device")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.Device))
    kind: ClientKind = strawberry.field(description="What the device is.")
    name: str = strawberry.field(description="Name shown in the device list, 1-60 characters.")
    serial_number: str | None = strawberry.field(description="The serial number the device reported, if any.")
    registered_at: datetime.datetime = strawberry.field(description="When it was registered.")


@strawberry.type(description="A postal address in a customer's address book, checked against its country's rules. Visible to the account's owner and administrators.")
class Address(Node):
    id: strawberry.ID = node_id("Address")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.Address))
    full_name: str = strawberry.field(description="Recipient's name, 1-100 characters.")
    line1: str = strawberry.field(description="Street and number, 1-200 characters.")
    line2: str = strawberry.field(description="Apartment, suite, building (may be empty), at most 200 characters.")
    city: str = strawberry.field(description="City or town, 1-100 characters.")
    region: str = strawberry.field(description="State, province, prefecture or county as the country's post writes it (a code such as NY or ON where the post uses codes); empty where optional and not given.")
    postal_code: str = strawberry.field(description="Postal code in the country's canonical form (upper-case, e.g. 12345-6789, K1A 0B1, SW1A 1AA); empty where optional and not given.")
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 country code, e.g. US.")
    phone: str = strawberry.field(description="Phone number for the carrier (may be empty), at most 30 characters.")
    is_default: bool = strawberry.field(description="True for the account's default address (exactly one when the book is not empty).")


SessionConnection = Connection[Session]


@strawberry.type(description="A customer account: one identity across web, mobile and e-reader clients. Visible only to the customer and to administrators (never to sellers or brands).")
class Customer(Node):
    id: strawberry.ID = node_id("Customer")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.Account))
    email: str = strawberry.field(description="Sign-in e-mail address.")
    display_name: str = strawberry.field(description="Name shown to the customer (1-100 characters).")
    created_at: datetime.datetime = strawberry.field(description="When the account was created.")

    @strawberry.field(description="Live sessions (signed-in clients), most recently used first.")
    async def sessions(self, info: Info, first: First = None,
                       after: After = None) -> SessionConnection:
        reader, principal = info.context.reader, await info.context.viewer()
        page = await identity.active_sessions(reader, principal, self.id, page_request(first, after))
        return connection(page, lambda: identity.count_active_sessions(reader, principal, self.id))

    @strawberry.field(description="The address book (at most 50 addresses): the default address first, then the newest.")
    async def addresses(self, info: Info) -> list[Address]:
        return await info.context.loaders.addresses_by_account.load(self.id) or []

    @strawberry.field(description="The default address; null when the address book is empty.")
    async def default_address(self, info: Info) -> Address | None:
        book = await info.context.loaders.addresses_by_account.load(self.id) or []
        return book[0] if book and book[0].is_default else None

    @strawberry.field(description="The customer's Prime membership (the latest: live, or the last that ended); null when they never joined. Visible to the customer and administrators.")
    async def membership(self, info: Info) -> Membership | None:
        return await customer_membership(info, self.id)

    @strawberry.field(description="E-books the customer lent and borrowed (offered to their address included), newest first. Visible to the customer and administrators. Page size 1-100 (default 20).")
    async def ebook_loans(self, info: Info, first: First = None, after: After = None,
                          ) -> Connection[Annotated["EbookLoan", strawberry.lazy("api.licences.lending_types")]]:
        reader, principal = info.context.reader, await info.context.viewer()
        return connection(await licences.loans_of_customer(reader, principal, self.id, page_request(first, after)))

    @strawberry.field(description="The customer's Subscribe & Save subscriptions, newest first, cancelled ones included (their status says so). Visible to the customer and administrators. Page size 1-100 (default 20).")
    async def subscriptions(self, info: Info, first: First = None, after: After = None,
                            ) -> Connection[SubscribeAndSaveSubscription]:
        return await customer_subscriptions(info, self.id, first, after)

    @strawberry.field(description="The customer's wish list; null until they first add to it (`addListItems` without `listId`). Visible to the customer only.")
    async def wish_list(self, info: Info) -> CustomerList | None:
        return await customer_wish_list(info, self.id)

    @strawberry.field(description="The customer's lists and the shopping lists they share as a household member: the wish list first, then the most recently changed. Visible to the customer only. Page size 1-100 (default 20).")
    async def lists(self, info: Info, kind: KindArg = None, first: First = None,
                    after: After = None) -> Connection[CustomerList]:
        return await customer_lists(info, self.id, kind, first, after)

    @strawberry.field(description="The next delivery of each of the customer's active Subscribe & Save subscriptions, soonest first (a paused or cancelled one has none). Visible to the customer and administrators. Page size 1-100 (default 20).")
    async def upcoming_deliveries(self, info: Info, first: First = None, after: After = None,
                                  ) -> Connection[UpcomingDelivery]:
        return await upcoming_deliveries(info, self.id, first, after)

    @strawberry.field(description="The customer's own reviews, newest first, hidden ones included (their status says so); deleted ones are gone. Visible to the customer and administrators. Page size 1-100 (default 20).")
    async def reviews(self, info: Info, first: First = None, after: After = None,
                      ) -> Connection[Review]:
        return await customer_reviews(info, self.id, first, after)

    @strawberry.field(description="The customer's own product questions, newest first, hidden ones included (their status says so); deleted ones are gone. Visible to the customer and administrators. Page size 1-100 (default 20).")
    async def questions(self, info: Info, first: First = None, after: After = None) -> Connection[Question]:
        return await customer_questions(info, self.id, first, after)

    @strawberry.field(description="The customer's own answers to product questions, newest first, hidden ones included (their status says so); deleted ones are gone. Visible to the customer and administrators. Page size 1-100 (default 20).")
    async def answers(self, info: Info, first: First = None, after: After = None) -> Connection[Answer]:
        return await customer_answers(info, self.id, first, after)

    @strawberry.field(description="How many products the customer's browsing history holds (what they are is the customer's alone: `viewer.browsingHistory`). Visible to the customer and administrators.")
    async def browsing_history_count(self, info: Info) -> int:
        return await browsing_history_count(info, self.id)

    @strawberry.field(description="Registered devices that are still active, oldest first (at most 20).")
    async def devices(self, info: Info) -> list[Device]:
        return await info.context.loaders.devices_by_account.load(self.id) or []


@strawberry.type(description="Who is calling: the signed-in customer with their roles, or an anonymous caller.")
class Viewer:
    @strawberry.field(description="The caller's roles; [ANONYMOUS] when not signed in.")
    async def roles(self, info: Info) -> list[Role]:
        return [Role(r) for r in (await info.context.viewer()).roles()]

    @strawberry.field(description="The signed-in customer; null when anonymous.")
    async def customer(self, info: Info) -> Customer | None:
        principal = await info.context.viewer()
        if principal.account_id is None:
            return None
        return await info.context.loaders.account_by_id.load(principal.account_id)

    @strawberry.field(description="The signed-in customer's own public profile, all of it (private sections included) with its privacy settings; null when anonymous.")
    async def profile(self, info: Info) -> Annotated["Profile", strawberry.lazy("api.profiles.types")] | None:
        principal = await info.context.viewer()
        if principal.account_id is None:
            return None
        return await info.context.loaders.profile_by_id.load(principal.account_id)

    @strawberry.field(description="The products you viewed, the most recently viewed first (one entry per product; the newest 1,000 are kept). Yours alone: the signed-in customer's history, or a guest's with its `historyToken` (empty without one). Page size 1-100 (default 20).")
    async def browsing_history(self, info: Info, first: First = None, after: After = None,
                               history_token: HistoryToken = None) -> BrowsingHistoryConnection:
        return await viewer_browsing_history(info, first, after, history_token)

    @strawberry.field(description="The session this request is made in; null when anonymous.")
    async def session(self, info: Info) -> Session | None:
        principal = await info.context.viewer()
        if principal.session_id is None:
            return None
        return await info.context.loaders.session_by_id.load(principal.session_id)

    @strawberry.field(description="Sellers whose staff the caller is (they manage these sellers' offers).")
    async def sellers(self, info: Info) -> list[Annotated["Seller", strawberry.lazy("api.marketplace.types")]]:
        ids = sorted((await info.context.viewer()).seller_ids)
        return [s for s in await info.context.loaders.seller_by_id.load_many(ids) if s is not None]

    @strawberry.field(description="Brands you follow, newest follow first (archived brands left out); null when not signed in. Nobody but you sees them. Page size 1-100 (default 20).")
    async def followed_brands(self, info: Info, first: First = None, after: After = None) -> Connection[Annotated["BrandFollow", strawberry.lazy("api.marketplace.campaign_types")]] | None:
        page = page_request(first, after)
        principal = await info.context.viewer()
        if principal.account_id is None:
            return None
        return connection(await marketplace.my_brand_follows(info.context.reader, principal, page))

    @strawberry.field(description="Your choice about brands' messages (all off, or on per followed brand); null when not signed in.")
    async def brand_messages(self, info: Info) -> Annotated["BrandMessagePreferences", strawberry.lazy("api.marketplace.campaign_types")] | None:
        principal = await info.context.viewer()
        if principal.account_id is None:
            return None
        return await marketplace.brand_message_preferences(info.context.reader, principal)

    @strawberry.field(description="Recommended for you: products picked from what you bought and rated, your most recent first, never one you bought or hold a licence for (e-books, videos); popular products for a new customer. Only ever your own; null when anonymous. Page size 1-100 (default 20).")
    async def recommended_for_you(self, info: Info, first: First = None, after: After = None) -> Connection[Recommendation] | None:
        return await recommended_for_you(info, first, after)

    @strawberry.field(description="Registered brands the caller owns.")
    async def brands(self, info: Info) -> list[Annotated["Brand", strawberry.lazy("api.catalogue.types")]]:
        ids = sorted((await info.context.viewer()).brand_ids)
        return [b for b in await info.context.loaders.brand_by_id.load_many(ids) if b is not None]


@strawberry.type(description="Tokens of a session. Send the access token as `Authorization: Bearer <accessToken>`; before it expires, trade the refresh token for a new pair with `refreshSession`. Each refresh token works once: using one twice signs the session out.")
class SessionTokens:
    access_token: str = strawberry.field(description="Signed access token (JWT), valid for minutes.")
    access_token_expires_at: datetime.datetime = strawberry.field(description="When the access token stops working.")
    refresh_token: str = strawberry.field(description="Opaque single-use refresh token; keep it secret (shown only once).")
    session: Session = strawberry.field(description="The session these tokens belong to.")
