"""Shared steps of payment tests: the test provider on a test database, a use case run in its
own committed transaction, and raw looks at the payment and provider tables."""
from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable

from domain.payments import service as payments
from domain.shared.db import Database
from domain.shared.money import Money
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch  # noqa: F401  (re-exported)

_keys = itertools.count(1)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def new_key(prefix: str = "key") -> str:
    return f"{prefix}-{next(_keys)}"


async def committed(db: Database, use_case: Callable[..., Awaitable]):
    """Run `use_case(session)` in one unit of work and commit it (a failure rolls back)."""
    async with UnitOfWork(db) as uow:
        result = await use_case(uow.session)
        await uow.commit()
    return result


async def authorized(db: Database, provider, minor: int, *, token: str = "tok_visa", key: str | None = None,
                     reference: str = "order:1") -> payments.Payment:
    return await committed(db, lambda s: payments.authorize(
        s, provider, amount=usd(minor), payment_token=token, idempotency_key=key or new_key("auth"),
        reference=reference))


async def captured(db: Database, provider, minor: int, capture_minor: int | None = None) -> payments.Payment:
    payment = await authorized(db, provider, minor)
    return await committed(db, lambda s: payments.capture(s, provider, payment.id, usd(capture_minor or minor)))


async def payment_state(db: Database, payment_id: int) -> dict:
    """Everything a failed operation must leave as it was: the payment, its transactions and
    the provider's books."""
    payment = await fetch(db, "SELECT * FROM payments WHERE id = $1", payment_id)
    transactions = await fetch(db, "SELECT * FROM payment_transactions WHERE payment_id = $1 ORDER BY id", payment_id)
    provider = await fetch(db, "SELECT * FROM test_provider_operations ORDER BY created_at, id")
    return {"payment": [dict(r) for r in payment], "transactions": [dict(r) for r in transactions],
            "provider": [dict(r) for r in provider]}
