"""The related-items model and the scoring `recommendedForYou` serves, in numpy.

An *item* is what a customer reads or uses, whatever format they bought it in: a work (all its
editions) for a product that has one, else the product itself. Item keys are one bigint: the work
id, or minus the product id (works and products number from 1, so they never meet).

The model is EASE (Steck, 2019): a linear item-item model whose weights B solve a ridge regression
of each item's column of the interaction matrix on all the others, in closed form,
B = I - P / diag(P) with P = (X'X + lambda I)^-1. Each item keeps only its `k` largest positive
weights: that truncated table is what the database stores and what the API scores from, so the
offline evaluation scores from exactly the same table (`score_history`).

A customer's score for an item j is sum_i w_i * B[i, j] over their `history_limit` most recent
distinct items i, where the most recent has weight 1 and each older one is worth
`0.5 ** (1 / half_life)` of the next: readers read series and authors in order, so what they
read last says most about what they read next. The SQL in `reads.py` computes the same sum.

Recent product views add to the sum: the customer's `VIEW_LIMIT` most recently viewed items
(newest first, leaving out items already bought or rated, which count as such), weighted the same
way by their own age among the views, times `VIEW_WEIGHT`. Views have their own ages so that
browsing never pushes a customer's purchases down their timeline: a look is a weaker sign than a
purchase, and a busy browsing session would otherwise drown what they actually read. A viewed
item stays recommendable (unless bought, rated or held): looking without buying is the interest
"inspired by your browsing history" serves."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.shared.lazy_modules import lazy_import

np = lazy_import("numpy")
linalg = lazy_import("scipy.linalg")
sp = lazy_import("scipy.sparse")

LAMBDA = 300.0
HALF_LIFE = 4.0
HISTORY_LIMIT = 50
# Past 20 views the oldest weighs under 4% of the newest (half-life 4): more would only cost.
VIEW_LIMIT = 20
# A view counts half a purchase or a rating of the same age. The demo data hold no views, so this
# is a judgement, not a measurement: less than a purchase, enough that a customer with nothing
# but views is recommended what is related to them rather than only what is popular.
VIEW_WEIGHT = 0.5
TOP_K = 50
# EASE inverts an items x items matrix (4 bytes a cell, about 1 GB at 15,000): past this many,
# only the items most customers have are learnt (the rest still get popular and bought-together).
MAX_ITEMS = 15_000
# Popular items kept for customers with no history (and to fill past the personal ones).
POPULAR_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Related:
    """The truncated model: for each source item, up to k (target, weight) pairs, best first."""

    items: np.ndarray  # item key of each index
    sources: np.ndarray  # index of the source item, per pair
    targets: np.ndarray  # index of the target item, per pair
    scores: np.ndarray  # float32 weight, per pair

    def rows(self) -> list[tuple[int, int, float]]:
        """(item, related item, score) with item keys, for the table."""
        return list(zip(self.items[self.sources].tolist(), self.items[self.targets].tolist(),
                        self.scores.tolist()))

    def matrix(self) -> sp.csr_matrix:
        n = len(self.items)
        return sp.csr_matrix((self.scores.astype(np.float64), (self.sources, self.targets)), shape=(n, n))


def interaction_matrix(histories: Sequence[Sequence[int]], items: np.ndarray) -> sp.csr_matrix:
    """Customers x items, 1 where the customer has the item (a binary matrix: how often or how
    many stars matters less here than whether they read it at all)."""
    index = {int(key): i for i, key in enumerate(items)}
    rows, cols = [], []
    for row, history in enumerate(histories):
        for key in set(history):
            col = index.get(key)
            if col is not None:
                rows.append(row)
                cols.append(col)
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(histories), len(items)))


def fit(histories: Sequence[Sequence[int]], *, lam: float = LAMBDA, k: int = TOP_K,
        min_customers: int = 1, max_items: int = MAX_ITEMS) -> Related:
    """EASE weights over the items at least `min_customers` customers have (the `max_items` most
    common), truncated to each item's `k` best positive weights (ties by item key, so a rerun
    gives the same table)."""
    counts: dict[int, int] = {}
    for history in histories:
        for key in set(history):
            counts[key] = counts.get(key, 0) + 1
    kept = sorted((key for key, n in counts.items() if n >= min_customers), key=lambda key: (-counts[key], key))
    items = np.array(sorted(kept[:max_items]), dtype=np.int64)
    n = len(items)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return Related(items, empty, empty, np.zeros(0, dtype=np.float32))
    x = interaction_matrix(histories, items)
    # float32 halves the memory and time of the inverse; the weights need no more precision.
    gram = (x.T @ x).toarray().astype(np.float32)
    gram[np.diag_indices(n)] += lam
    p = linalg.inv(gram, overwrite_a=True, check_finite=False)
    del gram
    b = p / (-np.diag(p))
    del p
    b[np.diag_indices(n)] = 0.0
    return truncate(b, items, k)


def truncate(weights: np.ndarray, items: np.ndarray, k: int) -> Related:
    """Each row's k largest positive weights, best first, ties by item key."""
    n = weights.shape[0]
    k = min(k, n - 1)
    sources, targets, scores = [], [], []
    # Row blocks bound the temporary arrays on a large catalogue.
    for start in range(0, n, 1024):
        block = weights[start:start + 1024]
        top = np.argpartition(-block, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(block), 1))
        for r in range(len(block)):
            cols = top[r]
            vals = block[r, cols]
            keep = vals > 0
            cols, vals = cols[keep], vals[keep]
            order = np.lexsort((items[cols], -vals))
            sources.append(np.full(len(order), start + r, dtype=np.int64))
            targets.append(cols[order].astype(np.int64))
            scores.append(vals[order].astype(np.float32))
    cat = (lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype=dtype))
    return Related(items, cat(sources, np.int64), cat(targets, np.int64), cat(scores, np.float32))


def recency_weights(count: int, half_life: float = HALF_LIFE) -> np.ndarray:
    """Weights of a customer's items, most recent first."""
    return np.power(0.5, np.arange(count, dtype=np.float64) / half_life)


def recent_items(history: Sequence[int], limit: int = HISTORY_LIMIT) -> list[int]:
    """The distinct items of a history (oldest first), most recent first, at most `limit`."""
    seen: set[int] = set()
    out: list[int] = []
    for key in reversed(history):
        if key not in seen:
            seen.add(key)
            out.append(key)
            if len(out) == limit:
                break
    return out


def score_history(related: Related, matrix: sp.csr_matrix, index: dict[int, int], history: Sequence[int], *,
                  n: int = 10, exclude: set[int] | None = None, half_life: float = HALF_LIFE,
                  limit: int = HISTORY_LIMIT, views: Sequence[int] = (), view_limit: int = VIEW_LIMIT,
                  view_weight: float = VIEW_WEIGHT) -> list[tuple[int, float]]:
    """The top `n` (item key, score) for a customer with this history (oldest first) and these
    viewed items (newest first), never an item of the history or of `exclude`, ties by item key:
    what `reads.recommended_for` returns from the same table, computed in memory."""
    recent = recent_items(history, limit)
    had = set(history)
    viewed = [key for key in dict.fromkeys(views) if key not in had][:view_limit]
    weights = np.concatenate([recency_weights(len(recent), half_life),
                              view_weight * recency_weights(len(viewed), half_life)])
    rows = [(index[key], w) for key, w in zip(recent + viewed, weights) if key in index]
    if not rows:
        return []
    picked = np.array([r for r, _ in rows])
    scores = np.asarray(matrix[picked].T @ np.array([w for _, w in rows])).ravel()
    banned = had | (exclude or set())
    candidates = np.flatnonzero(scores > 0)
    ranked = sorted(((float(scores[c]), int(related.items[c])) for c in candidates
                     if int(related.items[c]) not in banned), key=lambda t: (-t[0], t[1]))
    return [(key, score) for score, key in ranked[:n]]
