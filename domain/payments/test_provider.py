"""The built-in test payment provider: a real provider implementation that runs in-process and
never moves real money. It stands in for an outside service, so it keeps its own state in its
own table (`test_provider_operations`) and writes it on its own connections, committed at
once, whatever becomes of the caller's transaction: like a real provider, it remembers an
authorization even when our order rolls back, and answers a retry with the same idempotency
key with that same authorization.

Test tokens (the `payment_token` of `authorize`):

| token                    | outcome                                                                  |
|--------------------------|--------------------------------------------------------------------------|
| `tok_visa`               | authorized                                                               |
| `tok_mastercard`         | authorized                                                               |
| `tok_declined`           | declined, decline code `card_declined`                                   |
| `tok_insufficient_funds` | declined, decline code `insufficient_funds`                              |
| `tok_3ds`                | declined, decline code `authentication_required` (3-D Secure challenges  |
|                          | are not supported, as for an off-session payment)                        |
| `tok_error`              | PaymentProviderError: the provider failed, nothing was authorized        |
| anything else            | declined, decline code `invalid_token`                                   |

Saved payment methods (`save_payment_method`, for recurring charges such as a membership's
renewals) take the same tokens: `tok_visa` and `tok_mastercard` are kept (brand and last four
digits 4242 / 4444), the decline tokens are refused when saved, `tok_error` fails. One more
token is kept and later starts declining, as a card that is cancelled or runs out of funds:

| token                          | outcome                                                            |
|--------------------------------|--------------------------------------------------------------------|
| `tok_visa_declines_after_<n>`  | saved (visa 0341); its first n charges succeed, later ones decline |
|                                | with `card_declined`                                               |

`decline_charges(method_id, decline_code)` makes a saved method decline from now on (or, with
None, succeed again), as a test's way to have a card expire or be replaced at the bank.
A charge (`charge`) is an authorization captured in full in one operation, refundable by the
capture's id (the charge's id); `find_charge(key)` reads back the first answer given under a
key (succeeded with its charge id, or declined), whatever is asked now.

Captures, voids and refunds follow the rules of a real provider: several captures up to the
authorized amount, a void releases what is left and ends the authorization, refunds up to
what a capture moved. A request the provider cannot honour (an unknown or voided
authorization, an amount over what is left, a key reused for another request) is a
PaymentProviderError; so is a provider that does not answer within its timeout.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from domain.payments.provider import (
    Authorization,
    Capture,
    Charge,
    KeyedCharge,
    PaymentDeclined,
    PaymentMethod,
    PaymentProviderError,
    Refund,
    Void,
)
from domain.payments.statuses import TransactionKind
from domain.shared.database_url import asyncpg_url
from domain.shared.money import Money

SUCCESS_TOKENS = ("tok_visa", "tok_mastercard")
ERROR_TOKEN = "tok_error"
DECLINES = {
    "tok_declined": ("card_declined", "The card was declined."),
    "tok_insufficient_funds": ("insufficient_funds", "The card has insufficient funds."),
    "tok_3ds": ("authentication_required", "The card issuer requires the customer to authenticate the payment."),
}
INVALID_TOKEN = ("invalid_token", "The payment method is not valid.")
SAVED_CARDS = {"tok_visa": ("visa", "4242"), "tok_mastercard": ("mastercard", "4444")}
DECLINES_AFTER = "tok_visa_declines_after_"
DECLINE_MESSAGES = {code: message for code, message in (*DECLINES.values(), INVALID_TOKEN)}

_UNAVAILABLE = (asyncio.TimeoutError, OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                asyncpg.QueryCanceledError, asyncpg.TooManyConnectionsError)


def _new_id(prefix: str) -> str:
    return f"tp_{prefix}_{uuid.uuid4().hex[:24]}"


class TestPaymentProvider:
    """The `test` provider (settings `payment_provider = "test"`). One per process; it opens a
    small connection pool of its own on first use (never the application's, so a request
    holding a payment row lock can always reach it) and `close()` releases it."""

    __test__ = False  # not a pytest class
    name = "test"

    def __init__(self, database_url: str, *, timeout_seconds: float = 10.0, max_connections: int = 4) -> None:
        self._url = asyncpg_url(database_url)
        self._timeout = timeout_seconds
        self._max_connections = max_connections
        self._pool: asyncpg.Pool | None = None
        self._pool_lock = asyncio.Lock()

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def __aenter__(self) -> TestPaymentProvider:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _get_pool(self) -> asyncpg.Pool:
        async with self._pool_lock:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._url, min_size=0, max_size=self._max_connections, command_timeout=self._timeout,
                    server_settings={"application_name": "tributary-test-payment-provider"})
            return self._pool

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """One provider operation, committed on its own; an unreachable or slow provider is a
        PaymentProviderError (and then nothing happened)."""
        try:
            pool = await self._get_pool()
            async with pool.acquire(timeout=self._timeout) as conn, conn.transaction():
                yield conn
        except _UNAVAILABLE as error:
            raise PaymentProviderError("The payment provider did not answer; nothing was done. Try again.") from error

    # -- operations -------------------------------------------------------------------------

    async def authorize(self, amount: Money, payment_token: str, idempotency_key: str) -> Authorization:
        if payment_token == ERROR_TOKEN:
            raise PaymentProviderError("The payment provider failed (test token tok_error); nothing was authorized.")
        _require_positive(amount)
        decline_code = None if payment_token in SUCCESS_TOKENS else DECLINES.get(payment_token, INVALID_TOKEN)[0]
        async with self._transaction() as conn:
            row = await conn.fetchrow(
                "INSERT INTO test_provider_operations (id, kind, idempotency_key, payment_token, amount_minor,"
                " currency, outcome, decline_code) VALUES ($1, 'AUTHORIZE', $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT (idempotency_key) DO NOTHING RETURNING *",
                _new_id("auth"), idempotency_key, payment_token, amount.minor, amount.currency,
                "DECLINED" if decline_code else "SUCCEEDED", decline_code)
            if row is None:  # a retry: the first answer, if it was the same request
                row = await _by_key(conn, idempotency_key)
                _same_request(row, "AUTHORIZE", None, amount, payment_token=payment_token)
        if row["outcome"] == "DECLINED":
            code = row["decline_code"]
            raise PaymentDeclined(DECLINE_MESSAGES.get(code, "The payment was declined."), decline_code=code)
        return Authorization(row["id"], "AUTHORIZED", Money(row["amount_minor"], row["currency"]))

    async def save_payment_method(self, payment_token: str) -> PaymentMethod:
        if payment_token == ERROR_TOKEN:
            raise PaymentProviderError("The payment provider failed (test token tok_error); nothing was saved.")
        brand_last4, charges_left = SAVED_CARDS.get(payment_token), None
        if brand_last4 is None and payment_token.startswith(DECLINES_AFTER):
            count = payment_token.removeprefix(DECLINES_AFTER)
            if count.isdigit() and len(count) < 6:
                brand_last4, charges_left = ("visa", "0341"), int(count)
        if brand_last4 is None:
            code = DECLINES.get(payment_token, INVALID_TOKEN)[0]
            raise PaymentDeclined(DECLINE_MESSAGES[code], decline_code=code)
        method_id = _new_id("pm")
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO test_provider_payment_methods (id, payment_token, brand, last4, charges_left)"
                " VALUES ($1, $2, $3, $4, $5)", method_id, payment_token, *brand_last4, charges_left)
        return PaymentMethod(method_id, *brand_last4)

    async def decline_charges(self, payment_method_id: str, decline_code: str | None = "card_declined") -> None:
        """From now on, charges of the saved method decline with `decline_code` (None: succeed
        again, as after the customer's bank lifted a block)."""
        async with self._transaction() as conn:
            await conn.execute("UPDATE test_provider_payment_methods SET decline_code = $2, charges_left = NULL"
                               " WHERE id = $1", payment_method_id, decline_code)

    async def charge(self, amount: Money, payment_method_id: str, idempotency_key: str) -> Charge:
        _require_positive(amount)
        async with self._transaction() as conn:
            # The method's row orders charges of one method, so two calls racing with one key
            # find the first one's answer instead of charging twice.
            method = await conn.fetchrow("SELECT * FROM test_provider_payment_methods WHERE id = $1 FOR UPDATE",
                                         payment_method_id)
            done = await _by_key(conn, idempotency_key)
            if done is not None:
                _same_request(done, "AUTHORIZE", None, amount, payment_token=payment_method_id)
            elif method is None:
                raise PaymentDeclined(DECLINE_MESSAGES[INVALID_TOKEN[0]], decline_code=INVALID_TOKEN[0])
            else:
                decline_code = method["decline_code"] or ("card_declined" if method["charges_left"] == 0 else None)
                done = await _insert_charge(conn, idempotency_key, payment_method_id, amount, decline_code)
                if decline_code is None:
                    await _insert(conn, _new_id("cap"), "CAPTURE", f"{idempotency_key}#capture", done["id"], amount)
                    await conn.execute("UPDATE test_provider_payment_methods SET charges_left = charges_left - 1"
                                       " WHERE id = $1 AND charges_left > 0", payment_method_id)
            capture_id = await conn.fetchval("SELECT id FROM test_provider_operations WHERE parent_id = $1"
                                             " AND kind = 'CAPTURE' ORDER BY created_at LIMIT 1", done["id"])
        if done["outcome"] == "DECLINED":  # raised once the decline is committed: a retry answers the same
            code = done["decline_code"]
            raise PaymentDeclined(DECLINE_MESSAGES.get(code, "The payment was declined."), decline_code=code)
        return Charge(capture_id, amount)

    async def find_charge(self, idempotency_key: str) -> KeyedCharge | None:
        async with self._transaction() as conn:
            done = await conn.fetchrow(
                "SELECT a.*, (SELECT c.id FROM test_provider_operations c WHERE c.parent_id = a.id"
                " AND c.kind = 'CAPTURE' ORDER BY c.created_at LIMIT 1) AS capture_id FROM test_provider_operations a"
                " JOIN test_provider_payment_methods m ON m.id = a.payment_token"
                " WHERE a.idempotency_key = $1 AND a.kind = 'AUTHORIZE'", idempotency_key)
        if done is None:
            return None
        return KeyedCharge(done["capture_id"], done["decline_code"], done["payment_token"],
                           Money(done["amount_minor"], done["currency"]))

    async def capture(self, authorization_id: str, amount: Money, idempotency_key: str) -> Capture:
        _require_positive(amount)
        async with self._transaction() as conn:
            authorization = await _locked(conn, authorization_id, "AUTHORIZE")
            done = await _by_key(conn, idempotency_key)
            if done is not None:
                _same_request(done, "CAPTURE", authorization_id, amount)
                return Capture(done["id"], authorization_id, amount)
            if authorization["voided"]:
                raise PaymentProviderError("The authorization was voided; it cannot be captured.")
            _same_currency(authorization, amount)
            left = authorization["amount_minor"] - authorization["captured_minor"]
            if amount.minor > left:
                raise PaymentProviderError(f"Only {left} minor units of the authorization are left to capture.")
            capture_id = _new_id("cap")
            await _insert(conn, capture_id, "CAPTURE", idempotency_key, authorization_id, amount)
            await conn.execute("UPDATE test_provider_operations SET captured_minor = captured_minor + $2"
                               " WHERE id = $1", authorization_id, amount.minor)
        return Capture(capture_id, authorization_id, amount)

    async def void(self, authorization_id: str, idempotency_key: str) -> Void:
        async with self._transaction() as conn:
            authorization = await _locked(conn, authorization_id, "AUTHORIZE")
            currency = authorization["currency"]
            done = await _by_key(conn, idempotency_key)
            if done is not None:
                _same_request(done, "VOID", authorization_id, Money(done["amount_minor"], currency))
                return Void(done["id"], authorization_id, Money(done["amount_minor"], currency))
            if authorization["voided"]:
                raise PaymentProviderError("The authorization was already voided.")
            left = authorization["amount_minor"] - authorization["captured_minor"]
            if left == 0:
                raise PaymentProviderError("The authorization was captured in full; nothing is left to void.")
            void_id = _new_id("void")
            await _insert(conn, void_id, "VOID", idempotency_key, authorization_id, Money(left, currency))
            await conn.execute("UPDATE test_provider_operations SET voided = true WHERE id = $1", authorization_id)
        return Void(void_id, authorization_id, Money(left, currency))

    async def refund(self, capture_id: str, amount: Money, idempotency_key: str) -> Refund:
        _require_positive(amount)
        async with self._transaction() as conn:
            capture = await _locked(conn, capture_id, "CAPTURE")
            done = await _by_key(conn, idempotency_key)
            if done is not None:
                _same_request(done, "REFUND", capture_id, amount)
                return Refund(done["id"], capture_id, amount)
            _same_currency(capture, amount)
            left = capture["amount_minor"] - capture["refunded_minor"]
            if amount.minor > left:
                raise PaymentProviderError(f"Only {left} minor units of the capture are left to refund.")
            refund_id = _new_id("ref")
            await _insert(conn, refund_id, "REFUND", idempotency_key, capture_id, amount)
            await conn.execute("UPDATE test_provider_operations SET refunded_minor = refunded_minor + $2"
                               " WHERE id = $1", capture_id, amount.minor)
        return Refund(refund_id, capture_id, amount)


async def _insert_charge(conn: asyncpg.Connection, idempotency_key: str, payment_method_id: str, amount: Money,
                         decline_code: str | None) -> asyncpg.Record:
    try:
        return await conn.fetchrow(
            "INSERT INTO test_provider_operations (id, kind, idempotency_key, payment_token, amount_minor,"
            " currency, outcome, decline_code, captured_minor) VALUES ($1, 'AUTHORIZE', $2, $3, $4, $5, $6,"
            " $7, $8) RETURNING *",
            _new_id("auth"), idempotency_key, payment_method_id, amount.minor, amount.currency,
            "DECLINED" if decline_code else "SUCCEEDED", decline_code, 0 if decline_code else amount.minor)
    except asyncpg.UniqueViolationError:  # the same key, with another method, charged at this very moment
        raise PaymentProviderError("The idempotency key was already used for a different request.") from None


def _require_positive(amount: Money) -> None:
    if amount.minor <= 0:
        raise PaymentProviderError("The amount must be above zero.")


def _same_currency(row: asyncpg.Record, amount: Money) -> None:
    if row["currency"] != amount.currency:
        raise PaymentProviderError(f"The operation is in {row['currency']}, not {amount.currency}.")


async def _by_key(conn: asyncpg.Connection, idempotency_key: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM test_provider_operations WHERE idempotency_key = $1", idempotency_key)


async def _locked(conn: asyncpg.Connection, operation_id: str, kind: str) -> asyncpg.Record:
    """The authorization or capture an operation acts on, locked: operations on one of them
    run one after the other."""
    row = await conn.fetchrow("SELECT * FROM test_provider_operations WHERE id = $1 AND kind = $2"
                              " AND outcome = 'SUCCEEDED' FOR UPDATE", operation_id, kind)
    if row is None:
        what = "authorization" if kind == TransactionKind.AUTHORIZE else "capture"
        raise PaymentProviderError(f"The payment provider has no {what} {operation_id!r}.")
    return row


async def _insert(conn: asyncpg.Connection, operation_id: str, kind: str, idempotency_key: str, parent_id: str,
                  amount: Money) -> None:
    try:
        await conn.execute(
            "INSERT INTO test_provider_operations (id, kind, idempotency_key, parent_id, amount_minor, currency,"
            " outcome) VALUES ($1, $2, $3, $4, $5, $6, 'SUCCEEDED')",
            operation_id, kind, idempotency_key, parent_id, amount.minor, amount.currency)
    except asyncpg.UniqueViolationError:  # the key of an operation on another authorization or capture
        raise PaymentProviderError("The idempotency key was already used for a different request.") from None


def _same_request(row: asyncpg.Record, kind: str, parent_id: str | None, amount: Money, *,
                  payment_token: str | None = None) -> None:
    """A key already used must name the same request; anything else is refused."""
    if (row["kind"], row["parent_id"], row["amount_minor"], row["currency"]) != (
            kind, parent_id, amount.minor, amount.currency) or (
            kind == TransactionKind.AUTHORIZE and row["payment_token"] != payment_token):
        raise PaymentProviderError("The idempotency key was already used for a different request.")
