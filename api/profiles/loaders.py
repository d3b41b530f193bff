"""Profile loaders: profiles by id as the caller sees them, and per profile (one statement per
page size for a whole page of profiles) its reviews, answers, followers and followed profiles."""
from __future__ import annotations

from api.core.dataloaders import grouped, keyed, keyed_for_viewer
from domain.profiles import service as profiles


def _grouped_for_viewer(fetch):
    """`grouped`, for private data: `fetch(reader, principal, ids, args)` gets the caller."""

    def factory(reader, viewer):
        async def load(reader, ids, args):
            return await fetch(reader, await viewer(), ids, args)

        return grouped(reader, load)

    return factory


async def _follow_counts(reader, principal, ids, direction):
    return await profiles.count_follows(reader, principal.account_id, ids, direction)


FACTORIES = {
    "profile_by_id": keyed_for_viewer(profiles.profiles_by_ids),
    "profile_follows": _grouped_for_viewer(profiles.follow_pages),
    "profile_follow_count": _grouped_for_viewer(_follow_counts),
    "profile_reviews": lambda r, *_: grouped(r, profiles.review_pages),
    "profile_review_count": lambda r, *_: keyed(r, profiles.review_counts),
    "profile_answers": lambda r, *_: grouped(r, profiles.answer_pages),
    "profile_answer_count": lambda r, *_: keyed(r, profiles.answer_counts),
}
