"""The lines a generated builder (`builder.py`) writes for a leaf: its value read in place from its
source (an attribute, a key, a `.get` of one, as the getter reads it), then serialized as its
scalar or enum serializes it, settled in place for what most values are (text that is its own
answer, a decimal `str` writes plainly, an enum value named before) and by the scalar's whole
rule out of line for anything else (a null, a value to serialize or refuse: a `Bail`)."""
from __future__ import annotations

from datetime import date
from keyword import iskeyword
from typing import Any

from graphql.pyutils import Undefined
from graphql.type.scalars import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    serialize_boolean,
    serialize_id,
    serialize_int,
    serialize_string,
)

from api.core.compiled.direct import body
from api.core.compiled.errors import Bail
from api.core.compiled.run import TYPENAME
from api.core.executor import attribute_read
from api.core.scalars import serialize_datetime, serialize_decimal

# Serializers that return some values unchanged (a str for String and ID, an int in range for Int):
# the condition under which the call is still made.
_UNCHANGED = {serialize_string: "{value}.__class__ is not str", serialize_id: "{value}.__class__ is not str",
              serialize_boolean: "{value}.__class__ is not bool",
              serialize_int: f"{{value}}.__class__ is not int or not {GRAPHQL_MIN_INT} <= {{value}} <= {GRAPHQL_MAX_INT}"}
# Serializers whose answer is always text (or an exception): nothing to check after them.
_TEXT_RESULTS = frozenset({serialize_datetime, date.isoformat, str})


def _plain_attribute(getter: Any) -> str | None:
    """The attribute `getter` reads, when it is a plain field's and can be written as
    `source.<name>`: read in place, the interpreter's attribute cache beats a call."""
    attribute = attribute_read(getter)
    return attribute if attribute is not None and attribute.isidentifier() and not iskeyword(attribute) else None


# A getter whose whole body is one of these reads of its one parameter, as the interpreter runs
# it (the instructions after RESUME): written out in place of its call.
_READS = {("LOAD_FAST", "LOAD_ATTR", "RETURN_VALUE"): "{source}.{1}",
          ("LOAD_FAST", "LOAD_CONST", "BINARY_SUBSCR", "RETURN_VALUE"): "{source}[{1!r}]",
          ("LOAD_FAST", "LOAD_METHOD", "LOAD_CONST", "PRECALL", "CALL", "RETURN_VALUE"): "{source}.{1}({2!r})"}


def read_in_place(getter: Any, source: str = "source") -> str | None:
    """The expression of `source` that `getter` (a field's own resolver marked `inline`) is, when
    its body is `return self.<name>`, `return self[<text or number>]` or `return self.get(<text>)`."""
    attribute = _plain_attribute(getter)
    if attribute is not None:
        return f"{source}.{attribute}"
    found = body(getter)
    if found is None or found[0].co_argcount != 1 or getattr(getter, "__defaults__", None):
        return None  # not a plain function of one parameter without a default
    code, instructions = found
    template = _READS.get(tuple(i.opname for i in instructions))
    if template is None or instructions[0].argval != code.co_varnames[0]:
        return None
    operands = [i.argval for i in instructions]
    if template.endswith(")"):  # a call: only `.get` of a text key, with one argument
        if operands[1] != "get" or type(operands[2]) is not str or operands[4] != 1:
            return None
    elif "[" in template:
        if type(operands[1]) not in (str, int):
            return None
    elif not (operands[1].isidentifier() and not iskeyword(operands[1])):
        return None
    return template.format(*operands, source=source)


def serialized(serialize: Any, index: int, indent: str, constants: dict[str, Any]) -> list[str]:
    """The lines that serialize `value` as `serialize_<index>` does (a refused value is a `Bail`).
    An enum's names are looked up in place, the value's serializer called only for one not seen
    yet (api/core/executor.py's `output_serializer`)."""
    names = getattr(serialize, "text_names", None)
    if serialize is serialize_decimal:  # `str` unless it would write an exponent, as the scalar does
        call = [f"{indent}text = str(value) if value.__class__ is Decimal else None",
                f"{indent}value = text if text is not None and 'E' not in text else serialize_{index}(value)"]
    elif names is None:
        call = [f"{indent}value = serialize_{index}(value)"]
    else:
        constants[f"names_{index}"] = names
        call = [f"{indent}try:",
                f"{indent}    value = names_{index}[value]",
                f"{indent}except (KeyError, TypeError):",
                f"{indent}    value = serialize_{index}(value)"]
    return [*call, f"{indent}if value is None or value is Undefined:", f"{indent}    raise Bail"]


def _leaf(index: int, read: str, serialize: Any, nullable: bool, constants: dict[str, Any]) -> list[str]:
    """The lines that leave a leaf's serialized value in `value_<index>`. What most values are (text
    that is its own answer, a decimal `str` writes plainly, an enum value named before) is settled
    in place; anything else (a null, a value to serialize or refuse) is `rest_<index>`'s, the
    whole rule (`_rest`), out of line."""
    constants[f"rest_{index}"] = _rest(serialize, nullable)
    target = f"value_{index}"
    unchanged = _UNCHANGED.get(serialize)
    if unchanged is not None:
        # A null where the type allows one is its own answer too.
        check = unchanged.format(value=target)
        if nullable:
            check = f"({check}) and {target} is not None"
        return [f"        {target} = {read}",
                f"        if {check}:",
                f"            {target} = rest_{index}({target})"]
    if serialize is serialize_decimal:  # `str` unless it would write an exponent, as the scalar does
        return ["        value = " + read,
                f"        if value.__class__ is not Decimal or 'E' in ({target} := str(value)):",
                f"            {target} = rest_{index}(value)"]
    names = getattr(serialize, "nullable_names" if nullable else "text_names", None)
    if names is not None:  # an enum: the names of text values seen before (api/core/executor.py)
        constants[f"names_{index}"] = names
        # Read again for the rule, rather than kept: a value is named out of line once or never.
        return ["        try:",
                f"            {target} = names_{index}[{read}]",
                "        except (KeyError, TypeError):  # not seen yet, null where none is allowed, unhashable",
                f"            {target} = rest_{index}({read})"]
    if serialize in _TEXT_RESULTS:
        constants[f"serialize_{index}"] = serialize
        return ["        value = " + read,
                f"        {target} = serialize_{index}(value) if value is not None else "
                + ("None" if nullable else f"rest_{index}(value)")]
    return [f"        {target} = rest_{index}({read})"]


def _rest(serialize: Any, nullable: bool) -> Any:
    """A leaf's value serialized: a null where the type allows one, else `serialize`'s answer; a
    null where it allows none, or a value the scalar refuses, is a `Bail`."""
    def rest(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise Bail
        value = serialize(value)
        if value is None or value is Undefined:
            raise Bail
        return value

    return rest


def leaf_entry(index: str, kind: int, first: Any, second: Any, third: Any, source: str,
                constants: dict[str, Any]) -> list[str]:
    """The lines of a leaf's or `__typename`'s entry, read from the local `source`, leaving its
    value in `value_<index>`."""
    if kind == TYPENAME:
        constants[f"value_{index}"] = first
        return []
    constants[f"get_{index}"] = first
    read = read_in_place(first, source) or f"get_{index}({source})"
    global_id_of = getattr(first, "global_id_of", None)
    if global_id_of is not None:  # a Node's `id` (api/core/node.py), its encoding called here
        constants[f"type_{index}"] = global_id_of
        read = f"encode_id(type_{index}, {source}.id)"
        if second is serialize_id:  # `ids.encode` answers text, which is an ID's own answer
            return [f"        value_{index} = {read}"]
    return _leaf(index, read, second, third, constants)
