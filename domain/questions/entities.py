"""What the read side of questions returns: a question and an answer as shown, with their
authors' display names (public, like the posts), and how a page of questions is asked for."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.questions.statuses import QuestionSortKey

# A question read without its top answer (from `node`, or a customer's own list): the API
# loads it on demand. Questions of a product's page come with theirs, read in the same statement.
NOT_LOADED = object()


@dataclass(frozen=True, slots=True)
class Answer:
    id: int
    question_id: int
    account_id: int
    author_name: str
    answerer: str
    seller_id: int | None
    brand_id: int | None
    body: str
    status: str
    helpful_votes: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    product_id: int
    account_id: int
    author_name: str
    body: str
    status: str
    answer_count: int
    created_at: datetime
    updated_at: datetime
    top_answer: Answer | None | object = NOT_LOADED


@dataclass(frozen=True, slots=True)
class QuestionListing:
    """One page of a product's published questions (hashable: a loader key)."""

    sort_key: QuestionSortKey = QuestionSortKey.MOST_ANSWERED
    offset: int = 0
    limit: int = 20
    # Its hash, worked out once: a loader key is hashed at every step of its batch, and the
    # generated hash of a dataclass is Python (its sort key's, an enum's, too).
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.sort_key, self.offset, self.limit)))

    def __hash__(self) -> int:
        return self._hash
