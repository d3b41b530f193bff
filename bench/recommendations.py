"""Offline evaluation of the recommendations on the demo customers' real reading histories.

    .venv/bin/python bench/recommendations.py [--smoke] [--k 50] [--lam 300] [--half-life 4]

For each reader of the ratings sample (goodbooks-10k, in time order), the last 20% of their
ratings in file order are held out and the model is trained on the rest. Each model recommends
10 books per reader, never one the reader has in the training part; a reader counts as a hit
(HR@10) when one of their held-out books is among the 10, and NDCG@10 takes the held-out books as
the relevant set (ideal DCG: all of them, up to 10, at the top). Three models on the same split in
the same run: the most popular books, plain item-to-item cosine over co-readers (Linden, Smith
and York, 2003), and the shipped model **as served**: the related-items table the job writes
(EASE weights truncated to the top K per book) scored with the recency-weighted sum that
`recommendedForYou`'s SQL computes (`domain/recommendations/model.py`). The last line is
`shipped HR@10 <x> NDCG@10 <y>`. `--smoke`: the first 300 readers, to check it still runs.
Writes a table to bench/results/ (not with --smoke).
"""
from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `domain` importable

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

from domain.recommendations import model  # noqa: E402

RATINGS = ROOT / "domain" / "seed" / "data" / "goodbooks-10k-ratings-sample.csv.gz"
HOLD_OUT = 0.2
TOP_N = 10
SMOKE_READERS = 150


def read_histories(limit: int | None) -> dict[int, list[int]]:
    """Each reader's books in file (time) order."""
    histories: dict[int, list[int]] = {}
    with gzip.open(RATINGS, "rt", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for user, book, _stars in reader:
            user_id = int(user)
            if user_id not in histories and limit is not None and len(histories) == limit:
                continue
            histories.setdefault(user_id, []).append(int(book))
    return histories


def split(histories: dict[int, list[int]]) -> tuple[list[list[int]], list[set[int]]]:
    train, test = [], []
    for books in histories.values():
        cut = int(len(books) * (1 - HOLD_OUT))
        train.append(books[:cut])
        test.append(set(books[cut:]))
    return train, test


def metrics(recommended: list[list[int]], test: list[set[int]]) -> tuple[float, float]:
    discounts = 1.0 / np.log2(np.arange(2, TOP_N + 2))
    hits = ndcg = 0.0
    for top, held in zip(recommended, test):
        gains = np.array([1.0 if key in held else 0.0 for key in top[:TOP_N]])
        hits += float(gains.any())
        ideal = discounts[:min(TOP_N, len(held))].sum()
        ndcg += float((gains * discounts[:len(gains)]).sum() / ideal)
    return hits / len(test), ndcg / len(test)


def top_from_scores(scores: np.ndarray, items: np.ndarray, banned: set[int]) -> list[int]:
    order = np.lexsort((items, -scores))
    out = []
    for i in order:
        key = int(items[i])
        if key not in banned:
            out.append(key)
            if len(out) == TOP_N:
                break
    return out


def popular(train: list[list[int]]) -> Callable[[list[int]], list[int]]:
    counts: dict[int, int] = {}
    for books in train:
        for b in books:
            counts[b] = counts.get(b, 0) + 1
    items = np.array(sorted(counts), dtype=np.int64)
    scores = np.array([counts[k] for k in items], dtype=np.float64)
    return lambda history: top_from_scores(scores, items, set(history))


def cosine(train: list[list[int]]) -> Callable[[list[int]], list[int]]:
    """Item-to-item cosine over the readers who read both (2003), summed over the history."""
    items = np.array(sorted({b for books in train for b in books}), dtype=np.int64)
    index = {int(k): i for i, k in enumerate(items)}
    x = model.interaction_matrix(train, items).astype(np.float64)
    co = (x.T @ x).tocsr()
    norms = np.sqrt(co.diagonal())
    inverse = sp.diags(1.0 / np.maximum(norms, 1e-12))
    sim = (inverse @ co @ inverse).tocsr()
    sim.setdiag(0)

    def recommend(history: list[int]) -> list[int]:
        rows = [index[b] for b in set(history) if b in index]
        scores = np.asarray(sim[rows].sum(axis=0)).ravel()
        return top_from_scores(scores, items, set(history))

    return recommend


def shipped(related: model.Related, half_life: float) -> Callable[[list[int]], list[int]]:
    matrix = related.matrix()
    index = {int(k): i for i, k in enumerate(related.items)}

    def recommend(history: list[int]) -> list[int]:
        return [key for key, _ in model.score_history(related, matrix, index, history, n=TOP_N,
                                                       half_life=half_life)]

    return recommend


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help=f"only the first {SMOKE_READERS} readers")
    parser.add_argument("--k", type=int, default=model.TOP_K, help="related items kept per book")
    parser.add_argument("--lam", type=float, default=model.LAMBDA, help="EASE regularisation")
    parser.add_argument("--half-life", type=float, default=model.HALF_LIFE, help="recency half-life, in items")
    args = parser.parse_args()

    histories = read_histories(SMOKE_READERS if args.smoke else None)
    train, test = split(histories)
    print(f"readers {len(train)}, training ratings {sum(map(len, train))}, held out {sum(map(len, test))}",
          flush=True)
    rows = []
    for name, build in (("most popular", lambda: popular(train)), ("item-to-item cosine (2003)", lambda: cosine(train))):
        started = time.monotonic()
        recommend = build()
        hr, ndcg = metrics([recommend(h) for h in train], test)
        rows.append((name, hr, ndcg, time.monotonic() - started))
    started = time.monotonic()
    related = model.fit(train, lam=args.lam, k=args.k)
    fitted = time.monotonic() - started
    recommend = shipped(related, args.half_life)
    hr, ndcg = metrics([recommend(h) for h in train], test)
    name = f"shipped: EASE lambda {args.lam:g}, top {args.k} per book, recency half-life {args.half_life:g}"
    rows.append((name, hr, ndcg, time.monotonic() - started))

    lines = ["| model | HR@10 | NDCG@10 | seconds |", "|---|---|---|---|"]
    lines += [f"| {n} | {h:.3f} | {d:.3f} | {s:.1f} |" for n, h, d, s in rows]
    header = (f"{datetime.date.today()}, Python {platform.python_version()}, "
              f"{len(related.items)} books, {len(related.sources)} related pairs in the table, "
              f"training {fitted:.1f} s, peak memory {peak_mib():.0f} MiB")
    print(header)
    print("\n".join(lines))
    if not args.smoke:
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        (results / f"{datetime.date.today()}-recommendations.md").write_text(
            f"# Recommendations: offline evaluation\n\n{header}\n\n" + "\n".join(lines) + "\n")
    print(f"shipped HR@10 {hr:.3f} NDCG@10 {ndcg:.3f}")


if __name__ == "__main__":
    main()
