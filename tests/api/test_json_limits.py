"""`check_json` (api/limits/input_limits.py) refuses what the rules say, wherever in the JSON it
sits: checked against a plain recursive reading of the rules over generated JSON."""
import orjson
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from api.http.graphql_request import RequestRefused, decode_json
from api.limits.input_limits import MAX_DEPTH, MAX_NUMBER, InputRefused, check_json


def expected(value, depth=0):
    """The first rule the value breaks (NUL, number or depth), or None; any refusal will do when
    it breaks several, since `check_json` checks in its own order."""
    if isinstance(value, str):
        return {"INVALID_CHARACTER"} if "\x00" in value else set()
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return set() if -MAX_NUMBER <= value <= MAX_NUMBER else {"NUMBER_OUT_OF_RANGE"}
    broken = {"JSON_TOO_DEEP"} if depth >= MAX_DEPTH else set()
    if isinstance(value, dict):
        for key in value:
            broken |= expected(key)
        value = value.values()
    for inner in value:
        broken |= expected(inner, depth + 1)
    return broken


texts = st.text(alphabet=st.sampled_from("ab\x00é"), max_size=4)
leaves = st.none() | st.booleans() | texts | st.integers(-2**60, 2**60) | st.floats(allow_nan=False)
json_values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                           max_leaves=12)


def nested(value, depth):
    for _ in range(depth):
        value = [value]
    return value


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(0, MAX_DEPTH + 2))
def test_check_json_refuses_exactly_what_the_rules_refuse(value, depth):
    value = nested(value, depth)
    broken = expected(value)
    try:
        check_json(value)
    except InputRefused as refusal:
        assert refusal.reason in broken
    else:
        assert not broken


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(0, MAX_DEPTH + 2))
def test_a_request_body_is_refused_exactly_where_the_rules_refuse_its_values(value, depth):
    """A body as a client sends it (a NUL escaped as `\\u0000`) is refused as its values are."""
    value = nested(value, depth)
    body = orjson.dumps(value)
    assume(orjson.loads(body) == value)  # JSON has no infinity: orjson writes it as null
    broken = expected(value)
    try:
        decode_json(body)
    except RequestRefused as refusal:
        assert refusal.extensions["reason"] in broken
    else:
        assert not broken


@pytest.mark.parametrize(("body", "refused"), [
    (b'{"query": "{ a }", "variables": {"slug": "a\\u0000b"}}', True),
    (b'{"query": "{ a }", "variables": {"a\\u0000": 1}}', True),
    (b'{"query": "{ a }", "variables": {"slug": "a\\\\u0000b"}}', False),  # a backslash, then "u0000"
    (b'{"query": "{ a }", "variables": {"first": 9007199254740993}}', True),
])
def test_a_nul_is_found_wherever_the_body_escapes_one(body, refused):
    try:
        decode_json(body)
    except RequestRefused:
        assert refused
    else:
        assert not refused
