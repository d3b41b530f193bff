"""Reporting and moderating reviews over GraphQL: a customer reports a review, an administrator
works the queue and hides it, and the product's summary, its average, the search RATING sort and
the rating facet all agree with a recount; refusals are typed `userErrors` with field paths."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.api.reviews.recount import agree_with_a_recount
from tests.conftest import make_client
from tests.fixtures.db import fetch
from tests.fixtures.identity import account

REPORT = """mutation($id: ID!, $reason: ReviewReportReason!, $note: String) {
  reportReview(input: {reviewId: $id, reason: $reason, note: $note}) {
    report { reason note resolvedAt review { id } } userErrors { code field message retryAfterSeconds } } }"""
QUEUE = """query($status: ReviewReportStatus) { reviewReports(status: $status, first: 10) {
  totalCount nodes { reason note review { id stars status } } } }"""
HIDE = """mutation($id: ID!, $reason: String!) { hideReview(input: {reviewId: $id, reason: $reason}) {
  review { id status } resolvedReportCount event { action reason actorName } userErrors { code field } } }"""
RESTORE = """mutation($id: ID!, $reason: String!) { restoreReview(input: {reviewId: $id, reason: $reason}) {
  review { id status } resolvedReportCount userErrors { code field } } }"""
HISTORY = """query($id: ID!) { reviewModerationHistory(reviewId: $id) { nodes { action reason actorName } } }"""
_PICK = """SELECT r.id, r.product_id, r.work_id, r.account_id FROM reviews r
WHERE r.status = 'PUBLISHED' AND r.stars = 5 ORDER BY r.id LIMIT 1"""


async def test_an_admin_hides_a_reported_review_and_every_rating_agrees_with_a_recount(writable_demo_database):
    db = writable_demo_database
    review = (await fetch(db, _PICK))[0]
    gid, product_gid = ids.encode("Review", review["id"]), ids.encode("Product", review["product_id"])
    async with make_client(db) as http:
        reporter = await account(http, db, "reporter")
        admin = await account(http, db, "admin", admin=True)
        before = await agree_with_a_recount(http, db, product_gid, review["work_id"])

        body = await call(http, REPORT, {"id": gid, "reason": "OFFENSIVE", "note": "Insults other readers."},
                          token=reporter.token)
        assert body["data"]["reportReview"] == {"report": {"reason": "OFFENSIVE", "note": "Insults other readers.",
                                                           "resolvedAt": None, "review": {"id": gid}},
                                                "userErrors": []}
        queue = (await call(http, QUEUE, {"status": "OPEN"}, token=admin.token))["data"]["reviewReports"]
        assert queue["totalCount"] == 1 and queue["nodes"][0]["review"] == {"id": gid, "stars": 5, "status": "PUBLISHED"}

        hidden = (await call(http, HIDE, {"id": gid, "reason": "Abusive."}, token=admin.token))["data"]["hideReview"]
        assert hidden["review"] == {"id": gid, "status": "HIDDEN"} and hidden["resolvedReportCount"] == 1
        assert hidden["event"]["action"] == "HIDE" and hidden["userErrors"] == []
        after = await agree_with_a_recount(http, db, product_gid, review["work_id"])
        assert after["ratingsCount"] == before["ratingsCount"] - 1
        assert (await call(http, QUEUE, {"status": "OPEN"}, token=admin.token))["data"]["reviewReports"]["totalCount"] == 0
        # Out of sight for other customers: they can no longer report it.
        other = await account(http, db, "other")
        refused = (await call(http, REPORT, {"id": gid, "reason": "SPAM"}, token=other.token))["data"]["reportReview"]
        assert refused["userErrors"][0]["code"] == "NOT_FOUND" and refused["userErrors"][0]["field"] == ["input", "reviewId"]

        restored = (await call(http, RESTORE, {"id": gid, "reason": "Appeal upheld."}, token=admin.token))
        assert restored["data"]["restoreReview"]["review"] == {"id": gid, "status": "PUBLISHED"}
        assert await agree_with_a_recount(http, db, product_gid, review["work_id"]) == before
        trail = (await call(http, HISTORY, {"id": gid}, token=admin.token))["data"]["reviewModerationHistory"]["nodes"]
        assert [(e["action"], e["reason"]) for e in trail] == [("HIDE", "Abusive."), ("RESTORE", "Appeal upheld.")]
        assert trail[0]["actorName"] == "admin"


async def test_refusals_are_typed_user_errors_with_field_paths_and_write_nothing(writable_demo_database):
    db = writable_demo_database
    review = (await fetch(db, _PICK))[0]
    gid = ids.encode("Review", review["id"])
    written = "SELECT (SELECT count(*) FROM review_reports), (SELECT count(*) FROM review_moderation_events)"
    async with make_client(db, review_reports_per_day=1) as http:
        reporter = await account(http, db, "reporter")
        admin = await account(http, db, "admin", admin=True)
        assert (await call(http, REPORT, {"id": gid, "reason": "SPAM"}, token=reporter.token)
                )["data"]["reportReview"]["userErrors"] == []
        start = await fetch(db, written)
        other_review = ids.encode("Review", (await fetch(
            db, "SELECT id FROM reviews WHERE status = 'PUBLISHED' AND id <> $1 ORDER BY id LIMIT 1", review["id"]))[0][0])
        cases = [
            (REPORT, {"id": gid, "reason": "SPAM"}, reporter, "ALREADY_REPORTED", ["input", "reviewId"]),
            (REPORT, {"id": other_review, "reason": "SPAM"}, reporter, "RATE_LIMITED", None),
            (REPORT, {"id": gid, "reason": "SPAM", "note": "x" * 501}, admin, "NOTE_TOO_LONG", ["input", "note"]),
            (REPORT, {"id": gid, "reason": "SPAM", "note": "<script>x</script>"}, admin, "INVALID", ["input", "note"]),
            (REPORT, {"id": ids.encode("Product", 1), "reason": "SPAM"}, admin, "INVALID_ID", ["input", "reviewId"]),
            (HIDE, {"id": gid, "reason": ""}, admin, "REASON_REQUIRED", ["input", "reason"]),
            (RESTORE, {"id": gid, "reason": "Never hidden."}, admin, "NOT_HIDDEN", ["input", "reviewId"]),
        ]
        for document, variables, caller, code, field in cases:
            body = await call(http, document, variables, token=caller.token)
            payload = next(iter(body["data"].values()))
            assert payload["userErrors"][0]["code"] == code, (code, body)
            assert payload["userErrors"][0]["field"] == field, (code, body)
        limited = (await call(http, REPORT, {"id": other_review, "reason": "SPAM"}, token=reporter.token))
        assert limited["data"]["reportReview"]["userErrors"][0]["retryAfterSeconds"] > 80_000
        assert await fetch(db, written) == start
        # Not an administrator: a top-level FORBIDDEN, for the queue as for the actions.
        for document, variables in ((QUEUE, {}), (HIDE, {"id": gid, "reason": "Mine."}), (HISTORY, {"id": gid})):
            body = await call(http, document, variables, token=reporter.token)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
