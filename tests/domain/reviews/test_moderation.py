"""Reporting and moderating reviews: who may do what, the refusals (nothing written), the audit
trail, and the summary following hide and restore."""
import asyncio

import pytest

from domain.reviews import moderation
from domain.shared.errors import DomainError, Forbidden, Unauthenticated
from domain.shared.pagination import PageRequest
from domain.shared.principal import ANONYMOUS, Principal
from tests.fixtures.customer_service import committed
from tests.fixtures.db import fetch

_NEW_ACCOUNT = "INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id"
# A published review with the seller of its product's first offer and the product's brand (books
# have none: then a brand owner of any brand, who has no more say than on their own products).
_REVIEW = """SELECT r.id, r.account_id, r.work_id, coalesce(p.brand_id, (SELECT min(id) FROM brands)) AS brand_id,
  (SELECT min(o.seller_id) FROM offers o WHERE o.product_id = p.id) AS seller_id
FROM reviews r JOIN products p ON p.id = r.product_id WHERE r.status = 'PUBLISHED' ORDER BY r.id LIMIT 1"""
_WRITTEN = """SELECT (SELECT count(*) FROM review_reports), (SELECT count(*) FROM review_moderation_events),
  (SELECT count(*) FROM reviews WHERE status = 'HIDDEN')"""
_SUMMARY = "SELECT review_count, star_total FROM review_summaries WHERE work_id = $1"
_RECOUNT = "SELECT count(*), coalesce(sum(stars), 0) FROM reviews WHERE work_id = $1 AND status = 'PUBLISHED'"


@pytest.fixture
async def reader(writable_demo_database):
    reading = await writable_demo_database.reader()
    yield reading
    await reading.close()


async def _customer(db, name: str) -> Principal:
    return Principal(account_id=(await fetch(db, _NEW_ACCOUNT, f"{name}@example.com", name))[0][0])


async def _admin(db, name: str = "moderator") -> Principal:
    customer = await _customer(db, name)
    return Principal(account_id=customer.account_id, is_admin=True)


async def _refused(db, use_case, code) -> None:
    before = await fetch(db, _WRITTEN)
    with pytest.raises(DomainError) as caught:
        await committed(db, use_case)
    assert caught.value.code == code, caught.value.message
    assert await fetch(db, _WRITTEN) == before


async def test_a_report_is_once_per_review_never_of_ones_own_and_limited_per_day(writable_demo_database, reader):
    db = writable_demo_database
    review = (await fetch(db, _REVIEW))[0]
    reporter = await _customer(db, "reporter")
    report = await committed(db, lambda s: moderation.report_review(s, reporter, review["id"], "SPAM", " Ads. "))
    assert (report.reason, report.note, report.open) == ("SPAM", "Ads.", True)
    await _refused(db, lambda s: moderation.report_review(s, reporter, review["id"], "FAKE", None), "ALREADY_REPORTED")
    author = Principal(account_id=review["account_id"])
    await _refused(db, lambda s: moderation.report_review(s, author, review["id"], "SPAM", None),
                   "CANNOT_REPORT_OWN_REVIEW")
    other = await _customer(db, "other")
    await _refused(db, lambda s: moderation.report_review(s, other, review["id"], "SPAM", "x" * 501), "NOTE_TOO_LONG")
    await _refused(db, lambda s: moderation.report_review(s, other, review["id"], "SPAM", "<b>bold</b>"), "INVALID")
    await _refused(db, lambda s: moderation.report_review(s, other, review["id"], "RUDE", None), "INVALID")
    await _refused(db, lambda s: moderation.report_review(s, other, 10**12, "SPAM", None), "NOT_FOUND")
    with pytest.raises(Unauthenticated):
        await committed(db, lambda s: moderation.report_review(s, ANONYMOUS, review["id"], "SPAM", None))
    # The daily limit: the reporter has one report in the last 24 hours.
    second = (await fetch(db, "SELECT id FROM reviews WHERE status = 'PUBLISHED' AND id <> $1 AND account_id <> $2"
                              " ORDER BY id LIMIT 1", review["id"], reporter.account_id))[0][0]
    await _refused(db, lambda s: moderation.report_review(s, reporter, second, "SPAM", None, per_day=1), "RATE_LIMITED")
    await committed(db, lambda s: moderation.report_review(s, reporter, second, "SPAM", None, per_day=2))


async def test_hiding_and_restoring_follow_the_summary_resolve_reports_and_write_the_trail(writable_demo_database, reader):
    db = writable_demo_database
    review = (await fetch(db, _REVIEW))[0]
    reporter, admin = await _customer(db, "reporter"), await _admin(db)
    await committed(db, lambda s: moderation.report_review(s, reporter, review["id"], "OFFENSIVE", None))
    queue = await moderation.reports(reader, admin, "OPEN", PageRequest())
    assert [r.review_id for r in queue.items] == [review["id"]] and queue.total == 1
    before = (await fetch(db, _SUMMARY, review["work_id"]))[0]

    hidden = await committed(db, lambda s: moderation.hide_review(s, admin, review["id"], "Insults another reader."))
    assert (hidden.status, hidden.resolved_reports, hidden.event.action) == ("HIDDEN", 1, "HIDE")
    after = (await fetch(db, _SUMMARY, review["work_id"]))[0]
    assert after["review_count"] == before["review_count"] - 1
    assert tuple(after) == tuple((await fetch(db, _RECOUNT, review["work_id"]))[0])
    assert (await moderation.reports(reader, admin, "OPEN", PageRequest())).total == 0
    await _refused(db, lambda s: moderation.hide_review(s, admin, review["id"], "Again."), "ALREADY_HIDDEN")
    await _refused(db, lambda s: moderation.hide_review(s, admin, review["id"], "  "), "REASON_REQUIRED")

    restored = await committed(db, lambda s: moderation.restore_review(s, admin, review["id"], "Appeal upheld."))
    assert (restored.status, restored.resolved_reports) == ("PUBLISHED", 0)
    assert tuple((await fetch(db, _SUMMARY, review["work_id"]))[0]) == tuple(before)
    await _refused(db, lambda s: moderation.restore_review(s, admin, review["id"], "Again."), "NOT_HIDDEN")
    await _refused(db, lambda s: moderation.dismiss_reports(s, admin, review["id"], "Nothing."), "NO_OPEN_REPORTS")

    trail = await moderation.history(reader, admin, review["id"], PageRequest())
    assert [(e.action, e.reason, e.actor_account_id) for e in trail.items] == [
        ("HIDE", "Insults another reader.", admin.account_id), ("RESTORE", "Appeal upheld.", admin.account_id)]


async def test_sellers_brand_owners_and_authors_can_neither_hide_restore_nor_read_the_queue(writable_demo_database, reader):
    db = writable_demo_database
    review = (await fetch(db, _REVIEW))[0]
    seller = Principal(account_id=(await _customer(db, "seller")).account_id,
                       seller_ids=frozenset({review["seller_id"]}))
    brand = Principal(account_id=(await _customer(db, "brand")).account_id, brand_ids=frozenset({review["brand_id"]}))
    author = Principal(account_id=review["account_id"])
    for who in (seller, brand, author):
        for act in (moderation.hide_review, moderation.restore_review, moderation.dismiss_reports):
            with pytest.raises(Forbidden):
                await committed(db, lambda s, act=act, who=who: act(s, who, review["id"], "Mine to judge."))
        with pytest.raises(Forbidden):
            await moderation.reports(reader, who, None, PageRequest())
        with pytest.raises(Forbidden):
            await moderation.history(reader, who, review["id"], PageRequest())
    assert (await fetch(db, "SELECT status::text FROM reviews WHERE id = $1", review["id"]))[0][0] == "PUBLISHED"


async def _outcome(db, use_case) -> str:
    try:
        await committed(db, use_case)
    except DomainError as error:
        return str(error.code)
    return "ok"


async def test_concurrent_actions_and_reports_stay_exact(writable_demo_database):
    db = writable_demo_database
    review = (await fetch(db, _REVIEW))[0]
    admins = [await _admin(db, f"moderator{i}") for i in range(4)]
    reporters = [await _customer(db, f"racer{i}") for i in range(4)]
    before = (await fetch(db, _SUMMARY, review["work_id"]))[0]
    outcomes = await asyncio.gather(
        *(_outcome(db, lambda s, a=a: moderation.hide_review(s, a, review["id"], "Race.")) for a in admins),
        *(_outcome(db, lambda s, r=r: moderation.report_review(s, r, review["id"], "SPAM", None)) for r in reporters))
    hides, reports = outcomes[:4], outcomes[4:]
    assert sorted(hides) == ["ALREADY_HIDDEN"] * 3 + ["ok"]
    # A report is filed before the hide (and resolved by it) or refused after it: never left open.
    assert set(reports) <= {"ok", "NOT_FOUND"}
    assert (await fetch(db, "SELECT count(*) FROM review_reports WHERE review_id = $1 AND resolved_at IS NULL",
                        review["id"]))[0][0] == 0
    assert (await fetch(db, "SELECT count(*) FROM review_moderation_events WHERE review_id = $1",
                        review["id"]))[0][0] == 1
    after = (await fetch(db, _SUMMARY, review["work_id"]))[0]
    assert after["review_count"] == before["review_count"] - 1
    assert tuple(after) == tuple((await fetch(db, _RECOUNT, review["work_id"]))[0])

    # One account's concurrent reports of different reviews take turns on its daily limit.
    others = [r[0] for r in await fetch(db, "SELECT id FROM reviews WHERE status = 'PUBLISHED' ORDER BY id LIMIT 6")]
    spammer = await _customer(db, "spammer")
    outcomes = await asyncio.gather(*(_outcome(db, lambda s, pk=pk: moderation.report_review(
        s, spammer, pk, "SPAM", None, per_day=3)) for pk in others))
    assert sorted(outcomes) == ["RATE_LIMITED"] * 3 + ["ok"] * 3
