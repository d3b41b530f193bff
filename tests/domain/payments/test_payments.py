"""Our payment records: authorize, capture, void, refund and cancel with exact amounts and
statuses, idempotent by key, refusing what the money does not allow, and leaving nothing
changed when they refuse."""
import pytest

from domain.payments import service as payments
from domain.payments.entities import status_of
from domain.payments.provider import PaymentDeclined, PaymentProviderError
from domain.shared.errors import DomainError, NotFound
from domain.shared.money import Money
from domain.shared.unit_of_work import UnitOfWork
from tests.domain.payments.helpers import authorized, captured, committed, fetch, new_key, payment_state, usd

pytestmark = pytest.mark.one_copy_per_file


async def _transactions(db, payment_id: int) -> list[tuple]:
    rows = await fetch(db, "SELECT kind::text, amount_minor, parent_id IS NOT NULL, reason FROM payment_transactions"
                           " WHERE payment_id = $1 ORDER BY id", payment_id)
    return [tuple(r) for r in rows]


async def _refused(db, use_case, code: str, payment_id: int) -> DomainError:
    before = await payment_state(db, payment_id)
    with pytest.raises(DomainError) as refused:
        await committed(db, use_case)
    assert refused.value.code == code
    assert await payment_state(db, payment_id) == before
    return refused.value


@pytest.mark.parametrize(("amount", "captured_", "refunded", "voided", "status"), [
    (100, 0, 0, 0, "AUTHORIZED"),
    (100, 40, 0, 0, "PARTIALLY_CAPTURED"),
    (100, 100, 0, 0, "CAPTURED"),
    (100, 40, 0, 60, "CAPTURED"),
    (100, 0, 0, 100, "VOIDED"),
    (100, 100, 30, 0, "PARTIALLY_REFUNDED"),
    (100, 40, 40, 0, "REFUNDED"),
    (100, 100, 100, 0, "REFUNDED"),
])
def test_the_status_sums_up_the_amounts(amount, captured_, refunded, voided, status):
    assert status_of(amount, captured_, refunded, voided) == status


async def test_an_authorized_payment_is_recorded_with_its_authorization(writable_database, provider):
    payment = await authorized(writable_database, provider, 4999, reference="order:42")
    assert (payment.status, payment.authorized, payment.captured, payment.refunded, payment.voided) == (
        "AUTHORIZED", usd(4999), usd(0), usd(0), usd(0))
    assert (payment.reference, payment.provider, payment.currency) == ("order:42", "test", "USD")
    assert payment.capturable == usd(4999) and payment.refundable == usd(0)
    assert payment.provider_authorization_id.startswith("tp_auth_")
    assert await _transactions(writable_database, payment.id) == [("AUTHORIZE", 4999, False, None)]


@pytest.mark.own_copy
async def test_a_declined_token_records_a_failed_payment_and_a_retry_gives_the_same_decline(
        writable_database, provider):
    key = new_key()

    async def attempt(session):
        try:
            await payments.authorize(session, provider, amount=usd(1500), payment_token="tok_insufficient_funds",
                                     idempotency_key=key, reference="order:7")
        except PaymentDeclined as declined:
            return declined  # the caller chooses to keep the failed attempt
        raise AssertionError("not declined")

    declined = await committed(writable_database, attempt)
    assert (declined.code, declined.decline_code) == ("PAYMENT_DECLINED", "insufficient_funds")
    again = await committed(writable_database, attempt)
    assert (again.decline_code, again.message) == ("insufficient_funds", declined.message)
    rows = await fetch(writable_database, "SELECT status::text, failure_code, provider_authorization_id, amount_minor"
                                          " FROM payments")
    assert [tuple(r) for r in rows] == [("FAILED", "insufficient_funds", None, 1500)]
    assert await fetch(writable_database, "SELECT * FROM payment_transactions") == []
    payment_id = (await fetch(writable_database, "SELECT id FROM payments"))[0][0]
    await _refused(writable_database, lambda s: payments.capture(s, provider, payment_id, usd(1500)),
                   "PAYMENT_FAILED", payment_id)


@pytest.mark.own_copy
async def test_a_provider_error_records_nothing(writable_database, provider):
    with pytest.raises(PaymentProviderError):
        await authorized(writable_database, provider, 1000, token="tok_error")
    assert await fetch(writable_database, "SELECT * FROM payments") == []


@pytest.mark.own_copy
async def test_the_same_key_authorizes_once(writable_database, provider):
    key = new_key()
    first = await authorized(writable_database, provider, 2500, key=key)
    again = await authorized(writable_database, provider, 2500, key=key)
    assert again.id == first.id
    assert len(await fetch(writable_database, "SELECT * FROM test_provider_operations")) == 1
    with pytest.raises(DomainError) as reused:
        await authorized(writable_database, provider, 2600, key=key)
    assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.own_copy
async def test_a_retry_after_a_rollback_takes_the_providers_first_authorization(writable_database, provider):
    key = new_key()
    async with UnitOfWork(writable_database) as uow:
        lost = await payments.authorize(uow.session, provider, amount=usd(800), payment_token="tok_visa",
                                        idempotency_key=key, reference="order:9")
        # the order fails after the authorization: our transaction rolls back
    payment = await authorized(writable_database, provider, 800, key=key, reference="order:9")
    assert payment.provider_authorization_id == lost.provider_authorization_id
    assert len(await fetch(writable_database, "SELECT * FROM test_provider_operations")) == 1
    assert len(await fetch(writable_database, "SELECT * FROM payments")) == 1


@pytest.mark.own_copy
@pytest.mark.parametrize(("amount", "code"), [(Money(1000, "EUR"), "CURRENCY_MISMATCH"), (usd(0), "INVALID_AMOUNT"),
                                              (usd(-5), "INVALID_AMOUNT")])
async def test_amounts_must_be_usd_and_above_zero(writable_database, provider, amount, code):
    with pytest.raises(DomainError) as refused:
        await committed(writable_database, lambda s: payments.authorize(
            s, provider, amount=amount, payment_token="tok_visa", idempotency_key=new_key(), reference="order:1"))
    assert refused.value.code == code
    payment = await authorized(writable_database, provider, 1000)
    await _refused(writable_database, lambda s: payments.capture(s, provider, payment.id, amount), code, payment.id)
    assert len(await fetch(writable_database, "SELECT * FROM test_provider_operations")) == 1


async def test_partial_captures_up_to_the_authorized_amount(writable_database, provider):
    payment = await authorized(writable_database, provider, 10000)
    payment = await committed(writable_database, lambda s: payments.capture(s, provider, payment.id, usd(3999)))
    assert (payment.status, payment.captured, payment.capturable) == ("PARTIALLY_CAPTURED", usd(3999), usd(6001))
    error = await _refused(writable_database, lambda s: payments.capture(s, provider, payment.id, usd(6002)),
                           "CAPTURE_EXCEEDS_AUTHORIZED", payment.id)
    assert error.message == "Only 60.01 USD of the authorization is left to capture; asked for 60.02 USD."
    payment = await committed(writable_database, lambda s: payments.capture(s, provider, payment.id, usd(6001)))
    assert (payment.status, payment.captured, payment.capturable) == ("CAPTURED", usd(10000), usd(0))
    assert await _transactions(writable_database, payment.id) == [
        ("AUTHORIZE", 10000, False, None), ("CAPTURE", 3999, False, None), ("CAPTURE", 6001, False, None)]


async def test_a_capture_with_the_same_key_happens_once(writable_database, provider):
    payment = await authorized(writable_database, provider, 5000)
    key = new_key("shipment")
    for _ in range(2):
        payment = await committed(writable_database, lambda s: payments.capture(
            s, provider, payment.id, usd(2000), idempotency_key=key))
    assert (payment.status, payment.captured) == ("PARTIALLY_CAPTURED", usd(2000))
    await _refused(writable_database, lambda s: payments.capture(s, provider, payment.id, usd(2500),
                                                                 idempotency_key=key),
                   "IDEMPOTENCY_KEY_REUSED", payment.id)


async def test_voiding_before_capture_releases_the_whole_authorization(writable_database, provider):
    payment = await authorized(writable_database, provider, 7500)
    payment = await committed(writable_database, lambda s: payments.void(s, provider, payment.id))
    assert (payment.status, payment.voided, payment.capturable) == ("VOIDED", usd(7500), usd(0))
    await _refused(writable_database, lambda s: payments.void(s, provider, payment.id), "NOTHING_TO_VOID", payment.id)
    await _refused(writable_database, lambda s: payments.capture(s, provider, payment.id, usd(1)),
                   "CAPTURE_EXCEEDS_AUTHORIZED", payment.id)


async def test_voiding_after_a_partial_capture_releases_the_rest(writable_database, provider):
    payment = await captured(writable_database, provider, 7500, 2500)
    payment = await committed(writable_database, lambda s: payments.void(s, provider, payment.id))
    assert (payment.status, payment.captured, payment.voided, payment.refundable) == (
        "CAPTURED", usd(2500), usd(5000), usd(2500))
    assert await _transactions(writable_database, payment.id) == [
        ("AUTHORIZE", 7500, False, None), ("CAPTURE", 2500, False, None), ("VOID", 5000, False, None)]


async def test_refunds_never_exceed_what_was_captured(writable_database, provider):
    payment = await captured(writable_database, provider, 10000)
    payment = await committed(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(2550),
                                                                           "Damaged in transit"))
    assert (payment.status, payment.refunded, payment.refundable) == ("PARTIALLY_REFUNDED", usd(2550), usd(7450))
    error = await _refused(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(7451), "Goodwill"),
                           "REFUND_EXCEEDS_CAPTURED", payment.id)
    assert error.message == ("Only 74.50 USD can be refunded (captured 100.00 USD, refunded 25.50 USD);"
                             " asked for 74.51 USD.")
    payment = await committed(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(7450),
                                                                           "Returned"))
    assert (payment.status, payment.refunded, payment.refundable) == ("REFUNDED", usd(10000), usd(0))
    await _refused(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(1), "Goodwill"),
                   "REFUND_EXCEEDS_CAPTURED", payment.id)


async def test_nothing_captured_means_nothing_to_refund(writable_database, provider):
    payment = await authorized(writable_database, provider, 3000)
    await _refused(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(1), "Goodwill"),
                   "REFUND_EXCEEDS_CAPTURED", payment.id)


async def test_a_refund_needs_a_reason(writable_database, provider):
    payment = await captured(writable_database, provider, 3000)
    for reason in ("", "   ", "x" * 501):
        await _refused(writable_database, lambda s, r=reason: payments.refund(s, provider, payment.id, usd(100), r),
                       "REASON_REQUIRED", payment.id)


@pytest.mark.own_copy
async def test_a_refund_spanning_two_captures_refunds_each_at_the_provider(writable_database, provider):
    payment = await captured(writable_database, provider, 10000, 3000)
    payment = await committed(writable_database, lambda s: payments.capture(s, provider, payment.id, usd(7000)))
    payment = await committed(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(1000), "Late"))
    payment = await committed(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(4000),
                                                                           "Returned"))
    assert (payment.status, payment.refunded) == ("PARTIALLY_REFUNDED", usd(5000))
    assert await _transactions(writable_database, payment.id) == [
        ("AUTHORIZE", 10000, False, None), ("CAPTURE", 3000, False, None), ("CAPTURE", 7000, False, None),
        ("REFUND", 1000, True, "Late"), ("REFUND", 2000, True, "Returned"), ("REFUND", 2000, True, "Returned")]
    provider_captures = await fetch(writable_database, "SELECT amount_minor, refunded_minor FROM test_provider_operations"
                                                       " WHERE kind = 'CAPTURE' ORDER BY amount_minor")
    assert [tuple(r) for r in provider_captures] == [(3000, 3000), (7000, 2000)]


async def test_a_refund_with_the_same_key_happens_once(writable_database, provider):
    payment = await captured(writable_database, provider, 6000)
    key = new_key("refund-request")
    for _ in range(2):
        payment = await committed(writable_database, lambda s: payments.refund(
            s, provider, payment.id, usd(1500), "Returned", idempotency_key=key))
    assert payment.refunded == usd(1500)
    await _refused(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(1000), "Returned",
                                                                idempotency_key=key),
                   "IDEMPOTENCY_KEY_REUSED", payment.id)


@pytest.mark.own_copy
async def test_a_refund_retried_after_a_rollback_refunds_once_at_the_provider(writable_database, provider):
    payment = await captured(writable_database, provider, 6000)
    key = new_key("refund-request")
    async with UnitOfWork(writable_database) as uow:
        await payments.refund(uow.session, provider, payment.id, usd(2000), "Returned", idempotency_key=key)
        # something later in the same use case fails: rolled back
    payment = await committed(writable_database, lambda s: payments.refund(s, provider, payment.id, usd(2000),
                                                                           "Returned", idempotency_key=key))
    assert payment.refunded == usd(2000)
    refunds = await fetch(writable_database, "SELECT amount_minor FROM test_provider_operations WHERE kind = 'REFUND'")
    assert [r[0] for r in refunds] == [2000]


async def test_a_provider_error_during_a_refund_changes_nothing(writable_database, provider):
    payment = await captured(writable_database, provider, 6000)

    class Failing:
        name = "test"

        async def refund(self, capture_id, amount, idempotency_key):
            raise PaymentProviderError("The payment provider did not answer; nothing was done. Try again.")

    await _refused(writable_database, lambda s: payments.refund(s, Failing(), payment.id, usd(100), "Returned"),
                   "PAYMENT_PROVIDER_ERROR", payment.id)


async def test_cancel_voids_the_rest_and_refunds_what_was_captured(writable_database, provider):
    payment = await captured(writable_database, provider, 9000, 4000)
    payment = await committed(writable_database, lambda s: payments.cancel(s, provider, payment.id,
                                                                           "Cancelled by the customer"))
    assert (payment.status, payment.captured, payment.voided, payment.refunded) == (
        "REFUNDED", usd(4000), usd(5000), usd(4000))
    again = await committed(writable_database, lambda s: payments.cancel(s, provider, payment.id, "Again"))
    assert again.updated_at == payment.updated_at
    untouched = await authorized(writable_database, provider, 1200)
    voided = await committed(writable_database, lambda s: payments.cancel(s, provider, untouched.id, "Cancelled"))
    assert (voided.status, voided.voided, voided.refunded) == ("VOIDED", usd(1200), usd(0))


async def test_an_unknown_payment_is_not_found(writable_database, provider):
    with pytest.raises(NotFound):
        await committed(writable_database, lambda s: payments.capture(s, provider, 987654, usd(100)))


async def test_the_database_refuses_refunding_more_than_captured_and_rewriting_transactions(writable_database,
                                                                                           provider):
    import asyncpg
    payment = await captured(writable_database, provider, 5000)
    conn = await asyncpg.connect(writable_database.url)
    try:
        for statement, message in (
            (f"UPDATE payments SET refunded_minor = 5001 WHERE id = {payment.id}", "ck_payments_refunded_within_captured"),
            (f"UPDATE payments SET captured_minor = 5001 WHERE id = {payment.id}",
             "ck_payments_captured_within_authorized"),
            (f"UPDATE payment_transactions SET amount_minor = 1 WHERE payment_id = {payment.id}",
             "payment_transactions is append-only: UPDATE is not allowed"),
            (f"DELETE FROM payment_transactions WHERE payment_id = {payment.id}",
             "payment_transactions is append-only: DELETE is not allowed"),
            ("TRUNCATE payment_transactions CASCADE", "payment_transactions is append-only: TRUNCATE is not allowed"),
        ):
            with pytest.raises(asyncpg.PostgresError, match=message):
                await conn.execute(statement)
    finally:
        await conn.close()
