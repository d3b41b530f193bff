"""The text and numbers a request may carry, wherever they are written: in its JSON (variables,
extensions, the query string itself) or as literals in the GraphQL document.

- Text is Unicode characters other than NUL. PostgreSQL text cannot hold NUL, and a lone UTF-16
  surrogate (\\ud800-\\udfff) is not a character at all. The JSON decoder (orjson) and
  GraphQL's lexer refuse surrogates themselves; NUL is refused here.
- Numbers lie within +-2^53. Beyond it JSON readers disagree about a number's value (RFC 7493,
  2.2), big integers turn into floats, and no field takes a number that large.
- JSON nests at most `MAX_DEPTH` containers deep; our deepest input nests 5.

A refusal is BAD_USER_INPUT with the reason INVALID_CHARACTER, NUMBER_OUT_OF_RANGE or
JSON_TOO_DEEP, so a client sees one code for one mistake whichever way it sent the value.
"""
from __future__ import annotations

from graphql import FloatValueNode, GraphQLError, IntValueNode, StringValueNode, ValidationRule

MAX_DEPTH = 32
MAX_NUMBER = 2**53

NUL_MESSAGE = "Text in the request contains NUL (\\u0000), which no field accepts."
SURROGATE_MESSAGE = ("Text in the request contains a lone UTF-16 surrogate (\\ud800-\\udfff),"
                     " which is not a Unicode character.")
DEPTH_MESSAGE = f"The request's JSON nests deeper than {MAX_DEPTH} levels."


class InputRefused(ValueError):
    """A value no field accepts; `reason` is its stable code."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def _number_message(spelled: str | None = None) -> str:
    if spelled is None:
        return "A number in the request is out of range: numbers lie between -2^53 and 2^53."
    shown = spelled if len(spelled) <= 40 else f"{spelled[:20]}... ({len(spelled)} characters)"
    return f"The number {shown} is out of range: numbers lie between -2^53 and 2^53."


def check_text(text: str) -> None:
    if "\x00" in text:
        raise InputRefused(NUL_MESSAGE, "INVALID_CHARACTER")


def check_number(number: int | float) -> None:
    # NaN compares false both ways: only a decoder that accepts it could hand one over.
    if not -MAX_NUMBER <= number <= MAX_NUMBER:
        raise InputRefused(_number_message(), "NUMBER_OUT_OF_RANGE")


def check_json(value: object) -> None:
    """Checks every string, key and number of decoded JSON (the types the JSON decoder makes:
    dict, list, str, int, float, bool and None), and how deep its containers nest;
    without recursion, so no nesting can exhaust the stack. Each container's values are checked
    in its own loop and only containers wait on the stack (the value itself is held by a
    container of depth -1)."""
    stack: list[tuple[object, int]] = [((value,), -1)]
    while stack:
        item, depth = stack.pop()
        if depth >= MAX_DEPTH:
            raise InputRefused(DEPTH_MESSAGE, "JSON_TOO_DEEP")
        if isinstance(item, dict):
            for key in item:
                check_text(key)
            item = item.values()
        for inner in item:
            # The decoder's own types, by class: a bool is no number here, without a second test.
            kind = inner.__class__
            if kind is str:
                check_text(inner)
            elif kind is dict or kind is list:
                stack.append((inner, depth + 1))
            elif kind is int or kind is float:
                check_number(inner)


class InputLimitsRule(ValidationRule):
    """Refuses literals in the document that `check_text` and `check_number` refuse in JSON:
    a NUL written as `\\u0000`, and numbers out of range (GraphQL's Int stops far earlier, but
    ID, Float and Decimal take any number the document spells)."""

    def _refuse(self, message: str, reason: str, node) -> None:
        self.report_error(GraphQLError(message, node, extensions={"code": "BAD_USER_INPUT", "reason": reason}))

    def enter_string_value(self, node: StringValueNode, *_args) -> None:
        if "\x00" in node.value:
            self._refuse(NUL_MESSAGE, "INVALID_CHARACTER", node)

    def enter_int_value(self, node: IntValueNode, *_args) -> None:
        digits = node.value.lstrip("-")  # the lexer allows no leading zeros, so length orders them
        if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
            self._refuse(_number_message(node.value), "NUMBER_OUT_OF_RANGE", node)

    def enter_float_value(self, node: FloatValueNode, *_args) -> None:
        if not -MAX_NUMBER <= float(node.value) <= MAX_NUMBER:
            self._refuse(_number_message(node.value), "NUMBER_OUT_OF_RANGE", node)
