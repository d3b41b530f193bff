"""A function per selection set, generated once from its plan entries, that produces an object's
fields (the operation's root fields included).

Rather than a loop that unpacks each entry, tests its kind and calls the leaf's getter and
serializer through variables, each entry is its own few lines, with the getter, serializer
and resolver bound as constants, the response names as literals, the non-null checks only where
the type asks for them, and strings, IDs and booleans that are already what they serialize to
kept as they are. Awaitable fields are gathered together, as graphql-core does, so the loaders of
siblings batch the same way.
"""
from __future__ import annotations

import inspect
from decimal import Decimal
from types import CoroutineType
from typing import Any

from graphql.pyutils import Path, Undefined

from api.core import ids
from api.core.compiled.direct import delegated_call
from api.core.compiled.errors import Bail
from api.core.compiled.leaves import leaf_entry, read_in_place, serialized
from api.core.compiled.run import (
    FIELD,
    LEAF,
    MAX_ACCEPTED,
    SYNC,
    TYPENAME,
    awaitable,
    by_class,
    complete_later,
    discard,
    settle_fields,
    settled,
    step,
)

# Results that are never awaitable: the check is skipped for them.
_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})


def _inline_field(inline: Any, index: str, key: str, at: str, constants: dict[str, Any],
                  source: str = "source") -> tuple[list[str], bool]:
    """The lines that call a field's resolver and completer in place (what its `run_field` does
    when no resolve info is needed) on the object in the local `source`, leaving the completed
    value in `value` and `value_<index>`; and whether that value is never awaitable."""
    constants[f"resolve_{index}"], constants[f"complete_{index}"] = inline.resolver, inline.complete
    passed = _passed(inline, index, constants, source)
    read = read_in_place(inline.resolver, source) if passed == [source] else None
    call = read or delegated_call(inline.resolver, passed, index, constants) \
        or f"resolve_{index}({', '.join(passed)})"
    written = getattr(inline.complete, "written", None)
    general = ["if value.__class__ is CoroutineType:",
               f"    value = step(run, value, complete_{index}, None, {at})",
               "elif value.__class__ not in SYNC and awaitable(run, value):",
               f"    value = complete_later(run, value, complete_{index}, None, {at})",
               "else:",
               *(line[8:] for line in _completion(inline.complete, index, at, constants)),
               f"value_{index} = value",
               *_pending(key)]
    if read is not None and _completes_at_once(written, index, constants):
        # A value read in place is awaitable only when the object holds an awaitable, which the
        # stock executor awaits (`settled`): the field's answer is then never awaitable.
        general = [f"value_{index} = settled(run, value, complete_{index}, {at})"]
        if written[0] == "object":  # the class its completion checked, as `_completion` keeps it
            general += [f"if value_{index} is not None and len(accepted_{index}) < {MAX_ACCEPTED}:",
                        f"    accepted_{index}.add(value.__class__)"]
        at_once = True
    else:
        at_once = False
    lines = [f"        # {key}, resolved and completed here",
             f"        value = {call}"]
    if written is not None and written[0] == "object" and f"accepted_{index}" in constants:
        # An object of a class its type's check accepted before: produced without the checks
        # (`_completion` keeps the classes); one of leaves alone is produced here, its fields
        # read from `child_<index>` (no call, never awaitable).
        child = written[2]
        if getattr(child, "leaves", False):
            produced = [f"            child_{index} = value"]
            for number, (kind, _name, first, second, third) in enumerate(child.fields):
                produced += ("    " + line for line in
                             leaf_entry(f"{index}_{number}", kind, first, second, third, f"child_{index}", constants))
            return lines + [f"        if value.__class__ in accepted_{index}:",
                            *produced,
                            f"            value_{index} = {_results(child.fields, f'{index}_')}",
                            "        else:",
                            *("            " + line for line in general)], at_once
        plain = getattr(child, "plain", False)  # its answer is never awaitable: nothing to keep
        if plain and _inlinable(child):
            # Fields that never wait and read no path (an object of objects of leaves, such as a
            # price range's two prices): written out here too, the child's builder not called.
            body, _plain = _entries(child.fields, f"{index}_", f"child_{index}", constants)
            return lines + [f"        if value.__class__ in accepted_{index}:",
                            f"            child_{index} = value",
                            *("    " + line for line in body),
                            f"            value_{index} = {_results(child.fields, f'{index}_')}",
                            "        else:",
                            *("            " + line for line in general)], at_once
        return lines + [f"        if value.__class__ in accepted_{index}:",
                        f"            value_{index} = produce_{index}(run, value, {at})",
                        *("            " + line for line in ([] if plain else _pending(key, f"value_{index}"))),
                        "        else:",
                        *("            " + line for line in general)], at_once
    if written is not None and written[0] == "object_list":
        # A list of objects of leaves alone, each of a class its type's check accepted before
        # (`plan._list`): each item's fields read in this loop (as `produce` would read them),
        # without the checks, a call per item or a comprehension's own call.
        child = written[2]
        constants[f"accepted_{index}"] = written[1]
        produced = []
        for number, (kind, _name, first, second, third) in enumerate(child.fields):
            produced += ("        " + line for line in
                         leaf_entry(f"{index}_{number}", kind, first, second, third, f"child_{index}", constants))
        return lines + [f"        if value.__class__ is list and accepted_{index}.issuperset(map(type, value)):",
                        f"            value_{index} = []",
                        f"            for child_{index} in value:",
                        *produced,
                        f"                value_{index}.append({_results(child.fields, f'{index}_')})",
                        "        else:",
                        *("            " + line for line in general)], at_once
    if written != ("text_list",):
        return lines + ["        " + line for line in general], at_once
    # A list of text, the usual value, is checked first: it is its own answer, never awaitable.
    return lines + ["        if value.__class__ is list:",
                    "            for item in value:",
                    "                if item.__class__ is not str:",
                    f"                    value = complete_{index}(run, value, None, {at})",
                    "                    break",
                    f"            value_{index} = value",
                    "        else:",
                    *("            " + line for line in general)], at_once


def _completes_at_once(written: Any, index: str, constants: dict[str, Any]) -> bool:
    """Whether a field's completion of a value that is not awaitable is never awaitable either:
    a leaf, a list of text, a list of objects of leaves, or an object whose own fields are never
    awaitable and whose classes its type checks by class."""
    if written is None:
        return False
    if written[0] in ("leaf", "text_list", "object_list"):
        return True
    return written[0] == "object" and f"accepted_{index}" in constants and getattr(written[2], "plain", False)


def _inlinable(produce: Any) -> bool:
    """Whether an object's builder can be written out in its parent's code: its fields are leaves
    or fields resolved in place, none of which reads its path (the parent's is not the child's)."""
    return all(kind != FIELD or (getattr(first, "inline", None) is not None and not getattr(first, "needs_path", True))
               for kind, _name, first, *_rest in produce.fields)


def _passed(inline: Any, index: str, constants: dict[str, Any], source: str = "source") -> list[str]:
    """The arguments of the resolver's call: by position as far as its parameters allow (a call
    with keywords makes and reads a dict), then by name; the field's arguments, the same on
    every call, bound as constants."""
    named = {name: source for name in inline.source_parameters}
    if inline.info_parameter is not None:
        named[inline.info_parameter] = "run.context_info"
    for number, (name, value) in enumerate(inline.arguments.items()):
        constants[f"argument_{index}_{number}"] = value
        named[name] = f"argument_{index}_{number}"
    passed = [source] if inline.source_first else []
    try:
        parameters = list(inspect.signature(inline.resolver).parameters.values())
    except (TypeError, ValueError):  # no signature to read: every one by name
        parameters = []
    for parameter in parameters[len(passed):]:
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD) \
                or parameter.name not in named:
            break
        passed.append(named.pop(parameter.name))
    return passed + [f"{name}={expression}" for name, expression in named.items()]


def _pending(key: str, value: str = "value") -> list[str]:
    """The lines that keep `value`, the field `key`'s, to be awaited with its siblings when it is
    awaitable."""
    return [f"if {value}.__class__ not in PLAIN and run.is_awaitable({value}):",
            "    if pending is None:",
            f"        pending, waiting = [{key}], [{value}]",
            "    else:",
            f"        pending.append({key})",
            f"        waiting.append({value})"]


def _completion(complete: Any, index: str, at: str, constants: dict[str, Any]) -> list[str]:
    """A plain value's completion, written out for leaves and objects (as their completers in
    `plan.py` do it: a null where the type allows none, an exception returned as a value or a
    refused value is a `Bail`), a call of the completer otherwise."""
    written = getattr(complete, "written", None)
    if written is None:
        return [f"            value = complete_{index}(run, value, None, {at})"]
    if written[0] in ("text_list", "object_list"):  # lists the fast path of `_inline_field` did not take
        return [f"            value = complete_{index}(run, value, None, {at})"]
    nullable = written[-1]
    lines = ["            if value is None or value is Undefined:",
             "                " + ("value = None" if nullable else "raise Bail"),
             "            elif isinstance(value, Exception):",
             "                raise Bail"]
    if written[0] == "leaf":
        constants[f"serialize_{index}"] = written[1]
        return lines + ["            else:", *serialized(written[1], index, "                ", constants)]
    _kind, is_type_of, produce, _nullable = written
    constants[f"produce_{index}"] = produce
    if is_type_of is not None:
        constants[f"is_type_of_{index}"] = is_type_of
        lines += [f"            elif is_type_of_{index}(value, None) is not True:",
                  "                raise Bail"]
    lines += ["            else:"]
    if by_class(is_type_of):
        constants[f"accepted_{index}"] = set()
        lines += [f"                if len(accepted_{index}) < {MAX_ACCEPTED}:",
                  f"                    accepted_{index}.add(value.__class__)"]
    return lines + [f"                value = produce_{index}(run, value, {at})"]


def _results(fields: tuple, prefix: str = "") -> str:
    """The results' dict, in the entries' order."""
    return "{" + ", ".join(f"{name!r}: value_{prefix}{index}" for index, (_kind, name, *_rest) in enumerate(fields)) + "}"


def _entries(fields: tuple, prefix: str, source: str, constants: dict[str, Any]) -> tuple[list[str], bool]:
    """The lines of an object's entries on the object in the local `source`, leaving each
    field's value in `value_<prefix><number>`; and whether every field's answer is never
    awaitable (leaves, and fields read at once)."""
    lines: list[str] = []
    plain = True
    for number, (kind, name, first, second, third) in enumerate(fields):
        index, key = f"{prefix}{number}", repr(name)
        if kind == LEAF or kind == TYPENAME:
            lines += leaf_entry(index, kind, first, second, third, source, constants)
        elif kind == FIELD:
            # A field's path is made only when something below reads it (a resolve info).
            at = f"Path(path, {key}, TYPE_NAME)" if getattr(first, "needs_path", True) else "None"
            inline = getattr(first, "inline", None)
            if inline is None:
                constants[f"run_{index}"] = first
                lines += [f"        value = value_{index} = run_{index}(run, {source}, {at})",
                          *("        " + line for line in _pending(key))]
                plain = False
            else:
                field_lines, at_once = _inline_field(inline, index, key, at, constants, source)
                lines += field_lines
                plain = plain and at_once
        else:
            raise ValueError(f"unknown entry kind {kind}")
    return lines, plain


def build_fields(fields: tuple, type_name: str) -> Any:
    """`produce(run, source, path)`: the object's results, or an awaitable of them."""
    constants: dict[str, Any] = {"Path": Path, "Undefined": Undefined, "Bail": Bail, "discard": discard,
                                 "Decimal": Decimal, "encode_id": ids.encode,
                                 "settle_fields": settle_fields, "PLAIN": _PLAIN, "TYPE_NAME": type_name,
                                 "SYNC": SYNC, "awaitable": awaitable,
                                 "CoroutineType": CoroutineType, "step": step, "complete_later": complete_later,
                                 "settled": settled}
    # Each field's value is kept in a local of its own and the results made at the end in one
    # step, in the entries' order (a dict written key by key grows and is copied on the way).
    body, plain = _entries(fields, "", "source", constants)
    lines = ["def produce(run, source, path):",
             "    pending = None",
             "    try:",
             "        pass",  # a type none of whose fields is selected (a fragment on another type)
             *body]
    results = _results(fields)
    if plain:  # nothing to wait for, nothing to close on a failure
        lines = [lines[0], *(line[4:] for line in lines[4:]), f"    return {results}"]
    else:
        lines += ["    except BaseException:",
                  "        if pending:",
                  "            discard(waiting)",
                  "        raise",
                  f"    results = {results}",
                  "    if pending is None:",
                  "        return results",
                  "    return settle_fields(results, pending)"]
    namespace = dict(constants)
    source = "\n".join(lines)
    exec(compile(source, f"<fields of {type_name}>", "exec"), namespace)  # noqa: S102
    produce = namespace["produce"]
    produce.source = source  # what was generated, for reading it
    produce.plain = plain  # its answer is never awaitable
    produce.leaves = all(kind != FIELD for kind, *_rest in fields)
    produce.fields = fields  # one of leaves alone is written out in its parents' code (`_inline_field`)
    return produce
