"""The process's real-time hub: its event listener, and the WebSocket connections it holds."""
from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

from domain.events.listener import Listener
from domain.shared.database_url import asyncpg_url
from domain.shared.db import Database, Reader


class Realtime:
    """Started with the app's lifespan, or on the first subscription by an app without one (an
    in-process test client): either way one listener per app, stopped at shutdown."""

    def __init__(self, state: dict) -> None:
        self._state = state
        self._listener: Listener | None = None
        self._lock = asyncio.Lock()
        self.connections: Counter[int] = Counter()  # open WebSocket connections per account
        self._reads: dict[tuple, asyncio.Future] = {}

    async def shared_read(self, key: tuple, read: Callable[[Reader], Awaitable[object]]) -> object:
        """One read for every subscriber asking the same `key` at once: the subscribers of one
        object after one event (a customer's devices on one book) read its state once, not once
        each. The key must hold all the read depends on: the event, the object and the reader's
        account (its permissions). The read has its own pooled connection, so a subscriber that
        leaves meanwhile takes nothing from the others."""
        future = self._reads.get(key)
        if future is None:
            future = self._reads[key] = asyncio.ensure_future(self._read(read))
            future.add_done_callback(lambda _: self._reads.pop(key, None))
        return await asyncio.shield(future)

    async def _read(self, read: Callable[[Reader], Awaitable[object]]) -> object:
        reader = await self._state["database"].reader()
        try:
            return await read(reader)
        finally:
            await reader.close()

    async def listener(self) -> Listener:
        async with self._lock:
            if self._listener is None:
                database: Database = self._state["database"]
                self._listener = Listener(asyncpg_url(database.url),
                                          server_settings={"application_name": "tributary-events"})
            listener = self._listener
        await listener.start()
        return listener

    async def stop(self) -> None:
        async with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            await listener.stop()

    def connect(self, account_id: int, limit: int) -> bool:
        """Counts a new connection of the account; False (and not counted) past `limit`."""
        if self.connections[account_id] >= limit:
            return False
        self.connections[account_id] += 1
        return True

    def disconnect(self, account_id: int) -> None:
        self.connections[account_id] -= 1
        if self.connections[account_id] <= 0:
            del self.connections[account_id]
