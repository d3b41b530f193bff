"""The transaction boundary: the entrypoint opens one, services add to it, only it commits."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.db import Database


class UnitOfWork:
    """`async with db_uow as uow:` gives `uow.session`; leaving without `commit()` rolls back.

    Work that must happen only if the transaction commits (e-mails, webhooks, search
    refreshes) is registered with `after_commit` and runs once the commit succeeded.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self.session: AsyncSession | None = None
        self._after_commit: list[Callable[[], Awaitable[Any]]] = []

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._database.sessions()
        await self.session.begin()
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        assert self.session is not None
        try:
            if self.session.in_transaction():
                await self.session.rollback()
        finally:
            await self.session.close()

    def after_commit(self, callback: Callable[[], Awaitable[Any]]) -> None:
        self._after_commit.append(callback)

    async def commit(self) -> None:
        assert self.session is not None
        await self.session.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()
