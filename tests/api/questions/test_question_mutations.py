"""The question and answer mutations over HTTP: answers are labelled from the answerer's account
(a customer, a verified buyer from the demo data, staff of a seller offering the product, the
brand's owner), a wrong seller or brand is refused, only authors edit and delete, votes count
once, and bad input comes back as typed userErrors writing nothing."""
from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call
from tests.conftest import TEST_BOOKS, make_client
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.identity import account

SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB}) { tokens { accessToken } } }"""
ASK = """mutation($productId: ID!, $text: String!) { askQuestion(input: {productId: $productId, text: $text}) {
  question { id text authorName answerCount status product { id } }
  userErrors { code field message ... on QuestionError { retryAfterSeconds } } } }"""
ANSWER = """mutation($questionId: ID!, $text: String!, $sellerId: ID, $asBrand: Boolean! = false) {
  answerQuestion(input: {questionId: $questionId, text: $text, sellerId: $sellerId, asBrand: $asBrand}) {
  answer { id text authorName answeredBy seller { id name } brand { id name } helpfulVotes status question { id answerCount } }
  userErrors { code field message ... on QuestionError { existingAnswerId } } } }"""
UPDATE_Q = """mutation($id: ID!, $text: String!) { updateQuestion(input: {questionId: $id, text: $text}) {
  question { id text } userErrors { code field } } }"""
DELETE_Q = """mutation($id: ID!) { deleteQuestion(input: {questionId: $id}) { deletedId userErrors { code field } } }"""
UPDATE_A = """mutation($id: ID!, $text: String!) { updateAnswer(input: {answerId: $id, text: $text}) {
  answer { id text answeredBy } userErrors { code field } } }"""
DELETE_A = """mutation($id: ID!) { deleteAnswer(input: {answerId: $id}) { deletedId userErrors { code field } } }"""
VOTE = """mutation($id: ID!) { voteAnswerHelpful(input: {answerId: $id}) { answer { id helpfulVotes }
  userErrors { code field } } }"""
UNVOTE = """mutation($id: ID!) { removeAnswerVote(input: {answerId: $id}) { answer { id helpfulVotes }
  userErrors { code field } } }"""
TABLES = ("product_questions", "product_answers", "answer_votes")


async def _rows(db) -> dict:
    return {t: [tuple(r) for r in await fetch(db, f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES}


async def _demo_buyer(http, db) -> tuple[str, int]:
    """A demo customer's token and a product of theirs that was delivered (offered by a seller)."""
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    body = await call(http, SIGN_IN, {"email": reader.email, "password": DEMO_PASSWORD})
    product_id = await fetchval(
        db, "SELECT l.product_id FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN shipments s"
            " ON s.id = l.shipment_id JOIN accounts a ON a.id = o.account_id WHERE a.email = $1"
            " AND s.status = 'DELIVERED' AND EXISTS (SELECT 1 FROM offers f WHERE f.product_id = l.product_id"
            " AND f.archived_at IS NULL) ORDER BY l.id LIMIT 1", reader.email)
    return body["data"]["signIn"]["tokens"]["accessToken"], product_id


def _errors(body: dict, mutation: str) -> list[dict]:
    return [{k: e[k] for k in ("code", "field")} for e in body["data"][mutation]["userErrors"]]


async def test_answers_are_labelled_by_who_gives_them(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        buyer_token, product_id = await _demo_buyer(http, db)
        product = ids.encode("Product", product_id)
        asker = await account(http, db, "asker")
        asked = await call(http, ASK, {"productId": product, "text": "Is the print large enough? <3"},
                           token=asker.token)
        question = asked["data"]["askQuestion"]["question"]
        assert asked["data"]["askQuestion"]["userErrors"] == []
        assert (question["text"], question["authorName"], question["answerCount"], question["status"]) == (
            "Is the print large enough? <3", "asker", 0, "PUBLISHED")
        qid = question["id"]

        verified = (await call(http, ANSWER, {"questionId": qid, "text": "Yes, very readable."},
                               token=buyer_token))["data"]["answerQuestion"]
        assert verified["userErrors"] == [] and verified["answer"]["answeredBy"] == "VERIFIED_BUYER"
        assert verified["answer"]["question"]["answerCount"] == 1
        again = (await call(http, ANSWER, {"questionId": qid, "text": "Again."}, token=buyer_token))
        assert _errors(again, "answerQuestion") == [{"code": "ALREADY_ANSWERED", "field": ["input", "questionId"]}]
        assert again["data"]["answerQuestion"]["userErrors"][0]["existingAnswerId"] == verified["answer"]["id"]

        # The asker may answer their own question, as a customer (they bought nothing).
        own = (await call(http, ANSWER, {"questionId": qid, "text": "Found out: yes."},
                          token=asker.token))["data"]["answerQuestion"]
        assert own["answer"]["answeredBy"] == "CUSTOMER" and own["answer"]["seller"] is None

        seller_id = await fetchval(db, "SELECT min(seller_id) FROM offers WHERE product_id = $1 AND archived_at IS NULL",
                                   product_id)
        other_seller = await fetchval(db, "SELECT min(id) FROM sellers s WHERE NOT EXISTS (SELECT 1 FROM offers f"
                                          " WHERE f.seller_id = s.id AND f.product_id = $1)", product_id)
        staff = await account(http, db, "staff", seller_id=seller_id)
        as_seller = (await call(http, ANSWER, {"questionId": qid, "text": "Yes: 12 point type.",
                                               "sellerId": ids.encode("Seller", seller_id)},
                                token=staff.token))["data"]["answerQuestion"]
        assert as_seller["userErrors"] == [] and as_seller["answer"]["answeredBy"] == "SELLER"
        assert as_seller["answer"]["seller"]["id"] == ids.encode("Seller", seller_id)

        before = await _rows(db)
        wrong = await account(http, db, "wrong", seller_id=other_seller)
        for token, sid in ((wrong.token, other_seller), (wrong.token, seller_id), (asker.token, seller_id)):
            refused = await call(http, ANSWER, {"questionId": qid, "text": "Trust me.",
                                                "sellerId": ids.encode("Seller", sid)}, token=token)
            assert _errors(refused, "answerQuestion") == [{"code": "NOT_SELLER_OF_PRODUCT",
                                                           "field": ["input", "sellerId"]}]
        not_owner = await call(http, ANSWER, {"questionId": qid, "text": "We say yes.", "asBrand": True},
                               token=staff.token)
        assert _errors(not_owner, "answerQuestion") == [{"code": "NOT_BRAND_OWNER", "field": ["input", "asBrand"]}]
        assert await _rows(db) == before


async def test_the_brand_owner_answers_as_the_brand(writable_demo_database):
    db = writable_demo_database
    product_id, brand_id = (await fetch(db, "SELECT id, brand_id FROM products WHERE brand_id IS NOT NULL"
                                            " AND archived_at IS NULL ORDER BY id LIMIT 1"))[0]
    async with make_client(db) as http:
        asker = await account(http, db, "asker")
        qid = (await call(http, ASK, {"productId": ids.encode("Product", product_id), "text": "Waterproof?"},
                          token=asker.token))["data"]["askQuestion"]["question"]["id"]
        owner = await account(http, db, "owner", brand_id=brand_id)
        body = await call(http, ANSWER, {"questionId": qid, "text": "Splash-proof only.", "asBrand": True},
                          token=owner.token)
        answer = body["data"]["answerQuestion"]["answer"]
        assert answer["answeredBy"] == "BRAND" and answer["brand"]["id"] == ids.encode("Brand", brand_id)
        plain = await call(http, ANSWER, {"questionId": qid, "text": "Mine got wet."}, token=asker.token)
        assert plain["data"]["answerQuestion"]["answer"]["brand"] is None


async def test_bad_text_and_unknown_targets_are_typed_errors_writing_nothing(writable_demo_database):
    db = writable_demo_database
    product = ids.encode("Product", await fetchval(db, "SELECT min(id) FROM products WHERE archived_at IS NULL"))
    archived = await fetchval(db, "SELECT min(id) FROM products WHERE archived_at IS NOT NULL")
    async with make_client(db) as http:
        asker = await account(http, db, "asker")
        before = await _rows(db)
        cases = [({"productId": product, "text": "<b>Hi</b>"}, "HTML_NOT_ALLOWED", ["input", "text"]),
                 ({"productId": product, "text": "x" * 501}, "TOO_LONG", ["input", "text"]),
                 ({"productId": product, "text": "   "}, "INVALID", ["input", "text"]),
                 ({"productId": ids.encode("Product", 10**12), "text": "Hi?"}, "NOT_FOUND", ["input", "productId"])]
        if archived is not None:
            cases.append(({"productId": ids.encode("Product", archived), "text": "Hi?"}, "NOT_FOUND",
                          ["input", "productId"]))
        for variables, code, field in cases:
            body = await call(http, ASK, variables, token=asker.token)
            assert _errors(body, "askQuestion") == [{"code": code, "field": field}], variables
        bad_id = await call(http, ASK, {"productId": ids.encode("Seller", 1), "text": "Hi?"}, token=asker.token)
        assert _errors(bad_id, "askQuestion") == [{"code": "INVALID_ID", "field": ["input", "productId"]}]
        qid = (await call(http, ASK, {"productId": product, "text": "Ok?"}, token=asker.token)
               )["data"]["askQuestion"]["question"]["id"]
        long = await call(http, ANSWER, {"questionId": qid, "text": "y" * 2001}, token=asker.token)
        assert _errors(long, "answerQuestion") == [{"code": "TOO_LONG", "field": ["input", "text"]}]
        anonymous = await call(http, ASK, {"productId": product, "text": "Hi?"})
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    after = await _rows(db)
    assert len(after["product_questions"]) == len(before["product_questions"]) + 1
    assert after["product_answers"] == before["product_answers"]


async def test_only_authors_edit_and_delete_and_votes_count_once(writable_demo_database):
    db = writable_demo_database
    product = ids.encode("Product", await fetchval(db, "SELECT min(id) FROM products WHERE archived_at IS NULL"))
    async with make_client(db) as http:
        asker, answerer, other = [await account(http, db, n) for n in ("asker", "answerer", "other")]
        qid = (await call(http, ASK, {"productId": product, "text": "Battery life?"}, token=asker.token)
               )["data"]["askQuestion"]["question"]["id"]
        aid = (await call(http, ANSWER, {"questionId": qid, "text": "Ten hours."}, token=answerer.token)
               )["data"]["answerQuestion"]["answer"]["id"]
        for document, variables, mutation in ((UPDATE_Q, {"id": qid, "text": "Mine now"}, "updateQuestion"),
                                              (DELETE_Q, {"id": qid}, "deleteQuestion"),
                                              (UPDATE_A, {"id": aid, "text": "Mine now"}, "updateAnswer"),
                                              (DELETE_A, {"id": aid}, "deleteAnswer")):
            body = await call(http, document, variables, token=other.token)
            assert _errors(body, mutation)[0]["code"] == "NOT_FOUND"
        edited = await call(http, UPDATE_A, {"id": aid, "text": "Nine hours."}, token=answerer.token)
        assert edited["data"]["updateAnswer"]["answer"] == {"id": aid, "text": "Nine hours.", "answeredBy": "CUSTOMER"}
        voted = await call(http, VOTE, {"id": aid}, token=other.token)
        assert voted["data"]["voteAnswerHelpful"] == {"answer": {"id": aid, "helpfulVotes": 1}, "userErrors": []}
        assert _errors(await call(http, VOTE, {"id": aid}, token=other.token), "voteAnswerHelpful") == [
            {"code": "ALREADY_VOTED", "field": ["input", "answerId"]}]
        assert _errors(await call(http, VOTE, {"id": aid}, token=answerer.token), "voteAnswerHelpful") == [
            {"code": "OWN_ANSWER", "field": ["input", "answerId"]}]
        undone = await call(http, UNVOTE, {"id": aid}, token=other.token)
        assert undone["data"]["removeAnswerVote"]["answer"]["helpfulVotes"] == 0
        gone = await call(http, DELETE_A, {"id": aid}, token=answerer.token)
        assert gone["data"]["deleteAnswer"] == {"deletedId": aid, "userErrors": []}
        assert await fetchval(db, "SELECT answer_count FROM product_questions WHERE id = $1", ids.parse(qid)[1]) == 0
        deleted = await call(http, DELETE_Q, {"id": qid}, token=asker.token)
        assert deleted["data"]["deleteQuestion"] == {"deletedId": qid, "userErrors": []}
        late = await call(http, ANSWER, {"questionId": qid, "text": "Late."}, token=other.token)
        assert _errors(late, "answerQuestion") == [{"code": "NOT_FOUND", "field": ["input", "questionId"]}]
    status = await fetchval(db, "SELECT status::text FROM product_questions WHERE id = $1", ids.parse(qid)[1])
    assert status == "DELETED"
