"""The demo customers' lists are built from their own ratings: each public "Five-star <genre>" list
holds books its owner gave five stars in that genre, and each wish list holds books of their
favourite genre they have not reviewed; the counts the pages show match the rows."""
from tests.fixtures.db import fetch, fetchval


async def test_demo_customers_have_five_star_lists_and_wish_lists(demo_database):
    db = demo_database
    public = await fetchval(db, "SELECT count(*) FROM lists WHERE kind = 'NAMED' AND visibility = 'PUBLIC'")
    wish = await fetchval(db, "SELECT count(*) FROM lists WHERE kind = 'WISH_LIST'")
    customers = await fetchval(db, "SELECT count(DISTINCT account_id) FROM reviews")
    assert public > 0 and wish == customers
    # Every item of a five-star list is a book its owner gave five stars, in the list's genre.
    wrong = await fetch(db, """
        SELECT i.id FROM list_items i JOIN lists l ON l.id = i.list_id JOIN products p ON p.id = i.product_id
        JOIN categories c ON c.id = p.category_id
        WHERE l.kind = 'NAMED' AND (l.name <> left('Five-star ' || lower(c.name), 100) OR NOT EXISTS (
          SELECT 1 FROM reviews r WHERE r.account_id = l.account_id AND r.product_id = i.product_id AND r.stars = 5))""")
    assert wrong == []
    # No wish list holds a book its owner reviewed.
    reviewed = await fetchval(db, """
        SELECT count(*) FROM list_items i JOIN lists l ON l.id = i.list_id JOIN products p ON p.id = i.product_id
        WHERE l.kind = 'WISH_LIST' AND EXISTS (SELECT 1 FROM reviews r WHERE r.account_id = l.account_id
          AND r.work_id = p.work_id)""")
    assert reviewed == 0
    assert await fetchval(db, "SELECT count(*) FROM lists l WHERE item_count <> (SELECT count(*) FROM list_items i"
                              " WHERE i.list_id = l.id AND i.removed_at IS NULL)") == 0
    assert await fetchval(db, "SELECT min(item_count) FROM lists WHERE kind = 'NAMED'") >= 3
