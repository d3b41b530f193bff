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

What graphql-core's `execute` works out again on every request and that depends on the document
alone (its operation and fragments), or on the document and the variables' values (their
coercion, the cost), is kept by the admitted entry (`Admitted`): the executor is then made
straight from it, as graphql-core's own `build` makes it, and run (api/core/compiled/).

The full pipeline still serves every first request of a text, every mutation and subscription,
and every query this path hands back before anything is charged: variables that do not coerce
to their types, which the pipeline refuses with its own error. A schema whose extensions are
not all known here (a new one, field middleware, directives) has no prepared path at all.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from graphql import ExecutionResult as CoreResult
from graphql import GraphQLError, default_field_resolver, default_type_resolver
from graphql.execution.execute import UNEXPECTED_MULTIPLE_PAYLOADS
from graphql.execution.executor import CollectedErrors
from graphql.pyutils.ref_map import RefMap
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.core.compiled.metrics import SERVED_BY
from api.core.compiled.report import executor_report
from api.core.errors import execution_errors, failure
from api.core.prepared_variables import VariableMemo
from api.http.cache_policy import record_policy
from api.limits.cost import Charge, charge

MAX_DOCUMENTS = 1024


class Admitted:
    """An admitted document and what executing its operation needs that does not change from
    one request to the next: the operation and fragments graphql-core's `build` found (from the
    first request's executor), and the coerced variables and cost by the variables' values."""

    __slots__ = ("document", "name", "parts", "memo", "state")

    def __init__(self, document: Any, name: str | None) -> None:
        self.document = document
        self.name = name
        self.parts: tuple | None = None  # (fragment definitions, fragments, operation)
        self.memo = VariableMemo()
        self.state: ExecutorState | None = None  # what every executor of it starts with


# What an executor is handed per request; every other attribute it starts with is the same for
# every request of a document (the document's fragments among them), but its empty containers,
# which are its own.
_PER_REQUEST = ("root_value", "context_value", "variable_values", "operation_extensions")
_DOCUMENT = ("fragment_definitions", "fragments")
_CONTAINERS = (set, dict, list, RefMap, CollectedErrors)


def _empty(value: Any) -> bool:
    return not value.errors if isinstance(value, CollectedErrors) else not value


class ExecutorState:
    """The attributes an executor of one admitted document starts with, read off one made by
    its class's constructor: a copy of them, with new empty containers and the request's own
    values, is the executor the constructor would make (graphql-core's, strawberry's and ours
    set about thirty attributes, a few hundred bytecodes per request)."""

    __slots__ = ("cls", "shared", "containers")

    def __init__(self, cls: type, shared: dict[str, Any], containers: tuple[tuple[str, type], ...]) -> None:
        self.cls = cls
        self.shared = shared
        self.containers = containers

    @classmethod
    def of(cls, executor: Any) -> ExecutorState | None:
        """The state of a new executor: its containers (sets, dicts, lists, graphql-core's maps
        and error lists) made anew for each request, every other attribute shared as it is (a
        test compares a copy with a constructed executor attribute by attribute). None when a
        container does not start empty: not copied then."""
        state = vars(executor)
        containers = tuple((key, type(value)) for key, value in state.items()
                           if type(value) in _CONTAINERS and key not in _DOCUMENT and key not in _PER_REQUEST)
        if not all(_empty(state[key]) for key, _kind in containers):
            return None
        fresh = {key for key, _kind in containers}
        shared = {key: value for key, value in state.items() if key not in fresh and key not in _PER_REQUEST}
        return cls(type(executor), shared, containers)

    def make(self, root_value: Any, context: Any, variable_values: Any, operation_extensions: Any) -> Any:
        executor = object.__new__(self.cls)
        state = executor.__dict__
        state.update(self.shared)
        for key, kind in self.containers:
            state[key] = kind()
        state["root_value"], state["context_value"] = root_value, context
        state["variable_values"], state["operation_extensions"] = variable_values, operation_extensions
        return executor


class PreparedQueries:
    """The admitted documents of one schema, and the path that runs them."""

    def __init__(self, max_cost: int, report_executor: bool, maxsize: int = MAX_DOCUMENTS) -> None:
        self.max_cost = max_cost
        self.report_executor = report_executor
        self.maxsize = maxsize
        self.schema: Any = None  # set by `attach`: the path is off until then
        # (text, operation name given) -> the document and the operation's name as execution reads it
        self._admitted: OrderedDict[tuple[str, str | None], Admitted] = OrderedDict()

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
        self._admitted[key] = Admitted(document, name)
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
        known = entry.memo.get(variables)  # (coerced variables, cost) of these values, when seen before
        assessed = Charge()
        if self.report_executor:
            SERVED_BY.set(None)
        try:
            assessed = await charge(context, self.schema, query, entry.name, variables or {}, entry.document,
                                    self.max_cost, cost=known[1] if known else None)
            if assessed.refusal is not None:
                return ExecutionResult(data=None, errors=execution_errors(assessed.refusal.errors),
                                       extensions=self._extensions(context, assessed))
            if assessed.cost is None:
                return None  # nothing charged: the pipeline refuses the variables in its words
            executor = self._executor(entry, variables, known, assessed.cost, context, root_value,
                                      operation_extensions)
            if isinstance(executor, list):  # variables that do not coerce
                result = CoreResult(None, errors=executor)
            else:
                result = executor.execute_operation()
                if optimized_is_awaitable(result):
                    result = await result
                if not isinstance(result, CoreResult):  # incremental delivery, which no query here asks for
                    raise GraphQLError(UNEXPECTED_MULTIPLE_PAYLOADS)
            record_policy(context, self.schema._schema, query, entry.name, entry.document, result)
            errors = execution_errors(result.errors) if result.errors else None
            return ExecutionResult(data=result.data, errors=errors,
                                   extensions=self._extensions(context, assessed))
        except Exception as error:  # noqa: BLE001  (as the pipeline answers an extension's failure)
            return ExecutionResult(data=None, errors=[failure(error)],
                                   extensions=self._extensions(context, assessed))

    def _executor(self, entry: Admitted, variables: dict | None, known: tuple | None, cost: int,
                  context: Any, root_value: Any, operation_extensions: dict | None) -> Any:
        """The operation's executor, as graphql-core's `execute` makes it (or the errors of
        variables that do not coerce): by its `build` the first time and for variables not seen
        before, then from what the entry keeps."""
        cls = self.schema.execution_context_class
        schema = self.schema._schema
        if known is None or entry.parts is None:
            built = cls.build(schema, entry.document, root_value, context, variables, entry.name,
                              is_awaitable=optimized_is_awaitable, operation_extensions=operation_extensions)
            if not isinstance(built, list):
                entry.parts = (built.fragment_definitions, built.fragments, built.operation)
                entry.memo.keep(variables, built.variable_values, cost)
            return built
        if entry.state is not None and entry.state.cls is cls:
            return entry.state.make(root_value, context, known[0], operation_extensions)
        fragment_definitions, fragments, operation = entry.parts
        executor = cls(schema, fragment_definitions, fragments, root_value, context, operation, known[0],
                       default_field_resolver, default_type_resolver, default_field_resolver,
                       is_awaitable=optimized_is_awaitable, operation_extensions=operation_extensions)
        entry.state = ExecutorState.of(executor)
        return executor

    def _extensions(self, context: Any, assessed: Charge) -> dict:
        """What the schema's extensions report, in their order: the cost, then (in development)
        the executor that served the query."""
        results = assessed.report(context, self.max_cost)
        if self.report_executor:
            results.update(executor_report())
        return results
