"""Calling a strawberry resolver without strawberry's per-call wrapper.

Strawberry wraps every resolver in a function that, on each call, builds its `Info`, converts
the arguments by walking the field's argument list, runs the field extensions' chain and
looks up which parameters (self, root, info) the resolver takes. For a field without
extensions (so without permission classes) or exception handlers, all of that but the `Info`
is the same on every call: it is worked out here once, and the resolver is called directly.
The `Info` itself is made only for a resolver that reads more of it than its context.
"""
from __future__ import annotations

import dis
import inspect
import sys
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from functools import partial
from types import CodeType
from typing import Any

from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_argument, convert_arguments
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional, has_object_definition
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.lazy_type import LazyType

# What a resolver does with its info (`call.info`).
NONE, CONTEXT, FULL = "none", "context", "full"
# Argument values that are the same objects whoever gets them: converted once per plan.
_IMMUTABLE = (str, int, float, bool, Decimal, Enum, type(None))


def direct_caller(schema: Any, field_def: Any, static_args: dict[str, Any] | None) -> Callable | None:
    """`call(source, info, args)` calling the field's resolver as strawberry would, or None when
    the field has something only strawberry's wrapper does (extensions, exception handlers, a
    resolver of graphql-core's or of its own)."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if definition is None or strawberry_schema is None or definition.extensions:
        return None
    resolver = definition.base_resolver
    if resolver is None or getattr(strawberry_schema, "exception_handlers", ()):
        return None
    func = resolver.wrapped_func
    if not callable(func):
        return None
    config = strawberry_schema.config
    info_class = config.info_class
    registry = strawberry_schema.schema_converter.scalar_registry
    arguments = definition.arguments
    takes_self = resolver.self_parameter is not None
    named = [parameter.name for parameter in (resolver.parent_parameter, resolver.root_parameter)
             if parameter is not None]
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

    converted = None
    conversions = _conversions(arguments, registry, config)
    if static_args is not None:
        converted = convert_arguments(static_args, arguments, scalar_registry=registry, config=config)
        if not all(isinstance(value, _IMMUTABLE) for value in converted.values()):
            converted = None  # input objects and lists: new ones per call, as strawberry makes

    uses = _info_use(func, info_name)
    converts = converted is None and conversions is None and bool(arguments)  # strawberry's conversion, with info

    # The last arguments converted and what they converted to: arguments fed by variables are the
    # same dict for the same values (`arguments.VariableArguments`, values nothing can change).
    last: list[Any] = [None, None]

    def call(source: Any, info: Any, args: dict[str, Any]) -> Any:
        if converted is not None:
            kwargs = dict(converted)
        elif conversions is not None:
            if args is last[0]:
                kwargs = dict(last[1])
            else:
                kwargs = {python: args[name] if convert is None else convert(args[name])
                          for name, python, convert in conversions if name in args}
                last[0], last[1] = args, dict(kwargs)
        else:
            kwargs = convert_arguments(args, arguments, scalar_registry=registry, config=config,
                                       info=info_class(_raw_info=info, _field=definition)) if arguments else {}
        for name in named:
            kwargs[name] = source
        if info_name is not None:
            kwargs[info_name] = info if uses == CONTEXT else info_class(_raw_info=info, _field=definition)
        return func(source, **kwargs) if takes_self else func(**kwargs)

    # What the caller must hand over as `info`: nothing, an object with the context alone, or the
    # resolve info.
    call.info = FULL if converts else uses
    # How to call the resolver without `call` in between, when nothing changes per call:
    # (resolver, passes the source first, parameters given the source, arguments, info parameter).
    fixed = converted if converted is not None else ({} if not arguments else None)
    call.plain = None if fixed is None or uses == FULL else (
        func, takes_self, tuple(named), fixed, info_name if uses == CONTEXT else None)
    return call


def _info_use(func: Callable, info_name: str | None) -> str:
    """NONE when the resolver takes no info, CONTEXT when all it does with it is read
    `info.context` (the loaders, the reader, the viewer), FULL otherwise (passing it on, its
    path, its selections...), read from the resolver's bytecode."""
    if info_name is None:
        return NONE
    code = getattr(func, "__code__", None)
    if code is None or info_name in code.co_cellvars:
        return FULL  # not plain Python, or a closure inside it holds the info
    instructions = list(dis.get_instructions(code))
    for index, instruction in enumerate(instructions):
        if instruction.argval != info_name or instruction.opname == "LOAD_CONST":
            continue
        if not instruction.opname.startswith("LOAD_FAST"):
            return FULL  # stored, deleted or captured
        following = instructions[index + 1] if index + 1 < len(instructions) else None
        if following is None or following.opname != "LOAD_ATTR" or following.argval != "context":
            return FULL
    return CONTEXT


def reads_parameter(func: Callable, name: str) -> bool:
    """False when the function's bytecode never reads parameter `name` (a type's `is_type_of`
    that looks at the object alone), True otherwise or when it cannot tell."""
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    if code is None or name not in code.co_varnames or name in code.co_cellvars:
        return True
    return any(instruction.argval == name and instruction.opname != "LOAD_CONST"
               for instruction in dis.get_instructions(code))


def _conversions(arguments: list, registry: Any, config: Any) -> list[tuple[str, str, Callable | None]] | None:
    """(GraphQL name, Python name, conversion) of each argument, as strawberry's conversion would
    treat it: scalars and enums, nullable or not, are handed over as graphql-core coerced them
    (conversion None: a page's `slug` or `first` from a variable); other values (input objects,
    lists, global IDs) are converted by strawberry's own function, without a resolve info, which
    only an input type that builds itself (`from_input`) reads. None when an argument's type has
    such an input: strawberry's conversion then runs with the field's info."""
    conversions = []
    for argument in arguments:
        type_ = argument.type
        name = config.name_converter.from_argument(argument)
        if _needs_info(type_, set()):
            return None
        if _leaf(type_, registry):
            conversions.append((name, argument.python_name, None))
        else:
            conversions.append((name, argument.python_name, partial(_convert, type_=type_, registry=registry,
                                                                      config=config, path=(name,))))
    return conversions


def _convert(value: Any, type_: Any, registry: Any, config: Any, path: tuple) -> Any:
    return convert_argument(value, type_, registry, config, None, path=path)


def _leaf(type_: Any, registry: Any) -> bool:
    """Whether strawberry hands a value of `type_` over as it is (a scalar or an enum)."""
    if isinstance(type_, StrawberryOptional) and not isinstance(type_, StrawberryMaybe):
        type_ = type_.of_type
    if isinstance(type_, StrawberryMaybe) or type_ is GlobalID:
        return False
    if isinstance(type_, LazyType):  # an enum of another module, named lazily
        type_ = type_.resolve_type()
    return isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_) or is_scalar(type_, registry)


def _needs_info(type_: Any, seen: set[int]) -> bool:
    """Whether converting a value of `type_` can read the resolve info: some input type in it
    builds its own value (`from_input`)."""
    while isinstance(type_, StrawberryOptional | StrawberryList | LazyType):
        type_ = type_.resolve_type() if isinstance(type_, LazyType) else type_.of_type
    if not has_object_definition(type_) or id(type_) in seen:
        return False
    seen.add(id(type_))
    definition = type_.__strawberry_definition__
    if definition.from_input is not None:
        return True
    return any(_needs_info(field.resolve_type(type_definition=definition), seen) for field in definition.fields)


# The instructions a delegating resolver is read from are CPython 3.11's; another version's
# resolvers are called as they are.
_DELEGATES_READABLE = sys.version_info[:2] == (3, 11)
_SIMPLE_CONSTANTS = (str, int, float, bool, type(None))
# Code whose call does not run its body once with its parameters: *args, **kwargs, generators
# and coroutines (their call answers an object to iterate or await).
_NOT_PLAIN = (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS | inspect.CO_GENERATOR | inspect.CO_COROUTINE
              | inspect.CO_ASYNC_GENERATOR | inspect.CO_ITERABLE_COROUTINE)


def body(function: Any) -> tuple[CodeType, list[dis.Instruction]] | None:
    """A plain function's code and the instructions of its body as the interpreter runs them
    (without RESUME, CACHE and NOP), or None for one whose body is not simply what a call of it
    answers: not Python, *args, **kwargs or keyword-only parameters, a closure, a generator or a
    coroutine."""
    code = getattr(function, "__code__", None)
    if (code is None or code.co_flags & _NOT_PLAIN or code.co_kwonlyargcount
            or getattr(function, "__closure__", None)):
        return None
    return code, [i for i in dis.get_instructions(code) if i.opname not in ("RESUME", "CACHE", "NOP")]


def delegated_call(resolver: Callable, passed: list[str], name: str, constants: dict[str, Any]) -> str | None:
    """The expression a resolver whose whole body hands its parameters (or attributes of them),
    its module's globals and constants to one function of its module stands for, given the
    expressions `passed` for its parameters (by position, then `name=expression`):
    `return price_range_of(info.context.loaders, self.id, purchase_option)` becomes that call with
    the caller's expressions, its function looked up in the module when called, as the resolver
    would. None for any other body: the resolver is called."""
    found = body(resolver) if _DELEGATES_READABLE else None
    module = getattr(resolver, "__globals__", None)
    if found is None or module is None:
        return None
    code, instructions = found
    parameters = code.co_varnames[:code.co_argcount]
    positional = [expression for expression in passed if "=" not in expression]
    expressions = dict(zip(parameters, positional))
    expressions.update(expression.split("=", 1) for expression in passed if "=" in expression)
    if len(positional) > len(parameters) or set(expressions) != set(parameters):
        return None  # a parameter left to its default
    if (len(instructions) < 4 or [i.opname for i in instructions[-3:]] != ["PRECALL", "CALL", "RETURN_VALUE"]
            or instructions[0].opname != "LOAD_GLOBAL" or not instructions[0].argrepr.startswith("NULL + ")):
        return None
    function = instructions[0].argval
    if function not in module:
        return None  # a builtin
    bound = {f"module_{name}": module}  # put in `constants` only for a body read whole
    arguments: list[str] = []
    for instruction in instructions[1:-3]:
        op, value = instruction.opname, instruction.argval
        if op == "LOAD_FAST" and value in expressions:
            arguments.append(f"({expressions[value]})")
        elif op == "LOAD_ATTR" and arguments and isinstance(value, str) and value.isidentifier():
            arguments[-1] += f".{value}"
        elif op == "LOAD_GLOBAL" and not instruction.argrepr.startswith("NULL") and value in module:
            arguments.append(f"module_{name}[{value!r}]")
        elif op == "LOAD_CONST" and type(value) in _SIMPLE_CONSTANTS:
            bound[f"constant_{name}_{len(arguments)}"] = value
            arguments.append(f"constant_{name}_{len(arguments)}")
        else:
            return None
    if instructions[-3].argval != len(arguments) or instructions[-2].argval != len(arguments):
        return None
    constants.update(bound)
    return f"module_{name}[{function!r}]({', '.join(arguments)})"
