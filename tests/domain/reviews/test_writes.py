"""Writing, editing and deleting one's own review: the rules, the verified badge, the
eligibility rule and the daily limit, each refusal writing nothing, and the summary following
every write."""
from decimal import Decimal

import pytest
from sqlalchemy import text

from domain.reviews import writes
from domain.reviews.writes import ReviewLimits
from domain.shared.errors import DomainError, Unauthenticated
from domain.shared.principal import ANONYMOUS, Principal
from tests.fixtures.customer_service import committed, new_customer
from tests.fixtures.db import fetch, fetchval

OPEN = ReviewLimits(Decimal("0"), 20)
TABLES = ("reviews", "review_versions", "review_summaries")


async def _snapshot(db) -> dict:
    return {t: [tuple(r) for r in await fetch(db, f"SELECT * FROM {t} ORDER BY 1")] for t in TABLES}


async def _refused(db, use_case) -> DomainError:
    before = await _snapshot(db)
    with pytest.raises(DomainError) as caught:
        await committed(db, use_case)
    assert await _snapshot(db) == before
    return caught.value


async def _unreviewed_product(db, account_id: int) -> int:
    return await fetchval(db, "SELECT p.id FROM products p WHERE p.work_id IS NOT NULL AND p.archived_at IS NULL"
                          " AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.work_id = p.work_id AND r.account_id = $1)"
                          " ORDER BY p.id LIMIT 1", account_id)


async def _summary(db, work_id: int) -> list[int]:
    row = (await fetch(db, "SELECT stars_1, stars_2, stars_3, stars_4, stars_5 FROM review_summaries"
                           " WHERE work_id = $1", work_id))
    return list(row[0]) if row else [0] * 5


async def _recount(db, work_id: int) -> list[int]:
    rows = await fetch(db, "SELECT stars, count(*) FROM reviews WHERE work_id = $1 AND status = 'PUBLISHED'"
                           " GROUP BY stars", work_id)
    counts = dict(rows)
    return [counts.get(s, 0) for s in range(1, 6)]


async def _demo_buyer(db):
    """A demo customer and a delivered line of theirs whose work they have not reviewed yet (their
    review of it is removed, as if never written)."""
    row = (await fetch(db, "SELECT o.account_id, l.product_id, l.id, p.work_id FROM order_lines l"
                           " JOIN orders o ON o.id = l.order_id JOIN shipments s ON s.id = l.shipment_id"
                           " JOIN products p ON p.id = l.product_id WHERE s.status = 'DELIVERED'"
                           " ORDER BY l.id LIMIT 1"))[0]
    await committed(db, lambda s: s.execute(text(
        "DELETE FROM reviews WHERE account_id = :a AND work_id = :w"), {"a": row[0], "w": row[3]}))
    return Principal(account_id=row[0]), row[1], row[2], row[3]


async def test_a_bought_book_gets_a_verified_review_and_the_summary_follows(writable_demo_database):
    db = writable_demo_database
    buyer, product_id, line_id, work_id = await _demo_buyer(db)
    before = await _summary(db, work_id)
    review_id = await committed(db, lambda s: writes.create_review(s, buyer, product_id, 4, "Fine", "A good read.",
                                                                    OPEN))
    row = (await fetch(db, "SELECT verified_purchase, order_line_id, product_id, title, body, status::text"
                           " FROM reviews WHERE id = $1", review_id))[0]
    assert tuple(row) == (True, line_id, product_id, "Fine", "A good read.", "PUBLISHED")
    after = await _summary(db, work_id)
    assert after[3] == before[3] + 1 and after == await _recount(db, work_id)


async def test_an_unbought_book_is_reviewed_unverified_when_the_rule_allows(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    product_id = await _unreviewed_product(db, customer.account_id)
    review_id = await committed(db, lambda s: writes.create_review(s, customer, product_id, 1, None, None, OPEN))
    assert tuple((await fetch(db, "SELECT verified_purchase, order_line_id, title, body FROM reviews WHERE id = $1",
                              review_id))[0]) == (False, None, None, None)


async def test_one_review_per_work_whatever_the_format(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    work_id, first, other = (await fetch(db, "SELECT work_id, min(id), max(id) FROM products WHERE work_id IS NOT NULL"
                                             " GROUP BY work_id HAVING count(*) > 1 ORDER BY work_id LIMIT 1"))[0]
    review_id = await committed(db, lambda s: writes.create_review(s, customer, first, 5, None, None, OPEN))
    error = await _refused(db, lambda s: writes.create_review(s, customer, other, 3, None, None, OPEN))
    assert error.code == "ALREADY_REVIEWED" and error.extensions == {"existingReviewId": review_id}
    # A deleted review makes room for a new one.
    await committed(db, lambda s: writes.delete_review(s, customer, review_id))
    assert await committed(db, lambda s: writes.create_review(s, customer, other, 3, None, None, OPEN)) != review_id


@pytest.mark.parametrize(("stars", "title", "body", "code", "field"), [
    (0, None, None, "INVALID_STARS", ["input", "stars"]),
    (6, None, None, "INVALID_STARS", ["input", "stars"]),
    (5, "  ", None, "INVALID", ["input", "title"]),
    (5, "x" * 201, None, "TOO_LONG", ["input", "title"]),
    (5, None, "x" * 100_000, "TOO_LONG", ["input", "text"]),
    (5, None, "Great <script>alert(1)</script>", "HTML_NOT_ALLOWED", ["input", "text"]),
])
async def test_bad_input_is_refused_with_its_field(writable_demo_database, stars, title, body, code, field):
    db = writable_demo_database
    customer = await new_customer(db)
    product_id = await _unreviewed_product(db, customer.account_id)
    error = await _refused(db, lambda s: writes.create_review(s, customer, product_id, stars, title, body, OPEN))
    assert (error.code, error.field) == (code, field)


async def test_plain_text_with_angle_brackets_is_stored_as_written(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    product_id = await _unreviewed_product(db, customer.account_id)
    words = "3 < 5 stars, & \"quotes\" stay as typed"
    review_id = await committed(db, lambda s: writes.create_review(s, customer, product_id, 3, None, words, OPEN))
    assert await fetchval(db, "SELECT body FROM reviews WHERE id = $1", review_id) == words


async def test_the_eligibility_rule_counts_what_was_paid_in_the_last_year(writable_demo_database):
    db = writable_demo_database
    buyer, product_id, _, _ = await _demo_buyer(db)
    await committed(db, lambda s: s.execute(text(
        "UPDATE orders SET placed_at = now() - interval '1 month' WHERE account_id = :a"), {"a": buyer.account_id}))
    paid = await committed(db, lambda s: writes.amount_paid_last_year(s, buyer.account_id))
    assert paid > 0
    short = ReviewLimits(Decimal(paid + 1) / 100, 20)
    error = await _refused(db, lambda s: writes.create_review(s, buyer, product_id, 5, None, None, short))
    assert error.code == "REVIEW_NOT_ELIGIBLE" and error.extensions == {"amountNeeded": "0.01"}
    # Orders older than 12 months do not count.
    await committed(db, lambda s: s.execute(text(
        "UPDATE orders SET placed_at = now() - interval '13 months' WHERE account_id = :a"), {"a": buyer.account_id}))
    assert await committed(db, lambda s: writes.amount_paid_last_year(s, buyer.account_id)) == 0
    exact = ReviewLimits(Decimal(paid) / 100, 20)
    error = await _refused(db, lambda s: writes.create_review(s, buyer, product_id, 5, None, None, exact))
    assert error.extensions == {"amountNeeded": f"{Decimal(paid) / 100:.2f}"}
    await committed(db, lambda s: s.execute(text(
        "UPDATE orders SET placed_at = now() - interval '11 months' WHERE account_id = :a"), {"a": buyer.account_id}))
    assert await committed(db, lambda s: writes.create_review(s, buyer, product_id, 5, None, None, exact))


async def test_a_new_account_needs_the_default_fifty_dollars(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    product_id = await _unreviewed_product(db, customer.account_id)
    error = await _refused(db, lambda s: writes.create_review(s, customer, product_id, 5, None, None))
    assert error.code == "REVIEW_NOT_ELIGIBLE" and error.extensions == {"amountNeeded": "50.00"}


async def test_the_daily_limit(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    products = [r[0] for r in await fetch(db, "SELECT min(id) FROM products WHERE work_id IS NOT NULL"
                                              " GROUP BY work_id ORDER BY 1 LIMIT 3")]
    limits = ReviewLimits(Decimal("0"), 2)
    for product_id in products[:2]:
        await committed(db, lambda s, p=product_id: writes.create_review(s, customer, p, 4, None, None, limits))
    error = await _refused(db, lambda s: writes.create_review(s, customer, products[2], 4, None, None, limits))
    assert error.code == "RATE_LIMITED" and 0 < error.extensions["retryAfterSeconds"] <= 86400


async def test_edits_keep_the_previous_version_and_move_the_summary(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    product_id = await _unreviewed_product(db, customer.account_id)
    work_id = await fetchval(db, "SELECT work_id FROM products WHERE id = $1", product_id)
    review_id = await committed(db, lambda s: writes.create_review(s, customer, product_id, 5, "Wow", "Loved it.",
                                                                    OPEN))
    before = await _summary(db, work_id)
    await committed(db, lambda s: writes.update_review(s, customer, review_id, stars=2, title=None))
    row = (await fetch(db, "SELECT stars, title, body, version FROM reviews WHERE id = $1", review_id))[0]
    assert tuple(row) == (2, None, "Loved it.", 2)
    versions = await fetch(db, "SELECT version, stars, title, body FROM review_versions WHERE review_id = $1",
                           review_id)
    assert [tuple(v) for v in versions] == [(1, 5, "Wow", "Loved it.")]
    after = await _summary(db, work_id)
    assert (after[4], after[1]) == (before[4] - 1, before[1] + 1) and after == await _recount(db, work_id)


async def test_another_customers_review_does_not_exist_for_edits_or_deletion(writable_demo_database):
    db = writable_demo_database
    author, other = await new_customer(db), await new_customer(db)
    product_id = await _unreviewed_product(db, author.account_id)
    review_id = await committed(db, lambda s: writes.create_review(s, author, product_id, 5, None, None, OPEN))
    seller = Principal(account_id=other.account_id, seller_ids=frozenset({1}), brand_ids=frozenset({1}))
    for who in (other, seller):
        for use_case in (lambda s, w=who: writes.update_review(s, w, review_id, stars=1),
                         lambda s, w=who: writes.delete_review(s, w, review_id)):
            error = await _refused(db, use_case)
            assert (error.code, error.field) == ("NOT_FOUND", ["input", "reviewId"])
    with pytest.raises(Unauthenticated):
        await committed(db, lambda s: writes.delete_review(s, ANONYMOUS, review_id))


async def test_deletion_takes_the_review_out_of_the_summary(writable_demo_database):
    db = writable_demo_database
    customer = await new_customer(db)
    product_id = await _unreviewed_product(db, customer.account_id)
    work_id = await fetchval(db, "SELECT work_id FROM products WHERE id = $1", product_id)
    before = await _summary(db, work_id)
    review_id = await committed(db, lambda s: writes.create_review(s, customer, product_id, 3, None, None, OPEN))
    await committed(db, lambda s: writes.delete_review(s, customer, review_id))
    assert await fetchval(db, "SELECT status::text FROM reviews WHERE id = $1", review_id) == "DELETED"
    assert await _summary(db, work_id) == before == await _recount(db, work_id)
    error = await _refused(db, lambda s: writes.delete_review(s, customer, review_id))
    assert error.code == "NOT_FOUND"
