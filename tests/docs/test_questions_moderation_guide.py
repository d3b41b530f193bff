"""The question and answer moderation guide works as written: a customer reports an answer and a
question, an administrator works the queue, hides the answer (its question counts one answer
fewer), restores it, and reads both trails. (Fenced `graphql question-moderation`.)"""
from api.core import ids
from tests.api.identity.helpers import call
from tests.api.questions.test_question_moderation import answer, answer_count, question
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account

STEPS = steps("questions-moderation.md", "question-moderation")


async def test_reports_are_worked_through_the_queue_hidden_restored_and_kept_in_the_trails(writable_demo_database):
    assert list(STEPS) == ["ReportAnswer", "ReportQuestion", "OpenQuestionReports", "HideAnswer", "RestoreAnswer",
                           "AnswerModerationHistory", "QuestionModerationHistory"]
    db = writable_demo_database
    async with make_client(db) as http:
        asker, answerer = await account(http, db, "asker"), await account(http, db, "answerer")
        reporter, admin = await account(http, db, "reporter"), await account(http, db, "admin", admin=True)
        q = await question(db, asker.account_id)
        a = await answer(db, q, answerer.account_id)
        variables = {"questionId": ids.encode("Question", q), "answerId": ids.encode("Answer", a)}

        async def run(name: str, caller) -> dict:
            document = STEPS[name]
            wanted = {k: v for k, v in variables.items() if f"${k}" in document}
            body = await call(http, document, wanted, token=caller.token)
            return ok(body, next(iter(body["data"])))

        report = (await run("ReportAnswer", reporter))["report"]
        assert (report["kind"], report["answerId"], report["questionId"]) == (
            "ANSWER", variables["answerId"], variables["questionId"])
        assert (await run("ReportQuestion", reporter))["report"]["kind"] == "QUESTION"
        queue = await run("OpenQuestionReports", admin)
        assert queue["totalCount"] == 2
        assert [n["kind"] for n in queue["nodes"]] == ["ANSWER", "QUESTION"]
        assert queue["nodes"][0]["authorName"] == "answerer" and queue["nodes"][1]["authorName"] == "asker"

        hidden = await run("HideAnswer", admin)
        assert (hidden["status"], hidden["resolvedReportCount"]) == ("HIDDEN", 1)
        assert await answer_count(db, q) == (0, 0)
        assert [n["kind"] for n in (await run("OpenQuestionReports", admin))["nodes"]] == ["QUESTION"]
        restored = await run("RestoreAnswer", admin)
        assert restored["status"] == "PUBLISHED"
        assert await answer_count(db, q) == (1, 1)
        trail = await run("AnswerModerationHistory", admin)
        assert [(e["action"], e["actorName"]) for e in trail["nodes"]] == [("HIDE", "admin"), ("RESTORE", "admin")]
        assert (await run("QuestionModerationHistory", admin))["nodes"] == []
