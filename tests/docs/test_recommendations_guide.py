"""The recommendations guide's examples work as written, on the demo customers' database after
the nightly job: a book's related products, and a demo customer's own recommendations with
their reasons, none of them a book the customer owns."""
from domain.recommendations import model
from domain.recommendations import service as recommendations
from domain.seed.customers import DEMO_PASSWORD, read_customers
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import TEST_BOOKS, make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetch, fetchval

STEPS = steps("recommendations.md", "recommendations")
SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "guide"}) { tokens { accessToken } userErrors { code message } } }"""


async def test_the_recommendations_guide(writable_demo_database):
    db = writable_demo_database
    assert list(STEPS) == ["RelatedProducts", "RecommendedForYou"]
    async with UnitOfWork(db) as uow:
        await recommendations.run_job(uow.session, k=model.TOP_K)
        await uow.commit()
    slug = await fetchval(db, "SELECT p.slug FROM products p JOIN recommendation_together t ON t.item = p.work_id"
                              " WHERE p.archived_at IS NULL ORDER BY p.ratings_count DESC, p.id LIMIT 1")
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    async with make_client(db) as http:
        product = ok((await http.post("/graphql", json={"query": STEPS["RelatedProducts"],
                                                        "variables": {"slug": slug}})).json(), "product")
        assert len(product["alsoBought"]) == 5 and product["boughtTogether"]
        assert product["title"] not in {p["title"] for p in product["alsoBought"]}
        signed = ok((await http.post("/graphql", json={"query": SIGN_IN, "variables": {
            "email": reader.email, "password": DEMO_PASSWORD}})).json(), "signIn")
        headers = {"authorization": f"Bearer {signed['tokens']['accessToken']}"}
        mine = ok((await http.post("/graphql", json={"query": STEPS["RecommendedForYou"]},
                                   headers=headers)).json(), "viewer")["recommendedForYou"]
    owned = {r["title"] for r in await fetch(
        db, "SELECT DISTINCT l.title FROM accounts a JOIN orders o ON o.account_id = a.id"
            " JOIN order_lines l ON l.order_id = o.id WHERE a.email = $1", reader.email)}
    assert len(mine["nodes"]) == 5 and mine["pageInfo"]["hasNextPage"]
    assert not {n["product"]["title"] for n in mine["nodes"]} & owned
    assert all(n["reason"]["kind"] == "BOUGHT" and n["reason"]["product"]["title"] in owned for n in mine["nodes"])
