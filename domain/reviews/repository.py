"""SQL of the review read side: pages of published reviews for many works in one statement,
a customer's own reviews, and summaries.

A review card shows its author's display name, which is public wherever the review is: it is
read in the same statement as the reviews (a join on accounts), so a page costs one statement."""
from __future__ import annotations

from collections.abc import Sequence

from domain.reviews.entities import RatingSummary, Review, ReviewListing
from domain.reviews.statuses import ReviewSortKey
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest, page_from_rows

_ORDER = {
    ReviewSortKey.MOST_HELPFUL: "r.helpful_votes DESC, r.created_at DESC, r.id DESC",
    ReviewSortKey.NEWEST: "r.created_at DESC, r.id DESC",
    ReviewSortKey.HIGHEST: "r.stars DESC, r.created_at DESC, r.id DESC",
    ReviewSortKey.LOWEST: "r.stars ASC, r.created_at DESC, r.id DESC",
}
_COLUMNS = """r.id, r.work_id, r.product_id, r.account_id, a.display_name, p.format::text, r.stars, r.title,
  r.body, r.status::text, r.verified_purchase, r.helpful_votes, r.created_at, r.updated_at"""
_FROM = "reviews r JOIN accounts a ON a.id = r.account_id JOIN products p ON p.id = r.product_id"


async def published_pages(reader: Reader, work_ids: Sequence[int], listing: ReviewListing) -> dict[int, Page]:
    """One page of each work's published reviews, in one statement: per work, an index scan in
    the list's order that stops after the page (a book with thousands of reviews costs the same as
    one with ten), then the authors' names and formats for those rows only. Totals are not
    counted here (see `count_published`)."""
    conditions = ["r.work_id = w.id", "r.status = 'PUBLISHED'"]
    args: list = [list(work_ids), listing.offset, listing.limit + 1]
    flt = listing.filter
    if flt.stars:
        args.append(list(flt.stars))
        conditions.append(f"r.stars = ANY(${len(args)}::smallint[])")
    if flt.verified_only:
        conditions.append("r.verified_purchase")
    if flt.with_text:
        conditions.append("(r.title IS NOT NULL OR r.body IS NOT NULL)")
    rows = await reader.fetch(
        f"SELECT {_COLUMNS} FROM unnest($1::bigint[]) AS w(id) CROSS JOIN LATERAL ("
        f" SELECT r.* FROM reviews r WHERE {' AND '.join(conditions)} ORDER BY {_ORDER[listing.sort_key]}"
        f" OFFSET $2 LIMIT $3) r JOIN accounts a ON a.id = r.account_id JOIN products p ON p.id = r.product_id"
        f" ORDER BY r.work_id, {_ORDER[listing.sort_key]}", *args)
    by_work: dict[int, list] = {w: [] for w in work_ids}
    for row in rows:
        by_work[row["work_id"]].append(Review(*row))
    request = PageRequest(listing.offset, listing.limit)
    return {w: page_from_rows(items, request) for w, items in by_work.items()}


async def published_pages_by_account(reader: Reader, account_ids: Sequence[int],
                                     page: PageRequest) -> dict[int, Page]:
    """One page of each customer's published reviews, newest first, in one statement (what their
    public profile shows)."""
    rows = await reader.fetch(
        f"SELECT {_COLUMNS} FROM unnest($1::bigint[]) AS w(id) CROSS JOIN LATERAL ("
        " SELECT r.* FROM reviews r WHERE r.account_id = w.id AND r.status = 'PUBLISHED'"
        " ORDER BY r.created_at DESC, r.id DESC OFFSET $2 LIMIT $3) r JOIN accounts a ON a.id = r.account_id"
        " JOIN products p ON p.id = r.product_id ORDER BY r.account_id, r.created_at DESC, r.id DESC",
        list(account_ids), page.offset, page.limit + 1)
    by_account: dict[int, list] = {a: [] for a in account_ids}
    for row in rows:
        by_account[row["account_id"]].append(Review(*row))
    return {a: page_from_rows(items, page) for a, items in by_account.items()}


async def count_published_by_account(reader: Reader, account_ids: Sequence[int]) -> dict[int, int]:
    rows = await reader.fetch("SELECT account_id, count(*) FROM reviews WHERE account_id = ANY($1::bigint[])"
                              " AND status = 'PUBLISHED' GROUP BY account_id", list(account_ids))
    found = {r[0]: r[1] for r in rows}
    return {a: found.get(a, 0) for a in account_ids}


async def count_published(reader: Reader, work_id: int, listing: ReviewListing) -> int:
    """The size of a work's filtered list (an unfiltered one is its summary's count)."""
    conditions = ["work_id = $1", "status = 'PUBLISHED'"]
    args: list = [work_id]
    flt = listing.filter
    if flt.stars:
        args.append(list(flt.stars))
        conditions.append("stars = ANY($2::smallint[])")
    if flt.verified_only:
        conditions.append("verified_purchase")
    if flt.with_text:
        conditions.append("(title IS NOT NULL OR body IS NOT NULL)")
    return (await reader.fetchrow(f"SELECT count(*) FROM reviews WHERE {' AND '.join(conditions)}", *args))[0]


async def account_reviews(reader: Reader, account_id: int, page: PageRequest) -> Page:
    """A customer's reviews, newest first: published and hidden ones (deleted ones are gone)."""
    rows = await reader.fetch(
        f"SELECT {_COLUMNS}, count(*) OVER () FROM {_FROM} WHERE r.account_id = $1 AND r.status <> 'DELETED'"
        " ORDER BY r.created_at DESC, r.id DESC OFFSET $2 LIMIT $3", account_id, page.offset, page.limit + 1)
    total = rows[0][-1] if rows else None
    if total is None and page.offset == 0:
        total = 0
    return page_from_rows([Review(*r[:-1]) for r in rows], page, total)


async def count_account_reviews(reader: Reader, account_id: int) -> int:
    return (await reader.fetchrow(
        "SELECT count(*) FROM reviews WHERE account_id = $1 AND status <> 'DELETED'", account_id))[0]


async def summaries(reader: Reader, work_ids: Sequence[int]) -> dict[int, RatingSummary]:
    rows = await reader.fetch(
        "SELECT work_id, review_count, star_total, stars_1, stars_2, stars_3, stars_4, stars_5"
        " FROM review_summaries WHERE work_id = ANY($1::bigint[])", list(work_ids))
    found = {r[0]: RatingSummary(r[0], r[1], r[2], tuple(r[3:8])) for r in rows}
    return {w: found.get(w, RatingSummary(w)) for w in work_ids}


async def reviews_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Review]:
    rows = await reader.fetch(f"SELECT {_COLUMNS} FROM {_FROM} WHERE r.id = ANY($1::bigint[])"
                              " AND r.status <> 'DELETED'", list(ids))
    return {r[0]: Review(*r) for r in rows}
