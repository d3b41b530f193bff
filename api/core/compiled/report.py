"""In development, `extensions.executor` says which executor produced the result."""
from __future__ import annotations

from strawberry.extensions import SchemaExtension

from api.core.compiled.metrics import SERVED_BY


class ExecutorReport(SchemaExtension):
    def on_execute(self):
        SERVED_BY.set(None)
        yield

    def get_results(self) -> dict:
        served = SERVED_BY.get()
        return {"executor": served} if served else {}
