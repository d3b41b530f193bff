"""The seeded demo histories are internally consistent: every review is of a book its author
bought and had delivered, and the money adds up from lines to shipments, orders and payments."""
from tests.fixtures.db import fetchval


async def _none(db, sql: str) -> None:
    assert await fetchval(db, f"SELECT count(*) FROM ({sql}) bad") == 0, sql


async def test_every_demo_review_is_a_verified_delivered_purchase_of_its_author(demo_database):
    assert await fetchval(demo_database, "SELECT count(*) FROM reviews") > 1000
    await _none(demo_database, """
        SELECT r.id FROM reviews r LEFT JOIN order_lines l ON l.id = r.order_line_id
        LEFT JOIN orders o ON o.id = l.order_id LEFT JOIN shipments s ON s.id = l.shipment_id
        WHERE NOT r.verified_purchase OR l.id IS NULL OR o.account_id <> r.account_id
           OR l.product_id <> r.product_id OR s.status <> 'DELIVERED' OR r.created_at < s.delivered_at""")
    # One review per customer per work.
    await _none(demo_database, "SELECT 1 FROM reviews GROUP BY account_id, work_id HAVING count(*) > 1")


async def test_demo_orders_add_up_from_lines_to_shipments_orders_and_payments(demo_database):
    await _none(demo_database, """
        SELECT s.id FROM shipments s JOIN order_lines l ON l.shipment_id = s.id
        GROUP BY s.id HAVING sum(l.line_total_minor) <> min(s.subtotal_minor)
            OR min(s.captured_minor) <> min(s.subtotal_minor + s.delivery_minor + s.tax_minor)""")
    await _none(demo_database, """
        SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id
        GROUP BY o.id HAVING sum(s.subtotal_minor) <> min(o.subtotal_minor) OR sum(s.delivery_minor) <> min(o.delivery_minor)""")
    await _none(demo_database, """
        SELECT o.id FROM orders o LEFT JOIN payments p ON p.order_id = o.id
        WHERE p.id IS NULL OR p.captured_minor <> o.total_minor OR p.status <> 'CAPTURED' OR o.status <> 'DELIVERED'""")
    await _none(demo_database, "SELECT 1 FROM orders o JOIN carts c ON c.id = o.cart_id WHERE c.status <> 'ORDERED'"
                          " OR c.account_id <> o.account_id")


async def test_no_demo_account_holds_real_personal_data(demo_database):
    await _none(demo_database, "SELECT 1 FROM accounts a JOIN reviews r ON r.account_id = a.id"
                          " WHERE a.email NOT LIKE 'reader-%@demo.tributary.example'")
