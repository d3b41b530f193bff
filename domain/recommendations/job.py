"""The nightly job that learns related items from what customers bought and rated, and writes the
tables `reads.py` serves from.

Idempotent: the same orders and reviews give the same tables (the training is deterministic and
ties break by item key). The three tables are replaced in the caller's transaction, after an
advisory lock that makes two runs at once take turns, so a reader sees last night's tables until
the commit and the new ones after it, never a mix."""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import resource
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.recommendations import model
from domain.shared.lazy_modules import lazy_import

np = lazy_import("numpy")
sp = lazy_import("scipy.sparse")

log = logging.getLogger(__name__)

# Two runs at once wait for each other here (any constant unique to this job).
_LOCK = 7_264_017_001

# Each customer's items, oldest first (orders unless cancelled; reviews of what they did not order
# here), and each order's items (what was bought together).
_HISTORIES = """
SELECT account_id, array_agg(item ORDER BY at, seq) AS items FROM (
    SELECT o.account_id, coalesce(p.work_id, -p.id) AS item, o.placed_at AS at, l.id AS seq
    FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
    WHERE o.status <> 'CANCELLED'
    UNION ALL
    SELECT r.account_id, r.work_id, r.created_at, r.id
    FROM reviews r WHERE r.status = 'PUBLISHED' AND r.order_line_id IS NULL
) e GROUP BY account_id ORDER BY account_id
"""
_BASKETS = """
SELECT array_agg(DISTINCT coalesce(p.work_id, -p.id)) AS items
FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
WHERE o.status <> 'CANCELLED'
GROUP BY o.id HAVING count(DISTINCT coalesce(p.work_id, -p.id)) > 1
"""
_INSERT_PAIRS = """
INSERT INTO {table} (item, related, score)
SELECT * FROM unnest(CAST(:items AS bigint[]), CAST(:related AS bigint[]), CAST(:scores AS real[]))
"""


@dataclass(frozen=True, slots=True)
class Trained:
    related: list[tuple[int, int, float]]
    together: list[tuple[int, int, float]]
    popular: list[tuple[int, int]]  # (item, customers), most first


@dataclass(frozen=True, slots=True)
class RunStats:
    customers: int
    items: int
    related: int
    together: int
    seconds: float
    peak_mib: float


def bought_together(baskets: list[list[int]], k: int = model.TOP_K, min_orders: int = 2) -> list[tuple[int, int, float]]:
    """Pairs bought in the same order more often than chance says (Smith and Linden, 2017):
    observed orders with both, minus the expected count if the second item were picked at its
    share of all purchases, over the square root of that expectation; at least `min_orders`
    orders with both; the top `k` per item, ties by item key."""
    items = np.array(sorted({key for basket in baskets for key in basket}), dtype=np.int64)
    if len(items) < 2:
        return []
    x = model.interaction_matrix(baskets, items).astype(np.float64)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    share = np.asarray(x.sum(axis=0)).ravel() / sizes.sum()
    # Each order with X offers (size - 1) chances for another item to be bought with it.
    chances = np.asarray(x.T @ (sizes - 1)).ravel()
    co = sp.triu(x.T @ x, k=1).tocoo()
    co = sp.coo_matrix((np.concatenate([co.data, co.data]), (np.concatenate([co.row, co.col]),
                                                           np.concatenate([co.col, co.row]))), shape=co.shape)
    keep = co.data >= min_orders
    rows, cols, observed = co.row[keep], co.col[keep], co.data[keep]
    expected = chances[rows] * share[cols]
    scores = (observed - expected) / np.sqrt(expected)
    positive = scores > 0
    rows, cols, scores = rows[positive], cols[positive], scores[positive]
    order = np.lexsort((items[cols], -scores, rows))
    out: list[tuple[int, int, float]] = []
    taken: dict[int, int] = defaultdict(int)
    for i in order:
        r = int(rows[i])
        if taken[r] < k:
            taken[r] += 1
            out.append((int(items[r]), int(items[cols[i]]), float(np.float32(scores[i]))))
    return out


def train(histories: list[list[int]], baskets: list[list[int]], k: int = model.TOP_K) -> Trained:
    counts: dict[int, int] = defaultdict(int)
    for history in histories:
        for key in set(history):
            counts[key] += 1
    popular = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:model.POPULAR_LIMIT]
    return Trained(model.fit(histories, k=k).rows(), bought_together(baskets, k), popular)


async def _train_apart(histories: list[list[int]], baskets: list[list[int]], k: int) -> Trained:
    """`train` in a child process: scipy's inverse and sparse products hold the GIL for a minute
    on the demo data, which in a thread stalls the event loop of the process (the development
    server runs its worker in process: it stopped answering for that minute)."""
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return await loop.run_in_executor(pool, train, histories, baskets, k)


async def run(session: AsyncSession, *, k: int = model.TOP_K) -> RunStats:
    """Reads every customer's orders and reviews, trains, and replaces the three tables in the
    session's transaction (the caller commits)."""
    started = time.monotonic()
    # Writing half a million rows, or waiting for another run, outlasts a request's timeout.
    await session.execute(text("SET LOCAL statement_timeout = '15min'"))
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    histories = [list(r.items) for r in await session.execute(text(_HISTORIES))]
    baskets = [list(r.items) for r in await session.execute(text(_BASKETS))]
    # The training is CPU-bound for a minute on the full demo data: off the event loop.
    trained = await _train_apart(histories, baskets, k)
    for table, pairs in (("recommendation_related", trained.related), ("recommendation_together", trained.together)):
        await session.execute(text(f"DELETE FROM {table}"))
        if pairs:
            items, related, scores = (list(c) for c in zip(*pairs))
            await session.execute(text(_INSERT_PAIRS.format(table=table)),
                                  {"items": items, "related": related, "scores": scores})
    await session.execute(text("DELETE FROM recommendation_popular"))
    if trained.popular:
        await session.execute(text(
            "INSERT INTO recommendation_popular (item, customers, rank) SELECT item, customers, rank"
            " FROM unnest(CAST(:items AS bigint[]), CAST(:customers AS int[])) WITH ORDINALITY AS t(item, customers, rank)"),
            {"items": [i for i, _ in trained.popular], "customers": [c for _, c in trained.popular]})
    stats = RunStats(len(histories), len({i for i, _, _ in trained.related}), len(trained.related),
                     len(trained.together), round(time.monotonic() - started, 1),
                     round(max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
                                                                            resource.RUSAGE_CHILDREN)) / 1024, 1))
    log.info("recommendations trained", extra={"customers": stats.customers, "items": stats.items,
                                               "related": stats.related, "together": stats.together,
                                               "seconds": stats.seconds, "peak_mib": stats.peak_mib})
    return stats
