"""`Stage` drives one stage's extension hooks as strawberry's own context managers do. Each
scenario (a list of extensions and a body that returns or raises) runs through strawberry's
manager for the stage and through `Stage`, and the two must leave the same event log and let
the same exception (or none) escape. The few places where they differ on purpose have their own
tests, which pin `Stage`'s behaviour."""
import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
)
from strawberry.extensions.runner import SchemaExtensionsRunner

from api.core.extension_hooks import ExtensionsRunner, Stage

# Strawberry's manager class for each stage, with the hook name `Stage` is given for it.
STAGES = [
    (OperationContextManager, "on_operation"),
    (ValidationContextManager, "on_validate"),
    (ParsingContextManager, "on_parse"),
    (ExecutingContextManager, "on_execute"),
]


class Boom(Exception):
    pass


class Recorder(SchemaExtension):
    """Appends its events to a log shared by the extensions of one run."""

    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name

    def note(self, event: str) -> None:
        self.log.append(f"{self.name} {event}")

    def __repr__(self) -> str:  # the RuntimeError for an async hook names the extension
        return self.name


def every_stage(cls):
    """Uses the class's `hook` for all four stages, so each scenario can run as any of them."""
    for _, hook_name in STAGES:
        setattr(cls, hook_name, cls.hook)
    return cls


@every_stage
class Gen(Recorder):
    def hook(self):
        self.note("enter")
        try:
            yield
        except Exception as error:
            self.note(f"saw {error}")
            raise
        self.note("exit")


@every_stage
class AsyncGen(Recorder):
    async def hook(self):
        self.note("enter")
        try:
            yield
        except Exception as error:
            self.note(f"saw {error}")
            raise
        self.note("exit")


@every_stage
class Call(Recorder):
    def hook(self):
        self.note("called")


@every_stage
class AsyncCall(Recorder):
    async def hook(self):
        self.note("called")


@every_stage
class Suppress(Recorder):
    def hook(self):
        try:
            yield
        except Exception as error:
            self.note(f"suppressed {error}")


@every_stage
class AsyncSuppress(Recorder):
    async def hook(self):
        try:
            yield
        except Exception as error:
            self.note(f"suppressed {error}")


@every_stage
class Replace(Recorder):
    def hook(self):
        try:
            yield
        except Exception as error:
            self.note(f"replaced {error}")
            raise ValueError("replacement") from error


@every_stage
class FailOnEnter(Recorder):
    def hook(self):
        self.note("failing to enter")
        raise KeyError("enter failed")
        yield


@every_stage
class FailOnExit(Recorder):
    def hook(self):
        yield
        self.note("failing to exit")
        raise LookupError("exit failed")


class NoHook(Recorder):
    """Keeps SchemaExtension's default hooks: neither runner may call them."""


def build(classes, log):
    return [cls(log, f"{i}.{cls.__name__}") for i, cls in enumerate(classes)]


def outcome_of(error: BaseException | None):
    return None if error is None else (type(error).__name__, str(error))


async def run_async(manager_for, classes, raises: bool):
    """The event log and the exception that escaped; "after" in the log when the body's
    exception was suppressed (or there was none)."""
    log: list[str] = []
    try:
        async with manager_for(build(classes, log)):
            log.append("body")
            if raises:
                raise Boom("body failed")
        log.append("after")
    except Exception as error:
        return log, outcome_of(error)
    return log, None


def run_sync(manager_for, classes, raises: bool):
    log: list[str] = []
    try:
        with manager_for(build(classes, log)):
            log.append("body")
            if raises:
                raise Boom("body failed")
        log.append("after")
    except Exception as error:
        return log, outcome_of(error)
    return log, None


def both(manager_class, hook_name):
    return manager_class, lambda extensions: Stage(hook_name, extensions)


SYNC_SCENARIOS = {
    "generators": ([Gen, NoHook, Gen], False),
    "generators-raise": ([Gen, NoHook, Gen], True),
    "callable": ([Gen, Call, NoHook], False),
    "callable-raise": ([Gen, Call, Gen], True),
    "replace": ([Gen, Replace, Gen], True),
    "replace-nothing-in-flight": ([Gen, Replace, Gen], False),
    "fail-on-exit": ([Gen, FailOnExit, Gen], False),
    "fail-on-exit-raise": ([Gen, FailOnExit, Gen], True),
    "fail-on-enter-first": ([FailOnEnter, Gen], False),
    "no-hooks": ([NoHook], True),
}

ASYNC_SCENARIOS = {
    **SYNC_SCENARIOS,
    "every-kind": ([Gen, AsyncGen, Call, AsyncCall, NoHook, Gen], False),
    "every-kind-raise": ([Gen, AsyncGen, Call, AsyncCall, NoHook, AsyncGen], True),
    "async-replace": ([AsyncGen, Replace, AsyncGen], True),
    "async-fail-on-exit": ([AsyncGen, FailOnExit, AsyncGen], False),
    "async-fail-on-exit-raise": ([AsyncGen, FailOnExit, AsyncGen], True),
}


@pytest.mark.parametrize("classes, raises", ASYNC_SCENARIOS.values(), ids=ASYNC_SCENARIOS.keys())
async def test_async_with_matches_strawberry(classes, raises):
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        assert await run_async(ours, classes, raises) == await run_async(theirs, classes, raises)


@pytest.mark.parametrize("classes, raises", SYNC_SCENARIOS.values(), ids=SYNC_SCENARIOS.keys())
def test_sync_with_matches_strawberry(classes, raises):
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        assert run_sync(ours, classes, raises) == run_sync(theirs, classes, raises)


@pytest.mark.parametrize("classes", [[AsyncGen], [NoHook, AsyncCall]], ids=["async-generator", "async-callable"])
def test_async_hook_in_sync_with_raises_like_strawberry(classes):
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        log, outcome = run_sync(ours, classes, raises=False)
        assert (log, outcome) == run_sync(theirs, classes, raises=False)
        assert log == []
        assert outcome == ("RuntimeError", f"SchemaExtension hook {len(classes) - 1}.{classes[-1].__name__}."
                                           f"{hook_name} failed to complete synchronously.")


# Strawberry's managers drop the exit stack's return value (their `__exit__`/`__aexit__` return
# None), so the body's exception escapes even when a hook swallowed it, and `Stage` does the same;
# the hooks outside the swallowing one exit as if nothing had been raised.
@pytest.mark.parametrize("suppress", [Suppress, AsyncSuppress])
async def test_a_hook_that_swallows_the_exception_shields_the_outer_hooks_but_not_the_stage(suppress):
    classes = [AsyncGen, suppress, Gen]
    hooks = ["0.AsyncGen enter", "2.Gen enter", "body", "2.Gen saw body failed",
             f"1.{suppress.__name__} suppressed body failed", "0.AsyncGen exit"]
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        assert await run_async(ours, classes, raises=True) == (hooks, ("Boom", "body failed"))
        assert await run_async(theirs, classes, raises=True) == (hooks, ("Boom", "body failed"))


def test_a_sync_hook_that_swallows_the_exception_shields_the_outer_hooks_but_not_the_stage():
    classes = [Gen, Suppress, Call]
    hooks = ["0.Gen enter", "2.Call called", "body", "1.Suppress suppressed body failed", "0.Gen exit"]
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        assert run_sync(ours, classes, raises=True) == (hooks, ("Boom", "body failed"))
        assert run_sync(theirs, classes, raises=True) == (hooks, ("Boom", "body failed"))


# When a hook fails to enter, `async with` never calls strawberry's `__aexit__`, so the hooks
# entered before it stay suspended at their yield and never see the failure. `Stage` leaves them
# with it, as an exit stack's `enter_context` failing inside a `with ExitStack()` would.
async def test_a_hook_that_fails_to_enter_leaves_the_earlier_ones_with_its_failure():
    classes = [Gen, AsyncGen, FailOnEnter, Gen]
    entered = ["0.Gen enter", "1.AsyncGen enter", "2.FailOnEnter failing to enter"]
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        failure = ("KeyError", "'enter failed'")
        assert await run_async(ours, classes, raises=False) == (
            [*entered, "1.AsyncGen saw 'enter failed'", "0.Gen saw 'enter failed'"], failure)
        assert await run_async(theirs, classes, raises=False) == (entered, failure)


def test_an_async_hook_in_a_sync_with_leaves_the_earlier_ones_with_the_runtime_error():
    # Likewise for the RuntimeError a sync `with` raises on reaching an async hook.
    for manager_class, hook_name in STAGES:
        theirs, ours = both(manager_class, hook_name)
        failure = ("RuntimeError", f"SchemaExtension hook 1.AsyncCall.{hook_name} failed to complete synchronously.")
        assert run_sync(ours, [Gen, AsyncCall], raises=False) == (
            ["0.Gen enter", f"0.Gen saw {failure[1]}"], failure)
        assert run_sync(theirs, [Gen, AsyncCall], raises=False) == (["0.Gen enter"], failure)


class Lifecycle(SchemaExtension):
    """Records each stage's hooks, with a generator and an async generator among them."""

    log: list[str] = []

    def on_operation(self):
        self.log.append("operation enter")
        yield
        self.log.append("operation exit")

    async def on_parse(self):
        self.log.append("parse enter")
        yield
        self.log.append("parse exit")

    def on_validate(self):
        self.log.append("validate enter")
        yield
        self.log.append("validate exit")

    async def on_execute(self):
        self.log.append("execute enter")
        yield
        self.log.append("execute exit")


@strawberry.type
class Query:
    @strawberry.field
    def greeting(self) -> str:
        return "hello"

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError("resolver failed")


class HookedSchema(strawberry.Schema):
    """As `api.schema.Schema` drives its extensions' hooks."""

    def create_extensions_runner(self, execution_context, extensions) -> ExtensionsRunner:
        return ExtensionsRunner(execution_context=execution_context, extensions=extensions)


LIFECYCLE = ["operation enter", "parse enter", "parse exit", "validate enter", "validate exit",
             "execute enter", "execute exit", "operation exit"]


async def test_a_schema_runs_the_hooks_in_strawberrys_order():
    Lifecycle.log = []
    result = await HookedSchema(query=Query, extensions=[Lifecycle]).execute("{ greeting }")
    assert result.errors is None
    assert result.data == {"greeting": "hello"}
    assert Lifecycle.log == LIFECYCLE


async def test_a_resolver_error_reaches_the_result_and_the_hooks_still_run():
    Lifecycle.log = []
    result = await HookedSchema(query=Query, extensions=[Lifecycle]).execute("{ greeting broken }")
    assert result.data == {"greeting": "hello", "broken": None}
    assert [(error.message, error.path) for error in result.errors] == [("resolver failed", ["broken"])]
    assert Lifecycle.log == LIFECYCLE


class SyncResults(SchemaExtension):
    def get_results(self):
        return {"sync": 1, "shared": "sync"}


class AsyncResults(SchemaExtension):
    async def get_results(self):
        return {"async": 2, "shared": "async"}


class NoResults(SchemaExtension):
    def on_execute(self):
        yield


@pytest.mark.parametrize("extensions", [
    [SyncResults, AsyncResults, NoResults],
    [NoResults, AsyncResults, SyncResults],
    [NoResults],
])
async def test_the_extensions_results_are_strawberrys(extensions):
    """The results of the extensions that have any, merged in order as strawberry's runner
    merges them (a later one's key wins), then the context's own."""
    made = [extension() for extension in extensions]
    context = type("Context", (), {"extensions_results": {"context": 3}})()
    ours = await ExtensionsRunner(execution_context=context, extensions=made).get_extensions_results(context)
    theirs = await SchemaExtensionsRunner(execution_context=context, extensions=made).get_extensions_results(context)
    assert ours == theirs
    assert list(ours.items()) == list(theirs.items())
