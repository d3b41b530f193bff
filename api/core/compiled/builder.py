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

from typing import Any

from graphql.pyutils import Path, Undefined
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_string

from api.core.compiled.errors import Bail
from api.core.compiled.run import FIELD, LEAF, TYPENAME, discard, settle_fields

# Serializers that return a value of this type unchanged: the call is skipped for it.
_UNCHANGED = {serialize_string: "str", serialize_id: "str", serialize_boolean: "bool"}
# Results that are never awaitable: the check is skipped for them.
_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})


def build_fields(fields: tuple, type_name: str) -> Any:
    """`produce(run, source, path)`: the object's results, or an awaitable of them."""
    constants: dict[str, Any] = {"Path": Path, "Undefined": Undefined, "Bail": Bail, "discard": discard,
                                 "settle_fields": settle_fields, "PLAIN": _PLAIN, "TYPE_NAME": type_name}
    lines = ["def produce(run, source, path):",
             "    results = {}",
             "    pending = None",
             "    try:",
             "        pass"]  # a type none of whose fields is selected (a fragment on another type)
    for index, (kind, name, first, second, third) in enumerate(fields):
        key = repr(name)
        if kind == LEAF:
            constants[f"get_{index}"], constants[f"serialize_{index}"] = first, second
            lines += [f"        value = get_{index}(source)",
                      "        if value is None:"]
            lines += [f"            results[{key}] = None"] if third else ["            raise Bail"]
            lines += ["        else:"]
            unchanged = _UNCHANGED.get(second)
            indent = "            "
            if unchanged is not None:
                lines += [f"            if value.__class__ is not {unchanged}:"]
                indent += "    "
            lines += [f"{indent}value = serialize_{index}(value)",
                      f"{indent}if value is None or value is Undefined:",
                      f"{indent}    raise Bail",
                      f"            results[{key}] = value"]
        elif kind == TYPENAME:
            constants[f"type_name_{index}"] = first
            lines += [f"        results[{key}] = type_name_{index}"]
        elif kind == FIELD:
            constants[f"run_{index}"] = first
            # A field's path is made only when something below reads it (a resolve info).
            at = f"Path(path, {key}, TYPE_NAME)" if getattr(first, "needs_path", True) else "None"
            lines += [f"        value = results[{key}] = run_{index}(run, source, {at})",
                      "        if value.__class__ not in PLAIN and run.is_awaitable(value):",
                      "            if pending is None:",
                      f"                pending = [{key}]",
                      "            else:",
                      f"                pending.append({key})"]
        else:
            raise ValueError(f"unknown entry kind {kind}")
    lines += ["    except BaseException:",
              "        if pending:",
              "            discard([results[name] for name in pending])",
              "        raise",
              "    if pending is None:",
              "        return results",
              "    return settle_fields(results, pending)"]
    namespace = dict(constants)
    exec(compile("\n".join(lines), f"<fields of {type_name}>", "exec"), namespace)  # noqa: S102
    return namespace["produce"]
