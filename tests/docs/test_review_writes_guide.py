"""The guide's "Writing reviews" walkthrough works as written: a demo customer signed in with the
documented password writes a review, edits it, another customer votes it helpful and takes the
vote back, and the author deletes it."""
from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call
from tests.conftest import TEST_BOOKS, make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

STEPS = steps("reviews.md", "review-writes")
SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "guide"}) { tokens { accessToken } } }"""


async def test_the_writing_walkthrough(writable_demo_database):
    db = writable_demo_database
    assert list(STEPS) == ["WriteReview", "EditReview", "VoteHelpful", "TakeBackVote", "DeleteReview"]
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    async with make_client(db) as http:
        signed = await call(http, SIGN_IN, {"email": reader.email, "password": DEMO_PASSWORD})
        token = signed["data"]["signIn"]["tokens"]["accessToken"]
        account_id = await fetchval(db, "SELECT id FROM accounts WHERE email = $1", reader.email)
        product_id = await fetchval(
            db, "SELECT p.id FROM products p WHERE p.work_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reviews r"
                " WHERE r.work_id = p.work_id AND r.account_id = $1) ORDER BY p.id LIMIT 1", account_id)
        written = ok(await call(http, STEPS["WriteReview"], {"productId": ids.encode("Product", product_id)},
                                token=token), "createReview")["review"]
        assert (written["stars"], written["title"], written["verifiedPurchase"]) == (4, "A slow start", False)
        assert written["product"]["ratingSummary"]["count"] >= 1
        review = {"reviewId": written["id"]}
        edited = ok(await call(http, STEPS["EditReview"], review, token=token), "updateReview")["review"]
        assert (edited["stars"], edited["title"], edited["text"]) == (5, None, "Worth it by chapter 3.")
        voter = await account(http, db, "voter")
        voted = ok(await call(http, STEPS["VoteHelpful"], review, token=voter.token), "voteReviewHelpful")
        assert voted["review"]["helpfulVotes"] == 1
        back = ok(await call(http, STEPS["TakeBackVote"], review, token=voter.token), "removeReviewVote")
        assert back["review"]["helpfulVotes"] == 0
        gone = ok(await call(http, STEPS["DeleteReview"], review, token=token), "deleteReview")
        assert gone["deletedReviewId"] == written["id"]
