"""The featured offer ("buy box") rule, as SQL over `offers o JOIN sellers s`.

One definition for every reader of it: the offer summaries the product card and page show,
and the search index that sorts, filters and counts products by the featured offer's price
(`domain/marketplace/search_index.py`). A product's featured offer, per purchase option, is the first
of its live offers from sellers not suspended that pass `FEATURABLE`, in `ORDER`.
"""
from __future__ import annotations

# In stock, new, from a seller in good standing (AT_RISK sellers' offers are shown, never featured).
FEATURABLE = "o.quantity > 0 AND o.condition = 'NEW' AND s.standing = 'GOOD'"
# Lowest landed price (price plus the seller's shipping); on a tie platform fulfilment
# (Prime), then the better-rated seller, then the older offer.
ORDER = "o.landed_minor, o.fulfilment = 'PLATFORM' DESC, s.rating DESC NULLS LAST, o.id"
