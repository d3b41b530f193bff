"""The demo data gives a few percent of offers of new items a Prime price, below their price."""
from tests.fixtures.db import fetch


async def test_a_few_percent_of_new_offers_have_a_member_price_below_their_price(database):
    (row,) = await fetch(database, """SELECT count(*) FILTER (WHERE member_price_minor IS NOT NULL) AS priced,
        count(*) FILTER (WHERE condition = 'NEW') AS new,
        count(*) FILTER (WHERE member_price_minor IS NOT NULL AND condition <> 'NEW') AS used_priced,
        count(*) FILTER (WHERE member_price_minor >= price_minor) AS not_lower FROM offers""")
    assert (row["used_priced"], row["not_lower"]) == (0, 0)
    assert 0.01 * row["new"] < row["priced"] < 0.05 * row["new"]
