"""The other streams, over a real WebSocket: a guest cart with its token and a shopping list reach
only those who may see them, and the library's change log resumes from the cursor a device kept,
with nothing missed or repeated while it was away."""
from __future__ import annotations

import pytest

from tests.api.carts.helpers import LINES_ADD, PLATFORM_BOOK, call, guest_cart, line, offer
from tests.api.licences.helpers import position_entry
from tests.api.lists.helpers import add, make_list, physical_products
from tests.api.realtime.helpers import UPDATE_READING, socket
from tests.conftest import make_client
from tests.fixtures.identity import account
from tests.fixtures.live import live_server
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file

CART = """subscription($id: ID!, $token: String) { cartUpdated(cartId: $id, token: $token) { lines { quantity } } }"""
LIST = """subscription($id: ID!) { shoppingListChanged(listId: $id) { itemCount } }"""
LIBRARY = """subscription($after: String) { libraryChanged(after: $after) { nextToken hasMore
  changes { kind licence { id } } } }"""


async def test_a_guest_cart_and_a_shopping_list_reach_only_those_who_may_see_them(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http, live_server(db) as url:
        cart, token = await guest_cart(http, line(book, 1))
        owner, stranger = await account(http, db, "owner"), await account(http, db, "stranger")
        groceries = await make_list(owner, http)
        (milk,) = await physical_products(db, 1)
        async with socket(url) as guest, socket(url, owner.token) as mine, socket(url, stranger.token) as theirs:
            on_cart = await guest.subscribe(CART, {"id": cart["id"], "token": token})
            assert (await guest.data(on_cart))["cartUpdated"]["lines"] == [{"quantity": 1}]
            on_list = await mine.subscribe(LIST, {"id": groceries})
            assert (await mine.data(on_list))["shoppingListChanged"]["itemCount"] == 0
            for refused in (await theirs.subscribe(CART, {"id": cart["id"]}),
                            await theirs.subscribe(LIST, {"id": groceries})):
                message = await theirs.next(refused)
                assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == "NOT_FOUND"

            added = await call(http, LINES_ADD, {"input": {"cartId": cart["id"], "cartToken": token,
                                                           "lines": [line(book, 2)]}})
            assert added["data"]["addCartLines"]["userErrors"] == []
            assert (await guest.data(on_cart))["cartUpdated"]["lines"] == [{"quantity": 3}]
            await add(owner, http, groceries, [milk])
            assert (await mine.data(on_list))["shoppingListChanged"]["itemCount"] == 1


async def test_the_library_resumes_from_the_cursor_a_device_kept(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db) as url:
        reader = await account(http, db, "reader")
        book = await licence(db, reader.account_id)
        kindle = await device(http, reader)

        async def push(position: int) -> None:
            body = await reader(http, UPDATE_READING, {"input": {"deviceId": kindle, "states": [
                position_entry(book, position, -1)]}})
            assert body["data"]["updateReadingState"]["userErrors"] == []

        async with socket(url, reader.token) as ws:
            op = await ws.subscribe(LIBRARY)
            first = (await ws.data(op))["libraryChanged"]
            assert first["changes"] == [] and first["hasMore"] is False
            await push(100)
            live = (await ws.data(op))["libraryChanged"]
            assert live["changes"] == [{"kind": "READING_STATE_CHANGED", "licence": {"id": book.global_id}}]
        await push(200)  # while the device is away
        await push(300)
        async with socket(url, reader.token) as ws:
            op = await ws.subscribe(LIBRARY, {"after": live["nextToken"]})
            caught_up = (await ws.data(op))["libraryChanged"]
            assert caught_up["changes"] == [{"kind": "READING_STATE_CHANGED", "licence": {"id": book.global_id}}] * 2
            assert ws.pending(op) == 0
            forged = await ws.next(await ws.subscribe(LIBRARY, {"after": "forged"}))
            assert forged["type"] == "error" and forged["payload"][0]["extensions"]["reason"] == "SYNC_TOKEN_INVALID"
