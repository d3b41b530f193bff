"""What each role may do, mutation by mutation: the expected outcome for every role.

Outcomes: "ok", a top-level error code (UNAUTHENTICATED, FORBIDDEN), or a userError code
(NOT_FOUND: another account's object does not exist for the caller). Each case's `prepare`
returns the variables for one role, creating what it acts on (owned by `world.owner`)."""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from api.core import ids
from tests.api.authorization.brand_cases import BRAND_MUTATIONS, owners_campaign
from tests.api.authorization.brand_cases import PRIVATE as BRAND_PRIVATE
from tests.api.authorization.list_cases import LIST_NODES, list_mutation_cases
from tests.api.authorization.webhook_cases import WEBHOOK_NODES, webhook_mutation_cases
from tests.api.authorization.world import STAFF_SELLER_ID, World
from tests.api.identity.helpers import PASSWORD, call, sign_in
from tests.fixtures.db import fetchval

Prepare = Callable[[World, str], Awaitable[dict]]
_n = itertools.count(1)


@dataclass
class Case:
    document: str
    expect: dict[str, str]
    prepare: Prepare | None = None
    # For a variant of a mutation's case (VARIANTS): the mutation's name, keyed otherwise.
    mutation: str | None = None


def everyone(value: str = "ok") -> dict[str, str]:
    return dict.fromkeys(("anonymous", "other_customer", "seller_staff", "admin", "owner"), value)


def signed_in() -> dict[str, str]:
    return {**everyone(), "anonymous": "UNAUTHENTICATED"}


def owner_only(others: str = "NOT_FOUND") -> dict[str, str]:
    return {"anonymous": "UNAUTHENTICATED", "other_customer": others, "seller_staff": others, "admin": others,
            "owner": "ok"}


def owner_only_cart() -> dict[str, str]:
    """A customer's cart is its owner's alone: nobody else finds it (guests use their own carts, so
    anonymous callers get NOT_FOUND too, and administrators only read carts)."""
    return {**owner_only(), "anonymous": "NOT_FOUND"}


def admin_only() -> dict[str, str]:
    return {"anonymous": "UNAUTHENTICATED", "other_customer": "FORBIDDEN", "seller_staff": "FORBIDDEN",
            "admin": "ok", "owner": "FORBIDDEN"}


async def _owner_device(world: World) -> str:
    body = await world.as_role("owner", """mutation { registerDevice(input: {kind: EREADER, name: "Owner's reader"})
        { device { id } } }""")
    return body["data"]["registerDevice"]["device"]["id"]


async def _latest_reset_token(world: World) -> str:
    reader = await world.database.reader()
    try:
        row = await reader.fetchrow("SELECT payload->'secrets'->>'token' FROM jobs WHERE payload->>'template' ="
                                    " 'password_reset' ORDER BY id DESC LIMIT 1")
        return row[0]
    finally:
        await reader.close()


def _once(make: Callable[[World], Awaitable[dict]]) -> Prepare:
    """Variables made once per case (one target shared by every role)."""
    made: dict[int, dict] = {}

    async def prepare(world: World, role: str) -> dict:
        if id(world) not in made:
            made[id(world)] = await make(world)
        return made[id(world)]

    return prepare


async def _fresh_email(world: World, role: str) -> dict:
    return {"email": f"new-{next(_n)}@example.com"}


async def _owner_refresh_token(world: World, role: str) -> dict:
    signed = await sign_in(world.http, world.owner.email)
    return {"token": signed["tokens"]["refreshToken"]}


async def _owner_reset_token(world: World, role: str) -> dict:
    """A reset token of a fresh account per role (one reset e-mail per address per minute)."""
    from tests.fixtures.identity import account

    holder = await account(world.http, world.database, "resetee")
    await call(world.http, "mutation($e: String!) { requestPasswordReset(input: {email: $e}) { success } }",
               {"e": holder.email})
    return {"token": await _latest_reset_token(world)}


async def _owner_session(world: World) -> dict:
    return {"id": world.owner.session_gid}


async def _device(world: World) -> dict:
    return {"id": await _owner_device(world)}


IDENTITY = {
    "registerCustomer": Case(
        """mutation($email: String!) { registerCustomer(input: {email: $email, password: "%s", displayName: "N"})
        { accepted userErrors { code } } }""" % PASSWORD, everyone(), _fresh_email),
    "signIn": Case(
        """mutation($e: String!) { signIn(input: {email: $e, password: "%s", clientKind: WEB})
        { tokens { accessToken } userErrors { code } } }""" % PASSWORD, everyone(),
        _once(lambda w: _async({"e": w.owner.email}))),
    "refreshSession": Case(
        "mutation($token: String!) { refreshSession(input: {refreshToken: $token}) { tokens { accessToken }"
        " userErrors { code } } }", everyone(), _owner_refresh_token),
    "signOut": Case("mutation { signOut { success userErrors { code } } }", signed_in()),
    "signOutEverywhere": Case("mutation { signOutEverywhere { revokedSessions userErrors { code } } }", signed_in()),
    "revokeSession": Case(
        "mutation($id: ID!) { revokeSession(input: {sessionId: $id}) { session { id } userErrors { code } } }",
        owner_only(), _once(_owner_session)),
    "changePassword": Case(
        """mutation { changePassword(input: {currentPassword: "%s", newPassword: "a different passphrase"})
        { tokens { accessToken } userErrors { code } } }""" % PASSWORD, signed_in()),
    "requestPasswordReset": Case(
        "mutation($email: String!) { requestPasswordReset(input: {email: $email}) { success userErrors { code } } }",
        everyone(), _fresh_email),
    "resetPassword": Case(
        """mutation($token: String!) { resetPassword(input: {token: $token, newPassword: "brand new passphrase"})
        { success userErrors { code } } }""", everyone(), _owner_reset_token),
    "registerDevice": Case(
        """mutation { registerDevice(input: {kind: MOBILE, name: "Phone"}) { device { id } userErrors { code } } }""",
        signed_in()),
    "renameDevice": Case(
        """mutation($id: ID!) { renameDevice(input: {deviceId: $id, name: "Renamed"}) { device { id }
        userErrors { code } } }""", owner_only(), _once(_device)),
    "deregisterDevice": Case(
        "mutation($id: ID!) { deregisterDevice(input: {deviceId: $id}) { device { id } userErrors { code } } }",
        owner_only(), _once(_device)),
}


ADDRESS = '{fullName: "Ada Reader", line1: "1 Main St", city: "Springfield", region: "IL", postalCode: "62701", countryCode: "US"}'


async def _owner_address(world: World) -> str:
    body = await world.as_role("owner", "mutation { createAddress(input: %s) { address { id } } }" % ADDRESS)
    return body["data"]["createAddress"]["address"]["id"]


async def _address(world: World) -> dict:
    return {"id": await _owner_address(world)}


ADDRESSES = {
    "createAddress": Case("mutation { createAddress(input: %s) { address { id } userErrors { code } } }" % ADDRESS,
                          signed_in()),
    "updateAddress": Case(
        """mutation($id: ID!) { updateAddress(input: {addressId: $id, city: "Shelbyville"}) { address { id }
        userErrors { code } } }""", owner_only(), _once(_address)),
    "setDefaultAddress": Case(
        "mutation($id: ID!) { setDefaultAddress(input: {addressId: $id}) { address { id } userErrors { code } } }",
        owner_only(), _once(_address)),
    "deleteAddress": Case(
        "mutation($id: ID!) { deleteAddress(input: {addressId: $id}) { deletedAddressId userErrors { code } } }",
        owner_only(), _once(_address)),
}


async def _row(world: World, sql: str):
    reader = await world.database.reader()
    try:
        return await reader.fetchrow(sql)
    finally:
        await reader.close()


async def _scalar(world: World, sql: str):
    return (await _row(world, sql))[0]


def staff_only() -> dict[str, str]:
    """Offers are the seller's own business: its staff change them, nobody else (admins included)."""
    return {"anonymous": "UNAUTHENTICATED", "other_customer": "FORBIDDEN", "seller_staff": "ok",
            "admin": "FORBIDDEN", "owner": "FORBIDDEN"}


async def _unique_name(world: World, role: str) -> dict:
    return {"name": f"Matrix Shop {next(_n)}"}


async def _owner_application(world: World) -> dict:
    body = await world.as_role("owner", 'mutation($n: String!) { applyForSellerAccount(input: {name: $n}) {'
                               ' application { id } } }', {"n": f"Owner Shop {next(_n)}"})
    return {"id": body["data"]["applyForSellerAccount"]["application"]["id"]}


async def _owner_registration(world: World) -> dict:
    body = await world.as_role("owner", 'mutation($n: String!) { registerBrand(input: {brandName: $n,'
                               ' trademarkNumber: "TM-1"}) { registration { id } } }', {"n": f"Owner Brand {next(_n)}"})
    return {"id": body["data"]["registerBrand"]["registration"]["id"]}


def _staff_offer_at(offset: int):
    async def make(world: World) -> dict:
        pk = await _scalar(world, f"SELECT id FROM offers WHERE seller_id = {STAFF_SELLER_ID} AND archived_at IS NULL"
                                  f" ORDER BY id OFFSET {offset} LIMIT 1")
        return {"id": ids.encode("Offer", pk)}
    return make


async def _product_without_staff_offer(world: World) -> dict:
    pk = await _scalar(world, "SELECT id FROM products p WHERE archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
                              f" offers o WHERE o.product_id = p.id AND o.seller_id = {STAFF_SELLER_ID}) ORDER BY id"
                              " LIMIT 1")
    return {"seller": ids.encode("Seller", STAFF_SELLER_ID), "product": ids.encode("Product", pk)}


async def _first_party_offer(world: World) -> dict:
    pk, price = await _first_party(world)
    return {"id": ids.encode("Offer", pk), "price": str(round(price / 200, 2))}


async def _first_party(world: World):
    reader = await world.database.reader()
    try:
        row = await reader.fetchrow("SELECT o.id, o.price_minor FROM offers o JOIN sellers s ON s.id = o.seller_id"
                                    " WHERE s.is_first_party AND o.archived_at IS NULL AND o.price_minor > 200"
                                    " ORDER BY o.id LIMIT 1")
        return row[0], row[1]
    finally:
        await reader.close()


OFFER = "offer { id } userErrors { code }"
MARKETPLACE = {
    "applyForSellerAccount": Case(
        "mutation($name: String!) { applyForSellerAccount(input: {name: $name}) { application { id }"
        " userErrors { code } } }", signed_in(), _unique_name),
    "approveSellerApplication": Case(
        "mutation($id: ID!) { approveSellerApplication(input: {applicationId: $id}) { application { id }"
        " userErrors { code } } }", admin_only(), _once(_owner_application)),
    "rejectSellerApplication": Case(
        """mutation($id: ID!) { rejectSellerApplication(input: {applicationId: $id, reason: "Incomplete"}) {
        application { id } userErrors { code } } }""", admin_only(), _once(_owner_application)),
    "setSellerStanding": Case(
        """mutation { setSellerStanding(input: {sellerId: "%s", standing: AT_RISK, reason: "Late shipments"}) {
        userErrors { code } } }""" % ids.encode("Seller", 60), admin_only()),
    "createOffer": Case(
        """mutation($seller: ID!, $product: ID!) { createOffer(input: {sellerId: $seller, productId: $product,
        condition: USED, fulfilment: MERCHANT, price: {amount: "12.50", currencyCode: USD}, quantity: 3}) { %s } }"""
        % OFFER, staff_only(), _once(_product_without_staff_offer)),
    "updateOffer": Case(
        """mutation($id: ID!) { updateOffer(input: {offerId: $id, price: {amount: "19.99", currencyCode: USD}}) {
        %s } }""" % OFFER, staff_only(), _once(_staff_offer_at(0))),
    # Roles run in order: once the staff has archived the offer, it no longer exists for outsiders.
    "archiveOffer": Case("mutation($id: ID!) { archiveOffer(input: {offerId: $id}) { %s } }" % OFFER,
                         {**staff_only(), "admin": "NOT_FOUND", "owner": "NOT_FOUND"}, _once(_staff_offer_at(1))),
    "matchCompetitorPrice": Case(
        """mutation($id: ID!, $price: Decimal!) { matchCompetitorPrice(input: {offerId: $id, competitorName: "Rival",
        competitorPrice: {amount: $price, currencyCode: USD}, evidenceUrl: "https://rival.example/p/1"}) {
        %s } }""" % OFFER, admin_only(), _once(_first_party_offer)),
    "registerBrand": Case(
        """mutation($name: String!) { registerBrand(input: {brandName: $name, trademarkNumber: "TM-2"}) {
        registration { id } userErrors { code } } }""", signed_in(), _unique_name),
    "approveBrandRegistration": Case(
        "mutation($id: ID!) { approveBrandRegistration(input: {registrationId: $id}) { registration { id }"
        " userErrors { code } } }", admin_only(), _once(_owner_registration)),
    "rejectBrandRegistration": Case(
        """mutation($id: ID!) { rejectBrandRegistration(input: {registrationId: $id, reason: "No trademark"}) {
        registration { id } userErrors { code } } }""", admin_only(), _once(_owner_registration)),
}


ADMIN_ONLY_NODE = {"anonymous": "hidden", "other_customer": "hidden", "seller_staff": "hidden", "admin": "visible",
                   "owner": "hidden"}


def _admin_made(mutation: str, field: str, fields: str):
    """A target the administrator creates first (a category, brand, product or import)."""
    async def make(world: World) -> dict:
        values = fields % next(_n) if "%d" in fields else fields.replace("%s", "")
        body = await world.as_role("admin", "mutation { %s(input: {%s}) { %s { id } userErrors { code } } }"
                                   % (mutation, values, field))
        return {"id": body["data"][mutation][field]["id"]}
    return make


async def _leaf_category(world: World) -> str:
    return ids.encode("Category", await _scalar(world, "SELECT id FROM categories WHERE archived_at IS NULL AND NOT"
                                                      " EXISTS (SELECT 1 FROM categories c WHERE c.parent_id ="
                                                      " categories.id) ORDER BY id LIMIT 1"))


async def _new_product(world: World) -> dict:
    body = await world.as_role("admin", """mutation($c: ID!, $t: String!) { createProduct(input: {title: $t,
        kind: PHYSICAL, categoryId: $c}) { product { id } } }""", {"c": await _leaf_category(world),
                                                                   "t": f"Matrix Lamp {next(_n)}"})
    return {"id": body["data"]["createProduct"]["product"]["id"]}


async def _product_fields(world: World, role: str) -> dict:
    return {"c": await _leaf_category(world), "t": f"Matrix Kettle {next(_n)}"}


_CATEGORY = _admin_made("createCategory", "category", 'name: "Matrix Category %d"')
_BRAND = _admin_made("createBrand", "brand", 'name: "Matrix Brand %d"')
_IMPORT = _admin_made("createProductImport", "productImport", "format: CSV%s")


async def _import_with_a_chunk(world: World) -> dict:
    made = await _IMPORT(world)
    await world.as_role("admin", """mutation($id: ID!) { appendProductImportChunk(input: {importId: $id, index: 0,
        chunk: "title,kind,category\\nMatrix Toaster,PHYSICAL,books\\n"}) { userErrors { code } } }""", made)
    return made


PAYLOAD_ERRORS = "userErrors { code }"
CATALOGUE = {
    "createCategory": Case('mutation($name: String!) { createCategory(input: {name: $name}) { category { id } %s } }'
                           % PAYLOAD_ERRORS, admin_only(), _unique_name),
    "updateCategory": Case('mutation($id: ID!) { updateCategory(input: {id: $id, description: "Lamps"}) {'
                           ' category { id } %s } }' % PAYLOAD_ERRORS, admin_only(), _once(_CATEGORY)),
    "archiveCategory": Case('mutation($id: ID!) { archiveCategory(input: {id: $id}) { category { id } %s } }'
                            % PAYLOAD_ERRORS, admin_only(), _once(_CATEGORY)),
    "createBrand": Case('mutation($name: String!) { createBrand(input: {name: $name}) { brand { id } %s } }'
                        % PAYLOAD_ERRORS, admin_only(), _unique_name),
    "updateBrand": Case('mutation($id: ID!) { updateBrand(input: {id: $id, description: "Lamps"}) { brand { id } %s } }'
                        % PAYLOAD_ERRORS, admin_only(), _once(_BRAND)),
    "archiveBrand": Case('mutation($id: ID!) { archiveBrand(input: {id: $id}) { brand { id } %s } }'
                         % PAYLOAD_ERRORS, admin_only(), _once(_BRAND)),
    "createProduct": Case('mutation($c: ID!, $t: String!) { createProduct(input: {title: $t, kind: PHYSICAL,'
                          ' categoryId: $c}) { product { id } %s } }' % PAYLOAD_ERRORS, admin_only(), _product_fields),
    "updateProduct": Case('mutation($id: ID!) { updateProduct(input: {id: $id, description: "Bright"}) {'
                          ' product { id } %s } }' % PAYLOAD_ERRORS, admin_only(), _once(_new_product)),
    "archiveProduct": Case('mutation($id: ID!) { archiveProduct(input: {id: $id}) { product { id } %s } }'
                           % PAYLOAD_ERRORS, admin_only(), _once(_new_product)),
    "createProductImport": Case('mutation { createProductImport(input: {format: JSONL}) { productImport { id } %s } }'
                                 % PAYLOAD_ERRORS, admin_only()),
    "appendProductImportChunk": Case(
        """mutation($id: ID!) { appendProductImportChunk(input: {importId: $id, index: 0, chunk: "title,kind,category\\n"})
        { productImport { id } %s } }""" % PAYLOAD_ERRORS, admin_only(), _once(_IMPORT)),
    "startProductImport": Case(
        "mutation($id: ID!) { startProductImport(input: {importId: $id}) { productImport { id } %s } }"
        % PAYLOAD_ERRORS, admin_only(), _once(_import_with_a_chunk)),
}


async def _async(value):
    return value


async def _leaf_category_id(world: World) -> dict:
    return {"c": await _leaf_category(world)}


async def _seller_with_balance(world: World) -> dict:
    """A third-party seller (not the matrix's staff seller) credited with a $100.00 sale."""
    seller_id = 50
    reader = await world.database.reader()
    try:
        await reader.fetch("INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency, reference)"
                           " VALUES ($1, 'SALE', 10000, 'USD', $2)", seller_id, f"order-line:matrix-{next(_n)}")
    finally:
        await reader.close()
    return {"seller": ids.encode("Seller", seller_id)}


LEDGER = {
    "setCommissionRate": Case(
        """mutation($c: ID!) { setCommissionRate(input: {categoryId: $c, ratePercent: "12.5"}) {
        commissionRate { basisPoints } %s } }""" % PAYLOAD_ERRORS, admin_only(), _once(_leaf_category_id)),
    "paySeller": Case(
        """mutation($seller: ID!) { paySeller(input: {sellerId: $seller, amount: {amount: "1.00", currencyCode: USD}})
        { entry { kind } %s } }""" % PAYLOAD_ERRORS, admin_only(), _once(_seller_with_balance)),
}


async def _platform_offer(world: World) -> str:
    return ids.encode("Offer", await _scalar(world, "SELECT o.id FROM offers o JOIN sellers s ON s.id = o.seller_id"
                                                    " JOIN products p ON p.id = o.product_id WHERE s.is_first_party"
                                                    " AND p.kind = 'PHYSICAL' AND o.archived_at IS NULL"
                                                    " AND o.quantity >= 20 ORDER BY o.id LIMIT 1"))


async def _owner_cart(world: World) -> dict:
    """The owner's cart with one line of a platform-shipped offer."""
    body = await world.as_role("owner", "mutation($o: ID!) { createCart(input: {lines: [{offerId: $o}]}) {"
                               " cart { id lines { id } shipmentGroups { seller { id } } } } }",
                               {"o": await _platform_offer(world)})
    cart = body["data"]["createCart"]["cart"]
    return {"cart": cart["id"], "line": cart["lines"][0]["id"], "seller": cart["shipmentGroups"][0]["seller"]["id"],
            "offer": await _platform_offer(world)}


async def _guest_cart_token(world: World, role: str) -> dict:
    body = await world.as_role("anonymous", "mutation { createCart(input: {}) { cartToken } }")
    return {"token": body["data"]["createCart"]["cartToken"]}


async def _owner_cart_to_place(world: World) -> dict:
    """The owner's cart, ready to be placed (it has a shipping address)."""
    made = await _owner_cart(world)
    await world.as_role("owner", "mutation($cart: ID!) { setCartShippingAddress(input: {cartId: $cart, address: %s})"
                        " { userErrors { code } } }" % ADDRESS, {"cart": made["cart"]})
    return made


_cart_to_place = _once(_owner_cart_to_place)


async def _place_owner_cart(world: World, role: str) -> dict:
    return {**await _cart_to_place(world, role), "key": f"matrix-{role}"}


CART_ERRORS = "cart { id } userErrors { code }"
ORDERING = {
    "placeOrder": Case(
        "mutation($cart: ID!, $key: String!) { placeOrder(input: {cartId: $cart, idempotencyKey: $key,"
        ' paymentToken: "tok_visa"}) { order { id } userErrors { code } } }', owner_only(), _place_owner_cart),
    "createCart": Case("mutation { createCart(input: {}) { cart { id } cartToken userErrors { code } } }", everyone()),
    "addCartLines": Case(
        "mutation($cart: ID!, $offer: ID!) { addCartLines(input: {cartId: $cart, lines: [{offerId: $offer}]}) { %s } }"
        % CART_ERRORS, owner_only_cart(), _once(_owner_cart)),
    "updateCartLines": Case(
        "mutation($cart: ID!, $line: ID!) { updateCartLines(input: {cartId: $cart, lines: [{lineId: $line,"
        " quantity: 2}]}) { %s } }" % CART_ERRORS, owner_only_cart(), _once(_owner_cart)),
    "removeCartLines": Case(
        "mutation($cart: ID!, $line: ID!) { removeCartLines(input: {cartId: $cart, lineIds: [$line]}) { %s } }"
        % CART_ERRORS, owner_only_cart(), _once(_owner_cart)),
    "setCartShippingAddress": Case(
        "mutation($cart: ID!) { setCartShippingAddress(input: {cartId: $cart, address: %s}) { %s } }"
        % (ADDRESS, CART_ERRORS), owner_only_cart(), _once(_owner_cart)),
    "setCartBillingAddress": Case(
        "mutation($cart: ID!) { setCartBillingAddress(input: {cartId: $cart, address: %s}) { %s } }"
        % (ADDRESS, CART_ERRORS), owner_only_cart(), _once(_owner_cart)),
    "selectCartDeliveryOption": Case(
        "mutation($cart: ID!, $seller: ID!) { selectCartDeliveryOption(input: {cartId: $cart, sellerId: $seller,"
        " fulfilment: PLATFORM, option: TWO_DAY}) { %s } }" % CART_ERRORS, owner_only_cart(), _once(_owner_cart)),
    "mergeGuestCart": Case("mutation($token: String!) { mergeGuestCart(input: {cartToken: $token}) { %s } }" % CART_ERRORS,
                      signed_in(), _guest_cart_token),
}


async def _owner_activated_licence(world: World) -> dict:
    """A licence of the owner's for a seeded e-book, activated on the owner's e-reader."""
    body = await world.as_role("owner", 'mutation { registerDevice(input: {kind: EREADER, name: "Reader"}) {'
                                        ' device { id } } }')
    device = body["data"]["registerDevice"]["device"]["id"]
    product = await _scalar(world, "SELECT product_id FROM digital_contents ORDER BY product_id LIMIT 1")
    reader = await world.database.reader()
    try:
        licence = (await reader.fetchrow("INSERT INTO licences (account_id, product_id, kind) VALUES ($1, $2,"
                                         " 'PURCHASE') RETURNING id", world.owner.account_id, product))[0]
        await reader.fetch("INSERT INTO licence_activations (licence_id, device_id) VALUES ($1, $2)", licence,
                           ids.decode(device)[1])
    finally:
        await reader.close()
    return {"licence": ids.encode("Licence", licence), "device": device}


DOWNLOADS = {
    "requestDownload": Case(
        "mutation($licence: ID!, $device: ID!) { requestDownload(input: {licenceId: $licence, deviceId: $device}) {"
        " download { url } userErrors { code } } }", owner_only(), _once(_owner_activated_licence)),
}


def shipment_work() -> dict[str, str]:
    """A shipment is worked by its seller's staff and administrators; its customer sees it but may
    not, anyone else finds nothing."""
    return {"anonymous": "UNAUTHENTICATED", "other_customer": "NOT_FOUND", "seller_staff": "ok", "admin": "ok",
            "owner": "FORBIDDEN"}


async def _fresh_order(world: World, role: str, fulfilment: str = "MERCHANT") -> dict:
    """A new order of the owner's for each role (a shipped or cancelled one cannot be again)."""
    order = await _owner_order(world, fulfilment)
    return {"order": ids.encode("Order", order.id), "shipment": ids.encode("Shipment", order.shipment_ids[0])}


async def _fresh_preorder(world: World, role: str) -> dict:
    """A new order of the owner's for each role, placed the day before its item's release (its
    shipment still awaits the release job)."""
    from datetime import timedelta

    from tests.fixtures.orders import placed_order

    row = await _row(world, "SELECT o.id, p.release_date FROM offers o JOIN products p ON p.id = o.product_id"
                            f" WHERE o.seller_id = {STAFF_SELLER_ID} AND p.kind = 'PHYSICAL' AND o.fulfilment ="
                            " 'MERCHANT' AND p.release_date IS NOT NULL AND o.archived_at IS NULL AND o.quantity >= 5"
                            " ORDER BY o.id LIMIT 1")
    order = await placed_order(world.database, world.owner.account_id, [(row["id"], 1)],
                               today=row["release_date"] - timedelta(days=1))
    return {"line": ids.encode("OrderLine", order.line_ids[0])}


async def _fresh_platform_order(world: World, role: str) -> dict:
    """As `_fresh_order`, the staff seller's item shipped by the platform from its warehouse."""
    return await _fresh_order(world, role, "PLATFORM")


SHIP = """mutation($shipment: ID!) { markShipmentShipped(input: {shipmentId: $shipment, carrier: "UPS",
    trackingNumber: "1Z999"}) { shipment { id } userErrors { code } } }"""


async def _shipped_order(world: World, role: str, fulfilment: str = "MERCHANT") -> dict:
    made = await _fresh_order(world, role, fulfilment)
    body = await world.as_role("admin", SHIP, made)
    assert body["data"]["markShipmentShipped"]["userErrors"] == [], body
    return made


async def _shipped_platform_order(world: World, role: str) -> dict:
    return await _shipped_order(world, role, "PLATFORM")


def platform_shipment_work() -> dict[str, str]:
    """A PLATFORM-fulfilled shipment is the platform's to work: its seller's staff see it but may
    not ship, deliver or cancel it."""
    return {**shipment_work(), "seller_staff": "FORBIDDEN"}


DELIVER = """mutation($shipment: ID!) { markShipmentDelivered(input: {shipmentId: $shipment}) { shipment { id }
    userErrors { code } } }"""
CANCEL_SHIPMENT = """mutation($shipment: ID!) { cancelShipment(input: {shipmentId: $shipment, reason: "Cannot fulfil"})
    { shipment { id } userErrors { code } } }"""


FULFILMENT = {
    "markShipmentShipped": Case(SHIP, shipment_work(), _fresh_order),
    "markShipmentDelivered": Case(DELIVER, shipment_work(), _shipped_order),
    "cancelShipment": Case(CANCEL_SHIPMENT, shipment_work(), _fresh_order),
    "cancelOrder": Case(
        """mutation($order: ID!) { cancelOrder(input: {orderId: $order, reason: "Changed my mind"}) { order { id }
        userErrors { code } } }""",
        {"anonymous": "UNAUTHENTICATED", "other_customer": "NOT_FOUND", "seller_staff": "NOT_FOUND", "admin": "ok",
         "owner": "ok"}, _fresh_order),
    "cancelPreorderLine": Case(
        """mutation($line: ID!) { cancelPreorderLine(input: {orderLineId: $line, reason: "Changed my mind"}) {
        order { id } userErrors { code } } }""",
        {"anonymous": "UNAUTHENTICATED", "other_customer": "NOT_FOUND", "seller_staff": "NOT_FOUND", "admin": "ok",
         "owner": "ok"}, _fresh_preorder),
}


async def _owner_delivered_order(world: World):
    """An order of the owner's (a line of the matrix's staff seller), captured and delivered."""
    from domain.payments.test_provider import TestPaymentProvider
    from tests.fixtures.customer_service import ship

    order = await _owner_order(world)
    async with TestPaymentProvider(world.database.url) as provider:
        await ship(world.database, provider, order.shipment_ids)
    return order


async def _delivered_order_ids(world: World, role: str) -> dict:
    order = await _owner_delivered_order(world)
    return {"order": ids.encode("Order", order.id), "line": ids.encode("OrderLine", order.line_ids[0])}


async def _owner_return_request(world: World, role: str) -> dict:
    """A fresh return request of the owner's for each role (a decided request is no longer open)."""
    made = await _delivered_order_ids(world, role)
    body = await world.as_role("owner", """mutation($order: ID!, $line: ID!) { requestReturn(input: {orderId: $order,
        reason: DAMAGED, lines: [{orderLineId: $line, quantity: 1}]}) { returnRequest { id } userErrors { code message } } }""", made)
    assert body["data"]["requestReturn"]["returnRequest"], body
    return {"id": body["data"]["requestReturn"]["returnRequest"]["id"]}


async def _open_flag(world: World) -> dict:
    pk = await _scalar(world, "INSERT INTO product_review_flags (product_id, source, reason, reference)"
                              f" VALUES (1, 'WRONG_ITEM', 'Matrix report', 'matrix:{next(_n)}') RETURNING id")
    return {"id": ids.encode("ProductReviewFlag", pk)}


def decides_returns() -> dict[str, str]:
    """Customer service (administrators) and the staff of the seller that sold the items."""
    return {"anonymous": "UNAUTHENTICATED", "other_customer": "FORBIDDEN", "seller_staff": "ok", "admin": "ok",
            "owner": "FORBIDDEN"}


RETURN_ERRORS = "returnRequest { id status } userErrors { code }"
REFUND_ERRORS = "refund { id } order { id } userErrors { code }"
SERVICE = {
    "requestReturn": Case(
        """mutation($order: ID!, $line: ID!) { requestReturn(input: {orderId: $order, reason: DAMAGED,
        lines: [{orderLineId: $line, quantity: 1}]}) { returnRequest { id } order { id } userErrors { code } } }""",
        {**owner_only(), "admin": "ok"}, _delivered_order_ids),
    "refundReturn": Case("mutation($id: ID!) { refundReturn(input: {returnRequestId: $id}) { %s } }" % RETURN_ERRORS,
                         decides_returns(), _owner_return_request),
    "rejectReturn": Case(
        """mutation($id: ID!) { rejectReturn(input: {returnRequestId: $id, reason: "Used"}) { %s } }""" % RETURN_ERRORS,
        decides_returns(), _owner_return_request),
    "refundOrder": Case(
        """mutation($order: ID!, $line: ID!) { refundOrder(input: {orderId: $order, lines: [{orderLineId: $line,
        amount: {amount: "1.00", currencyCode: USD}}], reason: "Scratched", idempotencyKey: "matrix-refund"}) {
        %s } }""" % REFUND_ERRORS, admin_only(), _once(lambda w: _delivered_order_ids(w, "admin"))),
    "issueGoodwillRefund": Case(
        """mutation($order: ID!) { issueGoodwillRefund(input: {orderId: $order, amount: {amount: "1.00",
        currencyCode: USD}, reason: "Late", idempotencyKey: "matrix-goodwill"}) { %s } }""" % REFUND_ERRORS,
        admin_only(), _once(lambda w: _delivered_order_ids(w, "admin"))),
    "releasePreorders": Case("mutation { releasePreorders(input: {}) { releasedShipmentCount userErrors { code } } }",
                             admin_only()),
    "resolveProductReviewFlag": Case(
        """mutation($id: ID!) { resolveProductReviewFlag(input: {flagId: $id, note: "Checked"}) {
        productReviewFlag { id status } userErrors { code } } }""", admin_only(), _once(_open_flag)),
}


async def _owner_licence(world: World) -> int:
    from tests.fixtures.licences import ebook_product_ids, granted

    return (await granted(world.database, world.owner.account_id, await ebook_product_ids(world.database, 1)))[0]


async def _owner_licence_and_device(world: World) -> dict:
    return {"licence": ids.encode("Licence", await _owner_licence(world)), "device": await _owner_device(world)}


LICENCES = {
    "activateLicence": Case(
        "mutation($licence: ID!, $device: ID!) { activateLicence(input: {licenceId: $licence, deviceId: $device})"
        " { licence { id } userErrors { code } } }", owner_only(), _once(_owner_licence_and_device)),
    "deactivateLicence": Case(
        "mutation($licence: ID!, $device: ID!) { deactivateLicence(input: {licenceId: $licence, deviceId: $device})"
        " { licence { id } userErrors { code } } }", owner_only(), _once(_owner_licence_and_device)),
}


async def _owner_bought_ebook(world: World) -> dict:
    """An e-book the owner bought through an order (its licence issued at payment)."""
    from tests.fixtures.licences import bought_ebook

    return {"licence": ids.encode("Licence", await bought_ebook(world.database, world.owner.account_id))}


EBOOK_RETURNS = {
    "returnEbook": Case(
        """mutation($licence: ID!) { returnEbook(input: {licenceId: $licence, reason: "Bought by mistake"}) {
        licence { id } refund { id } userErrors { code } } }""", owner_only(), _once(_owner_bought_ebook)),
}


async def _owner_reading_licence(world: World) -> dict:
    """A licence of the owner's (an e-book of 5,000 locations)."""
    from tests.fixtures.reading import licence

    return {"licence": (await licence(world.database, world.owner.account_id)).global_id}


def _reading(make_licence: Prepare) -> Prepare:
    """The owner's licence, sent by each role from a device of its own (anonymous callers have
    none: they send the owner's), so only the licence decides."""

    async def prepare(world: World, role: str) -> dict:
        variables = dict(await make_licence(world, role))
        caller = world.callers[role] or world.owner
        body = await call(world.http, """mutation { registerDevice(input: {kind: EREADER, name: "Reader"})
            { device { id } } }""", token=caller.token)
        return {**variables, "device": body["data"]["registerDevice"]["device"]["id"]}

    return prepare


READING = {
    "updateReadingState": Case(
        """mutation($device: ID!, $licence: ID!) { updateReadingState(input: {deviceId: $device, states: [
        {licenceId: $licence, position: 10, clientTime: "2020-01-01T00:00:00Z"}]}) { readingStates { lastPosition }
        userErrors { code } } }""", owner_only(), _reading(_once(_owner_reading_licence))),
    "syncAnnotations": Case(
        """mutation($device: ID!, $licence: ID!) { syncAnnotations(input: {deviceId: $device, changes: [
        {id: "6f1c3a5e-0000-4000-8000-000000000001", licenceId: $licence, kind: BOOKMARK, startPosition: 10,
        endPosition: 10, clientUpdatedAt: "2020-01-01T00:00:00Z"}]}) { results { outcome } userErrors { code } } }""",
        owner_only(), _reading(_once(_owner_reading_licence))),
}


async def _owner_video(world: World) -> dict:
    """A streaming video the owner bought, activated on the owner's device, and a report id."""
    import uuid

    from tests.fixtures.licences import STREAMING, bought

    (licence,) = await bought(world.database, world.owner.account_id, STREAMING)
    device = await _owner_device(world)
    reader = await world.database.reader()
    try:
        await reader.fetch("INSERT INTO licence_activations (licence_id, device_id) VALUES ($1, $2)", licence,
                           ids.decode(device)[1])
    finally:
        await reader.close()
    return {"licence": ids.encode("Licence", licence), "device": device, "report": str(uuid.uuid4())}


PLAYBACK = {
    "startPlayback": Case(
        "mutation($licence: ID!, $device: ID!) { startPlayback(input: {licenceId: $licence, deviceId: $device}) {"
        " stream { url } userErrors { code } } }", owner_only(), _once(_owner_video)),
    "reportPlayback": Case(
        "mutation($licence: ID!, $device: ID!, $report: UUID!) { reportPlayback(input: {licenceId: $licence,"
        " deviceId: $device, reportId: $report, watchedSeconds: 60, rebufferingSeconds: 0, averageBitrateKbps: 3000})"
        " { refunded userErrors { code } } }", owner_only(), _once(_owner_video)),
}


async def _owner_review_of_staff_product(world: World, status: str = "PUBLISHED", reported: bool = False) -> dict:
    """The owner's review of a product the matrix's staff seller sells: its staff have no more
    say over it than any other customer."""
    hidden_at = "now()" if status == "HIDDEN" else "NULL"
    pk = await _scalar(world, "INSERT INTO reviews (work_id, product_id, account_id, stars, status, hidden_at)"
                              f" SELECT p.work_id, p.id, {world.owner.account_id}, 2, '{status}', {hidden_at}"
                              f" FROM offers o JOIN products p ON p.id = o.product_id WHERE o.seller_id = {STAFF_SELLER_ID}"
                              " AND p.work_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reviews x WHERE x.work_id ="
                              f" p.work_id AND x.account_id = {world.owner.account_id}) ORDER BY p.id LIMIT 1 RETURNING id")
    if reported:
        await _scalar(world, "INSERT INTO review_reports (review_id, account_id, reason)"
                             f" VALUES ({pk}, {world.callers['other_customer'].account_id}, 'SPAM') RETURNING id")
    return {"id": ids.encode("Review", pk)}


MODERATED = "review { id status } userErrors { code }"
MODERATION = {
    # Once per review: each role reports the same review once; its author cannot.
    "reportReview": Case(
        "mutation($id: ID!) { reportReview(input: {reviewId: $id, reason: SPAM}) { report { reason }"
        " userErrors { code } } }", {**signed_in(), "owner": "CANNOT_REPORT_OWN_REVIEW"},
        _once(_owner_review_of_staff_product)),
    # A fresh review per role, so each role's outcome is its own (not "already hidden").
    "hideReview": Case(
        f"mutation($id: ID!) {{ hideReview(input: {{reviewId: $id, reason: \"Abuse\"}}) {{ {MODERATED} }} }}",
        admin_only(), lambda w, role: _owner_review_of_staff_product(w)),
    "restoreReview": Case(
        f"mutation($id: ID!) {{ restoreReview(input: {{reviewId: $id, reason: \"Appeal\"}}) {{ {MODERATED} }} }}",
        admin_only(), lambda w, role: _owner_review_of_staff_product(w, "HIDDEN")),
    "dismissReviewReports": Case(
        f"mutation($id: ID!) {{ dismissReviewReports(input: {{reviewId: $id, reason: \"Fine\"}}) {{ {MODERATED} }} }}",
        admin_only(), lambda w, role: _owner_review_of_staff_product(w, reported=True)),
}



async def _owner_post_on_staff_product(world: World, kind: str, status: str = "PUBLISHED",
                                       reported: bool = False) -> dict:
    """The owner's question (kind "Question") or answer to their question ("Answer") about a
    product the matrix's staff seller sells: its staff, like its brand's owner, have no more say
    over it than any other customer."""
    owner = world.owner.account_id
    hidden_at = "now()" if status == "HIDDEN" else "NULL"
    question_status = status if kind == "Question" else "PUBLISHED"
    pk = await _scalar(world, "INSERT INTO product_questions (product_id, account_id, body, status, hidden_at)"
                              f" SELECT min(product_id), {owner}, 'Is it signed?', '{question_status}',"
                              f" {hidden_at if kind == 'Question' else 'NULL'}"
                              f" FROM offers WHERE seller_id = {STAFF_SELLER_ID} RETURNING id")
    if kind == "Answer":
        pk = await _scalar(world, "INSERT INTO product_answers (question_id, account_id, answerer, body, status,"
                                  f" hidden_at) VALUES ({pk}, {owner}, 'CUSTOMER', 'Yes.', '{status}', {hidden_at})"
                                  " RETURNING id")
    if reported:
        column = "question_id" if kind == "Question" else "answer_id"
        await _scalar(world, f"INSERT INTO question_reports (kind, {column}, account_id, reason) VALUES"
                             f" ('{kind.upper()}', {pk}, {world.callers['other_customer'].account_id}, 'SPAM')"
                             " RETURNING id")
    return {"id": ids.encode(kind, pk)}


def _post_cases(kind: str) -> dict[str, Case]:
    """reportQuestion, hideQuestion... (kind "Question"), reportAnswer, hideAnswer... ("Answer")."""
    field = f"{kind.lower()}Id"
    moderated = f"{field} status userErrors {{ code }}"

    def acting(mutation: str, reason: str, **post) -> Case:
        # A fresh post per role, so each role's outcome is its own (not "already hidden").
        return Case(f"mutation($id: ID!) {{ {mutation}(input: {{{field}: $id, reason: \"{reason}\"}})"
                    f" {{ {moderated} }} }}", admin_only(),
                    lambda w, role: _owner_post_on_staff_product(w, kind, **post))

    return {
        # Once per post: each role reports the same post once; its author cannot.
        f"report{kind}": Case(
            f"mutation($id: ID!) {{ report{kind}(input: {{{field}: $id, reason: SPAM}}) {{ report {{ reason }}"
            " userErrors { code } } }", {**signed_in(), "owner": "CANNOT_REPORT_OWN_POST"},
            _once(lambda w: _owner_post_on_staff_product(w, kind))),
        f"hide{kind}": acting(f"hide{kind}", "Abuse"),
        f"restore{kind}": acting(f"restore{kind}", "Appeal", status="HIDDEN"),
        f"dismiss{kind}Reports": acting(f"dismiss{kind}Reports", "Fine", reported=True),
    }


QUESTION_MODERATION = {**_post_cases("Question"), **_post_cases("Answer")}

async def _owner_review(world: World) -> dict:
    """A review by the owner, written straight into the table (the spend rule is not what the
    matrix tries: every signed-in role meets it alike)."""
    review_id = await fetchval(
        world.database, "INSERT INTO reviews (work_id, product_id, account_id, stars, body) SELECT work_id, id, $1, 4,"
        " 'Good.' FROM products p WHERE work_id IS NOT NULL AND archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
        " reviews x WHERE x.work_id = p.work_id AND x.account_id = $1) ORDER BY id LIMIT 1 RETURNING id",
        world.owner.account_id)
    return {"id": ids.encode("Review", review_id)}


async def _any_book(world: World, role: str) -> dict:
    product_id = await fetchval(world.database, "SELECT min(id) FROM products WHERE work_id IS NOT NULL")
    return {"id": ids.encode("Product", product_id)}


REVIEW_FIELDS = "review { id } userErrors { code }"
# Sellers and brand owners have no power over reviews: every mutation acts on the caller's own
# review only, and seller staff write and vote as any customer.
REVIEWS = {
    # New accounts have paid nothing in the last 12 months: every signed-in role meets the same
    # spend rule (its "ok" is tried in tests/api/reviews/test_review_mutations.py).
    "createReview": Case(
        "mutation($id: ID!) { createReview(input: {productId: $id, stars: 5}) { %s } }" % REVIEW_FIELDS,
        {**everyone("REVIEW_NOT_ELIGIBLE"), "anonymous": "UNAUTHENTICATED"}, _any_book),
    "updateReview": Case(
        "mutation($id: ID!) { updateReview(input: {reviewId: $id, stars: 1}) { %s } }" % REVIEW_FIELDS,
        owner_only(), _once(_owner_review)),
    "deleteReview": Case(
        "mutation($id: ID!) { deleteReview(input: {reviewId: $id}) { deletedReviewId userErrors { code } } }",
        owner_only(), _once(_owner_review)),
    "voteReviewHelpful": Case(
        "mutation($id: ID!) { voteReviewHelpful(input: {reviewId: $id}) { %s } }" % REVIEW_FIELDS,
        {**signed_in(), "owner": "OWN_REVIEW"}, _once(_owner_review)),
    "removeReviewVote": Case(
        "mutation($id: ID!) { removeReviewVote(input: {reviewId: $id}) { %s } }" % REVIEW_FIELDS,
        signed_in(), _once(_owner_review)),
}


async def _owner_question(world: World, status: str = "PUBLISHED") -> int:
    """The owner's question about a product the matrix's staff seller offers."""
    hidden_at = "now()" if status == "HIDDEN" else "NULL"
    return await _scalar(world, "INSERT INTO product_questions (product_id, account_id, body, status, hidden_at)"
                                f" SELECT min(product_id), {world.owner.account_id}, 'Does it fit?', '{status}',"
                                f" {hidden_at} FROM offers WHERE seller_id = {STAFF_SELLER_ID} AND archived_at IS NULL"
                                " RETURNING id")


async def _owner_answer(world: World, status: str = "PUBLISHED") -> int:
    """The owner's answer to a question of someone else's."""
    question = await _owner_question(world)
    await _scalar(world, f"UPDATE product_questions SET account_id = {world.callers['other_customer'].account_id}"
                         f" WHERE id = {question} RETURNING id")
    hidden_at = "now()" if status == "HIDDEN" else "NULL"
    return await _scalar(world, "INSERT INTO product_answers (question_id, account_id, answerer, body, status, hidden_at)"
                                f" VALUES ({question}, {world.owner.account_id}, 'CUSTOMER', 'It does.', '{status}',"
                                f" {hidden_at}) RETURNING id")


async def _question_vars(world: World) -> dict:
    return {"id": ids.encode("Question", await _owner_question(world))}


async def _answer_vars(world: World) -> dict:
    return {"id": ids.encode("Answer", await _owner_answer(world))}


async def _product_of_staff_seller(world: World, role: str) -> dict:
    product_id = await _scalar(world, f"SELECT min(product_id) FROM offers WHERE seller_id = {STAFF_SELLER_ID}"
                                      " AND archived_at IS NULL")
    return {"id": ids.encode("Product", product_id)}


QUESTION_FIELDS = "question { id } userErrors { code }"
ANSWER_FIELDS = "answer { id } userErrors { code }"
ANSWER_AS_SELLER = ("mutation($id: ID!, $seller: ID!) { answerQuestion(input: {questionId: $id, text: \"In stock.\","
                    " sellerId: $seller}) { %s } }" % ANSWER_FIELDS)
ANSWER_AS_BRAND = ("mutation($id: ID!) { answerQuestion(input: {questionId: $id, text: \"Yes.\", asBrand: true})"
                   " { %s } }" % ANSWER_FIELDS)


async def _staff_seller_question(world: World, role: str) -> dict:
    return {**(await _question_vars(world)), "seller": ids.encode("Seller", STAFF_SELLER_ID)}


def _not_staff(code: str) -> dict[str, str]:
    return {**everyone(code), "anonymous": "UNAUTHENTICATED"}


# Sellers and brand owners have no power over others' questions and answers: edits, deletions
# and votes act on the caller's own posts only. Answering for a seller takes staff of a seller
# offering the product; answering as the brand, its owner (no matrix role owns the brand).
QUESTIONS = {
    "askQuestion": Case(
        "mutation($id: ID!) { askQuestion(input: {productId: $id, text: \"Does it fit?\"}) { %s } }"
        % QUESTION_FIELDS, signed_in(), _product_of_staff_seller),
    "answerQuestion": Case(
        "mutation($id: ID!) { answerQuestion(input: {questionId: $id, text: \"It does.\"}) { %s } }" % ANSWER_FIELDS,
        signed_in(), _once(_question_vars)),
    "updateQuestion": Case(
        "mutation($id: ID!) { updateQuestion(input: {questionId: $id, text: \"Does it fit a 15-inch laptop?\"})"
        " { %s } }" % QUESTION_FIELDS, owner_only(), _once(_question_vars)),
    "deleteQuestion": Case(
        "mutation($id: ID!) { deleteQuestion(input: {questionId: $id}) { deletedId userErrors { code } } }",
        owner_only(), _once(_question_vars)),
    "updateAnswer": Case(
        "mutation($id: ID!) { updateAnswer(input: {answerId: $id, text: \"It does, snugly.\"}) { %s } }"
        % ANSWER_FIELDS, owner_only(), _once(_answer_vars)),
    "deleteAnswer": Case(
        "mutation($id: ID!) { deleteAnswer(input: {answerId: $id}) { deletedId userErrors { code } } }",
        owner_only(), _once(_answer_vars)),
    "voteAnswerHelpful": Case(
        "mutation($id: ID!) { voteAnswerHelpful(input: {answerId: $id}) { %s } }" % ANSWER_FIELDS,
        {**signed_in(), "owner": "OWN_ANSWER"}, _once(_answer_vars)),
    "removeAnswerVote": Case(
        "mutation($id: ID!) { removeAnswerVote(input: {answerId: $id}) { %s } }" % ANSWER_FIELDS,
        signed_in(), _once(_answer_vars)),
}


MEMBERSHIP_FIELDS = "membership { status } userErrors { code }"
JOIN_PRIME = "mutation { joinPrime(input: {plan: PRIME_MONTHLY, paymentToken: \"tok_visa\"}) { %s } }" % MEMBERSHIP_FIELDS


async def _owner_member(world: World) -> dict:
    body = await world.as_role("owner", JOIN_PRIME)
    assert body["data"]["joinPrime"]["userErrors"] == [], body
    return {}


async def _owner_cancelled_member(world: World) -> dict:
    await _owner_member(world)
    body = await world.as_role("owner", "mutation { cancelPrime { %s } }" % MEMBERSHIP_FIELDS)
    assert body["data"]["cancelPrime"]["membership"]["status"] == "CANCELLED", body
    return {}


# Each membership mutation acts on the caller's own membership: anyone else's does not exist for
# it (administrators included), and every signed-in role may join for itself.
MEMBERSHIPS = {
    "joinPrime": Case(JOIN_PRIME, signed_in()),
    "cancelPrime": Case("mutation { cancelPrime { %s } }" % MEMBERSHIP_FIELDS, owner_only("NOT_A_MEMBER"),
                        _once(_owner_member)),
    "resumePrime": Case("mutation { resumePrime { %s } }" % MEMBERSHIP_FIELDS, owner_only("NOT_A_MEMBER"),
                        _once(_owner_cancelled_member)),
    "changePrimePlan": Case("mutation { changePrimePlan(input: {plan: PRIME_ANNUAL}) { %s } }" % MEMBERSHIP_FIELDS,
                            owner_only("NOT_A_MEMBER"), _once(_owner_member)),
    "updatePrimePaymentMethod": Case(
        'mutation { updatePrimePaymentMethod(input: {paymentToken: "tok_mastercard"}) { %s } }' % MEMBERSHIP_FIELDS,
        owner_only("NOT_A_MEMBER"), _once(_owner_member)),
}


BORROW_TITLE = "mutation($id: ID!) { borrowTitle(input: {productId: $id}) { licence { id } userErrors { code } } }"


async def _owner_member_and_title(world: World) -> dict:
    await _owner_member(world)
    product = await fetchval(world.database, "SELECT min(id) FROM products WHERE membership_included")
    return {"id": ids.encode("Product", product)}


async def _owner_borrowed_title(world: World) -> dict:
    body = await world.as_role("owner", BORROW_TITLE, await _owner_member_and_title(world))
    return {"id": body["data"]["borrowTitle"]["licence"]["id"]}


# Borrowing is the caller's own membership's benefit: every signed-in role without one is
# NOT_A_MEMBER (administrators included); a borrowed title is its borrower's alone to return.
BORROWING = {
    "borrowTitle": Case(BORROW_TITLE, owner_only("NOT_A_MEMBER"), _once(_owner_member_and_title)),
    "returnBorrowedTitle": Case(
        "mutation($id: ID!) { returnBorrowedTitle(input: {licenceId: $id}) { licence { id } userErrors { code } } }",
        owner_only(), _once(_owner_borrowed_title)),
}


async def _lender_and_licence(world: World) -> tuple[int, int]:
    from tests.fixtures.lending import lendable_ebook
    from tests.fixtures.licences import new_account

    lender = await new_account(world.database, "lender")
    return lender, await lendable_ebook(world.database, lender)


async def _loan_offered_to_owner(world: World) -> dict:
    """A loan another customer offered to the owner's address."""
    from tests.fixtures.lending import lent

    lender, licence = await _lender_and_licence(world)
    loan = await lent(world.database, lender, licence, world.owner.email)
    return {"loan": ids.encode("EbookLoan", loan.id)}


async def _loan_borrowed_by_owner(world: World) -> dict:
    from tests.fixtures.lending import accepted

    made = await _loan_offered_to_owner(world)
    await accepted(world.database, world.owner.account_id, ids.decode_as(made["loan"], "EbookLoan"))
    return made


async def _owner_lendable_licence(world: World) -> dict:
    from tests.fixtures.lending import lendable_ebook

    return {"licence": ids.encode("Licence", await lendable_ebook(world.database, world.owner.account_id)),
            "email": f"friend-{uuid.uuid4().hex[:8]}@example.com"}


async def _owner_loan_node(world: World) -> str:
    from tests.fixtures.lending import lent

    made = await _owner_lendable_licence(world)
    loan = await lent(world.database, world.owner.account_id, ids.decode_as(made["licence"], "Licence"),
                      made["email"])
    return ids.encode("EbookLoan", loan.id)


LOAN_FIELDS = "loan { id status } userErrors { code }"
# A loan is its lender's to make and its invited customer's to answer: nobody else finds the
# licence or the loan (administrators included: they read loans, they do not act on them).
LENDING = {
    "lendEbook": Case("mutation($licence: ID!, $email: String!) { lendEbook(input: {licenceId: $licence,"
                      " email: $email}) { %s } }" % LOAN_FIELDS, owner_only(), _once(_owner_lendable_licence)),
    "acceptEbookLoan": Case("mutation($loan: ID!) { acceptEbookLoan(input: {loanId: $loan}) { %s } }" % LOAN_FIELDS,
                            owner_only(), _once(_loan_offered_to_owner)),
    "declineEbookLoan": Case("mutation($loan: ID!) { declineEbookLoan(input: {loanId: $loan}) { %s } }"
                             % LOAN_FIELDS, owner_only(), _once(_loan_offered_to_owner)),
    "returnEbookLoan": Case("mutation($loan: ID!) { returnEbookLoan(input: {loanId: $loan}) { %s } }" % LOAN_FIELDS,
                            owner_only(), _once(_loan_borrowed_by_owner)),
}


SUBSCRIPTION_FIELDS = "subscription { status } userErrors { code }"


async def _owner_subscription(world: World) -> dict:
    """A Subscribe & Save subscription of the owner's (each role acts on its own copy: a
    cancelled one would refuse the next role's change)."""
    offer = await world.database.reader()
    try:
        row = await offer.fetchrow("SELECT id, product_id, seller_id FROM offers WHERE archived_at IS NULL"
                                   " ORDER BY id LIMIT 1")
    finally:
        await offer.close()
    subscription_id = await fetchval(
        world.database,
        "INSERT INTO subscriptions (account_id, offer_id, product_id, seller_id, quantity, frequency_months, anchor_day,"
        " status, next_delivery_date, currency, ship_full_name, ship_line1, ship_line2, ship_city, ship_region,"
        " ship_postal_code, ship_country_code, ship_phone, provider, payment_method_id, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, 1, 1, 10, 'ACTIVE', current_date + 20, 'USD', 'Owner', '1 Main St', '', 'Seattle',"
        " 'WA', '98109', 'US', '', 'test', 'pm_matrix', now(), now()) RETURNING id",
        world.owner.account_id, row["id"], row["product_id"], row["seller_id"])
    return {"id": ids.encode("SubscribeAndSaveSubscription", subscription_id)}


async def _subscription_vars(world: World, role: str) -> dict:
    return await _owner_subscription(world)


def _subscription_case(mutation: str, extra: str = "") -> Case:
    return Case("mutation($id: ID!) { %s(input: {subscriptionId: $id%s}) { %s } }" % (mutation, extra,
                                                                                       SUBSCRIPTION_FIELDS),
                owner_only(), _subscription_vars)


# Each Subscribe & Save mutation acts on the caller's own subscription: anyone else's does not
# exist for it (administrators included).
SUBSCRIBE_AND_SAVE = {
    "updateSubscription": _subscription_case("updateSubscription", ", quantity: 2"),
    "skipSubscriptionDelivery": _subscription_case("skipSubscriptionDelivery"),
    "pauseSubscription": _subscription_case("pauseSubscription"),
    "resumeSubscription": _subscription_case("resumeSubscription"),
    "cancelSubscription": _subscription_case("cancelSubscription"),
    "updateSubscriptionPaymentMethod": _subscription_case("updateSubscriptionPaymentMethod",
                                                          ', paymentToken: "tok_mastercard"'),
}


async def _owner_profile(world: World, role: str) -> dict:
    return {"id": ids.encode("Profile", world.owner.account_id)}


async def _private_owner_profile(world: World, role: str = "") -> dict:
    await _row(world, f"UPDATE profiles SET visibility = 'PRIVATE' WHERE account_id = {world.owner.account_id}"
                      " RETURNING 1")
    return await _owner_profile(world, role)


def _relation(name: str) -> str:
    return (f"mutation($id: ID!) {{ {name}(input: {{profileId: $id}}) {{ profile {{ id }} userErrors {{ code }} }} }}")


def _not_self(code: str) -> dict[str, str]:
    return {**signed_in(), "owner": code}


# Every customer edits their own profile (there is no other's to name); anyone signed in follows
# and blocks the owner's profile, which its owner cannot do to themselves.
PROFILES = {
    "updateProfile": Case("""mutation { updateProfile(input: {bio: "Reads on the train."}) { profile { id }
        userErrors { code } } }""", signed_in()),
    "followProfile": Case(_relation("followProfile"), _not_self("CANNOT_FOLLOW_YOURSELF"), _owner_profile),
    "unfollowProfile": Case(_relation("unfollowProfile"), _not_self("CANNOT_FOLLOW_YOURSELF"), _owner_profile),
    "blockProfile": Case(_relation("blockProfile"), _not_self("CANNOT_BLOCK_YOURSELF"), _owner_profile),
    "unblockProfile": Case(_relation("unblockProfile"), _not_self("CANNOT_BLOCK_YOURSELF"), _owner_profile),
}


async def _live_product(world: World) -> str:
    return ids.encode("Product", await _scalar(world, "SELECT min(id) FROM products WHERE archived_at IS NULL"))


async def _product_vars(world: World, role: str) -> dict:
    return {"product": await _live_product(world)}


async def _owner_viewed(world: World) -> dict:
    product = await _live_product(world)
    await world.as_role("owner", "mutation($p: ID!) { recordProductView(input: {productId: $p}) { recorded } }",
                        {"p": product})
    return {"product": product}


async def _guest_history_token(world: World, role: str) -> dict:
    body = await world.as_role("anonymous", "mutation($p: ID!) { recordProductView(input: {productId: $p})"
                                            " { historyToken } }", {"p": await _live_product(world)})
    return {"token": body["data"]["recordProductView"]["historyToken"]}


HISTORY_FIELDS = "userErrors { code }"
# A browsing history is its owner's alone: every caller records its own views (a guest under a
# token of its own), and a product in the owner's history is not in anyone else's, sellers' and
# administrators' included.
BROWSING_HISTORY = {
    "recordProductView": Case("mutation($product: ID!) { recordProductView(input: {productId: $product})"
                              " { recorded %s } }" % HISTORY_FIELDS, everyone(), _product_vars),
    "removeBrowsingHistoryItem": Case("mutation($product: ID!) { removeBrowsingHistoryItem(input: {productId:"
                                      " $product}) { removedProductId %s } }" % HISTORY_FIELDS, owner_only(),
                                      _once(_owner_viewed)),
    "clearBrowsingHistory": Case("mutation { clearBrowsingHistory(input: {}) { removedCount %s } }" % HISTORY_FIELDS,
                                 signed_in()),
    "pauseBrowsingHistory": Case("mutation { pauseBrowsingHistory { paused %s } }" % HISTORY_FIELDS, signed_in()),
    "resumeBrowsingHistory": Case("mutation { resumeBrowsingHistory { paused %s } }" % HISTORY_FIELDS, signed_in()),
    "mergeGuestBrowsingHistory": Case("mutation($token: String!) { mergeGuestBrowsingHistory(input: {historyToken:"
                                      " $token}) { mergedCount %s } }" % HISTORY_FIELDS, signed_in(),
                                      _guest_history_token),
}


MUTATIONS: dict[str, Case] = {**IDENTITY, **ADDRESSES, **MARKETPLACE, **CATALOGUE, **LEDGER, **ORDERING,
                              **FULFILMENT, **SERVICE, **LICENCES, **DOWNLOADS, **READING, **EBOOK_RETURNS,
                              **PLAYBACK, **REVIEWS, **MODERATION, **QUESTIONS, **QUESTION_MODERATION,
                              **MEMBERSHIPS, **BORROWING, **LENDING, **SUBSCRIBE_AND_SAVE, **PROFILES,
                              **BROWSING_HISTORY, **list_mutation_cases(), **webhook_mutation_cases(),
                              **{name: Case(*spec) for name, spec in BRAND_MUTATIONS.items()}}

# More cases of a mutation whose outcome for a role depends on the object it acts on.
VARIANTS: dict[str, Case] = {
    "markShipmentShipped (PLATFORM-fulfilled)": Case(SHIP, platform_shipment_work(), _fresh_platform_order,
                                                     mutation="markShipmentShipped"),
    "markShipmentDelivered (PLATFORM-fulfilled)": Case(DELIVER, platform_shipment_work(), _shipped_platform_order,
                                                       mutation="markShipmentDelivered"),
    "cancelShipment (PLATFORM-fulfilled)": Case(CANCEL_SHIPMENT, platform_shipment_work(), _fresh_platform_order,
                                                mutation="cancelShipment"),
    "answerQuestion (for a seller)": Case(ANSWER_AS_SELLER, {**_not_staff("NOT_SELLER_OF_PRODUCT"), "seller_staff": "ok"},
                                          _staff_seller_question, mutation="answerQuestion"),
    "answerQuestion (as the brand)": Case(ANSWER_AS_BRAND, _not_staff("NOT_BRAND_OWNER"),
                                          lambda w, role: _question_vars(w), mutation="answerQuestion"),
    "followProfile (a private profile)": Case(_relation("followProfile"),
                                              {**_not_self("CANNOT_FOLLOW_YOURSELF"), "other_customer": "PROFILE_PRIVATE",
                                               "seller_staff": "PROFILE_PRIVATE", "admin": "PROFILE_PRIVATE"},
                                              _private_owner_profile, mutation="followProfile"),
}

# Node types: who gets the object from `node(id:)` ("visible") and who gets null ("hidden").
PUBLIC = everyone("visible")
PRIVATE = {"anonymous": "hidden", "other_customer": "hidden", "seller_staff": "hidden", "admin": "visible",
           "owner": "visible"}


async def _public(type_name: str, pk: int = 1) -> str:
    return ids.encode(type_name, pk)


async def _owner_customer(world: World) -> str:
    return ids.encode("Customer", world.owner.account_id)


NODES: dict[str, tuple[Callable[[World], Awaitable[str]], dict[str, str]]] = {
    **{name: (lambda w, n=name: _public(n), PUBLIC) for name in ("Product", "Category", "Brand", "Work", "Seller",
                                                                   "Offer")},
    "Customer": (_owner_customer, PRIVATE),
    "Device": (_owner_device, PRIVATE),
    "Address": (_owner_address, PRIVATE),
    "SellerApplication": (lambda w: _id_of(_owner_application(w)), PRIVATE),
    "BrandRegistration": (lambda w: _id_of(_owner_registration(w)), PRIVATE),
    "ProductImport": (lambda w: _id_of(_IMPORT(w)), ADMIN_ONLY_NODE),
    "Cart": (lambda w: _async_cart_id(w), PRIVATE),
    "CartLine": (lambda w: _cart_line(w), PRIVATE),
    "Order": (lambda w: _owner_order_node(w, "Order"), PRIVATE),
    # A shipment is also its seller's staff's to work (the matrix's staff is seller 2's).
    "Shipment": (lambda w: _owner_order_node(w, "Shipment"), {**PRIVATE, "seller_staff": "visible"}),
    "Licence": (lambda w: _licence_node(w), PRIVATE),
    "EbookLoan": (lambda w: _owner_loan_node(w), PRIVATE),
    # A line is also the staff's of the seller that ships it; refunds and return requests are not.
    "OrderLine": (lambda w: _owner_order_node(w, "OrderLine"), {**PRIVATE, "seller_staff": "visible"}),
    "OrderRefund": (lambda w: _owner_return_and_refund(w, "OrderRefund"), PRIVATE),
    "ReturnRequest": (lambda w: _owner_return_and_refund(w, "ReturnRequest"), PRIVATE),
    "PickupLocation": (lambda w: _pickup_location(w), PUBLIC),
    "ProductReviewFlag": (lambda w: _review_flag(w), ADMIN_ONLY_NODE),
    "Session": (lambda w: _session(w), PRIVATE),
    # Annotations are their reader's alone: administrators do not read them either.
    "Annotation": (lambda w: _owner_annotation(w), {**PRIVATE, "admin": "hidden"}),
    # A hidden review is its author's and the moderators' only (a published one is public).
    "Review": (lambda w: _owner_hidden_review(w), PRIVATE),
    # A hidden question or answer likewise (published ones are public).
    "Question": (lambda w: _hidden_post(w, "Question", _owner_question), PRIVATE),
    "Answer": (lambda w: _hidden_post(w, "Answer", _owner_answer), PRIVATE),
    # A private profile is its owner's alone: administrators do not see it either (a public one is public).
    "Profile": (lambda w: _id_of(_private_owner_profile(w)), {**PRIVATE, "admin": "hidden"}),
    **LIST_NODES,
    **WEBHOOK_NODES,
    # A campaign is its brand's owner's (the matrix's owner owns the campaign's brand) and the platform's.
    "BrandCampaign": (owners_campaign, BRAND_PRIVATE),
}


async def _hidden_post(world: World, type_name: str, make) -> str:
    return ids.encode(type_name, await make(world, "HIDDEN"))


async def _review_flag(world: World) -> str:
    from domain.catalogue import service as catalogue
    from tests.fixtures.customer_service import committed

    product_id = await _scalar(world, "SELECT min(id) FROM products")
    flag = await committed(world.database, lambda s: catalogue.flag_product(
        s, product_id, source="WRONG_ITEM", reason="A different item came", reference=f"matrix:{uuid.uuid4()}",
        reported_by=None))
    return ids.encode("ProductReviewFlag", flag.id)


async def _cart_line(world: World) -> str:
    return (await _owner_cart(world))["line"]


async def _pickup_location(world: World) -> str:
    return ids.encode("PickupLocation", await _scalar(world, "SELECT min(id) FROM pickup_locations"))


async def _session(world: World) -> str:
    return world.owner.session_gid


async def _owner_annotation(world: World) -> str:
    from tests.fixtures.reading import device, licence

    book = await licence(world.database, world.owner.account_id)
    reader = await device(world.http, world.owner)
    note = uuid.uuid4()
    body = await world.as_role("owner", """mutation($input: SyncAnnotationsInput!) { syncAnnotations(input: $input) {
      annotations { id } userErrors { code } } }""", {"input": {"deviceId": reader, "changes": [{
        "id": str(note), "licenceId": book.global_id, "kind": "BOOKMARK", "startPosition": 1, "endPosition": 1,
        "clientUpdatedAt": "2026-01-01T00:00:00Z"}]}})
    return body["data"]["syncAnnotations"]["annotations"][0]["id"]


async def _owner_return_and_refund(world: World, type_name: str) -> str:
    """A return request of the owner's delivered order, refunded by an administrator."""
    from decimal import Decimal

    from domain.orders import service as orders
    from domain.payments.test_provider import TestPaymentProvider
    from domain.shared.principal import Principal
    from tests.fixtures.customer_service import committed, ship

    order = await _owner_order(world)
    line = order.line_ids[0]
    async with TestPaymentProvider(world.database.url) as provider:
        await ship(world.database, provider, order.shipment_ids)
        request = await committed(world.database, lambda s: orders.request_return(
            s, Principal(account_id=world.owner.account_id), provider, order.id, "DAMAGED", "",
            [orders.ReturnLineRequest(line, 1)]))
        admin = Principal(account_id=world.callers["admin"].account_id, is_admin=True)
        refund = await committed(world.database, lambda s: orders.refund_order(
            s, admin, provider, order.id, [orders.LineRefund(line, _Given(Decimal("0.50"), "USD"))], "Sorry",
            f"matrix-{uuid.uuid4().hex}"))
    return ids.encode(type_name, request.id if type_name == "ReturnRequest" else refund.id)


@dataclass
class _Given:
    amount: object
    currency: str


async def _owner_hidden_review(world: World) -> str:
    pk = await _scalar(world, "INSERT INTO reviews (work_id, product_id, account_id, stars, status, hidden_at)"
                              f" SELECT 1, min(id), {world.owner.account_id}, 4, 'HIDDEN', now()"
                              " FROM products WHERE work_id = 1 RETURNING id")
    return ids.encode("Review", pk)


async def _licence_node(world: World) -> str:
    return ids.encode("Licence", await _owner_licence(world))


async def _owner_order(world: World, fulfilment: str = "MERCHANT"):
    """An order of the owner's with one line sold by the matrix's staff seller, shipped by the seller
    itself (MERCHANT) or by the platform (PLATFORM)."""
    from tests.fixtures.orders import placed_order

    offer_id = await _scalar(world, "SELECT o.id FROM offers o JOIN products p ON p.id = o.product_id"
                                    f" WHERE o.seller_id = {STAFF_SELLER_ID} AND p.kind = 'PHYSICAL'"
                                    f" AND o.fulfilment = '{fulfilment}' AND o.archived_at IS NULL"
                                    " AND o.quantity >= 5 ORDER BY o.id LIMIT 1")
    return await placed_order(world.database, world.owner.account_id, [(offer_id, 1)])


async def _owner_order_node(world: World, type_name: str) -> str:
    order = await _owner_order(world)
    pk = {"Order": order.id, "Shipment": order.shipment_ids[0], "OrderLine": order.line_ids[0]}[type_name]
    return ids.encode(type_name, pk)


async def _id_of(made: Awaitable[dict]) -> str:
    return (await made)["id"]


async def _async_cart_id(world: World) -> str:
    return (await _owner_cart(world))["cart"]
