"""One charge of a saved card under an idempotency key, taking the provider's first answer.

A provider answers a repeated key with its first answer only when the request is the same; a
caller whose transaction died after the provider charged (so nothing of ours records it) and
whose request has changed since (the member replaced the card, a price changed) is refused
with a PaymentProviderError. `charge_once` then reads the key's first answer back
(`find_charge`) and takes it: the money moved once, under that key, and that is what we record.
Both the renewals and the first charge of a join go through it."""
from __future__ import annotations

from domain.payments.provider import KeyedCharge, PaymentDeclined, PaymentProvider, PaymentProviderError
from domain.shared.money import Money


async def charge_once(provider: PaymentProvider, amount: Money, payment_method_id: str,
                      idempotency_key: str) -> KeyedCharge:
    """The outcome of charging `amount` to the method under `idempotency_key`: this request's
    (succeeded or declined), or the first request's when the key was used already. Raises
    PaymentProviderError when the provider failed and no charge was made under the key."""
    try:
        charge = await provider.charge(amount, payment_method_id, idempotency_key)
    except PaymentDeclined as declined:
        return KeyedCharge(None, declined.decline_code, payment_method_id, amount)
    except PaymentProviderError:
        # Also the answer to a timeout after the provider charged: the lookup finds that charge.
        first = await provider.find_charge(idempotency_key)
        if first is None:
            raise
        return first
    return KeyedCharge(charge.id, None, payment_method_id, charge.amount)
