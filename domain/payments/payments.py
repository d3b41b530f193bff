"""Our own record of payments: what was authorized, captured, voided and refunded, and every
operation the provider confirmed (`payment_transactions`, append-only).

These are domain services for the use cases that move money (placing an order authorizes,
shipping captures, cancelling voids or refunds, customer service refunds); those use cases
check who may do it, these functions check the money. They run in the caller's transaction
and call the provider while holding the payment's row lock, so operations on one payment run
one after the other: two refunds racing for the same money cannot both pass the check.

Rules (error codes): amounts are USD (CURRENCY_MISMATCH) and above zero (INVALID_AMOUNT); a
capture takes at most what is left of the authorization (CAPTURE_EXCEEDS_AUTHORIZED); a
refund never exceeds what was captured minus what was refunded (REFUND_EXCEEDS_CAPTURED),
also under concurrent refunds, and the database refuses such a row in any case; a refund
needs a reason of 1-500 characters (REASON_REQUIRED); a void needs something left to release
(NOTHING_TO_VOID); a payment whose authorization failed can do none of these
(PAYMENT_FAILED); an unknown payment is NOT_FOUND. The provider's own failures are
PAYMENT_DECLINED (with `decline_code`) and PAYMENT_PROVIDER_ERROR.

Idempotency: `authorize` is keyed by the caller's idempotency key (a retry returns the same
payment, or the same decline). `capture`, `void`, `refund` and `cancel` take an optional key:
with it, a repeated call changes nothing and returns the payment; each call also passes the
provider a key derived from it and from the payment's own idempotency key (never from our row
ids, which a retry after a rollback draws anew). The provider commits on its own, so if the caller's
transaction rolls back after a provider call, retrying with the same key takes the
provider's first answer instead of moving the money twice: give a stable key (the shipment,
the refund request) wherever a retry can happen.

Status summarises the amounts: AUTHORIZED (nothing captured), PARTIALLY_CAPTURED, CAPTURED
(everything that will be captured is: the rest, if any, was voided), PARTIALLY_REFUNDED,
REFUNDED (everything captured was refunded), VOIDED (released before any capture), FAILED
(the authorization was declined). The amounts, not the status, decide what can still be done.
"""
from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.entities import PAYMENT_COLUMNS, Payment, status_of
from domain.payments.errors import PaymentErrorCode
from domain.payments.provider import PaymentDeclined, PaymentProvider
from domain.payments.statuses import PaymentStatus
from domain.shared.errors import CommonErrorCode, DomainError, InvalidInput, NotFound
from domain.shared.money import Money

CURRENCY = "USD"
MAX_KEY = 200
MAX_REFERENCE = 200
MAX_REASON = 500


def _show(minor: int, currency: str = CURRENCY) -> str:
    return f"{Money(minor, currency).amount} {currency}"


def _minor(amount: Money) -> int:
    if amount.currency != CURRENCY:
        raise InvalidInput(f"Payments are in {CURRENCY}, not {amount.currency}.", code=CommonErrorCode.CURRENCY_MISMATCH)
    if amount.minor <= 0:
        raise InvalidInput(f"The amount must be above zero; got {_show(amount.minor, amount.currency)}.",
                           code=CommonErrorCode.INVALID_AMOUNT)
    return amount.minor


def _text(value: str, what: str, limit: int, code: StrEnum = CommonErrorCode.INVALID) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(value) <= limit:
        raise InvalidInput(f"Give {what} of 1 to {limit} characters.", code=code)
    return value


# -- authorize ------------------------------------------------------------------------------

async def authorize(session: AsyncSession, provider: PaymentProvider, *, amount: Money, payment_token: str,
                    idempotency_key: str, reference: str, order_id: int | None = None) -> Payment:
    """Authorize `amount` on the customer's payment token for `reference` (what is paid for,
    e.g. "order:123"; `order_id` once orders exist). A declined token records a FAILED
    payment (kept only if the caller's transaction commits) and raises PaymentDeclined; a
    provider error records nothing and raises PaymentProviderError. The same idempotency key
    again returns the same payment, or raises the same decline (IDEMPOTENCY_KEY_REUSED for a
    different amount or reference)."""
    minor = _minor(amount)
    key = _text(idempotency_key, "an idempotency key", MAX_KEY)
    reference = _text(reference, "a reference", MAX_REFERENCE)
    existing = await _by_key(session, key)
    if existing is not None:
        return _replayed(existing, minor, reference)
    try:
        authorization = await provider.authorize(amount, payment_token, f"payment:{key}:authorize")
    except PaymentDeclined as declined:
        payment, _ = await _insert(session, provider.name, key, reference, order_id, minor, status=PaymentStatus.FAILED,
                                   failure_code=declined.decline_code, failure_message=declined.message)
        return _replayed(payment, minor, reference)  # raises the decline
    payment, inserted = await _insert(session, provider.name, key, reference, order_id, minor, status=PaymentStatus.AUTHORIZED,
                                      authorization_id=authorization.id)
    if inserted:
        await _record(session, payment.id, "AUTHORIZE", minor, authorization.id, key)
    return _replayed(payment, minor, reference)


async def charge_saved(session: AsyncSession, provider: PaymentProvider, *, amount: Money, payment_method_id: str,
                       idempotency_key: str, reference: str, order_id: int | None = None) -> Payment:
    """Charge `amount` at once to a saved payment method (a Subscribe & Save delivery): the
    payment is recorded CAPTURED, or FAILED on a decline (then PaymentDeclined is raised). The
    provider is asked under `idempotency_key`: a retry after a crash gets its first answer
    instead of a second charge."""
    minor = _minor(amount)
    key = _text(idempotency_key, "an idempotency key", MAX_KEY)
    reference = _text(reference, "a reference", MAX_REFERENCE)
    existing = await _by_key(session, key)
    if existing is not None:
        return _replayed(existing, minor, reference)
    try:
        charge = await provider.charge(amount, payment_method_id, f"payment:{key}:charge")
    except PaymentDeclined as declined:
        payment, _ = await _insert(session, provider.name, key, reference, order_id, minor, status=PaymentStatus.FAILED,
                                   failure_code=declined.decline_code, failure_message=declined.message)
        return _replayed(payment, minor, reference)  # raises the decline
    payment, inserted = await _insert(session, provider.name, key, reference, order_id, minor,
                                      status=PaymentStatus.AUTHORIZED, authorization_id=charge.id)
    if inserted:
        await _record(session, payment.id, "AUTHORIZE", minor, charge.id, key)
        await _record(session, payment.id, "CAPTURE", minor, charge.id, f"{key}#capture")
        payment = await _update(session, payment, captured=minor)
    return _replayed(payment, minor, reference)


async def _insert(session: AsyncSession, provider: str, key: str, reference: str, order_id: int | None, minor: int,
                  *, status: str, authorization_id: str | None = None, failure_code: str | None = None,
                  failure_message: str | None = None) -> tuple[Payment, bool]:
    """(the payment row, True), or (the row another request inserted with the same key, False)
    when it got there first (the insert waits for that request to commit)."""
    row = (await session.execute(text(
        f"INSERT INTO payments (reference, order_id, idempotency_key, provider, provider_authorization_id, status,"
        f" currency, amount_minor, failure_code, failure_message)"
        f" VALUES (:reference, :order, :key, :provider, :auth, CAST(:status AS payment_status), :currency, :amount,"
        f" :failure_code, :failure_message) ON CONFLICT (idempotency_key) DO NOTHING RETURNING {PAYMENT_COLUMNS}"),
        {"reference": reference, "order": order_id, "key": key, "provider": provider, "auth": authorization_id,
         "status": status, "currency": CURRENCY, "amount": minor, "failure_code": failure_code,
         "failure_message": failure_message})).one_or_none()
    if row is None:
        return await _by_key(session, key), False
    return Payment(*row), True


def _replayed(payment: Payment, minor: int, reference: str) -> Payment:
    if (payment.amount_minor, payment.reference) != (minor, reference):
        raise DomainError("The idempotency key was already used for a payment of another amount or reference.",
                          code=CommonErrorCode.IDEMPOTENCY_KEY_REUSED)
    if payment.status == PaymentStatus.FAILED:
        raise PaymentDeclined(payment.failure_message or "The payment was declined.",
                              decline_code=payment.failure_code or "card_declined")
    return payment


async def _by_key(session: AsyncSession, key: str) -> Payment | None:
    row = (await session.execute(text(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE idempotency_key = :key"),
                                 {"key": key})).one_or_none()
    return None if row is None else Payment(*row)


# -- capture, void, refund ------------------------------------------------------------------

async def capture(session: AsyncSession, provider: PaymentProvider, payment_id: int, amount: Money, *,
                  idempotency_key: str | None = None) -> Payment:
    """Capture `amount` of what is left of the authorization (e.g. a shipment's share, at
    shipment)."""
    minor = _minor(amount)
    payment = await _locked(session, payment_id)
    key, replay = await _operation_key(session, payment, "CAPTURE", idempotency_key, minor)
    if replay:
        return payment
    _refuse_failed(payment)
    if minor > payment.capturable.minor:
        raise DomainError(f"Only {_show(payment.capturable.minor)} of the authorization is left to capture;"
                          f" asked for {_show(minor)}.", code=PaymentErrorCode.CAPTURE_EXCEEDS_AUTHORIZED)
    done = await provider.capture(payment.provider_authorization_id, Money(minor, payment.currency),
                                  f"payment:{payment.idempotency_key}:capture:{key}")
    await _record(session, payment.id, "CAPTURE", minor, done.id, key)
    return await _update(session, payment, captured=payment.captured_minor + minor)


async def void(session: AsyncSession, provider: PaymentProvider, payment_id: int, *,
               idempotency_key: str | None = None) -> Payment:
    """Release what is left of the authorization (an order cancelled before it shipped, or the
    rest after the last shipment); nothing more can be captured."""
    payment = await _locked(session, payment_id)
    key, replay = await _operation_key(session, payment, "VOID", idempotency_key, None)
    if replay:
        return payment
    _refuse_failed(payment)
    left = payment.capturable.minor
    if left == 0:
        raise DomainError("Nothing is left of the authorization to void.", code=PaymentErrorCode.NOTHING_TO_VOID)
    done = await provider.void(payment.provider_authorization_id,
                               f"payment:{payment.idempotency_key}:void:{key}")
    await _record(session, payment.id, "VOID", left, done.id, key)
    return await _update(session, payment, voided=payment.voided_minor + left)


async def refund(session: AsyncSession, provider: PaymentProvider, payment_id: int, amount: Money, reason: str, *,
                 idempotency_key: str | None = None) -> Payment:
    """Send `amount` back to the customer, never more than captured minus already refunded.
    The money is taken from the captures in the order they were made (a refund may span
    several); the payment's row lock makes concurrent refunds take turns, so together they
    never exceed the captured amount."""
    minor = _minor(amount)
    reason = _text(reason, "a reason", MAX_REASON, code=CommonErrorCode.REASON_REQUIRED)
    payment = await _locked(session, payment_id)
    key, replay = await _operation_key(session, payment, "REFUND", idempotency_key, minor)
    if replay:
        return payment
    _refuse_failed(payment)
    if minor > payment.refundable.minor:
        raise DomainError(f"Only {_show(payment.refundable.minor)} can be refunded (captured"
                          f" {_show(payment.captured_minor)}, refunded {_show(payment.refunded_minor)}); asked for"
                          f" {_show(minor)}.", code=PaymentErrorCode.REFUND_EXCEEDS_CAPTURED)
    left = minor
    for capture_id, provider_capture_id, remaining in await _refundable_captures(session, payment.id):
        piece = min(left, remaining)
        done = await provider.refund(provider_capture_id, Money(piece, payment.currency),
                                     f"payment:{payment.idempotency_key}:refund:{key}:{provider_capture_id}")
        await _record(session, payment.id, "REFUND", piece, done.id, key, parent_id=capture_id, reason=reason)
        left -= piece
        if left == 0:
            break
    assert left == 0, "the captures cover the refundable amount"
    return await _update(session, payment, refunded=payment.refunded_minor + minor)


async def cancel(session: AsyncSession, provider: PaymentProvider, payment_id: int, reason: str, *,
                 idempotency_key: str | None = None) -> Payment:
    """Give everything back: void what is left of the authorization and refund everything
    captured and not yet refunded (an order cancelled before shipment). A FAILED payment, or
    one already given back, is returned unchanged."""
    key = idempotency_key or uuid.uuid4().hex
    payment = await _locked(session, payment_id)
    if payment.status == PaymentStatus.FAILED:
        return payment
    if payment.capturable.minor:
        payment = await void(session, provider, payment_id, idempotency_key=f"{key}:void")
    if payment.refundable.minor:
        payment = await refund(session, provider, payment_id, payment.refundable, reason,
                               idempotency_key=f"{key}:refund")
    return payment


async def _locked(session: AsyncSession, payment_id: int) -> Payment:
    row = (await session.execute(text(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = :id FOR UPDATE"),
                                 {"id": payment_id})).one_or_none()
    if row is None:
        raise NotFound("No such payment.")
    return Payment(*row)


def _refuse_failed(payment: Payment) -> None:
    if payment.status == PaymentStatus.FAILED:
        raise DomainError("The payment was never authorized (its authorization was declined).", code=PaymentErrorCode.PAYMENT_FAILED)


async def _operation_key(session: AsyncSession, payment: Payment, kind: str, idempotency_key: str | None,
                         minor: int | None) -> tuple[str, bool]:
    """(key, True) when an operation of this kind with this key was already done on the
    payment (for the same amount; IDEMPOTENCY_KEY_REUSED otherwise); a fresh key when none
    is given."""
    if idempotency_key is None:
        return uuid.uuid4().hex, False
    key = _text(idempotency_key, "an idempotency key", MAX_KEY)
    done = (await session.execute(text(
        "SELECT sum(amount_minor)::bigint FROM payment_transactions WHERE payment_id = :id AND kind ="
        " CAST(:kind AS payment_transaction_kind) AND idempotency_key = :key"),
        {"id": payment.id, "kind": kind, "key": key})).scalar()
    if done is None:
        return key, False
    if minor is not None and done != minor:
        raise DomainError("The idempotency key was already used for another amount.", code=CommonErrorCode.IDEMPOTENCY_KEY_REUSED)
    return key, True


async def _refundable_captures(session: AsyncSession, payment_id: int) -> list[tuple[int, str, int]]:
    """(capture transaction id, provider capture id, amount not refunded yet), oldest first."""
    rows = (await session.execute(text(
        "SELECT c.id, c.provider_id, (c.amount_minor - coalesce(sum(r.amount_minor), 0))::bigint AS remaining"
        " FROM payment_transactions c LEFT JOIN payment_transactions r ON r.parent_id = c.id"
        " WHERE c.payment_id = :id AND c.kind = 'CAPTURE'"
        " GROUP BY c.id HAVING c.amount_minor - coalesce(sum(r.amount_minor), 0) > 0 ORDER BY c.id"),
        {"id": payment_id})).all()
    return [tuple(r) for r in rows]


async def _record(session: AsyncSession, payment_id: int, kind: str, minor: int, provider_id: str, key: str, *,
                  parent_id: int | None = None, reason: str | None = None) -> None:
    await session.execute(text(
        "INSERT INTO payment_transactions (payment_id, kind, amount_minor, currency, provider_id, parent_id,"
        " idempotency_key, reason) VALUES (:payment, CAST(:kind AS payment_transaction_kind), :amount, :currency,"
        " :provider_id, :parent, :key, :reason)"),
        {"payment": payment_id, "kind": kind, "amount": minor, "currency": CURRENCY, "provider_id": provider_id,
         "parent": parent_id, "key": key, "reason": reason})


async def _update(session: AsyncSession, payment: Payment, *, captured: int | None = None,
                  refunded: int | None = None, voided: int | None = None) -> Payment:
    captured = payment.captured_minor if captured is None else captured
    refunded = payment.refunded_minor if refunded is None else refunded
    voided = payment.voided_minor if voided is None else voided
    row = (await session.execute(text(
        f"UPDATE payments SET captured_minor = :captured, refunded_minor = :refunded, voided_minor = :voided,"
        f" status = CAST(:status AS payment_status), updated_at = now() WHERE id = :id RETURNING {PAYMENT_COLUMNS}"),
        {"captured": captured, "refunded": refunded, "voided": voided, "id": payment.id,
         "status": status_of(payment.amount_minor, captured, refunded, voided)})).one()
    return Payment(*row)
