"""The rating summary's numbers and the review filter's rules, without a database."""
from decimal import Decimal

import pytest

from domain.reviews.entities import RatingSummary, ReviewFilter
from domain.reviews.errors import ReviewQueryErrorCode
from domain.shared.errors import InvalidInput


def test_the_average_has_one_decimal_rounded_half_up():
    # 1 x 4 stars + 1 x 5 stars = 4.5; 3 x 5 + 1 x 4 = 19 / 4 = 4.75 -> 4.8
    assert RatingSummary(1, 2, 9, (0, 0, 0, 1, 1)).average == Decimal("4.5")
    assert RatingSummary(1, 4, 19, (0, 0, 0, 1, 3)).average == Decimal("4.8")
    assert RatingSummary(1).average is None


def test_percentages_are_whole_and_add_up_to_one_hundred():
    thirds = RatingSummary(1, 3, 6, (1, 1, 1, 0, 0))
    assert sum(thirds.percentages()) == 100 and sorted(thirds.percentages()) == [0, 0, 33, 33, 34]
    assert RatingSummary(1, 7, 29, (0, 1, 1, 2, 3)).percentages() == [0, 14, 14, 29, 43]
    assert RatingSummary(1).percentages() == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("stars", [(0,), (6,), (1, 7)])
def test_a_star_filter_outside_one_to_five_is_refused(stars):
    with pytest.raises(InvalidInput) as refused:
        ReviewFilter(stars=stars)
    assert refused.value.code == ReviewQueryErrorCode.INVALID_STARS
    assert refused.value.field == ["filter", "stars"]
