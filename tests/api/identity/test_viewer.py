"""The viewer and private objects over HTTP: anonymous callers, the session list per client
kind, `node` visibility, and what a signed-in `viewer` costs in SQL statements."""
from __future__ import annotations

import pytest

from tests.api.identity.helpers import call, sign_in
from tests.conftest import count_statements
from tests.fixtures.identity import account

SESSIONS = """{ viewer { customer { sessions { totalCount nodes { id clientKind deviceName current } } } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename id } }"""
ADDRESS = {"fullName": "Ada Reader", "line1": "1 Main Street", "city": "Springfield", "region": "IL",
           "postalCode": "62701", "countryCode": "US"}


async def test_an_anonymous_viewer_has_only_the_anonymous_role(client):
    body = await call(client, "{ viewer { roles customer { id } session { id } sellers { id } brands { id } } }")
    assert body == {"data": {"viewer": {"roles": ["ANONYMOUS"], "customer": None, "session": None, "sellers": [],
                                        "brands": []}},
                    "extensions": body["extensions"]}


async def test_the_session_list_shows_each_client_kind_and_name(client, database):
    ada = await account(client, database, kind="WEB")
    for kind, device in (("MOBILE", "Ada's Pixel"), ("EREADER", "Ada's Kindle")):
        assert (await sign_in(client, ada.email, kind=kind, device=device))["userErrors"] == []
    sessions = (await ada(client, SESSIONS))["data"]["viewer"]["customer"]["sessions"]
    assert sessions["totalCount"] == 3
    listed = sorted((s["clientKind"], s["deviceName"], s["current"]) for s in sessions["nodes"])
    assert listed == [("EREADER", "Ada's Kindle", False), ("MOBILE", "Ada's Pixel", False), ("WEB", "", True)]
    assert [s["id"] for s in sessions["nodes"] if s["current"]] == [ada.session_gid]


async def test_the_session_list_leaves_out_ended_sessions(client, database):
    ada = await account(client, database)
    phone = (await sign_in(client, ada.email, kind="MOBILE"))["tokens"]
    await call(client, "mutation { signOut { success } }", token=phone["accessToken"])
    sessions = (await ada(client, SESSIONS))["data"]["viewer"]["customer"]["sessions"]
    assert [(s["clientKind"], s["current"]) for s in sessions["nodes"]] == [("WEB", True)]
    assert sessions["totalCount"] == 1


@pytest.mark.parametrize("kind", ["Customer", "Device", "Address"])
async def test_node_of_another_customers_object_is_null(client, database, kind):
    ada = await account(client, database)
    bob = await account(client, database)
    admin = await account(client, database, admin=True)
    seller = await account(client, database, seller_id=1)
    if kind == "Customer":
        object_id = (await ada(client, "{ viewer { customer { id } } }"))["data"]["viewer"]["customer"]["id"]
    elif kind == "Device":
        body = await ada(client, 'mutation { registerDevice(input: {kind: EREADER, name: "Kindle"}) '
                                 '{ device { id } } }')
        object_id = body["data"]["registerDevice"]["device"]["id"]
    else:
        body = await ada(client, "mutation($input: CreateAddressInput!) { createAddress(input: $input) "
                                 "{ address { id } } }", {"input": ADDRESS})
        object_id = body["data"]["createAddress"]["address"]["id"]
    seen = {"__typename": kind, "id": object_id}
    assert (await ada(client, NODE, {"id": object_id}))["data"]["node"] == seen
    assert (await admin(client, NODE, {"id": object_id}))["data"]["node"] == seen
    for stranger in (bob, seller):
        body = await stranger(client, NODE, {"id": object_id})
        assert body["data"]["node"] is None and "errors" not in body
    assert (await call(client, NODE, {"id": object_id}))["data"]["node"] is None


async def test_a_signed_in_viewer_costs_two_statements(client, database):
    ada = await account(client, database)
    with count_statements() as counter:
        body = await ada(client, "{ viewer { customer { email } } }")
    assert body["data"]["viewer"]["customer"]["email"] == ada.email
    # The session check with the roles, then the account.
    assert counter.count == 2, counter.statements


async def test_the_whole_viewer_page_costs_a_constant_number_of_statements(client, database):
    ada = await account(client, database)
    for kind in ("MOBILE", "EREADER"):
        await sign_in(client, ada.email, kind=kind)
    await ada(client, "mutation { registerDevice(input: {kind: WEB, name: \"Laptop\"}) { device { id } } }")
    for n in range(3):
        await ada(client, "mutation($input: CreateAddressInput!) { createAddress(input: $input) { address { id } } }",
                  {"input": {**ADDRESS, "line1": f"{n} Main Street"}})
    query = """{ viewer { roles customer { email addresses { id } defaultAddress { id } devices { id }
      sessions { totalCount nodes { clientKind device { name } } } } session { device { name } } } }"""
    with count_statements() as counter:
        body = await ada(client, query)
    assert "errors" not in body
    customer = body["data"]["viewer"]["customer"]
    assert (len(customer["addresses"]), len(customer["devices"]), customer["sessions"]["totalCount"]) == (3, 1, 3)
    # Session check, account, addresses, devices, sessions page, session count, this session, devices by id.
    assert counter.count == 8, counter.statements


async def test_an_anonymous_viewer_costs_no_statement(client):
    with count_statements() as counter:
        body = await call(client, "{ viewer { roles customer { email } } }")
    assert body["data"]["viewer"] == {"roles": ["ANONYMOUS"], "customer": None}
    assert counter.count == 0


async def test_an_administrator_reads_many_customers_in_a_constant_number_of_statements(client, database):
    admin = await account(client, database, admin=True)
    customer_ids = []
    for _ in range(3):
        customer = await account(client, database)
        await customer(client, "mutation($input: CreateAddressInput!) { createAddress(input: $input) "
                               "{ address { id } } }", {"input": ADDRESS})
        await customer(client, "mutation { registerDevice(input: {kind: MOBILE, name: \"Phone\"}) { device { id } } }")
        body = await customer(client, "{ viewer { customer { id } } }")
        customer_ids.append(body["data"]["viewer"]["customer"]["id"])
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { email addresses { city }
      defaultAddress { city } devices { name } } } }"""
    with count_statements() as counter:
        body = await admin(client, query, {"ids": customer_ids})
    assert [(len(n["addresses"]), n["defaultAddress"], len(n["devices"])) for n in body["data"]["nodes"]] == [
        (1, {"city": "Springfield"}, 1)] * 3
    # Session check, accounts, address books, devices: one each for the three customers.
    assert counter.count == 4, counter.statements
