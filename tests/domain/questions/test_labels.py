"""An answer's label from the demo data: a customer whose order of one format of a book was
delivered answers about another format as a verified buyer, but about merchandise they never
bought as a plain customer; the label stays through an edit."""
from domain.questions import writes
from domain.questions.writes import QuestionLimits
from domain.shared.principal import Principal
from tests.fixtures.customer_service import committed, new_customer
from tests.fixtures.db import fetch, fetchval

OPEN = QuestionLimits(100, 100)


async def _ask(db, product_id: int) -> int:
    asker = await new_customer(db, "asker")
    return await committed(db, lambda s: writes.ask_question(s, asker, product_id, "Worth it?", OPEN))


async def _label(db, answer_id: int) -> str:
    return await fetchval(db, "SELECT answerer::text FROM product_answers WHERE id = $1", answer_id)


async def test_a_buyer_of_one_format_answers_about_another_as_a_verified_buyer(writable_demo_database):
    db = writable_demo_database
    account_id, other_format = (await fetch(
        db, "SELECT o.account_id, f.id FROM order_lines l JOIN orders o ON o.id = l.order_id"
            " JOIN shipments s ON s.id = l.shipment_id JOIN products p ON p.id = l.product_id"
            " JOIN products f ON f.work_id = p.work_id AND f.id <> p.id AND f.archived_at IS NULL"
            " WHERE s.status = 'DELIVERED' AND NOT EXISTS (SELECT 1 FROM order_lines m JOIN orders mo"
            " ON mo.id = m.order_id WHERE mo.account_id = o.account_id AND m.product_id = f.id)"
            " ORDER BY l.id LIMIT 1"))[0]
    merchandise = await fetchval(db, "SELECT min(id) FROM products WHERE work_id IS NULL AND archived_at IS NULL")
    buyer = Principal(account_id=account_id)
    question = await _ask(db, other_format)
    answer = await committed(db, lambda s: writes.answer_question(s, buyer, question, "Yes.", limits=OPEN))
    assert await _label(db, answer) == "VERIFIED_BUYER"
    await committed(db, lambda s: writes.update_answer(s, buyer, answer, "Yes, really."))
    assert await _label(db, answer) == "VERIFIED_BUYER"
    question = await _ask(db, merchandise)
    answer = await committed(db, lambda s: writes.answer_question(s, buyer, question, "No idea.", limits=OPEN))
    assert await _label(db, answer) == "CUSTOMER"
