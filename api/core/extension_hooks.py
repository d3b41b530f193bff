"""The schema extensions' hooks run per request without strawberry's per-request wrapping.

Strawberry's runner, for each of an operation's four stages, looks up every extension's hook,
turns each generator hook into a new `contextlib` context manager (`functools.update_wrapper`
included) and enters them on an exit stack: with nine extensions, about a third of what a
`{ __typename }` request costs before any field runs. Here the kind of each extension class's
hook is worked out once, and a stage drives the hooks itself with the exit stack's semantics:
hooks are entered in order and left in reverse; an exception raised inside the stage (or by a
hook) is thrown into the hooks still open, a hook may swallow it (the hooks outside it then exit
normally, and the exception still leaves the stage, as with strawberry's) or replace it. A hook
that fails to enter leaves the ones before it with that failure, where strawberry's left them
suspended at their yield.
"""
from __future__ import annotations

import inspect
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner

_GENERATOR, _ASYNC_GENERATOR, _CALL, _ASYNC_CALL = range(4)

# (extension class, hook name) -> (kind, function) or None when the class keeps the default hook
_kinds: dict[tuple[type, str], tuple[int, Any] | None] = {}


def _kind(extension_class: type, hook_name: str) -> tuple[int, Any] | None:
    key = (extension_class, hook_name)
    if key in _kinds:
        return _kinds[key]
    function = getattr(extension_class, hook_name)
    if function is getattr(SchemaExtension, hook_name):
        kind = None
    elif inspect.isgeneratorfunction(function):
        kind = (_GENERATOR, function)
    elif inspect.isasyncgenfunction(function):
        kind = (_ASYNC_GENERATOR, function)
    elif inspect.iscoroutinefunction(function):
        kind = (_ASYNC_CALL, function)
    elif callable(function):
        kind = (_CALL, function)
    else:
        raise ValueError(f"Hook {hook_name} on {extension_class.__name__} must be callable, received {function!r}")
    _kinds[key] = kind
    return kind


# (hook name, the extensions' classes) -> for each extension with the hook: (its index, kind)
_stages: dict[tuple, list[tuple[int, tuple[int, Any]]]] = {}


def _hooks(extensions: list[SchemaExtension], hook_name: str) -> list[tuple[SchemaExtension, tuple[int, Any]]]:
    """The extensions that have the hook, in order, with its kind."""
    key = (hook_name, *map(type, extensions))
    found = _stages.get(key)
    if found is None:
        found = _stages[key] = [(index, kind) for index, extension in enumerate(extensions)
                                if (kind := _kind(type(extension), hook_name)) is not None]
    return [(extensions[index], kind) for index, kind in found]


class Stage:
    """One stage's hooks, entered with `with` or `async with` as strawberry's own are."""

    __slots__ = ("hook_name", "extensions", "open")

    def __init__(self, hook_name: str, extensions: list[SchemaExtension]) -> None:
        self.hook_name = hook_name
        self.extensions = extensions
        self.open: list[tuple[bool, Any]] = []  # (async?, the generator left at its yield)

    def __enter__(self) -> None:
        for extension, (how, function) in _hooks(self.extensions, self.hook_name):
            if how in (_ASYNC_GENERATOR, _ASYNC_CALL):
                error = RuntimeError(f"SchemaExtension hook {extension}.{self.hook_name} failed to complete "
                                     "synchronously.")
                self._leave_sync(error)
                raise error
            try:
                self._enter_sync(how, function, extension)
            except BaseException as error:
                self._leave_sync(error)
                raise

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        return self._leave_sync(exc)

    async def __aenter__(self) -> None:
        for extension, (how, function) in _hooks(self.extensions, self.hook_name):
            try:
                if how == _ASYNC_GENERATOR:
                    generator = function(extension)
                    try:
                        await generator.__anext__()
                    except StopAsyncIteration:
                        raise RuntimeError("generator didn't yield") from None
                    self.open.append((True, generator))
                elif how == _ASYNC_CALL:
                    await function(extension)
                else:
                    self._enter_sync(how, function, extension)
            except BaseException as error:
                await self._leave_async(error)
                raise

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        return await self._leave_async(exc)

    def _enter_sync(self, how: int, function: Any, extension: SchemaExtension) -> None:
        if how == _CALL:
            function(extension)
            return
        generator = function(extension)
        try:
            next(generator)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None
        self.open.append((False, generator))

    def _leave_sync(self, exc: BaseException | None) -> bool:
        given = exc
        while self.open:
            _, generator = self.open.pop()
            exc = _close(generator, exc)
        return _outcome(given, exc)

    async def _leave_async(self, exc: BaseException | None) -> bool:
        given = exc
        while self.open:
            is_async, generator = self.open.pop()
            exc = await _close_async(generator, exc) if is_async else _close(generator, exc)
        return _outcome(given, exc)


def _close(generator: Any, exc: BaseException | None) -> BaseException | None:
    """Runs a generator hook past its yield; the exception still in flight afterwards."""
    try:
        if exc is None:
            next(generator)
        else:
            generator.throw(exc)
    except StopIteration as stop:
        return exc if stop is exc else None  # a hook that returns swallows what was thrown in
    except BaseException as error:  # noqa: BLE001  (the hook's own failure, or the one thrown in)
        return error
    return RuntimeError("generator didn't stop" if exc is None else "generator didn't stop after throw()")


async def _close_async(generator: Any, exc: BaseException | None) -> BaseException | None:
    try:
        if exc is None:
            await generator.__anext__()
        else:
            await generator.athrow(exc)
    except StopAsyncIteration as stop:
        return exc if stop is exc else None
    except BaseException as error:  # noqa: BLE001  (the hook's own failure, or the one thrown in)
        return error
    return RuntimeError("generator didn't stop" if exc is None else "generator didn't stop after throw()")


def _outcome(given: BaseException | None, left: BaseException | None) -> bool:
    """Raises the exception a hook put in place of the stage's. A hook that swallows the stage's
    exception shields the hooks outside it, but the exception still leaves the stage, as it does
    from strawberry's managers, so an operation's outcome is the one strawberry gives."""
    if left is None or left is given:
        return False
    if given is not None and left.__context__ is None:
        left.__context__ = given
    raise left


class ExtensionsRunner(SchemaExtensionsRunner):
    """Strawberry's runner, with the four stages of an operation driven by `Stage`."""

    def operation(self) -> Stage:  # type: ignore[override]
        return Stage("on_operation", self.extensions)

    def validation(self) -> Stage:  # type: ignore[override]
        return Stage("on_validate", self.extensions)

    def parsing(self) -> Stage:  # type: ignore[override]
        return Stage("on_parse", self.extensions)

    def executing(self) -> Stage:  # type: ignore[override]
        return Stage("on_execute", self.extensions)

    async def get_extensions_results(self, ctx: Any) -> dict[str, Any]:
        """Strawberry's, asking only the extensions whose class has results of its own (most keep
        the default empty dict, which strawberry asks for and awaits-if-needed on every request)."""
        data: dict[str, Any] = {}
        for extension, (_how, function) in _hooks(self.extensions, "get_results"):
            results = function(extension)
            data.update(await results if inspect.isawaitable(results) else results)
        data.update(ctx.extensions_results)
        return data
