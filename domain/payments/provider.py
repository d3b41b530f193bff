"""The payment provider boundary: what we ask of whoever moves the money, and how it answers.

A provider authorizes an amount on a payment token (a card, a wallet), captures all or part
of an authorization (in several captures, e.g. one per shipment), voids what is left of it,
and refunds all or part of a capture. Every call carries an idempotency key: the same call
with the same key returns the first answer instead of doing it again, so a request retried
after a timeout, a crash or a rolled-back transaction never charges or refunds twice.

A provider also keeps reusable payment methods for recurring charges (a membership renewed
by the worker while the customer is away): `save_payment_method` turns a one-time token into
a method id, and `charge` moves money from it at once, off-session, as one operation that
`refund` can later take from.

Answers: an operation record (`Authorization`, `Capture`, `Void`, `Refund`), or one of two
typed failures. `PaymentDeclined` is final for that payment token (the customer uses another
card); the same key gives the same decline again. `PaymentProviderError` means the provider
did not do it (unreachable, timed out, refused the request): nothing happened, and the same
call may be retried with the same key.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.payments.errors import PaymentErrorCode
from domain.shared.errors import DomainError
from domain.shared.money import Money


class PaymentDeclined(DomainError):
    """The provider refused the payment token; `decline_code` says why (e.g. insufficient_funds)."""

    code = PaymentErrorCode.PAYMENT_DECLINED

    def __init__(self, message: str, *, decline_code: str, field: list[str] | None = None) -> None:
        super().__init__(message, field=field, extensions={"declineCode": decline_code})
        self.decline_code = decline_code


class PaymentProviderError(DomainError):
    """The provider did not carry out the operation; nothing changed there. Retry with the same
    idempotency key."""

    code = PaymentErrorCode.PAYMENT_PROVIDER_ERROR


@dataclass(frozen=True, slots=True)
class Authorization:
    """Money held on the customer's payment method, not moved yet."""

    id: str
    status: str  # AUTHORIZED
    amount: Money


@dataclass(frozen=True, slots=True)
class Capture:
    """Part or all of an authorization, moved to us."""

    id: str
    authorization_id: str
    amount: Money


@dataclass(frozen=True, slots=True)
class Void:
    """What was left of an authorization, released back to the customer."""

    id: str
    authorization_id: str
    amount: Money


@dataclass(frozen=True, slots=True)
class Refund:
    """Part or all of a capture, sent back to the customer."""

    id: str
    capture_id: str
    amount: Money


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    """A payment method the provider keeps for later charges. `id` is the provider's reusable
    reference (never the token the client sent); brand and last4 are for display."""

    id: str
    brand: str | None
    last4: str | None


@dataclass(frozen=True, slots=True)
class Charge:
    """Money moved at once from a saved payment method; `id` is what `refund` takes."""

    id: str
    amount: Money


@dataclass(frozen=True, slots=True)
class KeyedCharge:
    """The provider's first answer to a `charge` under an idempotency key, as `find_charge` reads
    it back: `charge_id` (what `refund` takes) when it succeeded, `decline_code` when it was
    declined; `payment_method_id` and `amount` are what that first request asked for."""

    charge_id: str | None
    decline_code: str | None
    payment_method_id: str
    amount: Money


class PaymentProvider(Protocol):
    """Whoever moves the money. Implementations: `test_provider.TestPaymentProvider`."""

    name: str

    async def authorize(self, amount: Money, payment_token: str, idempotency_key: str) -> Authorization:
        """Hold `amount` on the payment method behind `payment_token`. Raises PaymentDeclined
        or PaymentProviderError."""
        ...

    async def capture(self, authorization_id: str, amount: Money, idempotency_key: str) -> Capture:
        """Move `amount` of the authorization (at most what is left of it)."""
        ...

    async def void(self, authorization_id: str, idempotency_key: str) -> Void:
        """Release what is left of the authorization; it can capture nothing more."""
        ...

    async def refund(self, capture_id: str, amount: Money, idempotency_key: str) -> Refund:
        """Send back `amount` of the capture (at most what was not refunded yet)."""
        ...

    async def save_payment_method(self, payment_token: str) -> PaymentMethod:
        """Keep the payment method behind a one-time `payment_token` for later charges. Raises
        PaymentDeclined (the card was refused when it was checked) or PaymentProviderError."""
        ...

    async def charge(self, amount: Money, payment_method_id: str, idempotency_key: str) -> Charge:
        """Move `amount` from a saved payment method now (authorized and captured at once). The
        same key answers with the first result, a decline included. Raises PaymentDeclined or
        PaymentProviderError."""
        ...

    async def find_charge(self, idempotency_key: str) -> KeyedCharge | None:
        """The first answer to a `charge` made under `idempotency_key` (None: no charge was made
        under it), whatever payment method and amount the caller asks with now. Real providers
        retrieve a payment by its key or metadata; this is how a caller that lost the answer (a
        crash before its commit) and can no longer repeat the same request (the card was
        replaced since) learns what happened. Raises PaymentProviderError."""
        ...

    async def close(self) -> None:
        """Let go of connections; the provider is not used afterwards."""
        ...
