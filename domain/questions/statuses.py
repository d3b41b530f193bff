"""Statuses and kinds of product questions and answers; the database enums, the use cases and
the GraphQL enums all take their values from here. Reports and moderation actions share the
reviews' reason codes and actions (`domain.moderation.statuses`)."""
from enum import StrEnum


class PostStatus(StrEnum):
    """PUBLISHED: shown to everyone. HIDDEN: taken down by a moderator (kept, restorable, seen
    only by its author and administrators). DELETED: withdrawn by its author (kept for
    moderators)."""

    PUBLISHED = "PUBLISHED"
    HIDDEN = "HIDDEN"
    DELETED = "DELETED"


class AnswererKind(StrEnum):
    """Who an answer is from, as the product page labels it. CUSTOMER: a customer who has not
    bought the product through us. VERIFIED_BUYER: a customer whose order of the product (or,
    for a book, of another format of it) was delivered. SELLER: staff answering for a seller
    that offers the product. BRAND: the registered owner of the product's brand."""

    CUSTOMER = "CUSTOMER"
    VERIFIED_BUYER = "VERIFIED_BUYER"
    SELLER = "SELLER"
    BRAND = "BRAND"


class PostKind(StrEnum):
    """What a report or a moderation action is about."""

    QUESTION = "QUESTION"
    ANSWER = "ANSWER"


class QuestionSortKey(StrEnum):
    """Orders of a product's questions: MOST_ANSWERED (most published answers first, then
    newest), NEWEST. Ties are broken by question, so pages are stable."""

    MOST_ANSWERED = "MOST_ANSWERED"
    NEWEST = "NEWEST"
