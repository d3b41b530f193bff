"""Writing, editing and deleting one's own review.

Every use case acts only on the caller's own reviews: a seller or brand owner has no power over
the reviews of their products (another customer's review does not exist for an edit). Each runs
in the caller's transaction and writes nothing when it refuses. The rating summary follows by
the triggers on `reviews` (see `domain/reviews/summary.py`), in the same transaction.

Titles and texts are plain text (`domain/shared/plain_text.py`)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.kinds import EventKind
from domain.events.outbox import publish
from domain.marketplace import service as marketplace
from domain.reviews.errors import ReviewErrorCode
from domain.reviews.tables import TEXT_MAX, TITLE_MAX
from domain.shared import plain_text
from domain.shared.config import get_settings
from domain.shared.daily_limit import lock_account, seconds_until_free
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

# The store's currency: what the eligibility rule counts.
_CURRENCY = "USD"
UNSET = object()


@dataclass(frozen=True)
class ReviewLimits:
    min_spend: Decimal
    daily_reviews: int

    @classmethod
    def from_settings(cls) -> ReviewLimits:
        settings = get_settings()
        return cls(settings.review_min_spend, settings.review_daily_limit)


def _error(code: ReviewErrorCode, message: str, field: list[str] | None = None, **extensions) -> DomainError:
    return DomainError(message, code=code, field=field, extensions=extensions)


def check_stars(stars: int) -> None:
    if not 1 <= stars <= 5:
        raise _error(ReviewErrorCode.INVALID_STARS, "Stars are 1 to 5.", ["input", "stars"])


def check_words(value: str | None, name: str, limit: int) -> str | None:
    """A title or text as stored: None stays None; blank, HTML-like or too long is refused."""
    return plain_text.check_words(value, name, limit, ReviewErrorCode, blank_hint=": leave it out instead")


async def amount_paid_last_year(session: AsyncSession, account_id: int) -> int:
    """Minor units the account paid in the last 12 months: captured payments of its orders, less
    refunds (discounts were never paid, so they never count)."""
    row = (await session.execute(text(
        "SELECT coalesce((SELECT sum(s.captured_minor) FROM orders o JOIN shipments s ON s.order_id = o.id"
        "  WHERE o.account_id = :a AND o.currency = :c AND o.placed_at > now() - interval '12 months'), 0)"
        " - coalesce((SELECT sum(l.refunded_minor) FROM orders o JOIN order_lines l ON l.order_id = o.id"
        "  WHERE o.account_id = :a AND o.currency = :c AND o.placed_at > now() - interval '12 months'), 0)"),
        {"a": account_id, "c": _CURRENCY})).one()
    return int(row[0])


async def _check_eligible(session: AsyncSession, account_id: int, min_spend: Decimal) -> None:
    needed = int(min_spend * 100)
    if needed <= 0:
        return
    paid = await amount_paid_last_year(session, account_id)
    if paid < needed:
        missing = Decimal(needed - paid) / 100
        raise _error(ReviewErrorCode.REVIEW_NOT_ELIGIBLE,
                     f"Reviews are open to customers who paid at least ${min_spend:.2f} in the last 12 months"
                     f" (discounts not counted): ${missing:.2f} to go.", None, amountNeeded=f"{missing:.2f}")


async def _check_daily(session: AsyncSession, account_id: int, limit: int) -> None:
    wait = await seconds_until_free(session, "reviews", account_id, limit)
    if wait is not None:
        raise _error(ReviewErrorCode.RATE_LIMITED, f"At most {limit} reviews per 24 hours: try again later.",
                     retryAfterSeconds=wait)


async def verified_line(session: AsyncSession, account_id: int, work_id: int, product_id: int) -> int | None:
    """The delivered order line that earns the badge: of this format when there is one, else of
    another format of the work (merchandise, with no work, has only its own); the most recent first."""
    return (await session.execute(text(
        "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id"
        " JOIN shipments s ON s.id = l.shipment_id JOIN products p ON p.id = l.product_id"
        " WHERE o.account_id = :a AND (p.work_id = :w OR l.product_id = :p) AND s.status = 'DELIVERED'"
        " ORDER BY l.product_id = :p DESC, s.delivered_at DESC, l.id DESC LIMIT 1"),
        {"a": account_id, "w": work_id, "p": product_id})).scalar()


async def create_review(session: AsyncSession, principal: Principal, product_id: int, stars: int,
                        title: str | None, body: str | None, limits: ReviewLimits | None = None) -> int:
    """Write the caller's review of the product's work; returns its id."""
    account_id = principal.require_signed_in()
    limits = limits or ReviewLimits.from_settings()
    check_stars(stars)
    title = check_words(title, "title", TITLE_MAX)
    body = check_words(body, "text", TEXT_MAX)
    work_id = (await session.execute(text("SELECT work_id FROM products WHERE id = :p AND archived_at IS NULL"),
                                     {"p": product_id})).first()
    if work_id is None:
        raise NotFound("No such product.", code=ReviewErrorCode.NOT_FOUND, field=["input", "productId"])
    if work_id[0] is None:
        raise _error(ReviewErrorCode.NOT_REVIEWABLE, "Only books and videos have reviews.", ["input", "productId"])
    work_id = work_id[0]
    await lock_account(session, account_id)
    existing = await _live_review_of(session, account_id, work_id)
    if existing is not None:
        raise _error(ReviewErrorCode.ALREADY_REVIEWED, "You have reviewed this title: edit your review instead.",
                     ["input", "productId"], existingReviewId=existing)
    await _check_daily(session, account_id, limits.daily_reviews)
    await _check_eligible(session, account_id, limits.min_spend)
    line = await verified_line(session, account_id, work_id, product_id)
    review_id = (await session.execute(text(
        "INSERT INTO reviews (work_id, product_id, account_id, order_line_id, verified_purchase, stars, title, body)"
        " VALUES (:w, :p, :a, :l, :v, :s, :t, :b) RETURNING id"),
        {"w": work_id, "p": product_id, "a": account_id, "l": line, "v": line is not None, "s": stars,
         "t": title, "b": body})).scalar_one()
    # The sellers concerned by a review are those offering the reviewed product now: their
    # webhooks hear of it (a brand owner has no webhooks; a platform webhook hears of every one).
    await publish(session, EventKind.REVIEW_CREATED, review_id, customer_id=account_id,
                  seller_ids=await marketplace.sellers_offering(session, product_id),
                  data={"productId": product_id, "stars": stars})
    return review_id


async def _live_review_of(session: AsyncSession, account_id: int, work_id: int) -> int | None:
    return (await session.execute(text(
        "SELECT id FROM reviews WHERE account_id = :a AND work_id = :w AND status <> 'DELETED'"),
        {"a": account_id, "w": work_id})).scalar()


async def _own_review(session: AsyncSession, principal: Principal, review_id: int):
    """The caller's live review, locked; anyone else's review does not exist for them."""
    account_id = principal.require_signed_in()
    row = (await session.execute(text(
        "SELECT id, version, product_id, stars, title, body, updated_at FROM reviews"
        " WHERE id = :r AND account_id = :a AND status <> 'DELETED' FOR UPDATE"),
        {"r": review_id, "a": account_id})).first()
    if row is None:
        raise NotFound("No such review of yours.", code=ReviewErrorCode.NOT_FOUND, field=["input", "reviewId"])
    return row


async def update_review(session: AsyncSession, principal: Principal, review_id: int, stars=UNSET,
                        title=UNSET, body=UNSET) -> int:
    """Edit the caller's review: fields left UNSET keep their value, a None title or text removes
    it. The replaced version is kept for moderators. A hidden review stays hidden."""
    if stars is not UNSET:
        if stars is None:
            raise _error(ReviewErrorCode.INVALID_STARS, "Stars cannot be removed.", ["input", "stars"])
        check_stars(stars)
    if title is not UNSET:
        title = check_words(title, "title", TITLE_MAX)
    if body is not UNSET:
        body = check_words(body, "text", TEXT_MAX)
    old = await _own_review(session, principal, review_id)
    new = (old.stars if stars is UNSET else stars, old.title if title is UNSET else title,
           old.body if body is UNSET else body)
    if new == (old.stars, old.title, old.body):
        return review_id
    await session.execute(text(
        "INSERT INTO review_versions (review_id, version, product_id, stars, title, body, written_at)"
        " VALUES (:r, :v, :p, :s, :t, :b, :w)"),
        {"r": review_id, "v": old.version, "p": old.product_id, "s": old.stars, "t": old.title, "b": old.body,
         "w": old.updated_at})
    await session.execute(text(
        "UPDATE reviews SET stars = :s, title = :t, body = :b, version = version + 1, updated_at = now()"
        " WHERE id = :r"), {"r": review_id, "s": new[0], "t": new[1], "b": new[2]})
    return review_id


async def delete_review(session: AsyncSession, principal: Principal, review_id: int) -> int:
    """Withdraw the caller's review: kept for moderators as DELETED, out of the summary; the
    author may review the work again."""
    await _own_review(session, principal, review_id)
    await session.execute(text(
        "UPDATE reviews SET status = 'DELETED', deleted_at = now(), hidden_at = NULL, updated_at = now()"
        " WHERE id = :r"), {"r": review_id})
    return review_id
