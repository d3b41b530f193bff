"""The reviews guide works as written: its stand-alone examples show numbers that agree with a
recount of the reviews, and a demo customer signed in with the documented password reads their
own reviews. (Fenced `graphql reviews`: it needs a signed-in customer.)"""
import re
from decimal import Decimal

from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call
from tests.conftest import TEST_BOOKS, make_client
from tests.docs.guides import DOCS, examples, ok, steps
from tests.fixtures.db import fetch
from tests.fixtures.identity import account

GUIDE = DOCS / "reviews.md"
STANDALONE = {re.search(r"query (\w+)", d).group(1): d for d in examples(GUIDE)}
STEPS = steps("reviews.md", "reviews")
SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "guide"}) { tokens { accessToken } userErrors { code message } } }"""


def test_the_guide_documents_the_demo_password():
    assert f"**`{DEMO_PASSWORD}`**" in GUIDE.read_text()


async def test_the_summary_example_agrees_with_a_recount(demo_gql, demo_database):
    assert list(STANDALONE) == ["ProductRatingSummary", "CriticalReviews", "BestRatedFantasy"]
    product = ok(await demo_gql(STANDALONE["ProductRatingSummary"]), "product")
    stars = {r[0]: r[1] for r in await fetch(
        demo_database, "SELECT r.stars, count(*) FROM reviews r JOIN products p ON p.work_id = r.work_id"
                  " WHERE p.isbn = '9780439554930' AND r.status = 'PUBLISHED' GROUP BY r.stars")}
    assert [(h["stars"], h["count"]) for h in product["ratingSummary"]["histogram"]] == \
        [(s, stars.get(s, 0)) for s in (5, 4, 3, 2, 1)]
    assert product["ratingsCount"] == product["ratingSummary"]["count"] == sum(stars.values())
    assert product["averageRating"] == product["ratingSummary"]["average"]


async def test_the_listing_and_search_examples_return_what_they_promise(demo_gql):
    reviews = ok(await demo_gql(STANDALONE["CriticalReviews"]), "product")["reviews"]
    assert reviews["nodes"] and all(n["stars"] in (1, 2) and n["verifiedPurchase"] for n in reviews["nodes"])
    found = ok(await demo_gql(STANDALONE["BestRatedFantasy"]), "search")
    assert [f["minRating"] for f in found["facets"]["ratings"]] == [4, 3, 2, 1]
    assert all(Decimal(n["averageRating"]) >= 4 for n in found["nodes"])


async def test_a_demo_customer_reads_their_own_reviews(writable_demo_database):
    assert list(STEPS) == ["MyReviews"]
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    async with make_client(writable_demo_database) as http:
        signed = (await http.post("/graphql", json={"query": SIGN_IN, "variables": {
            "email": reader.email, "password": DEMO_PASSWORD}})).json()["data"]["signIn"]
        headers = {"authorization": f"Bearer {signed['tokens']['accessToken']}"}
        body = (await http.post("/graphql", json={"query": STEPS["MyReviews"]}, headers=headers)).json()
    customer = ok(body, "viewer")["customer"]
    assert customer["displayName"] == reader.display_name
    assert customer["reviews"]["totalCount"] == len(reader.ratings)
    assert all(n["verifiedPurchase"] for n in customer["reviews"]["nodes"])


MODERATION = steps("reviews.md", "moderation")
_OTHERS_REVIEW = "SELECT id, work_id FROM reviews WHERE status = 'PUBLISHED' AND stars = 5 ORDER BY id LIMIT 1"
_RECOUNT = "SELECT count(*) FROM reviews WHERE work_id = $1 AND status = 'PUBLISHED'"


async def test_a_report_is_worked_through_the_queue_hidden_restored_and_kept_in_the_trail(writable_demo_database):
    assert list(MODERATION) == ["ReportReview", "OpenReviewReports", "HideReview", "RestoreReview",
                                "ReviewModerationHistory"]
    db = writable_demo_database
    review = (await fetch(db, _OTHERS_REVIEW))[0]
    variables = {"reviewId": ids.encode("Review", review["id"])}
    async with make_client(db) as http:
        reporter, admin = await account(http, db, "reporter"), await account(http, db, "admin", admin=True)

        async def run(name: str, caller) -> dict:
            document = MODERATION[name]
            body = await call(http, document, variables if "$reviewId" in document else {}, token=caller.token)
            return ok(body, next(iter(body["data"])))

        count = (await fetch(db, _RECOUNT, review["work_id"]))[0][0]
        report = await run("ReportReview", reporter)
        assert report["report"]["review"]["id"] == variables["reviewId"] and report["report"]["resolvedAt"] is None
        queue = await run("OpenReviewReports", admin)
        assert queue["totalCount"] == 1 and queue["nodes"][0]["review"]["id"] == variables["reviewId"]
        hidden = await run("HideReview", admin)
        assert hidden["review"]["status"] == "HIDDEN" and hidden["resolvedReportCount"] == 1
        assert (await fetch(db, _RECOUNT, review["work_id"]))[0][0] == count - 1
        assert (await run("OpenReviewReports", admin))["totalCount"] == 0
        restored = await run("RestoreReview", admin)
        assert restored["review"]["status"] == "PUBLISHED"
        assert (await fetch(db, _RECOUNT, review["work_id"]))[0][0] == count
        trail = await run("ReviewModerationHistory", admin)
        assert [(e["action"], e["actorName"]) for e in trail["nodes"]] == [("HIDE", "admin"), ("RESTORE", "admin")]
