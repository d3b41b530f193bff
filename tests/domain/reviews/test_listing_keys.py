"""A page's listing is a loader key: equal listings are equal keys, whatever made them, and a
changed one (`dataclasses.replace`) another."""
import dataclasses

from domain.questions.entities import QuestionListing
from domain.questions.statuses import QuestionSortKey
from domain.reviews.entities import ReviewFilter, ReviewListing
from domain.reviews.statuses import ReviewSortKey


def test_equal_listings_are_one_key_and_others_another():
    first = ReviewListing(ReviewSortKey.NEWEST, ReviewFilter((5, 4), True), 10, 20)
    same = ReviewListing(ReviewSortKey.NEWEST, ReviewFilter((5, 4), True), 10, 20)
    keys = {(1, first): "page"}
    assert keys[(1, same)] == "page" and hash(first) == hash(same)
    for other in (dataclasses.replace(first, offset=30), dataclasses.replace(first, filter=ReviewFilter((5,))),
                  dataclasses.replace(first, sort_key=ReviewSortKey.MOST_HELPFUL), ReviewListing()):
        assert other != first and (1, other) not in keys
    assert dataclasses.replace(first, offset=30) == ReviewListing(ReviewSortKey.NEWEST, ReviewFilter((5, 4), True), 30, 20)
    assert "_hash" not in repr(first)
    questions = {QuestionListing(QuestionSortKey.MOST_ANSWERED, 0, 5): "page"}
    assert questions[QuestionListing(QuestionSortKey.MOST_ANSWERED, 0, 5)] == "page"
    assert QuestionListing(QuestionSortKey.MOST_ANSWERED, 5, 5) not in questions
