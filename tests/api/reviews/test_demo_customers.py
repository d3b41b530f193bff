"""A demo customer signs in with the documented password and sees their delivered orders and
their own verified reviews, one per book they rated."""
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.conftest import TEST_BOOKS, make_client

SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "test"}) { tokens { accessToken } userErrors { code message } } }"""
MINE = """{ viewer { customer { displayName email reviews(first: 100) { totalCount
    nodes { stars verifiedPurchase status format product { title } } } } }
  orders(first: 100) { totalCount nodes { status total { amount } subtotal { amount } delivery { amount }
    lines { title } } } }"""


async def test_a_demo_customer_signs_in_and_sees_their_orders_and_reviews(writable_demo_database):
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    async with make_client(writable_demo_database) as http:
        signed = (await http.post("/graphql", json={"query": SIGN_IN, "variables": {
            "email": reader.email, "password": DEMO_PASSWORD}})).json()["data"]["signIn"]
        assert signed["userErrors"] == []
        headers = {"authorization": f"Bearer {signed['tokens']['accessToken']}"}
        body = (await http.post("/graphql", json={"query": MINE}, headers=headers)).json()
    assert "errors" not in body, body
    customer, orders = body["data"]["viewer"]["customer"], body["data"]["orders"]
    assert customer["email"] == reader.email and customer["displayName"] == reader.display_name
    reviews = customer["reviews"]
    assert reviews["totalCount"] == len(reader.ratings)
    assert sorted(n["stars"] for n in reviews["nodes"]) == sorted(s for _, s in reader.ratings)[:100] \
        or reviews["totalCount"] > 100
    assert all(n["verifiedPurchase"] and n["status"] == "PUBLISHED" for n in reviews["nodes"])
    bought = [line["title"] for order in orders["nodes"] for line in order["lines"]]
    assert orders["totalCount"] >= 1 and len(bought) == len(reader.ratings)
    assert {n["product"]["title"] for n in reviews["nodes"]} <= set(bought)
    for order in orders["nodes"]:
        assert order["status"] == "DELIVERED"
        assert float(order["total"]["amount"]) == float(order["subtotal"]["amount"]) + float(order["delivery"]["amount"])


async def test_a_wrong_password_does_not_open_a_demo_account(writable_demo_database):
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    async with make_client(writable_demo_database) as http:
        signed = (await http.post("/graphql", json={"query": SIGN_IN, "variables": {
            "email": reader.email, "password": DEMO_PASSWORD + "x"}})).json()["data"]["signIn"]
    assert signed["tokens"] is None and signed["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
