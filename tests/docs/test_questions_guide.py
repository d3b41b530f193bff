"""The guide's questions walkthrough works as written: a customer asks about a product a seller
offers, a demo customer who bought it answers as a verified buyer, the seller's staff answer for
the seller, another customer votes the answer helpful and takes the vote back, the authors edit
and delete their posts, and the product's list shows what is published."""
from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call
from tests.conftest import TEST_BOOKS, make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

STEPS = steps("questions.md", "questions")
SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "guide"}) { tokens { accessToken } } }"""


async def test_the_questions_walkthrough(writable_demo_database):
    db = writable_demo_database
    assert list(STEPS) == ["ProductQuestions", "AskQuestion", "AnswerQuestion", "AnswerForSeller", "EditAnswer",
                           "EditQuestion", "VoteAnswerHelpful", "TakeBackAnswerVote", "DeleteAnswer",
                           "DeleteQuestion"]
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    product_id = await fetchval(
        db, "SELECT l.product_id FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN shipments s"
            " ON s.id = l.shipment_id JOIN accounts a ON a.id = o.account_id WHERE a.email = $1"
            " AND s.status = 'DELIVERED' AND EXISTS (SELECT 1 FROM offers f WHERE f.product_id = l.product_id"
            " AND f.archived_at IS NULL) ORDER BY l.id LIMIT 1", reader.email)
    seller_id = await fetchval(db, "SELECT min(seller_id) FROM offers WHERE product_id = $1 AND archived_at IS NULL",
                               product_id)
    product = {"productId": ids.encode("Product", product_id)}
    async with make_client(db) as http:
        signed = await call(http, SIGN_IN, {"email": reader.email, "password": DEMO_PASSWORD})
        buyer = signed["data"]["signIn"]["tokens"]["accessToken"]
        asker = await account(http, db, "asker")
        staff = await account(http, db, "staff", seller_id=seller_id)
        voter = await account(http, db, "voter")

        question = ok(await call(http, STEPS["AskQuestion"], product, token=asker.token), "askQuestion")["question"]
        assert (question["authorName"], question["answerCount"], question["status"]) == ("asker", 0, "PUBLISHED")
        asked = {"questionId": question["id"]}
        answer = ok(await call(http, STEPS["AnswerQuestion"], asked, token=buyer), "answerQuestion")["answer"]
        assert answer["answeredBy"] == "VERIFIED_BUYER" and answer["question"]["answerCount"] == 1
        for_seller = ok(await call(http, STEPS["AnswerForSeller"],
                                   {**asked, "sellerId": ids.encode("Seller", seller_id)}, token=staff.token),
                        "answerQuestion")["answer"]
        assert for_seller["answeredBy"] == "SELLER" and for_seller["seller"]["id"] == ids.encode("Seller", seller_id)

        answered = {"answerId": answer["id"]}
        edited = ok(await call(http, STEPS["EditAnswer"], answered, token=buyer), "updateAnswer")["answer"]
        assert edited["text"] == "Yes: all four maps, and they zoom."
        reworded = ok(await call(http, STEPS["EditQuestion"], asked, token=asker.token), "updateQuestion")
        assert reworded["question"]["text"].endswith("in colour?")
        voted = ok(await call(http, STEPS["VoteAnswerHelpful"], answered, token=voter.token), "voteAnswerHelpful")
        assert voted["answer"]["helpfulVotes"] == 1

        listed = ok(await call(http, STEPS["ProductQuestions"], product), "node")["questions"]
        assert listed["totalCount"] == 1
        shown = listed["nodes"][0]
        assert shown["answerCount"] == 2
        assert [a["id"] for a in shown["answers"]["nodes"]] == [answer["id"], for_seller["id"]]

        back = ok(await call(http, STEPS["TakeBackAnswerVote"], answered, token=voter.token), "removeAnswerVote")
        assert back["answer"]["helpfulVotes"] == 0
        gone = ok(await call(http, STEPS["DeleteAnswer"], answered, token=buyer), "deleteAnswer")
        assert gone["deletedId"] == answer["id"]
        withdrawn = ok(await call(http, STEPS["DeleteQuestion"], asked, token=asker.token), "deleteQuestion")
        assert withdrawn["deletedId"] == question["id"]
        after = ok(await call(http, STEPS["ProductQuestions"], product), "node")["questions"]
        assert after["totalCount"] == 0
