"""Delivery estimates of one offer without a cart, on crafted offers: the cart's own options for
one unit, the earliest one chosen, pre-orders counted from the release date, digital items at
once, and why there is no estimate."""
from datetime import date

from domain.carts import delivery, estimates
from domain.carts.entities import DeliveryConfig
from domain.catalogue.entities import Product
from domain.marketplace.entities import Offer
from tests.domain.carts.test_delivery import CONFIG, NOW, SELLER, _address, _line

US = estimates.Location("US")
SEATTLE = estimates.Location("US", "WA", "Seattle", "98109")


def _product(kind: str = "PHYSICAL", fmt: str = "PAPERBACK", release: date | None = None) -> Product:
    return Product(1, "a-book", "A Book", "", kind, fmt, 1, None, None, None, [], {}, [], release, None, 0, NOW, NOW)


def _offer(price_minor: int = 1000, fulfilment: str = "PLATFORM", shipping_minor: int = 0) -> Offer:
    return Offer(1, 1, 1, "NEW", "", fulfilment, price_minor, shipping_minor, "USD", 50, fulfilment == "PLATFORM",
                 NOW, SELLER)


def _context(where: estimates.Location = US, config: DeliveryConfig = CONFIG) -> estimates.DeliveryContext:
    return estimates.DeliveryContext(where, "GIVEN", config, False)


def test_one_offer_gets_the_options_of_a_cart_holding_one_unit_of_it():
    for fulfilment, shipping in (("PLATFORM", 0), ("MERCHANT", 250)):
        alone = estimates.options_for_offer(_offer(1000, fulfilment, shipping), CONFIG, _address("Seattle", "WA"),
                                            False, NOW)
        in_cart = delivery.options_for([_line(1000, 1, fulfilment, shipping)], fulfilment, CONFIG,
                                       _address("Seattle", "WA"), False, NOW)
        assert alone == in_cart


def test_the_earliest_option_wins_and_the_cheaper_one_on_the_same_day():
    seattle = estimates.estimate(_product(), _offer(), _context(SEATTLE), NOW)
    assert (seattle.status, seattle.option.kind, seattle.estimated_date) == ("SHIPS", "SAME_DAY", date(2026, 11, 24))
    # without a city: two-day (9.99) and pickup (free) both arrive Thursday
    country = estimates.estimate(_product(), _offer(), _context(), NOW)
    assert (country.option.kind, country.estimated_date) == ("PICKUP", date(2026, 11, 26))
    assert country.message == "Ready for pickup by Thursday, November 26 (free)."
    merchant = estimates.estimate(_product(), _offer(1000, "MERCHANT", 250), _context(SEATTLE), NOW)
    assert (merchant.option.kind, merchant.option.price.minor, merchant.estimated_date) == (
        "STANDARD", 350, date(2026, 12, 3))
    assert merchant.message == "Arrives by Thursday, December 3 with Standard delivery (USD 3.50)."


def test_a_preorder_counts_business_days_from_its_release_date_as_the_cart_does():
    friday = date(2026, 12, 4)
    preorder = _product(release=friday)
    estimate = estimates.estimate(preorder, _offer(), _context(SEATTLE), NOW)
    # no same-day before the release; pickup (free) and two-day both arrive 2 business days after it
    assert (estimate.option.kind, estimate.estimated_date) == ("PICKUP", date(2026, 12, 8))
    assert estimate.message == ("Pre-order: released on Friday, December 4. "
                                "Ready for pickup by Tuesday, December 8 (free).")
    options = {o.kind: o.estimated_delivery_date for o in estimates.options_for_offer(
        _offer(), CONFIG, _address("Seattle", "WA"), False, NOW, preorder)}
    assert options == {"STANDARD": date(2026, 12, 11), "TWO_DAY": date(2026, 12, 8), "SAME_DAY": None,
                       "PICKUP": date(2026, 12, 8)}
    # a release date already past changes nothing
    past = estimates.estimate(_product(release=date(2026, 1, 1)), _offer(), _context(SEATTLE), NOW)
    assert (past.option.kind, past.estimated_date) == ("SAME_DAY", date(2026, 11, 24))


def test_digital_items_are_available_at_once_or_on_their_release_date():
    ebook = estimates.estimate(_product("EBOOK", "KINDLE"), _offer(), None, NOW)
    assert (ebook.status, ebook.estimated_date, ebook.option, ebook.location) == ("INSTANT", date(2026, 11, 24),
                                                                                  None, None)
    stream = estimates.estimate(_product("VIDEO", "STREAMING", date(2027, 1, 15)), _offer(), None, NOW)
    assert (stream.status, stream.estimated_date) == ("ON_RELEASE", date(2027, 1, 15))
    assert not estimates.needs_delivery(_product("VIDEO", "STREAMING"))
    assert estimates.needs_delivery(_product("PHYSICAL", "DVD"))


def test_no_estimate_says_why():
    nobody = estimates.estimate(_product(), None, _context(), NOW)
    assert (nobody.status, nobody.message, nobody.estimated_date) == (
        "UNAVAILABLE", "Nobody has this in stock right now.", None)
    no_rates = estimates.estimate(_product(), _offer(1000, "MERCHANT"), _context(config=DeliveryConfig({}, [], [], [])),
                                  NOW)
    assert (no_rates.status, no_rates.message, no_rates.option) == (
        "UNAVAILABLE", "Standard delivery is not set up for these items.", None)
