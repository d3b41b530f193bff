"""Payments, as other contexts call them: the provider boundary (`provider`), the built-in test
provider (`test_provider`), and our own payment records with their rules (`payments`; `entities`, `reads`).

Use cases that take money (placing an order, shipping, cancelling, refunding) get the
process's provider from `provider_for(settings, database_url)` once, pass it to these
functions inside their unit of work, and `close()` it at shutdown."""
from __future__ import annotations

from domain.payments import entities, payments, provider, reads
from domain.payments.test_provider import TestPaymentProvider
from domain.shared.config import Settings

PaymentProvider = provider.PaymentProvider
PaymentDeclined = provider.PaymentDeclined
PaymentProviderError = provider.PaymentProviderError
Authorization = provider.Authorization
PaymentMethod = provider.PaymentMethod
Charge = provider.Charge

Payment = entities.Payment
PaymentTransaction = entities.PaymentTransaction
authorize = payments.authorize
charge_saved = payments.charge_saved
capture = payments.capture
void = payments.void
refund = payments.refund
cancel = payments.cancel
payment_in_session = reads.payment_in_session
payments_by_ids = reads.payments_by_ids
payments_for_orders = reads.payments_for_orders
transactions_of = reads.transactions_of


def provider_for(settings: Settings, database_url: str) -> PaymentProvider:
    """The payment provider the settings name (`payment_provider`; only "test" exists)."""
    if settings.payment_provider == "test":
        return TestPaymentProvider(database_url, timeout_seconds=settings.payment_provider_timeout_seconds)
    raise ValueError(f"unknown payment provider {settings.payment_provider!r}")
