"""A cost budget per caller: a leaky bucket of query-cost points (Shopify's model).

Each caller has a bucket holding at most `capacity` points that refills at `restore_rate`
points per second. An operation's static cost (api/limits/cost.py) is taken from the bucket before
it runs; when the bucket holds less than that, the operation is refused whole, nothing is
taken, and the caller is told when enough will be back.

An operation may cost more than the bucket holds (the static limit per operation,
`max_cost`, can be above `capacity`): it runs when the bucket is full and leaves it in debt
(negative), which the caller repays at the restore rate before the next operation. So a
large page stays possible, and the long-run rate of every caller is still `restore_rate`.

A bucket's capacity and restore rate are the app's (TRIBUTARY_COST_BUDGET and
TRIBUTARY_COST_RESTORE_RATE) unless the caller brings its own: `caller_key` may answer a
`Caller` with a capacity and rate of its own (a trusted server-side storefront identified by
its API client key), and each call to `take` and `peek` uses the ones it is given.

Buckets live in this process, in a bounded LRU dict. That is enough because each API process
enforces its own budget: with N processes a caller whose requests are spread over all of
them gets at most N times the rate, which still bounds what one caller can take of the
service, and the static cost limit bounds any single request wherever it lands. A shared
store (a PostgreSQL row per caller) would cost one more statement on every request, on the
path whose statement count the benchmarks hold constant. A forgotten bucket (evicted, or
after a restart) comes back full, which only ever lets a caller through, never refuses one;
the least recently used buckets are the evicted ones, and a bucket idle for
`capacity / restore_rate` seconds is full anyway.
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

from domain.shared.errors import Unauthenticated

MAX_CALLERS = 100_000
# A named tuple made as the tuple it is, without its constructor's Python call (one a request).
_make = tuple.__new__


# Tuples rather than frozen dataclasses: one of each is made per request, and a frozen
# dataclass's construction costs several times a tuple's.
class Caller(NamedTuple):
    """Whose bucket pays, with the bucket's own capacity and restore rate when it has them
    (None: the app's)."""

    key: str
    capacity: int | None = None
    restore_rate: float | None = None


class Debit(NamedTuple):
    """The outcome of asking a bucket for `cost` points."""

    allowed: bool
    available: float  # points in the bucket afterwards (after the debit when allowed); negative in debt
    capacity: int
    restore_rate: float
    retry_after: float = 0.0  # seconds until the refused operation would be allowed

    def throttle_status(self) -> dict:
        """`extensions.cost.throttleStatus`, in Shopify's shape: `maximumAvailable` is the
        bucket's capacity (the operation's own limit is `extensions.cost.maximumCost`)."""
        return {"maximumAvailable": self.capacity, "currentlyAvailable": math.floor(self.available),
                "restoreRate": self.restore_rate}


class CostBudget:
    """Leaky buckets keyed by caller (`account:<id>`, `ip:<address>`, or a key its `Caller`
    names)."""

    def __init__(self, capacity: int, restore_rate: float, clock: Callable[[], float] = time.monotonic,
                 max_callers: int = MAX_CALLERS) -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self.clock = clock
        self.max_callers = max_callers
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (level, at)

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str, cost: int, capacity: int | None = None, restore_rate: float | None = None) -> Debit:
        """Takes `cost` points from `key`'s bucket if it holds them (or is full, for an operation
        that costs more than a full bucket); otherwise takes nothing. A cost below zero counts
        as zero: taking never adds points. `capacity` and `restore_rate` are the bucket's own
        when given, else the app's."""
        if capacity is None:
            capacity = self.capacity
        if restore_rate is None:
            restore_rate = self.restore_rate
        if cost < 0:
            cost = 0
        now = self.clock()
        buckets = self._buckets
        entry = buckets.get(key)
        level = float(capacity) if entry is None else _refilled(entry, now, capacity, restore_rate)
        needed = cost if cost < capacity else capacity
        if level < needed:
            debit = _make(Debit, (False, level, capacity, restore_rate, (needed - level) / restore_rate))
        else:
            level -= cost
            debit = _make(Debit, (True, level, capacity, restore_rate, 0.0))
        buckets[key] = (level, now)
        buckets.move_to_end(key)
        if len(buckets) > self.max_callers:
            buckets.popitem(last=False)
        return debit

    def peek(self, key: str, capacity: int | None = None, restore_rate: float | None = None) -> Debit:
        """The bucket as it is now, taking nothing."""
        if capacity is None:
            capacity = self.capacity
        if restore_rate is None:
            restore_rate = self.restore_rate
        entry = self._buckets.get(key)
        level = float(capacity) if entry is None else _refilled(entry, self.clock(), capacity, restore_rate)
        return _make(Debit, (True, level, capacity, restore_rate, 0.0))


def _refilled(entry: tuple[float, float], now: float, capacity: int, restore_rate: float) -> float:
    """A bucket's level at `now`: what it held at its last change, plus what flowed back since, up
    to its capacity."""
    level, at = entry
    return min(float(capacity), level + max(0.0, now - at) * restore_rate)


async def caller_key(context) -> Caller | str:
    """Whose bucket pays: the signed-in account, else the client's address. A bad, expired or
    revoked token pays from the address: the operation still runs, so `signIn` and
    `refreshSession` work for a client that still sends its stale token, and any field that
    needs the caller answers UNAUTHENTICATED. Anonymous requests send no statement for this. Signed-in callers never draw on their address's bucket, so
    people behind one address (an office, a carrier's NAT) do not drain each other."""
    request = context.request
    if request is not None and request.headers.get("authorization"):
        try:
            principal = await context.viewer()
        except Unauthenticated:
            principal = None
        if principal is not None and principal.account_id is not None:
            return f"account:{principal.account_id}"
    # A server-side storefront that sent its API client key (api/http/persisted_queries.py):
    # its visitors share its bucket, not its one address's; a client created with its own
    # budget refills in the same time as the default bucket does.
    client = getattr(context, "api_client", None)
    if client is not None:
        key = f"client:{client.id}"
        if client.budget and context.budget is not None:
            budget = context.budget
            return Caller(key, client.budget, budget.restore_rate * client.budget / budget.capacity)
        return key
    # The client's address as the context resolves it: behind a reverse proxy, list it in
    # TRIBUTARY_TRUSTED_PROXIES, or every client shares the proxy's bucket.
    return f"ip:{context.client_ip() or 'unknown'}"
