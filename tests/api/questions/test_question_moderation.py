"""Reporting and moderating product questions and answers over GraphQL: a customer reports an
answer, an administrator works the queue and hides it, the question counts one answer fewer until
it is restored, and the audit trail says who did what; refusals are typed `userErrors` with field
paths and write nothing. Questions and answers are written straight into their tables here."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.db import fetch
from tests.fixtures.identity import account

_QUESTION = """INSERT INTO product_questions (product_id, account_id, body)
SELECT min(id), $1, $2 FROM products WHERE archived_at IS NULL RETURNING id"""
_ANSWER = """INSERT INTO product_answers (question_id, account_id, answerer, body)
VALUES ($1, $2, 'CUSTOMER', $3) RETURNING id"""


async def question(db, account_id: int, body: str = "Is the paper acid-free?") -> int:
    return (await fetch(db, _QUESTION, account_id, body))[0][0]


async def answer(db, question_id: int, account_id: int, body: str = "Yes, it says so on the copyright page.") -> int:
    return (await fetch(db, _ANSWER, question_id, account_id, body))[0][0]


async def answer_count(db, question_id: int) -> tuple[int, int]:
    """The question's kept `answer_count` and a recount of its published answers."""
    row = (await fetch(db, "SELECT answer_count, (SELECT count(*) FROM product_answers a WHERE a.question_id = q.id"
                           " AND a.status = 'PUBLISHED') FROM product_questions q WHERE id = $1", question_id))[0]
    return row[0], row[1]


REPORT_QUESTION = """mutation($id: ID!, $reason: ReviewReportReason!, $note: String) {
  reportQuestion(input: {questionId: $id, reason: $reason, note: $note}) {
    report { kind questionId answerId text authorName postStatus reason note resolvedAt }
    userErrors { code field message retryAfterSeconds } } }"""
REPORT_ANSWER = """mutation($id: ID!, $reason: ReviewReportReason!, $note: String) {
  reportAnswer(input: {answerId: $id, reason: $reason, note: $note}) {
    report { kind questionId answerId text authorName postStatus reason note resolvedAt }
    userErrors { code field message retryAfterSeconds } } }"""
QUEUE = """query($status: ReviewReportStatus) { questionReports(status: $status, first: 10) {
  totalCount nodes { kind questionId answerId text authorName postStatus reason note } } }"""
LINKED = """query($status: ReviewReportStatus) { questionReports(status: $status, first: 10) {
  nodes { question { id answerCount } answer { id status } } } }"""
_MODERATED = "status resolvedReportCount event { action reason actorName } userErrors { code field }"
HIDE_ANSWER = """mutation($id: ID!, $reason: String!) { hideAnswer(input: {answerId: $id, reason: $reason}) {
  answerId %s } }""" % _MODERATED
RESTORE_ANSWER = """mutation($id: ID!, $reason: String!) { restoreAnswer(input: {answerId: $id, reason: $reason}) {
  answerId %s } }""" % _MODERATED
DISMISS_ANSWER = """mutation($id: ID!, $reason: String!) { dismissAnswerReports(input: {answerId: $id, reason: $reason}) {
  answerId %s } }""" % _MODERATED
HIDE_QUESTION = """mutation($id: ID!, $reason: String!) { hideQuestion(input: {questionId: $id, reason: $reason}) {
  questionId %s } }""" % _MODERATED
RESTORE_QUESTION = """mutation($id: ID!, $reason: String!) { restoreQuestion(input: {questionId: $id, reason: $reason}) {
  questionId %s } }""" % _MODERATED
DISMISS_QUESTION = """mutation($id: ID!, $reason: String!) { dismissQuestionReports(input: {questionId: $id, reason: $reason}) {
  questionId %s } }""" % _MODERATED
ANSWER_HISTORY = """query($id: ID!) { answerModerationHistory(answerId: $id) { totalCount nodes { action reason actorName } } }"""
QUESTION_HISTORY = """query($id: ID!) { questionModerationHistory(questionId: $id) { totalCount nodes { action reason actorName } } }"""
WRITTEN = "SELECT (SELECT count(*) FROM question_reports), (SELECT count(*) FROM question_moderation_events)"


async def test_an_admin_hides_a_reported_answer_and_its_question_counts_one_answer_fewer(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        asker, rude, kind = (await account(http, db, "asker"), await account(http, db, "rude"),
                             await account(http, db, "kind"))
        reporter, admin = await account(http, db, "reporter"), await account(http, db, "admin", admin=True)
        q = await question(db, asker.account_id)
        bad = await answer(db, q, rude.account_id, "Only an idiot would ask that.")
        await answer(db, q, kind.account_id)
        qid, aid = ids.encode("Question", q), ids.encode("Answer", bad)
        assert await answer_count(db, q) == (2, 2)

        body = await call(http, REPORT_ANSWER, {"id": aid, "reason": "OFFENSIVE", "note": " Insults the asker. "},
                          token=reporter.token)
        filed = {"kind": "ANSWER", "questionId": qid, "answerId": aid, "text": "Only an idiot would ask that.",
                 "authorName": "rude", "postStatus": "PUBLISHED", "reason": "OFFENSIVE", "note": "Insults the asker."}
        assert body["data"]["reportAnswer"] == {"report": {**filed, "resolvedAt": None}, "userErrors": []}
        linked = (await call(http, LINKED, {"status": "OPEN"}, token=admin.token))["data"]["questionReports"]["nodes"]
        assert linked == [{"question": {"id": qid, "answerCount": 2}, "answer": {"id": aid, "status": "PUBLISHED"}}]
        queue = (await call(http, QUEUE, {"status": "OPEN"}, token=admin.token))["data"]["questionReports"]
        assert queue == {"totalCount": 1, "nodes": [filed]}

        hidden = (await call(http, HIDE_ANSWER, {"id": aid, "reason": "Abusive."}, token=admin.token))["data"]["hideAnswer"]
        assert hidden == {"answerId": aid, "status": "HIDDEN", "resolvedReportCount": 1,
                          "event": {"action": "HIDE", "reason": "Abusive.", "actorName": "admin"}, "userErrors": []}
        assert await answer_count(db, q) == (1, 1)
        assert (await call(http, QUEUE, {"status": "OPEN"}, token=admin.token))["data"]["questionReports"]["totalCount"] == 0
        resolved = (await call(http, QUEUE, {"status": "RESOLVED"}, token=admin.token))["data"]["questionReports"]
        assert resolved["nodes"] == [{**filed, "postStatus": "HIDDEN"}]
        # Out of sight for other customers: they can no longer report it.
        other = await account(http, db, "other")
        refused = (await call(http, REPORT_ANSWER, {"id": aid, "reason": "SPAM"}, token=other.token))["data"]["reportAnswer"]
        assert refused["userErrors"][0]["code"] == "NOT_FOUND" and refused["userErrors"][0]["field"] == ["input", "answerId"]

        restored = (await call(http, RESTORE_ANSWER, {"id": aid, "reason": "Appeal upheld."}, token=admin.token))
        assert restored["data"]["restoreAnswer"]["status"] == "PUBLISHED"
        assert restored["data"]["restoreAnswer"]["resolvedReportCount"] == 0
        assert await answer_count(db, q) == (2, 2)
        trail = (await call(http, ANSWER_HISTORY, {"id": aid}, token=admin.token))["data"]["answerModerationHistory"]
        assert trail == {"totalCount": 2, "nodes": [{"action": "HIDE", "reason": "Abusive.", "actorName": "admin"},
                                                    {"action": "RESTORE", "reason": "Appeal upheld.", "actorName": "admin"}]}
        # The question's own trail is apart from its answers'.
        assert (await call(http, QUESTION_HISTORY, {"id": qid}, token=admin.token)
                )["data"]["questionModerationHistory"] == {"totalCount": 0, "nodes": []}


async def test_a_hidden_question_takes_its_answers_out_of_reach_until_restored(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        asker, helper = await account(http, db, "asker"), await account(http, db, "helper")
        reporter, admin = await account(http, db, "reporter"), await account(http, db, "admin", admin=True)
        q = await question(db, asker.account_id, "Cheap pills at example dot com?")
        a = await answer(db, q, helper.account_id)
        qid, aid = ids.encode("Question", q), ids.encode("Answer", a)
        filed = (await call(http, REPORT_QUESTION, {"id": qid, "reason": "SPAM"}, token=reporter.token))
        assert filed["data"]["reportQuestion"]["report"] == {
            "kind": "QUESTION", "questionId": qid, "answerId": None, "text": "Cheap pills at example dot com?",
            "authorName": "asker", "postStatus": "PUBLISHED", "reason": "SPAM", "note": None, "resolvedAt": None}

        hidden = (await call(http, HIDE_QUESTION, {"id": qid, "reason": "Spam."}, token=admin.token))["data"]["hideQuestion"]
        assert (hidden["questionId"], hidden["status"], hidden["resolvedReportCount"]) == (qid, "HIDDEN", 1)
        # Its published answer is out of sight with it: customers cannot report it, administrators still act on it.
        refused = (await call(http, REPORT_ANSWER, {"id": aid, "reason": "SPAM"}, token=reporter.token))
        assert refused["data"]["reportAnswer"]["userErrors"][0]["code"] == "NOT_FOUND"
        admin_report = (await call(http, REPORT_ANSWER, {"id": aid, "reason": "OTHER", "note": "Check the link."},
                                   token=admin.token))["data"]["reportAnswer"]
        assert admin_report["userErrors"] == [] and admin_report["report"]["postStatus"] == "PUBLISHED"
        dismissed = (await call(http, DISMISS_ANSWER, {"id": aid, "reason": "The answer is fine."}, token=admin.token))
        assert dismissed["data"]["dismissAnswerReports"]["status"] == "PUBLISHED"
        assert dismissed["data"]["dismissAnswerReports"]["resolvedReportCount"] == 1

        restored = (await call(http, RESTORE_QUESTION, {"id": qid, "reason": "Cleaned up."}, token=admin.token))
        assert restored["data"]["restoreQuestion"]["status"] == "PUBLISHED"
        assert (await call(http, REPORT_ANSWER, {"id": aid, "reason": "SPAM"}, token=reporter.token)
                )["data"]["reportAnswer"]["userErrors"] == []
        trail = (await call(http, QUESTION_HISTORY, {"id": qid}, token=admin.token))["data"]["questionModerationHistory"]
        assert [(e["action"], e["reason"]) for e in trail["nodes"]] == [("HIDE", "Spam."), ("RESTORE", "Cleaned up.")]
        kinds = await fetch(db, "SELECT kind::text, question_id, answer_id FROM question_moderation_events ORDER BY id")
        assert [tuple(r) for r in kinds] == [("QUESTION", q, None), ("ANSWER", None, a), ("QUESTION", q, None)]


async def test_refusals_are_typed_user_errors_with_field_paths_and_write_nothing(writable_demo_database):
    db = writable_demo_database
    async with make_client(db, question_reports_per_day=2) as http:
        author, reporter = await account(http, db, "author"), await account(http, db, "reporter")
        admin = await account(http, db, "admin", admin=True)
        q = await question(db, author.account_id)
        a = await answer(db, q, author.account_id)
        other_q = await question(db, author.account_id, "Does it come signed?")
        qid, aid, other_qid = ids.encode("Question", q), ids.encode("Answer", a), ids.encode("Question", other_q)
        # One question and one answer: together they reach the daily limit of 2.
        for document, gid in ((REPORT_QUESTION, qid), (REPORT_ANSWER, aid)):
            body = await call(http, document, {"id": gid, "reason": "SPAM"}, token=reporter.token)
            assert next(iter(body["data"].values()))["userErrors"] == [], body
        start = await fetch(db, WRITTEN)
        cases = [
            (REPORT_ANSWER, {"id": aid, "reason": "SPAM"}, reporter, "ALREADY_REPORTED", ["input", "answerId"]),
            (REPORT_QUESTION, {"id": qid, "reason": "FAKE"}, reporter, "ALREADY_REPORTED", ["input", "questionId"]),
            (REPORT_QUESTION, {"id": other_qid, "reason": "SPAM"}, reporter, "RATE_LIMITED", None),
            (REPORT_QUESTION, {"id": qid, "reason": "SPAM"}, author, "CANNOT_REPORT_OWN_POST", ["input", "questionId"]),
            (REPORT_ANSWER, {"id": aid, "reason": "SPAM"}, author, "CANNOT_REPORT_OWN_POST", ["input", "answerId"]),
            (REPORT_ANSWER, {"id": aid, "reason": "SPAM", "note": "x" * 501}, admin, "NOTE_TOO_LONG", ["input", "note"]),
            (REPORT_ANSWER, {"id": aid, "reason": "SPAM", "note": "<a href=x>y</a>"}, admin, "INVALID", ["input", "note"]),
            (REPORT_ANSWER, {"id": qid, "reason": "SPAM"}, admin, "INVALID_ID", ["input", "answerId"]),
            (REPORT_QUESTION, {"id": ids.encode("Question", 10**12), "reason": "SPAM"}, admin, "NOT_FOUND",
             ["input", "questionId"]),
            (HIDE_ANSWER, {"id": aid, "reason": ""}, admin, "REASON_REQUIRED", ["input", "reason"]),
            (HIDE_QUESTION, {"id": qid, "reason": "<b>no</b>"}, admin, "INVALID", ["input", "reason"]),
            (RESTORE_ANSWER, {"id": aid, "reason": "Never hidden."}, admin, "NOT_HIDDEN", ["input", "answerId"]),
            (RESTORE_QUESTION, {"id": qid, "reason": "Never hidden."}, admin, "NOT_HIDDEN", ["input", "questionId"]),
            (DISMISS_QUESTION, {"id": other_qid, "reason": "Nothing."}, admin, "NO_OPEN_REPORTS", ["input", "questionId"]),
        ]
        for document, variables, caller, code, field in cases:
            body = await call(http, document, variables, token=caller.token)
            payload = next(iter(body["data"].values()))
            assert payload["userErrors"][0]["code"] == code, (code, body)
            assert payload["userErrors"][0]["field"] == field, (code, body)
            assert [v for k, v in payload.items() if k in ("report", "event")] in ([None], [])
        limited = await call(http, REPORT_QUESTION, {"id": other_qid, "reason": "SPAM"}, token=reporter.token)
        assert limited["data"]["reportQuestion"]["userErrors"][0]["retryAfterSeconds"] > 80_000
        assert await fetch(db, WRITTEN) == start
        hidden = await call(http, HIDE_ANSWER, {"id": aid, "reason": "Spam."}, token=admin.token)
        assert hidden["data"]["hideAnswer"]["userErrors"] == []
        again = await call(http, HIDE_ANSWER, {"id": aid, "reason": "Spam."}, token=admin.token)
        assert again["data"]["hideAnswer"]["userErrors"] == [{"code": "ALREADY_HIDDEN", "field": ["input", "answerId"]}]

        # Not an administrator (the author included): a top-level FORBIDDEN, for the queue, the
        # trails and the actions; signed out: UNAUTHENTICATED.
        for document, variables in ((QUEUE, {}), (HIDE_QUESTION, {"id": qid, "reason": "Mine."}),
                                    (RESTORE_ANSWER, {"id": aid, "reason": "Mine."}),
                                    (DISMISS_QUESTION, {"id": qid, "reason": "Mine."}),
                                    (QUESTION_HISTORY, {"id": qid}), (ANSWER_HISTORY, {"id": aid})):
            for caller in (reporter, author):
                body = await call(http, document, variables, token=caller.token)
                assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
            body = await call(http, document, variables)
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
        assert (await fetch(db, "SELECT status::text FROM product_questions WHERE id = $1", q))[0][0] == "PUBLISHED"


async def test_the_queue_costs_the_same_statements_for_one_report_as_for_a_page(writable_demo_database):
    db = writable_demo_database
    async with make_client(db) as http:
        author, admin = await account(http, db, "author"), await account(http, db, "admin", admin=True)
        reporter = await account(http, db, "reporter")
        q = await question(db, author.account_id)
        posts = [(REPORT_QUESTION, ids.encode("Question", q))]
        for n in range(4):
            answerer = await account(http, db, f"answerer{n}")
            posts.append((REPORT_ANSWER, ids.encode("Answer", await answer(db, q, answerer.account_id))))
        counts = []
        for n, (document, gid) in enumerate(posts):
            body = await call(http, document, {"id": gid, "reason": "SPAM"}, token=reporter.token)
            assert next(iter(body["data"].values()))["userErrors"] == [], body
            if n in (0, len(posts) - 1):
                with count_statements() as counter:
                    queue = (await call(http, QUEUE, {"status": "OPEN"}, token=admin.token))["data"]["questionReports"]
                counts.append(counter.count)
                assert queue["totalCount"] == n + 1
    # The viewer, then one statement for the page with its posts, authors and total.
    assert counts == [2, 2], counts
