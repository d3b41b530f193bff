"""The three recommendation fields over HTTP, on the demo customers' database after the nightly
job: a demo customer's recommendations hold no book they own and say why; a new customer gets
the popular ones; 50 search results list their related products in a constant number of
statements whatever `first` is; out-of-range sizes are errors."""
from __future__ import annotations

import pytest

from api.core.ids import decode
from domain.recommendations import model
from domain.recommendations import service as recommendations
from domain.seed.customers import DEMO_PASSWORD, read_customers
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import TEST_BOOKS, count_statements, make_client
from tests.fixtures.db import fetch

SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "test"}) { tokens { accessToken } userErrors { code message } } }"""
FOR_YOU = """query($first: Int, $after: String) { viewer { recommendedForYou(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { score product { id title work { id } } reason { kind product { id title } } } } } }"""
SEARCH = """query($first: Int!) { search(query: "the", first: 50) { nodes { id
  alsoBought(first: $first) { id title } boughtTogether(first: $first) { id } } } }"""


@pytest.fixture(scope="module")
async def trained(demo_clones):
    from tests.conftest import private_copy

    async with private_copy(demo_clones) as db:
        async with UnitOfWork(db) as uow:
            await recommendations.run_job(uow.session, k=model.TOP_K)
            await uow.commit()
        async with make_client(db) as http:
            yield db, http


async def _call(http, query, variables=None, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return (await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)).json()


async def _sign_in(http, email):
    body = await _call(http, SIGN_IN, {"email": email, "password": DEMO_PASSWORD})
    return body["data"]["signIn"]["tokens"]["accessToken"]


async def test_a_demo_customer_is_recommended_no_book_they_own_and_hears_why(trained):
    db, http = trained
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    token = await _sign_in(http, reader.email)
    body = await _call(http, FOR_YOU, {"first": 20}, token)
    assert "errors" not in body, body
    page = body["data"]["viewer"]["recommendedForYou"]
    owned = {r["work_id"] for r in await fetch(
        db, "SELECT DISTINCT p.work_id FROM accounts a JOIN orders o ON o.account_id = a.id JOIN order_lines l"
            " ON l.order_id = o.id JOIN products p ON p.id = l.product_id WHERE a.email = $1", reader.email)}
    assert len(page["nodes"]) == 20 and page["pageInfo"]["hasNextPage"] and page["totalCount"] > 20
    works = {decode(n["product"]["work"]["id"])[1] for n in page["nodes"] if n["product"]["work"]}
    assert works and not works & owned
    assert page["nodes"][0]["reason"]["kind"] == "BOUGHT" and page["nodes"][0]["reason"]["product"]["title"]
    scores = [n["score"] for n in page["nodes"]]
    assert scores == sorted(scores, reverse=True)
    after = await _call(http, FOR_YOU, {"first": 5, "after": page["pageInfo"]["endCursor"]}, token)
    titles = [n["product"]["title"] for n in after["data"]["viewer"]["recommendedForYou"]["nodes"]]
    assert len(titles) == 5 and not set(titles) & {n["product"]["title"] for n in page["nodes"]}


async def test_anonymous_callers_get_null_and_out_of_range_sizes_are_errors(trained):
    _, http = trained
    assert (await _call(http, FOR_YOU, {"first": 5}))["data"]["viewer"]["recommendedForYou"] is None
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    token = await _sign_in(http, reader.email)
    for first in (0, 101):
        body = await _call(http, FOR_YOU, {"first": first}, token)
        assert body["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"
    for first in (0, 51):
        body = await _call(http, SEARCH, {"first": first})
        assert body["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"


async def test_50_search_results_list_their_related_products_in_constant_statements(trained):
    _, http = trained
    counts = []
    for first in (1, 10, 20):
        with count_statements() as counter:
            body = await _call(http, SEARCH, {"first": first})
        assert "errors" not in body, body
        nodes = body["data"]["search"]["nodes"]
        assert len(nodes) == 50
        assert max(len(n["alsoBought"]) for n in nodes) == first
        counts.append(counter.count)
    # Whatever `first` is: the search's own, one per related kind for the 50 products, their products.
    assert counts == [6, 6, 6], counts


VIEW = """mutation($id: ID!) { recordProductView(input: {productId: $id}) { recorded userErrors { code } } }"""


async def test_a_new_customer_who_looked_at_books_hears_because_you_viewed_in_constant_statements(trained):
    from api.core.ids import encode
    from tests.fixtures.identity import account

    db, http = trained
    caller = await account(http, db, "browser")
    works = await fetch(db, "SELECT min(p.id) AS id FROM products p JOIN recommendation_related r ON r.item = p.work_id"
                            " WHERE p.archived_at IS NULL GROUP BY p.work_id ORDER BY count(*) DESC, p.work_id LIMIT 3")
    viewed = [r["id"] for r in works]
    for product_id in viewed:
        body = await _call(http, VIEW, {"id": encode("Product", product_id)}, caller.token)
        assert body["data"]["recordProductView"] == {"recorded": True, "userErrors": []}, body
    viewed_titles = {r["title"] for r in await fetch(db, "SELECT title FROM products WHERE id = ANY($1)", viewed)}
    counts = []
    for first in (1, 10, 30):
        with count_statements() as counter:
            body = await _call(http, FOR_YOU, {"first": first}, caller.token)
        counts.append(counter.count)
        nodes = body["data"]["viewer"]["recommendedForYou"]["nodes"]
        assert len(nodes) == first
        assert nodes[0]["reason"]["kind"] == "VIEWED" and nodes[0]["reason"]["product"]["title"] in viewed_titles
    # Whatever `first` is: the viewer, the page (one statement, views included), its count, the
    # products (recommended and reasons' together), their works.
    assert counts == [5, 5, 5], counts
