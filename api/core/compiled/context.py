"""The execution context that serves query operations from their plans."""
from __future__ import annotations

import asyncio
from typing import Any

from graphql import ExecutionResult
from graphql.language import OperationType

from api.core.compiled.cache import plan_for
from api.core.compiled.errors import Unsupported
from api.core.compiled.metrics import record
from api.core.compiled.run import Run
from api.core.executor import FastExecutionContext


class CompiledExecutionContext(FastExecutionContext):
    """Runs a query's plan; everything else, and any query whose compiled run raises, goes
    through the stock execution (the inline-leaf executor) from the start."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        if self.operation.operation is not OperationType.QUERY or serially:
            return self._stock(self.operation.operation.value)
        if not self._inline:
            return self._stock("middleware")  # field middleware must see every field
        if self.abort_signal is not None:
            return self._stock("abort_signal")
        plan = plan_for(self)
        if isinstance(plan, Unsupported):
            return self._stock(plan.reason)
        run = Run(self)
        try:
            data = plan(run, self.root_value, None)
        except Exception:  # noqa: BLE001  (graphql-core reports it, from a stock run)
            unfinished = run.unfinished()
            return self._stock_after(unfinished) if unfinished else self._stock("error")
        if self.is_awaitable(data):
            return self._finish_later(run, data)
        record("compiled", "planned")
        return self._response(data)

    async def _finish_later(self, run: Run, data: Any) -> Any:
        try:
            data = await data
        except Exception:  # noqa: BLE001  (graphql-core reports it, from a stock run)
            return await self._stock_after(run.unfinished())
        record("compiled", "planned")
        return self._response(data)

    def _response(self, data: Any) -> Any:
        """The result of a compiled run: its data, which carries no error (a run that meets one
        is the stock executor's to answer) and left no incremental work (no plan has `@defer`
        or `@stream`), so graphql-core's response building has nothing to add but a hook."""
        if self.hooks is not None or self.collected_errors.errors or self.tasks or self.streams:
            return self.build_response(data)
        return ExecutionResult(data, None)

    async def _stock_after(self, unfinished: list[Any]) -> Any:
        """The stock run of an operation whose compiled run failed, once the resolvers it had
        started have finished (their results and errors are the stock run's to make again)."""
        if unfinished:
            await asyncio.gather(*unfinished, return_exceptions=True)
        result = self._stock("error")
        return await result if self.is_awaitable(result) else result

    def _stock(self, reason: str) -> Any:
        record("stock", reason)
        return FastExecutionContext.execute_operation(self)
