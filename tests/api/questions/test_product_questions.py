"""Reading questions: a product's list sorts as asked with each question's most helpful answer,
hidden posts are out of sight for everyone but their author and administrators, a customer's own
lists are theirs, and a product page with its rating summary, reviews and questions with their
top answers costs the same number of statements whatever the page sizes and however many
questions the product has."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.db import execute, fetchval
from tests.fixtures.identity import account

HP1_ISBN13 = "9780439554930"
LIST = """query($id: ID!, $sort: QuestionSortKey!, $first: Int) { node(id: $id) { ... on Product {
  questions(sortKey: $sort, first: $first) { totalCount nodes { id text answerCount authorName
    topAnswer { id text helpfulVotes answeredBy authorName } answers(first: 10) { totalCount nodes { id helpfulVotes } } } } } } }"""
PAGE = """query($isbn: String!, $reviews: Int!, $questions: Int!) { product(isbn: $isbn) { title
  ratingSummary { average count histogram { stars count percentage } }
  reviews(first: $reviews) { nodes { authorName verifiedPurchase } }
  questions(first: $questions) { nodes { text authorName topAnswer { text answeredBy authorName } } } } }"""
ASK = """mutation($productId: ID!, $text: String!) { askQuestion(input: {productId: $productId, text: $text}) {
  question { id } userErrors { code } } }"""
ANSWER = """mutation($questionId: ID!, $text: String!) { answerQuestion(input: {questionId: $questionId, text: $text}) {
  answer { id } userErrors { code } } }"""
VOTE = "mutation($id: ID!) { voteAnswerHelpful(input: {answerId: $id}) { userErrors { code } } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Question { text status } ... on Answer { text status } } }"
MINE = """query { viewer { customer { questions(first: 10) { totalCount nodes { id status } }
  answers(first: 10) { totalCount nodes { id status } } } } }"""


async def _seed(http, db, product_id: int, questions: int) -> dict:
    """`questions` questions on the product, the i-th with i answers; in the last one, the second
    answer gets two helpful votes."""
    people = [await account(http, db, f"p{i}") for i in range(max(questions, 3))]
    product = ids.encode("Product", product_id)
    made = {"questions": [], "answers": []}
    for i in range(questions):
        qid = (await call(http, ASK, {"productId": product, "text": f"Question {i}?"}, token=people[i].token)
               )["data"]["askQuestion"]["question"]["id"]
        made["questions"].append(qid)
        for j in range(i):
            aid = (await call(http, ANSWER, {"questionId": qid, "text": f"Answer {i}.{j}"}, token=people[j].token)
                   )["data"]["answerQuestion"]["answer"]["id"]
            made["answers"].append(aid)
    if questions >= 3:
        favourite = made["answers"][-1 - (questions - 2) + 1]
        for voter in people[-2:]:
            await call(http, VOTE, {"id": favourite}, token=voter.token)
        made["favourite"] = favourite
    made["people"] = people
    return made


async def test_questions_sort_with_their_top_answers_and_hidden_posts_are_out_of_sight(writable_demo_database):
    db = writable_demo_database
    product_id = await fetchval(db, "SELECT id FROM products WHERE isbn = $1", HP1_ISBN13)
    async with make_client(db) as http:
        made = await _seed(http, db, product_id, 4)
        variables = {"id": ids.encode("Product", product_id), "sort": "MOST_ANSWERED", "first": 10}
        listed = (await call(http, LIST, variables))["data"]["node"]["questions"]
        assert listed["totalCount"] == 4
        assert [n["answerCount"] for n in listed["nodes"]] == [3, 2, 1, 0]
        top = listed["nodes"][0]
        assert top["id"] == made["questions"][3]
        assert top["topAnswer"]["id"] == made["favourite"] and top["topAnswer"]["helpfulVotes"] == 2
        assert top["topAnswer"]["answeredBy"] == "CUSTOMER" and "@" not in top["topAnswer"]["authorName"]
        assert [a["helpfulVotes"] for a in top["answers"]["nodes"]] == [2, 0, 0]
        assert listed["nodes"][3]["topAnswer"] is None
        newest = (await call(http, LIST, {**variables, "sort": "NEWEST"}))["data"]["node"]["questions"]
        assert [n["id"] for n in newest["nodes"]] == made["questions"][::-1]

        # A moderator hides the favourite answer and the first question.
        favourite, first = ids.parse(made["favourite"])[1], ids.parse(made["questions"][0])[1]
        await execute(db, "UPDATE product_answers SET status = 'HIDDEN', hidden_at = now() WHERE id = $1", favourite)
        await execute(db, "UPDATE product_questions SET status = 'HIDDEN', hidden_at = now() WHERE id = $1", first)
        listed = (await call(http, LIST, variables))["data"]["node"]["questions"]
        assert listed["totalCount"] == 3 and made["questions"][0] not in [n["id"] for n in listed["nodes"]]
        top = listed["nodes"][0]
        assert top["answerCount"] == 2 and top["topAnswer"]["id"] != made["favourite"]
        assert made["favourite"] not in [a["id"] for a in top["answers"]["nodes"]]
        stranger = await account(http, db, "stranger")
        author = made["people"][1]  # the favourite's author is people[1]
        for gid, owner in ((made["favourite"], author), (made["questions"][0], made["people"][0])):
            assert (await call(http, NODE, {"id": gid}, token=stranger.token))["data"]["node"] is None
            assert (await call(http, NODE, {"id": gid}))["data"]["node"] is None
            seen = (await call(http, NODE, {"id": gid}, token=owner.token))["data"]["node"]
            assert seen["status"] == "HIDDEN"
        mine = (await call(http, MINE, token=made["people"][0].token))["data"]["viewer"]["customer"]
        assert mine["questions"]["totalCount"] == 1 and mine["questions"]["nodes"][0]["status"] == "HIDDEN"
        assert mine["answers"]["totalCount"] == 3
        theirs = "query($id: ID!) { node(id: $id) { ... on Customer { questions { totalCount nodes { status } } } } }"
        customer = {"id": ids.encode("Customer", made["people"][0].account_id)}
        other = await call(http, theirs, customer, token=stranger.token)
        assert "errors" in other or other["data"]["node"] is None
        admin = await account(http, db, "admin", admin=True)
        seen = (await call(http, theirs, customer, token=admin.token))["data"]["node"]["questions"]
        assert seen == {"totalCount": 1, "nodes": [{"status": "HIDDEN"}]}


async def test_a_product_page_costs_the_same_statements_whatever_the_sizes(writable_demo_database):
    db = writable_demo_database
    product_id = await fetchval(db, "SELECT id FROM products WHERE isbn = $1", HP1_ISBN13)
    bare_isbn = await fetchval(db, "SELECT isbn FROM products WHERE isbn IS NOT NULL AND id <> $1 AND work_id"
                                   " IS NOT NULL ORDER BY id LIMIT 1", product_id)
    async with make_client(db) as http:
        await _seed(http, db, product_id, 6)
        counts = []
        for isbn, reviews, questions, expect in ((HP1_ISBN13, 1, 5, 5), (HP1_ISBN13, 10, 20, 6),
                                                 (bare_isbn, 10, 5, 0)):
            with count_statements() as counter:
                body = await call(http, PAGE, {"isbn": isbn, "reviews": reviews, "questions": questions})
            nodes = body["data"]["product"]["questions"]["nodes"]
            assert len(nodes) == expect, body
            counts.append(counter.count)
        assert all(n["topAnswer"] is None or n["topAnswer"]["answeredBy"] == "CUSTOMER" for n in nodes)
    # product, summary, reviews page (authors joined in), questions page (authors and top answers joined in)
    assert counts == [4, 4, 4], "\n".join(counter.statements)
