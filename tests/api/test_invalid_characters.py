"""Text no encoding can take (half of a surrogate pair, which JSON carries as `\\ud800`) is bad
input, as NUL is: a clear INVALID_CHARACTER error, nothing written, and nothing logged (the
driver's error would quote the argument, a name or a password, into the log).

The request boundary refuses it before any resolver runs; the error mapper still words one
that reaches a resolver by another path (wrapped by SQLAlchemy and the driver) the same way."""
import json
import logging

import pytest
from graphql import GraphQLError
from sqlalchemy.exc import StatementError

from api.core.errors import process_error
from tests.api.identity.helpers import PASSWORD, REGISTER
from tests.fixtures.customer_service import snapshot

INVALID_CHARACTER = {"code": "BAD_USER_INPUT", "reason": "INVALID_CHARACTER"}


async def _post(http, query: str, variables: dict) -> dict:
    # As a client sends it: the JSON escape of a lone surrogate (httpx would refuse to encode one).
    body = json.dumps({"query": query, "variables": variables}).replace("<lone surrogate>", "\\ud800")
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    return response.json()


@pytest.mark.parametrize("field", ["displayName", "password"])
async def test_registering_with_half_a_surrogate_pair_is_refused_with_nothing_written_or_logged(
        client, database, caplog, field):
    variables = {"input": {"email": f"surrogate-in-{field.lower()}@example.com", "password": PASSWORD,
                           "displayName": "Ada"}}
    variables["input"][field] += "<lone surrogate>"
    before = await snapshot(database, ("accounts", "jobs"))

    with caplog.at_level(logging.DEBUG, logger="tributary.errors"):
        body = await _post(client, REGISTER, variables)

    assert [e["extensions"] for e in body["errors"]] == [INVALID_CHARACTER]
    assert "data" not in body
    assert [r for r in caplog.records if r.name == "tributary.errors"] == []
    assert await snapshot(database, ("accounts", "jobs")) == before


async def test_a_query_argument_with_half_a_surrogate_pair_is_an_invalid_character_error(client, caplog):
    with caplog.at_level(logging.DEBUG, logger="tributary.errors"):
        body = await _post(client, "query($s: String!) { seller(slug: $s) { id } }", {"s": "acme<lone surrogate>"})

    assert [e["extensions"] for e in body["errors"]] == [INVALID_CHARACTER]
    assert [r for r in caplog.records if r.name == "tributary.errors"] == []


def test_a_surrogate_wrapped_by_the_driver_and_sqlalchemy_is_worded_as_bad_input_and_not_logged(caplog):
    try:
        "ha\ud800".encode()
    except UnicodeEncodeError as encoding:
        wrapped = StatementError("statement failed", "INSERT ...", None, encoding)
        wrapped.__cause__ = encoding
    error = GraphQLError("wrapped", path=["registerCustomer"], original_error=wrapped)

    with caplog.at_level(logging.DEBUG, logger="tributary.errors"):
        worded = process_error(error)

    assert worded.extensions == INVALID_CHARACTER
    assert worded.path == ["registerCustomer"]
    assert caplog.records == []
