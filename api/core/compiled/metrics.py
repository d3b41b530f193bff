"""Which executor served each operation, for /metrics and the development response extension."""
from __future__ import annotations

from contextvars import ContextVar

from prometheus_client import REGISTRY

from api.observability.request_metrics import CountsByLabels

EXECUTIONS = CountsByLabels(
    "tributary_graphql_executions",
    "GraphQL operations executed, by the executor that produced the result (compiled or stock) "
    "and why (planned, or what sent the operation to the stock executor).",
    ["path", "reason"],
)
REGISTRY.register(EXECUTIONS)

# The executor of the operation running in this task ("compiled", or "stock: <reason>"), read by
# the development extension once the result is built.
SERVED_BY: ContextVar[str | None] = ContextVar("tributary_executor_served_by", default=None)


def record(path: str, reason: str) -> None:
    EXECUTIONS.inc(path, reason)
    SERVED_BY.set(path if path == "compiled" else f"{path}: {reason}")
