"""In development, which executor produced the result: the HTTP view moves it from the result's
extensions to the `X-Tributary-Executor` response header (api/http/graphql_view.py)."""
from __future__ import annotations

from strawberry.extensions import SchemaExtension

from api.core.compiled.metrics import SERVED_BY


def executor_report() -> dict:
    """The extension of the operation that ran in this task: which executor served it."""
    served = SERVED_BY.get()
    return {"executor": served} if served else {}


class ExecutorReport(SchemaExtension):
    def on_execute(self):
        SERVED_BY.set(None)
        yield

    def get_results(self) -> dict:
        return executor_report()
