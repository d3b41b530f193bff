"""What is moderated: the tables, the columns and the words one kind of post is moderated with.
The rules in `domain.moderation.service` read nothing else, so reviews, questions and answers are
moderated by the same code."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from domain.moderation.errors import ModerationErrorCode


@dataclass(frozen=True, slots=True)
class Queue:
    """A table of reports, as administrators list them.

    `columns` (over the report `r` and `joins`) are the fields of `entity`, in order, with
    distinct names; `live` leaves out reports of deleted posts."""

    table: str
    columns: str
    entity: Callable[..., Any]
    live: str
    joins: str = ""


@dataclass(frozen=True, slots=True)
class Subject:
    """One kind of post.

    `locate` selects the post's `account_id`, `status` and `visible` (whether customers may see
    it: a published answer of a hidden question is not) by `:id`, ending in `FOR {lock}`.
    `posts` is its table, with `status` (PUBLISHED, HIDDEN, DELETED) and `hidden_at`. Its reports
    are rows of `queue.table` and its audit trail rows of `events`, both naming it in `key`;
    where such a table holds several kinds of post, `kind` is written in its `kind` column and
    `conflict` is the predicate of the partial unique index of (key, account_id)."""

    noun: str
    field: str
    posts: str
    locate: str
    queue: Queue
    events: str
    key: str
    own_code: ModerationErrorCode
    # What the daily limit counts, as its message names it: every report in `queue.table`.
    counted: str
    kind: str | None = None
    conflict: str = ""
