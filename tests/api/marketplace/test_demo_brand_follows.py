"""The demo customers follow a few brands each (some with the brand's messages off), so a brand's
follower count and a customer's followed brands look real on a fresh start."""
from tests.fixtures.db import fetch


async def test_demo_customers_follow_a_few_brands_each(demo_database):
    [row] = await fetch(demo_database, """
        SELECT count(*) AS follows, count(DISTINCT f.account_id) AS followers, count(DISTINCT f.brand_id) AS brands,
               count(*) FILTER (WHERE f.opted_out_at IS NOT NULL) AS opted_out,
               bool_and(f.followed_at > a.created_at) AS after_joining,
               (SELECT count(*) FROM accounts) AS accounts
          FROM brand_follows f JOIN accounts a ON a.id = f.account_id""")
    assert row["followers"] >= row["accounts"] // 2
    assert row["brands"] >= 50
    assert 0 < row["opted_out"] < row["follows"] // 2
    assert row["after_joining"]
