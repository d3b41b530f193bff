"""A use case that moved money and then rolled back (a crash, a later refusal) is retried: its
payment row comes back with a new id, yet the provider sees the same keys and moves the money
once."""
import pytest

from domain.payments import service as payments
from domain.shared.unit_of_work import UnitOfWork
from tests.domain.payments.helpers import fetch, usd

pytestmark = pytest.mark.one_copy_per_file


async def _attempt(db, provider, *, commit: bool) -> int:
    async with UnitOfWork(db) as uow:
        payment = await payments.authorize(uow.session, provider, amount=usd(5000), payment_token="tok_visa",
                                           idempotency_key="placeOrder:account:1:k1", reference="order:1")
        await payments.capture(uow.session, provider, payment.id, usd(2000), idempotency_key="shipment-a")
        await payments.refund(uow.session, provider, payment.id, usd(500), "damaged", idempotency_key="return-1")
        await payments.void(uow.session, provider, payment.id, idempotency_key="rest")
        if commit:
            await uow.commit()
        return payment.id


async def test_a_retried_capture_refund_and_void_reach_the_provider_once(writable_database, provider):
    db = writable_database
    rolled_back = await _attempt(db, provider, commit=False)
    kept = await _attempt(db, provider, commit=True)

    assert kept != rolled_back
    operations = await fetch(db, "SELECT kind, amount_minor, captured_minor, refunded_minor, voided"
                                 " FROM test_provider_operations ORDER BY created_at, id")
    assert [(r["kind"], r["amount_minor"]) for r in operations] == [
        ("AUTHORIZE", 5000), ("CAPTURE", 2000), ("REFUND", 500), ("VOID", 3000)]
    assert (operations[0]["captured_minor"], operations[0]["voided"]) == (2000, True)
    assert operations[1]["refunded_minor"] == 500
    [payment] = await fetch(db, "SELECT id, status::text, captured_minor, refunded_minor, voided_minor FROM payments")
    assert tuple(payment) == (kept, "PARTIALLY_REFUNDED", 2000, 500, 3000)
