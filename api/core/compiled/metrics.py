"""Which executor served each operation, for /metrics and the development response extension."""
from __future__ import annotations

from contextvars import ContextVar

from prometheus_client import Counter

EXECUTIONS = Counter(
    "tributary_graphql_executions_total",
    "GraphQL operations executed, by the executor that produced the result (compiled or stock) "
    "and why (planned, or what sent the operation to the stock executor).",
    ["path", "reason"],
)

# The executor of the operation running in this task ("compiled", or "stock: <reason>"), read by
# the development extension once the result is built.
SERVED_BY: ContextVar[str | None] = ContextVar("tributary_executor_served_by", default=None)


def record(path: str, reason: str) -> None:
    counter = _counters.get((path, reason))
    if counter is None:
        counter = _counters[(path, reason)] = EXECUTIONS.labels(path=path, reason=reason)
    counter.inc()
    SERVED_BY.set(path if path == "compiled" else f"{path}: {reason}")


_counters: dict[tuple[str, str], Counter] = {}
