"""Administrators match a competitor's lower price on the platform's own offers, recorded with
the competitor and the evidence; everything else is refused and changes nothing."""
import pytest

from tests.api.marketplace.helpers import MATCH_PRICE, gid, live_offer, offer_state, usd
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

HISTORY = """query($id: ID!) { node(id: $id) { ... on Offer {
  priceHistory(first: 1) { nodes { source competitorMatch { competitorName evidenceUrl } } } } } }"""


def _input(offer_id: int, **overrides) -> dict:
    value = {"offerId": gid("Offer", offer_id), "competitorName": "Rival Books", "competitorPrice": usd("1.00"),
             "evidenceUrl": "https://rival.example/item/42"}
    value.update(overrides)
    return value


async def test_an_admin_matches_a_lower_competitor_price_on_a_first_party_offer(writable_database):
    db = writable_database
    offer = await live_offer(db, first_party=True)
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        body = await admin(http, MATCH_PRICE, {"input": _input(offer["id"], competitorName="  Rival   Books ")})
        public = await http.post("/graphql", json={"query": HISTORY, "variables": {"id": gid("Offer", offer["id"])}})
    result = body["data"]["matchCompetitorPrice"]
    assert result["userErrors"] == []
    assert result["offer"]["price"]["amount"] == "1.00"
    latest = result["offer"]["priceHistory"]["nodes"][0]
    assert latest == {"price": {"amount": "1.00"}, "source": "COMPETITOR_MATCH", "competitorMatch": {
        "competitorName": "Rival Books", "competitorPrice": {"amount": "1.00", "currencyCode": "USD"},
        "evidenceUrl": "https://rival.example/item/42"}}
    # prices are public; who was matched, with what evidence, is not
    assert public.json()["data"]["node"]["priceHistory"]["nodes"] == [
        {"source": "COMPETITOR_MATCH", "competitorMatch": None}]
    state = await offer_state(db, offer["id"])
    assert state["history"][-1]["changed_by"] == admin.account_id
    assert state["document"][0]["price_minor"] <= 100


def _cents(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


async def test_bad_matches_are_typed_errors_and_change_nothing(writable_database):
    db = writable_database
    first_party = await live_offer(db, first_party=True)
    third_party = await live_offer(db)
    price = _cents(first_party["price_minor"])
    cases = [
        (_input(third_party["id"]), "NOT_FIRST_PARTY", ["input", "offerId"]),
        (_input(first_party["id"], competitorPrice=usd(price)), "NOT_LOWER", ["input", "competitorPrice", "amount"]),
        (_input(first_party["id"], competitorPrice=usd("999999.00")), "NOT_LOWER",
         ["input", "competitorPrice", "amount"]),
        (_input(first_party["id"], competitorPrice=usd("0")), "INVALID_PRICE", ["input", "competitorPrice", "amount"]),
        (_input(first_party["id"], competitorPrice=usd("-1.00")), "INVALID_PRICE",
         ["input", "competitorPrice", "amount"]),
        (_input(first_party["id"], competitorPrice=usd("0.999")), "INVALID_PRICE",
         ["input", "competitorPrice", "amount"]),
        (_input(first_party["id"], competitorPrice={"amount": "1.00", "currencyCode": "CAD"}), "CURRENCY_MISMATCH",
         ["input", "competitorPrice", "currencyCode"]),
        (_input(first_party["id"], evidenceUrl="http://rival.example/item/42"), "EVIDENCE_URL_INVALID",
         ["input", "evidenceUrl"]),
        (_input(first_party["id"], evidenceUrl="https:///no-host"), "EVIDENCE_URL_INVALID", ["input", "evidenceUrl"]),
        (_input(first_party["id"], evidenceUrl="rival.example"), "EVIDENCE_URL_INVALID", ["input", "evidenceUrl"]),
        (_input(first_party["id"], competitorName=" "), "NAME_INVALID", ["input", "competitorName"]),
        (_input(99_999_999), "NOT_FOUND", ["input", "offerId"]),
    ]
    before = [await offer_state(db, o["id"]) for o in (first_party, third_party)]
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        for value, code, field in cases:
            result = (await admin(http, MATCH_PRICE, {"input": value}))["data"]["matchCompetitorPrice"]
            assert result["offer"] is None
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], value
    assert [await offer_state(db, o["id"]) for o in (first_party, third_party)] == before


async def test_only_administrators_match_prices(writable_database):
    db = writable_database
    offer = await live_offer(db, first_party=True)
    variables = {"input": _input(offer["id"])}
    before = await offer_state(db, offer["id"])
    async with make_client(db) as http:
        refused = {"anonymous": (await http.post("/graphql", json={"query": MATCH_PRICE,
                                                                   "variables": variables})).json()}
        for name, kwargs in (("customer", {}), ("first-party staff", {"seller_id": offer["seller_id"]}),
                             ("brand owner", {"brand_id": 1})):
            caller = await account(http, db, "caller", **kwargs)
            refused[name] = await caller(http, MATCH_PRICE, variables)
    assert {name: body["errors"][0]["extensions"]["code"] for name, body in refused.items()} == {
        "anonymous": "UNAUTHENTICATED", "customer": "FORBIDDEN", "first-party staff": "FORBIDDEN",
        "brand owner": "FORBIDDEN"}
    assert await offer_state(db, offer["id"]) == before
