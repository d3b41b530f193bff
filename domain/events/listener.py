"""The LISTEN side of the outbox: one connection per process hears every committed event and
hands it to the in-process subscribers interested in it.

A subscriber names what it cares about as keys: (kind, "subject", id) or (kind, "customer", id).
Each gets an `Inbox`, a bounded queue of `Notice`s: a notice only says that something changed,
and the subscriber reads the current state after, so when a slow subscriber's inbox is full the
newest notice is dropped without loss (the state it would have read is read at the next one, or
already was).

When the connection drops (server restart, network), the listener reconnects with exponential
backoff and then reads the events committed meanwhile from the `events` table, by id. Ids are
taken in insert order but committed in any order: a transaction that took id 10 may commit after
the one that took 11 was announced. So the catch-up looks back `CATCH_UP_SLACK` ids below the
highest one heard, and skips the ids already dispatched (the last `SEEN_MEMORY` of them).
"""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Iterable

import asyncpg

from domain.events.kinds import EventKind
from domain.events.outbox import CHANNEL, Notice, parse_notice

log = logging.getLogger("tributary.events")

Key = tuple[EventKind, str, int]
CATCH_UP_SLACK = 1000
SEEN_MEMORY = 4096
CATCH_UP_LIMIT = 10_000


def subject(kind: EventKind, subject_id: int) -> Key:
    return (EventKind(kind), "subject", subject_id)


def customer(kind: EventKind, customer_id: int) -> Key:
    return (EventKind(kind), "customer", customer_id)


class Inbox:
    """What one subscriber receives; use it as an async context manager so it is unsubscribed."""

    __slots__ = ("keys", "_queue", "_listener", "dropped")

    def __init__(self, listener: Listener, keys: tuple[Key, ...], maxsize: int) -> None:
        self.keys = keys
        self._queue: asyncio.Queue[Notice] = asyncio.Queue(maxsize)
        self._listener = listener
        self.dropped = 0

    def offer(self, notice: Notice) -> None:
        try:
            self._queue.put_nowait(notice)
        except asyncio.QueueFull:
            self.dropped += 1

    async def get(self) -> Notice:
        return await self._queue.get()

    def drain(self) -> list[Notice]:
        """The notices already waiting (a subscriber reads the state once for all of them)."""
        waiting = []
        while not self._queue.empty():
            waiting.append(self._queue.get_nowait())
        return waiting

    def close(self) -> None:
        """Unsubscribes (idempotent)."""
        self._listener.unsubscribe(self)

    async def __aenter__(self) -> Inbox:
        return self

    async def __aexit__(self, *exc) -> None:
        self.close()


class Listener:
    """One per process: start it once (idempotent), subscribe many times."""

    def __init__(self, dsn: str, *, server_settings: dict | None = None, keepalive_seconds: float = 10.0,
                 backoff: tuple[float, float] = (0.1, 5.0)) -> None:
        self._dsn = dsn
        self._server_settings = dict(server_settings or {})
        self._keepalive = keepalive_seconds
        self._backoff = backoff
        self._interests: dict[Key, set[Inbox]] = defaultdict(set)
        self._floor: int | None = None  # the newest event when first connected: older ones are history
        self._last_id = 0
        self._seen: deque[int] = deque(maxlen=SEEN_MEMORY)
        self._seen_set: set[int] = set()
        self._task: asyncio.Task | None = None
        self._connected = asyncio.Event()
        self._conn: asyncpg.Connection | None = None
        self._stopping = False
        self.reconnects = 0

    @property
    def backend_pid(self) -> int | None:
        """The server process of the LISTEN connection (tests end it to prove the catch-up)."""
        return None if self._conn is None or self._conn.is_closed() else self._conn.get_server_pid()

    @property
    def subscriber_count(self) -> int:
        return len({inbox for inboxes in self._interests.values() for inbox in inboxes})

    async def start(self, timeout: float = 10.0) -> None:
        """Connects (once) and returns when the LISTEN is in place, so a subscriber that
        subscribed before committing a change hears of it."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="events-listener")
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._connected.clear()

    def subscribe(self, keys: Iterable[Key], maxsize: int = 256) -> Inbox:
        inbox = Inbox(self, tuple(keys), maxsize)
        for key in inbox.keys:
            self._interests[key].add(inbox)
        return inbox

    def unsubscribe(self, inbox: Inbox) -> None:
        for key in inbox.keys:
            inboxes = self._interests.get(key)
            if inboxes is not None:
                inboxes.discard(inbox)
                if not inboxes:
                    del self._interests[key]

    def dispatch(self, notice: Notice) -> None:
        if notice.id in self._seen_set:
            return
        if len(self._seen) == self._seen.maxlen:
            self._seen_set.discard(self._seen[0])
        self._seen.append(notice.id)
        self._seen_set.add(notice.id)
        self._last_id = max(self._last_id, notice.id)
        targets = set(self._interests.get((notice.kind, "subject", notice.subject_id), ()))
        if notice.customer_id is not None:
            targets.update(self._interests.get((notice.kind, "customer", notice.customer_id), ()))
        for inbox in targets:
            inbox.offer(notice)

    def _on_notification(self, connection, pid, channel, payload: str) -> None:
        notice = parse_notice(payload)
        if notice is not None:
            self.dispatch(notice)

    async def _run(self) -> None:
        delay = self._backoff[0]
        while not self._stopping:
            lost = asyncio.Event()
            try:
                self._conn = conn = await asyncpg.connect(self._dsn, server_settings=self._server_settings)
                conn.add_termination_listener(lambda _: lost.set())
                await conn.add_listener(CHANNEL, self._on_notification)
                if self._floor is None:
                    self._floor = self._last_id = await conn.fetchval("SELECT coalesce(max(id), 0) FROM events")
                else:
                    await self._catch_up(conn)
                self._connected.set()
                delay = self._backoff[0]
                while not lost.is_set():
                    try:
                        await asyncio.wait_for(lost.wait(), self._keepalive)
                    except TimeoutError:
                        await conn.fetchval("SELECT 1")  # a dead peer shows here, not in a silent socket
            except asyncio.CancelledError:
                raise
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
                log.warning("event listener disconnected (%s); reconnecting in %.1fs", type(error).__name__, delay)
            except Exception:  # noqa: BLE001  (a bug here must not end every subscription of the process)
                log.exception("event listener failed; reconnecting in %.1fs", delay)
            finally:
                self._connected.clear()
                if self._conn is not None:
                    self._conn.terminate()
                    self._conn = None
            if self._stopping:
                return
            self.reconnects += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])

    async def _catch_up(self, conn: asyncpg.Connection) -> None:
        low = max(self._floor or 0, self._last_id - CATCH_UP_SLACK)
        rows = await conn.fetch("SELECT id, kind, subject_id, customer_id FROM events WHERE id > $1"
                                " ORDER BY id LIMIT $2", low, CATCH_UP_LIMIT)
        kinds = set(EventKind)
        for row in rows:
            if row["kind"] in kinds:
                self.dispatch(Notice(row["id"], EventKind(row["kind"]), row["subject_id"], row["customer_id"]))
