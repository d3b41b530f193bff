"""Subscription root fields: an object's current state at once, then again after each committed
change, read with the subscriber's permissions (an event names its subject; the data is read
after). A subscription to something the caller may not see is refused when it starts, with a
typed error (NOT_FOUND), and yields nothing."""
from __future__ import annotations

import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.carts.types import Cart
from api.core import ids
from api.licences.reading_types import ReadingState
from api.licences.types import LibrarySyncPage
from api.lists.types import CustomerList
from api.orders.types import Order
from domain.carts import service as carts
from domain.events.kinds import EventKind
from domain.events.listener import Inbox, Key, customer, subject
from domain.identity import tokens
from domain.licences import service as licences
from domain.shared.errors import NotFound

OrderIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of one of your orders (`Order.id`).")]
LicenceIdArg = Annotated[strawberry.ID, strawberry.argument(
    description="Global ID of a licence in your library (`Licence.id`).")]
CartIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the cart (`Cart.id`).")]
CartTokenArg = Annotated[Optional[str], strawberry.argument(
    description="A guest cart's token, as `createCart` returned it (not needed for your own cart).")]
ListIdArg = Annotated[strawberry.ID, strawberry.argument(
    description="Global ID of a shopping list you own or share as a household member (`List.id`).")]
AfterArg = Annotated[Optional[str], strawberry.argument(
    description="The `nextToken` of the last page you received (from `librarySync` or this subscription); "
    "null to start from the beginning of your library's change log.")]


async def _start(info: Info, keys: Iterable[Key], load: Callable[[], Awaitable[object]], missing: str):
    """Subscribes before the first read, so a change committed after it is heard; refuses with
    NOT_FOUND (and unsubscribes) when the caller may not see the object."""
    listener = await info.context.realtime.listener()
    inbox = listener.subscribe(keys)
    try:
        first = await load()
    except BaseException:
        listener.unsubscribe(inbox)
        raise
    if first is None:
        listener.unsubscribe(inbox)
        raise NotFound(missing)
    return _owned(_stream(info, inbox, first, load), inbox)


def _owned(stream: AsyncGenerator, inbox: Inbox) -> AsyncGenerator:
    """The stream, whose inbox is unsubscribed when the stream is gone, even if it was never
    started (an operation cancelled between subscribing and its first event)."""
    weakref.finalize(stream, inbox.close)
    return stream


async def _stream(info: Info, inbox: Inbox, first, load) -> AsyncGenerator:
    context = info.context
    async with inbox:
        value = first
        while value is not None:
            yield value
            await context.release()
            await inbox.get()
            inbox.drain()  # one read answers every change heard meanwhile
            context.refresh()
            value = await load()


@strawberry.type
class RealtimeSubscription:
    @strawberry.subscription(description="One of your orders (any order for an administrator): its current state at once, then again after each change (status, shipments, tracking, refunds). Another customer's order, or a malformed ID, is refused at once with NOT_FOUND / an invalid-ID error. Requires sign-in.")
    async def order_updated(self, info: Info, order_id: OrderIdArg) -> AsyncGenerator[Order, None]:
        pk = ids.decode_as(order_id, "Order", "orderId")
        (await info.context.viewer()).require_signed_in()
        return await _start(info, [subject(EventKind.ORDER_UPDATED, pk)],
                            lambda: info.context.loaders.order_by_id.load(pk), "No such order of yours.")

    @strawberry.subscription(description="Your orders as they change: each order once it is placed or changes (status, shipments, tracking, refunds). Yields nothing at the start. Requires sign-in.")
    async def my_orders_updated(self, info: Info) -> AsyncGenerator[Order, None]:
        account_id = (await info.context.viewer()).require_signed_in()
        context = info.context
        listener = await context.realtime.listener()
        inbox = listener.subscribe([customer(EventKind.ORDER_UPDATED, account_id),
                                    customer(EventKind.ORDER_PLACED, account_id)])
        return _owned(_my_orders(info, inbox), inbox)

    @strawberry.subscription(description="Where you are in a title, for your other devices: the current reading state at once (null when never read), then again whenever a device reports a position. Another customer's licence is NOT_FOUND (nobody else, administrators included, sees it). Requires sign-in.")
    async def reading_state_changed(self, info: Info, licence_id: LicenceIdArg) -> AsyncGenerator[
            Optional[ReadingState], None]:
        pk = ids.decode_as(licence_id, "Licence", "licenceId")
        principal = await info.context.viewer()
        account_id = principal.require_signed_in()
        licence = await info.context.loaders.licence_by_id.load(pk)
        if licence is None or licence.account_id != account_id:
            raise NotFound("No such licence in your library.")
        listener = await info.context.realtime.listener()
        inbox = listener.subscribe([subject(EventKind.READING_STATE_CHANGED, pk)])
        return _owned(_reading_states(info, inbox, pk), inbox)

    @strawberry.subscription(description="Your library's change log, for a device to stay current without polling: first the pages after `after` (as `librarySync` returns them, while `hasMore`), then a page after each change. Keep the last `nextToken` and pass it as `after` when you reconnect: nothing is missed or repeated. A token of another account, forged or malformed, is a top-level error with `extensions.reason` SYNC_TOKEN_INVALID. Requires sign-in.")
    async def library_changed(self, info: Info, after: AfterArg = None) -> AsyncGenerator[LibrarySyncPage, None]:
        principal = await info.context.viewer()
        account_id = principal.require_signed_in()
        listener = await info.context.realtime.listener()
        inbox = listener.subscribe([subject(EventKind.LIBRARY_CHANGED, account_id)])
        key = tokens.signing_key(info.context.settings)
        try:
            page = await licences.library_sync(info.context.reader, principal, key, after, None)
        except BaseException:
            listener.unsubscribe(inbox)
            raise
        return _owned(_library_pages(info, inbox, key, page), inbox)

    @strawberry.subscription(description="A cart, as another device edits it: its current state at once, then again after each change. Your own cart, a guest cart with its `token`, or any cart for an administrator; another's is NOT_FOUND.")
    async def cart_updated(self, info: Info, cart_id: CartIdArg, token: CartTokenArg = None) -> AsyncGenerator[
            Cart, None]:
        pk = ids.decode_as(cart_id, "Cart", "cartId")

        async def load():
            return await carts.find_cart(info.context.reader, await info.context.viewer(), cart_id=pk, token=token)

        return await _start(info, [subject(EventKind.CART_UPDATED, pk)], load, "No such cart of yours.")

    @strawberry.subscription(description="A shopping list you own or share as a household member: its current state at once, then again after each change to its items. Any other list is NOT_FOUND. Requires sign-in.")
    async def shopping_list_changed(self, info: Info, list_id: ListIdArg) -> AsyncGenerator[CustomerList, None]:
        pk = ids.decode_as(list_id, "List", "listId")
        (await info.context.viewer()).require_signed_in()

        async def load():
            found = await info.context.loaders.list_by_id.load(pk)
            # Its owner and household only: a PUBLIC list's page is not a live feed for anyone.
            if found is None or not found.is_shopping or not (found.viewer_is_owner or found.viewer_is_member):
                return None
            return found

        return await _start(info, [subject(EventKind.SHOPPING_LIST_CHANGED, pk)], load, "No such list of yours.")


async def _my_orders(info: Info, inbox: Inbox) -> AsyncGenerator[Order, None]:
    context = info.context
    async with inbox:
        while True:
            await context.release()
            notices = [await inbox.get(), *inbox.drain()]
            context.refresh()
            for order_id in dict.fromkeys(n.subject_id for n in notices):
                order = await context.loaders.order_by_id.load(order_id)
                if order is not None:
                    yield order


async def _reading_states(info: Info, inbox: Inbox, licence_id: int) -> AsyncGenerator[Optional[ReadingState], None]:
    context = info.context
    principal = await context.viewer()
    async with inbox:
        yield await licences.reading_state(context.reader, principal, licence_id)
        while True:
            await context.release()
            last = max(n.id for n in [await inbox.get(), *inbox.drain()])
            # A customer's devices on one book hear the same event: one read serves them all.
            yield await context.realtime.shared_read(
                ("reading_state", last, principal.account_id, licence_id),
                lambda reader: licences.reading_state(reader, principal, licence_id))


async def _library_pages(info: Info, inbox: Inbox, key: str, page) -> AsyncGenerator[LibrarySyncPage, None]:
    context = info.context
    async with inbox:
        yield page
        while True:
            while page.has_more:
                page = await licences.library_sync(context.reader, await context.viewer(), key, page.next_token, None)
                yield page
            await context.release()
            await inbox.get()
            inbox.drain()
            page = await licences.library_sync(context.reader, await context.viewer(), key, page.next_token, None)
            if page.changes:
                yield page
