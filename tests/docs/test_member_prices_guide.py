"""The catalogue guide's Prime price steps work as written: seller staff set a member price on
the featured offer, shoppers see both prices, and staff remove it."""
import pytest

from tests.api.marketplace.helpers import fetch, gid
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("catalogue.md", "member-prices")


async def test_the_member_price_steps_run(writable_database):
    assert list(STEPS) == ["SetMemberPrice", "BothPrices", "RemoveMemberPrice"]
    db = writable_database
    # A product whose only in-stock offer is one seller's: the featured offer, and the whole range.
    (featured,) = await fetch(db, """SELECT o.id, o.seller_id, o.product_id FROM offers o
        JOIN sellers s ON s.id = o.seller_id
        WHERE o.archived_at IS NULL AND o.quantity > 0 AND o.condition = 'NEW' AND s.standing = 'GOOD'
          AND o.purchase_option = 'BUY' AND o.member_price_minor IS NULL
          AND (SELECT count(*) FROM offers x WHERE x.product_id = o.product_id AND x.archived_at IS NULL
               AND x.quantity > 0 AND x.purchase_option = 'BUY') = 1
        ORDER BY o.id LIMIT 1""")
    offer_id, product_id = gid("Offer", featured["id"]), gid("Product", featured["product_id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=featured["seller_id"])
        set_ = ok(await staff(http, STEPS["SetMemberPrice"], {"offerId": offer_id, "price": "24.99",
                                                              "memberPrice": "21.99"}), "updateOffer")
        assert (set_["offer"]["price"]["amount"], set_["offer"]["memberPrice"]["amount"]) == ("24.99", "21.99")

        shown = ok(await staff(http, STEPS["BothPrices"], {"productId": product_id}), "node")
        assert shown["featuredOffer"] == {"id": offer_id, "price": {"amount": "24.99"},
                                          "memberPrice": {"amount": "21.99"}}
        assert shown["priceRange"] == {"min": {"amount": "24.99"}, "memberMin": {"amount": "21.99"}}

        removed = ok(await staff(http, STEPS["RemoveMemberPrice"], {"offerId": offer_id}), "updateOffer")
        assert removed["offer"]["memberPrice"] is None
