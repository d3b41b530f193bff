"""Queries whose text has been read before run without strawberry's request pipeline.

For every request strawberry's `Schema.execute` makes an execution context, an instance of each
of the schema's extensions and four stages of their hooks, and looks the text up in the parser
and validation caches: on a small query that is about as much server time as everything else
the request does. What those stages decide for a query depends on its text alone (the token
limit, the validation rules, the operation-name rule, the operation's type), so once a text has
passed them, its document is *admitted*: kept by (text, operation name). An admitted query then
does only what the extensions do for a query that validated, with the same functions: its cost
is charged to the caller's budget (api/limits/cost.py), graphql-core executes it with the
schema's execution context, its errors are worded (api/core/errors.py), its cache policy is
recorded (api/http/cache_policy.py) and its extensions reported.

The full pipeline still serves every first request of a text, every mutation and subscription,
and every query this path hands back before anything is charged: variables that do not coerce
to their types, which the pipeline refuses with its own error. A schema whose extensions are
not all known here (a new one, field middleware, directives) has no prepared path at all.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from graphql import execute
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.core.compiled.metrics import SERVED_BY
from api.core.compiled.report import executor_report
from api.core.errors import execution_errors, failure
from api.http.cache_policy import record_policy
from api.limits.cost import Charge, charge

MAX_DOCUMENTS = 1024


class PreparedQueries:
    """The admitted documents of one schema, and the path that runs them."""

    def __init__(self, max_cost: int, report_executor: bool, maxsize: int = MAX_DOCUMENTS) -> None:
        self.max_cost = max_cost
        self.report_executor = report_executor
        self.maxsize = maxsize
        self.schema: Any = None  # set by `attach`: the path is off until then
        # (text, operation name given) -> (document, the operation's name as execution reads it)
        self._admitted: OrderedDict[tuple[str, str | None], tuple[Any, str | None]] = OrderedDict()

    def attach(self, schema: Any, extensions: Iterable[Any], known: tuple[type, ...]) -> bool:
        """Turns the path on for `schema` when every one of its extensions is known to this path
        and none is field middleware; otherwise it stays off (False)."""
        instances = [e if isinstance(e, SchemaExtension) else e() for e in extensions]
        if schema.directives or not all(isinstance(e, known) for e in instances):
            return False
        if any(e._implements_resolve() for e in instances):  # noqa: SLF001  (strawberry's own test)
            return False
        self.schema = schema
        return True

    def admission(self) -> type[SchemaExtension]:
        """The extension, last in the schema's list, that admits each query text that reaches
        execution (it has parsed, validated and named one query operation)."""
        prepared = self

        class Admission(SchemaExtension):
            def on_execute(self) -> Iterator[None]:
                ctx = self.execution_context
                if ctx.query and ctx.operation_type is OperationType.QUERY:
                    prepared._admit(ctx.query, ctx._provided_operation_name,  # noqa: SLF001  (the name as sent)
                                    ctx.graphql_document, ctx.operation_name)
                yield

        return Admission

    def _admit(self, query: str, given_name: str | None, document: Any, name: str | None) -> None:
        key = (query, given_name)
        if key in self._admitted:
            return
        self._admitted[key] = (document, name)
        while len(self._admitted) > self.maxsize:
            self._admitted.popitem(last=False)

    async def execute(self, query: str | None, variables: dict | None, context: Any, root_value: Any,
                      operation_name: str | None, allowed: Iterable[OperationType],
                      operation_extensions: dict | None) -> ExecutionResult | None:
        """The result of an admitted query, or None for the full pipeline to run the request."""
        if self.schema is None or not query:
            return None
        entry = self._admitted.get((query, operation_name))
        if entry is None or OperationType.QUERY not in allowed:
            return None
        self._admitted.move_to_end((query, operation_name))
        document, name = entry
        assessed = Charge()
        if self.report_executor:
            SERVED_BY.set(None)
        try:
            assessed = await charge(context, self.schema, query, name, variables or {}, document, self.max_cost)
            if assessed.refusal is not None:
                return ExecutionResult(data=None, errors=execution_errors(assessed.refusal.errors),
                                       extensions=self._extensions(context, assessed))
            if assessed.cost is None:
                return None  # nothing charged: the pipeline refuses the variables in its words
            result = execute(self.schema._schema, document, root_value=root_value, context_value=context,
                             variable_values=variables, operation_name=name,
                             executor_class=self.schema.execution_context_class,
                             is_awaitable=optimized_is_awaitable, operation_extensions=operation_extensions)
            if optimized_is_awaitable(result):
                result = await result
            record_policy(context, self.schema._schema, query, name, document, result)
            errors = execution_errors(result.errors) if result.errors else None
            return ExecutionResult(data=result.data, errors=errors,
                                   extensions=self._extensions(context, assessed))
        except Exception as error:  # noqa: BLE001  (as the pipeline answers an extension's failure)
            return ExecutionResult(data=None, errors=[failure(error)],
                                   extensions=self._extensions(context, assessed))

    def _extensions(self, context: Any, assessed: Charge) -> dict:
        """What the schema's extensions report, in their order: the cost, then (in development)
        the executor that served the query."""
        results = assessed.report(context, self.max_cost)
        if self.report_executor:
            results.update(executor_report())
        return results
