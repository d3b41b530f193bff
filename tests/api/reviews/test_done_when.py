"""Reviews end to end over HTTP, as shoppers and a moderator would go through them: a demo
customer signs in with the documented password, finds a book in their past orders and reviews
it (a verified purchase), another demo customer votes the review helpful, a third reports it, an
administrator hides it, and the product's summary, the search RATING sort and the rating facet
then agree with a recount of the reviews in SQL.

Every book a demo customer bought carries their star-only rating from the seed (the ratings
sample is what they bought), and a customer reviews a work once. So the customer does what the
API offers for it: they withdraw their star-only rating of the book (`deleteReview`; the author
may then review the work again) and write a full review in its place."""
from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call
from tests.api.reviews.recount import agree_with_a_recount
from tests.conftest import TEST_BOOKS, make_client
from tests.docs.guides import ok
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

SIGN_IN = """mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password, clientKind: WEB, deviceName: "Walkthrough"}) {
    tokens { accessToken } userErrors { code message } } }"""
PAST_ORDERS = """query PastOrders($after: String) { orders(status: DELIVERED, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id number status lines { id format product { id title } } } } }"""
MY_REVIEWS = """query MyReviews($after: String) { viewer { customer { id reviews(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id stars title text status product { id } } } } } }"""
DELETE = """mutation DeleteReview($id: ID!) { deleteReview(input: {reviewId: $id}) {
  deletedReviewId userErrors { code field message } } }"""
CREATE = """mutation CreateReview($productId: ID!) { createReview(input: {productId: $productId, stars: 2,
  title: "Not for me after all", text: "The middle third drags; the ending did not make up for it."}) {
  review { id stars title verifiedPurchase status helpfulVotes authorName product { id } }
  userErrors { code field message } } }"""
VOTE = """mutation Vote($id: ID!) { voteReviewHelpful(input: {reviewId: $id}) {
  review { id helpfulVotes } userErrors { code field message } } }"""
REPORT = """mutation Report($id: ID!) { reportReview(input: {reviewId: $id, reason: SPAM, note: "An advert."}) {
  report { reason review { id } } userErrors { code field message } } }"""
HIDE = """mutation Hide($id: ID!) { hideReview(input: {reviewId: $id, reason: "Not about the book."}) {
  review { id status } resolvedReportCount userErrors { code field message } } }"""
PRODUCT_REVIEWS = """query ProductReviews($id: ID!) { product(id: $id) { id ratingsCount
  reviews(sortKey: NEWEST, first: 100) { totalCount nodes { id } } } }"""


async def _sign_in(http, number: int) -> str:
    reader = read_customers(limit=number, books=TEST_BOOKS)[number - 1]
    signed = ok(await call(http, SIGN_IN, {"email": reader.email, "password": DEMO_PASSWORD}), "signIn")
    return signed["tokens"]["accessToken"]


async def _all(http, query: str, token: str, path: tuple[str, ...]) -> list[dict]:
    nodes, after = [], None
    while True:
        body = await call(http, query, {"after": after}, token=token)
        assert "errors" not in body, body
        page = body["data"]
        for key in path:
            page = page[key]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_reviews_done_when_walkthrough(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        author = await _sign_in(http, 1)
        orders = await _all(http, PAST_ORDERS, author, ("orders",))
        assert orders and all(order["status"] == "DELIVERED" for order in orders)
        bought = {line["product"]["id"] for order in orders for line in order["lines"]}
        mine = await _all(http, MY_REVIEWS, author, ("viewer", "customer", "reviews"))
        # Their star-only rating of a book they bought: the one to replace with a full review.
        rating = next(r for r in mine if r["product"]["id"] in bought and r["text"] is None)
        product_gid = rating["product"]["id"]
        work_id = await fetchval(db, "SELECT work_id FROM products WHERE id = $1", ids.decode(product_gid)[1])
        before = await agree_with_a_recount(http, db, product_gid, work_id)

        withdrawn = ok(await call(http, DELETE, {"id": rating["id"]}, token=author), "deleteReview")
        assert withdrawn["deletedReviewId"] == rating["id"]
        review = ok(await call(http, CREATE, {"productId": product_gid}, token=author), "createReview")["review"]
        assert (review["stars"], review["verifiedPurchase"], review["status"], review["helpfulVotes"]) == (
            2, True, "PUBLISHED", 0)
        assert review["product"]["id"] == product_gid
        written = await agree_with_a_recount(http, db, product_gid, work_id)
        assert written["ratingsCount"] == before["ratingsCount"]
        listed = (await call(http, PRODUCT_REVIEWS, {"id": product_gid}))["data"]["product"]["reviews"]
        assert review["id"] in {n["id"] for n in listed["nodes"]}

        voter = await _sign_in(http, 2)
        voted = ok(await call(http, VOTE, {"id": review["id"]}, token=voter), "voteReviewHelpful")
        assert voted["review"] == {"id": review["id"], "helpfulVotes": 1}
        reporter = await _sign_in(http, 3)
        reported = ok(await call(http, REPORT, {"id": review["id"]}, token=reporter), "reportReview")
        assert reported["report"] == {"reason": "SPAM", "review": {"id": review["id"]}}

        admin = await account(http, db, "moderator", admin=True)
        hidden = ok(await call(http, HIDE, {"id": review["id"]}, token=admin.token), "hideReview")
        assert hidden["review"] == {"id": review["id"], "status": "HIDDEN"} and hidden["resolvedReportCount"] == 1

        after = await agree_with_a_recount(http, db, product_gid, work_id)
        assert after["ratingsCount"] == before["ratingsCount"] - 1
        listed = (await call(http, PRODUCT_REVIEWS, {"id": product_gid}))["data"]["product"]["reviews"]
        assert review["id"] not in {n["id"] for n in listed["nodes"]}
        assert listed["totalCount"] == after["ratingsCount"]
