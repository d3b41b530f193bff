"""A seller's staff, sending generated queries and mutations over the whole schema, never sees a
customer's e-mail address nor another seller's balance: canary customers with unique e-mails and
another seller with a unique balance are planted, and every response is searched for them."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order
from tests.fixtures.sdl import built

pytestmark = pytest.mark.one_copy_per_file

CANARY_DOMAIN = "canary.example"
# Another seller's balance (and its ledger's only entry): no price in the data comes near it.
CANARY_SELLER, CANARY_BALANCE = 3, "876543.21"
# Mutations that would end the fuzzing seller's own session; the rest run as generated.
SESSION_ENDING = {"signOut", "signOutEverywhere", "changePassword", "deregisterDevice", "resetPassword"}
SCALARS = {
    "Decimal": st.decimals(min_value=-10, max_value=1000, places=2, allow_nan=False).map(nodes.String),
    "DateTime": st.sampled_from(["2026-11-23T10:00:00Z", "1999-01-01T00:00:00Z"]).map(nodes.String),
    "Date": st.sampled_from(["2026-11-23", "2030-01-01"]).map(nodes.String),
    "UUID": st.uuids().map(str).map(nodes.String),
}

_state: dict = {}


async def _plant(http, database) -> dict:
    """Canary customers with sessions on every client kind and a registered device."""
    canaries = []
    for n, kind in enumerate(["WEB", "MOBILE", "EREADER"]):
        customer = await account(http, database, f"canary{n}", kind=kind)
        await call(http, """mutation { registerDevice(input: {kind: EREADER, name: "Canary reader"}) {
            device { id } userErrors { code } } }""", token=customer.token)
        for planted in (
            'mutation { createAddress(input: {fullName: "Canary", line1: "1 Main St", city: "Springfield",'
            ' region: "IL", postalCode: "62701", countryCode: "US"}) { userErrors { code } } }',
            'mutation { applyForSellerAccount(input: {name: "Canary Shop %d"}) { userErrors { code } } }' % n,
            'mutation { registerBrand(input: {brandName: "Canary Brand %d", trademarkNumber: "TM-%d"})'
            ' { userErrors { code } } }' % (n, n),
        ):
            assert (await call(http, planted, token=customer.token))["data"], planted
        own = await call(http, "{ viewer { customer { email } } }", token=customer.token)
        assert _leaks(str(own), [customer.email]) == [customer.email]  # the search would see a leak
        canaries.append(customer.email)
    reader = await database.reader()
    try:
        await reader.fetch("INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency, reference)"
                           " VALUES ($1, 'SALE', 87654321, 'USD', 'order-line:canary')", CANARY_SELLER)
    finally:
        await reader.close()
    admin = await account(http, database, "fuzzadmin", admin=True)
    seen = await call(http, 'query($id: ID!) { node(id: $id) { ... on Seller { balance { amount } } } }',
                      {"id": ids.encode("Seller", CANARY_SELLER)}, token=admin.token)
    assert _leaks(str(seen), [CANARY_BALANCE]) == [CANARY_BALANCE]  # the search would see a leak
    canaries.append(CANARY_BALANCE)
    seller = await account(http, database, "fuzzseller", seller_id=2)
    await _plant_orders(http, database, seller, canaries)
    return {"canaries": canaries, "seller": seller}


async def _plant_orders(http, database, seller, canaries: list[str]) -> None:
    """Each canary orders from the fuzzing seller: its staff sees those shipments (where they go,
    to ship them), never the customer's e-mail."""
    reader = await database.reader()
    try:
        offer_id = (await reader.fetchrow(
            "SELECT o.id FROM offers o JOIN products p ON p.id = o.product_id WHERE o.seller_id = 2"
            " AND p.kind = 'PHYSICAL' AND o.archived_at IS NULL AND o.quantity >= 5 ORDER BY o.id LIMIT 1"))[0]
        emails = [e for e in canaries if e.endswith("@example.com")]
        rows = await reader.fetch("SELECT id FROM accounts WHERE email = ANY($1::text[])", emails)
    finally:
        await reader.close()
    for row in rows:
        await placed_order(database, row["id"], [(offer_id, 1)])
    seen = await call(http, """query($s: ID!) { sellerShipments(sellerId: $s, first: 10) { totalCount nodes {
        orderNumber shipTo { fullName city } order { email } lines { title } } } }""",
                      {"s": ids.encode("Seller", 2)}, token=seller.token)
    assert seen["data"]["sellerShipments"]["totalCount"] >= len(rows), seen
    assert _leaks(str(seen), emails) == []


def _leaks(text: str, canaries: list[str]) -> list[str]:
    lowered = text.lower()
    return [c for c in canaries if c.lower() in lowered]


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
# Deferred: made at the first draw, not while every worker collects the suite.
@given(document=st.deferred(lambda: st.one_of(
    queries(built(), custom_scalars=SCALARS),
    mutations(built(), fields=sorted(set(built().mutation_type.fields) - SESSION_ENDING), custom_scalars=SCALARS))))
async def test_seller_staff_never_sees_a_customer_email(writable_database, document):
    if _state.get("database") is not writable_database:
        _state.clear()
        _state["database"] = writable_database
        _state["http"] = make_client(writable_database)
        _state.update(await _plant(_state["http"], writable_database))
    http, seller = _state["http"], _state["seller"]
    response = await http.post("/graphql", json={"query": document},
                               headers={"Authorization": f"Bearer {seller.token}"})
    assert response.status_code == 200, response.text
    assert _leaks(response.text, _state["canaries"]) == [], (document, response.text[:500])
    for error in response.json().get("errors", []):
        # Still signed in as the seller (else the search would prove nothing), and no crash.
        assert error.get("extensions", {}).get("code") not in ("INTERNAL_SERVER_ERROR", "UNAUTHENTICATED"), (
            document, error)
