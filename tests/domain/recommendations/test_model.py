"""The model's rules on small hand-made histories: the table keeps each item's k best positive
weights and never the item itself, the same histories give the same table, the recency weights
halve every half-life, and bought-together favours what is bought together beyond chance."""
from domain.recommendations import job, model

HISTORIES = [[1, 2, 3], [2, 3, 4], [1, 3], [5, 1], [1, 2, 3, 4], [2, 4], [3, 4, 5]] * 3


def test_the_table_keeps_each_items_k_best_positive_weights_and_never_the_item_itself():
    related = model.fit(HISTORIES, lam=1.0, k=2)
    rows = related.rows()
    assert rows and all(item != other and score > 0 for item, other, score in rows)
    per_item: dict[int, list[float]] = {}
    for item, _, score in rows:
        per_item.setdefault(item, []).append(score)
    assert max(len(v) for v in per_item.values()) == 2
    assert all(v == sorted(v, reverse=True) for v in per_item.values())
    assert model.fit(HISTORIES, lam=1.0, k=2).rows() == rows


def test_only_the_most_common_items_are_learnt_past_the_limit():
    related = model.fit(HISTORIES, lam=1.0, k=2, max_items=3)
    assert related.items.tolist() == [1, 2, 3]


def test_recency_weights_halve_every_half_life_and_the_history_is_never_recommended():
    assert model.recency_weights(9, 4.0).round(6).tolist()[::4] == [1.0, 0.5, 0.25]
    assert model.recent_items([1, 2, 1, 3], limit=2) == [3, 1]
    related = model.fit(HISTORIES, lam=1.0, k=4)
    index = {int(k): i for i, k in enumerate(related.items)}
    top = model.score_history(related, related.matrix(), index, [1, 2], n=3)
    assert top and not {key for key, _ in top} & {1, 2}


def test_bought_together_favours_a_pair_bought_together_beyond_chance():
    # Salad (1) goes with dressing (2); bread (3) is in every basket, so it explains nothing.
    baskets = [[1, 2, 3]] * 5 + [[3, 4], [3, 5], [3, 6], [3, 4, 5], [3, 6, 4]] * 3
    pairs = {(a, b): s for a, b, s in job.bought_together(baskets, k=5, min_orders=2)}
    assert pairs[(1, 2)] > 0 and pairs[(2, 1)] > 0
    assert (1, 3) not in pairs or pairs[(1, 3)] < pairs[(1, 2)]
    assert all(a != b for a, b in pairs)
