"""The review mutations over HTTP: a demo customer rewrites their review of a book they bought
(verified), another customer votes it helpful, edits and deletions move the product's summary,
and bad input comes back as typed userErrors with their field, writing nothing."""
from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call
from tests.conftest import TEST_BOOKS, make_client
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.identity import account

SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB}) { tokens { accessToken } } }"""
MY_REVIEWS = "{ viewer { customer { reviews(first: 1) { nodes { id product { id } } } } } }"
CREATE = """mutation($input: CreateReviewInput!) { createReview(input: $input) {
  review { id stars title text verifiedPurchase helpfulVotes format product { id ratingSummary { count } } }
  userErrors { code field message ... on ReviewError { existingReviewId amountNeeded } } } }"""
UPDATE = """mutation($input: UpdateReviewInput!) { updateReview(input: $input) {
  review { id stars title text product { ratingSummary { histogram { stars count } } } } userErrors { code field } } }"""
DELETE = """mutation($id: ID!) { deleteReview(input: {reviewId: $id}) { deletedReviewId userErrors { code field } } }"""
VOTE = """mutation($id: ID!) { voteReviewHelpful(input: {reviewId: $id}) { review { id helpfulVotes }
  userErrors { code field } } }"""
UNVOTE = """mutation($id: ID!) { removeReviewVote(input: {reviewId: $id}) { review { id helpfulVotes }
  userErrors { code field } } }"""
TABLES = ("reviews", "review_versions", "review_votes", "review_summaries")


async def _rows(db) -> dict:
    return {t: [tuple(r) for r in await fetch(db, f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES}


async def _demo_token(http) -> str:
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    body = await call(http, SIGN_IN, {"email": reader.email, "password": DEMO_PASSWORD})
    return body["data"]["signIn"]["tokens"]["accessToken"]


def _stars(histogram: list[dict]) -> dict[int, int]:
    return {h["stars"]: h["count"] for h in histogram}


async def test_a_demo_customer_rewrites_a_verified_review_and_another_votes_it_helpful(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        token = await _demo_token(http)
        mine = (await call(http, MY_REVIEWS, token=token))["data"]["viewer"]["customer"]["reviews"]["nodes"][0]
        product_id = mine["product"]["id"]
        again = await call(http, CREATE, {"input": {"productId": product_id, "stars": 5}}, token=token)
        assert again["data"]["createReview"]["userErrors"][0]["code"] == "ALREADY_REVIEWED"
        assert again["data"]["createReview"]["userErrors"][0]["existingReviewId"] == mine["id"]
        deleted = await call(http, DELETE, {"id": mine["id"]}, token=token)
        assert deleted["data"]["deleteReview"] == {"deletedReviewId": mine["id"], "userErrors": []}
        created = await call(http, CREATE, {"input": {"productId": product_id, "stars": 5, "title": "Still great",
                                                      "text": "Read it twice. <3 & more"}}, token=token)
        payload = created["data"]["createReview"]
        assert payload["userErrors"] == [], payload
        review = payload["review"]
        assert (review["stars"], review["title"], review["text"], review["verifiedPurchase"]) == (
            5, "Still great", "Read it twice. <3 & more", True)

        voter = await account(http, db, "voter")
        voted = await call(http, VOTE, {"id": review["id"]}, token=voter.token)
        assert voted["data"]["voteReviewHelpful"] == {"review": {"id": review["id"], "helpfulVotes": 1},
                                                      "userErrors": []}
        twice = await call(http, VOTE, {"id": review["id"]}, token=voter.token)
        assert twice["data"]["voteReviewHelpful"]["userErrors"] == [{"code": "ALREADY_VOTED",
                                                                     "field": ["input", "reviewId"]}]
        own = await call(http, VOTE, {"id": review["id"]}, token=token)
        assert own["data"]["voteReviewHelpful"]["userErrors"][0]["code"] == "OWN_REVIEW"
        undone = await call(http, UNVOTE, {"id": review["id"]}, token=voter.token)
        assert undone["data"]["removeReviewVote"]["review"]["helpfulVotes"] == 0

        edited = await call(http, UPDATE, {"input": {"reviewId": review["id"], "stars": 2, "title": None}},
                            token=token)
        after = edited["data"]["updateReview"]
        assert after["userErrors"] == [] and (after["review"]["stars"], after["review"]["title"]) == (2, None)
        assert after["review"]["text"] == "Read it twice. <3 & more"
    work_id = await fetchval(db, "SELECT work_id FROM reviews WHERE id = $1", ids.parse(review["id"])[1])
    recount = dict(await fetch(db, "SELECT stars, count(*) FROM reviews WHERE work_id = $1 AND status = 'PUBLISHED'"
                                   " GROUP BY stars", work_id))
    assert _stars(after["review"]["product"]["ratingSummary"]["histogram"]) == {
        s: recount.get(s, 0) for s in range(1, 6)}
    assert await fetchval(db, "SELECT count(*) FROM review_versions WHERE review_id = $1",
                          ids.parse(review["id"])[1]) == 1


async def test_bad_input_is_a_typed_error_and_writes_nothing(writable_demo_database):
    db = writable_demo_database
    async with make_client(db, review_min_spend=0) as http:
        author, other = await account(http, db, "author"), await account(http, db, "other")
        product_id = ids.encode("Product", await fetchval(db, "SELECT min(id) FROM products WHERE work_id IS NOT NULL"))
        written = await call(http, CREATE, {"input": {"productId": product_id, "stars": 3}}, token=author.token)
        review_id = written["data"]["createReview"]["review"]["id"]
        assert written["data"]["createReview"]["review"]["verifiedPurchase"] is False
        before = await _rows(db)
        cases = [
            (CREATE, {"input": {"productId": product_id, "stars": 6}}, other, "INVALID_STARS", ["input", "stars"]),
            (CREATE, {"input": {"productId": product_id, "stars": 0}}, other, "INVALID_STARS", ["input", "stars"]),
            (CREATE, {"input": {"productId": product_id, "stars": 5, "text": "x" * 10_001}}, other, "TOO_LONG",
             ["input", "text"]),
            (CREATE, {"input": {"productId": product_id, "stars": 5, "title": "<b>Best</b>"}}, other,
             "HTML_NOT_ALLOWED", ["input", "title"]),
            (CREATE, {"input": {"productId": review_id, "stars": 5}}, other, "INVALID_ID", ["input", "productId"]),
            (CREATE, {"input": {"productId": product_id, "stars": 4}}, author, "ALREADY_REVIEWED",
             ["input", "productId"]),
            (UPDATE, {"input": {"reviewId": review_id, "stars": 1}}, other, "NOT_FOUND", ["input", "reviewId"]),
            (UPDATE, {"input": {"reviewId": review_id, "stars": None}}, author, "INVALID_STARS", ["input", "stars"]),
            (DELETE, {"id": review_id}, other, "NOT_FOUND", ["input", "reviewId"]),
        ]
        for document, variables, caller, code, field in cases:
            body = await call(http, document, variables, token=caller.token)
            assert "errors" not in body, body
            errors = next(iter(body["data"].values()))["userErrors"]
            assert [(e["code"], e["field"]) for e in errors] == [(code, field)], (variables, errors)
        assert await _rows(db) == before


async def test_the_default_rule_asks_fifty_dollars_of_a_new_account(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        newcomer = await account(http, db, "newcomer")
        product_id = ids.encode("Product", await fetchval(db, "SELECT min(id) FROM products WHERE work_id IS NOT NULL"))
        body = await call(http, CREATE, {"input": {"productId": product_id, "stars": 5}}, token=newcomer.token)
    errors = body["data"]["createReview"]["userErrors"]
    assert [(e["code"], e["amountNeeded"]) for e in errors] == [("REVIEW_NOT_ELIGIBLE", "50.00")]
    assert "$50.00" in errors[0]["message"]
