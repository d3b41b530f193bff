"""Devices over HTTP: registering binds the session, a serial is registered once, renaming,
deregistering ends the device's sessions, the limit, and other customers' devices."""
from __future__ import annotations

import pytest

from tests.api.identity.helpers import call, sign_in
from tests.fixtures.identity import Caller, account

DEVICE = "id kind name serialNumber"
REGISTER = f"""mutation($input: RegisterDeviceInput!) {{ registerDevice(input: $input) {{
  device {{ {DEVICE} }} userErrors {{ code message field }} }} }}"""
RENAME = f"""mutation($id: ID!, $name: String!) {{ renameDevice(input: {{deviceId: $id, name: $name}}) {{
  device {{ {DEVICE} }} userErrors {{ code message field }} }} }}"""
DEREGISTER = f"""mutation($id: ID!) {{ deregisterDevice(input: {{deviceId: $id}}) {{
  device {{ {DEVICE} }} userErrors {{ code message field }} }} }}"""
DEVICES = f"{{ viewer {{ customer {{ devices {{ {DEVICE} }} }} }} }}"
SESSION = f"{{ viewer {{ session {{ id deviceName device {{ {DEVICE} }} }} }} }}"
NOT_FOUND = {"code": "NOT_FOUND", "message": "No such device on your account.", "field": ["input", "deviceId"]}


async def _register(http, caller: Caller, kind: str = "EREADER", name: str = "Ada's Kindle",
                    serial: str | None = None) -> dict:
    body = await caller(http, REGISTER, {"input": {"kind": kind, "name": name, "serialNumber": serial}})
    result = body["data"]["registerDevice"]
    assert result["userErrors"] == [], result
    return result["device"]


async def _devices(http, caller: Caller) -> list[dict]:
    return (await caller(http, DEVICES))["data"]["viewer"]["customer"]["devices"]


async def test_register_device_binds_this_session_to_it(client, database):
    ada = await account(client, database, kind="EREADER")
    device = await _register(client, ada, serial=" G000 1234 ")
    assert {k: device[k] for k in ("kind", "name", "serialNumber")} == {
        "kind": "EREADER", "name": "Ada's Kindle", "serialNumber": "G000 1234"}
    session = (await ada(client, SESSION))["data"]["viewer"]["session"]
    assert session == {"id": ada.session_gid, "deviceName": "Ada's Kindle", "device": device}
    assert await _devices(client, ada) == [device]


async def test_the_same_serial_number_returns_the_same_device(client, database):
    ada = await account(client, database)
    first = await _register(client, ada, serial="SN-1")
    again = await _register(client, ada, name="Another name", serial="SN-1")
    assert again == first
    assert await _devices(client, ada) == [first]
    other = await _register(client, ada, serial="SN-2")
    assert other["id"] != first["id"]


async def test_rename_device_renames_it_and_its_sessions(client, database):
    ada = await account(client, database)
    device = await _register(client, ada)
    body = await ada(client, RENAME, {"id": device["id"], "name": "  Bedside   Kindle "})
    assert body["data"]["renameDevice"] == {"device": {**device, "name": "Bedside Kindle"}, "userErrors": []}
    session = (await ada(client, SESSION))["data"]["viewer"]["session"]
    assert session["deviceName"] == "Bedside Kindle"


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
async def test_a_bad_device_name_changes_nothing(client, database, name):
    ada = await account(client, database)
    device = await _register(client, ada)
    body = await ada(client, RENAME, {"id": device["id"], "name": name})
    assert body["data"]["renameDevice"] == {"device": None, "userErrors": [{
        "code": "DEVICE_NAME_INVALID", "message": "A device name has 1 to 60 characters.", "field": ["input", "name"]}]}
    registered = await ada(client, REGISTER, {"input": {"kind": "MOBILE", "name": name}})
    assert [e["code"] for e in registered["data"]["registerDevice"]["userErrors"]] == ["DEVICE_NAME_INVALID"]
    assert await _devices(client, ada) == [device]


async def test_deregister_device_ends_its_sessions_only(client, database):
    ada = await account(client, database)
    kindle = (await sign_in(client, ada.email, kind="EREADER"))["tokens"]
    kindle_caller = Caller(ada.email, ada.account_id, kindle["accessToken"], kindle["refreshToken"],
                           kindle["session"]["id"])
    device = await _register(client, kindle_caller)
    body = await ada(client, DEREGISTER, {"id": device["id"]})
    assert body["data"]["deregisterDevice"] == {"device": device, "userErrors": []}
    revoked = await kindle_caller(client, "{ viewer { roles } }")
    assert revoked["errors"][0]["extensions"]["reason"] == "SESSION_REVOKED"
    assert await _devices(client, ada) == []
    again = await ada(client, DEREGISTER, {"id": device["id"]})
    assert again["data"]["deregisterDevice"] == {"device": None, "userErrors": [NOT_FOUND]}


async def test_at_most_twenty_active_devices(client, database):
    ada = await account(client, database)
    devices = [await _register(client, ada, name=f"Kindle {n}", serial=f"SN-{n}") for n in range(20)]
    body = await ada(client, REGISTER, {"input": {"kind": "EREADER", "name": "One too many", "serialNumber": "SN-X"}})
    assert body["data"]["registerDevice"] == {"device": None, "userErrors": [{
        "code": "DEVICE_LIMIT_REACHED",
        "message": "An account has at most 20 registered devices; deregister one first.", "field": None}]}
    assert len(await _devices(client, ada)) == 20
    # An already registered serial is still found at the limit; a freed slot can be used again.
    assert await _register(client, ada, serial="SN-3") == devices[3]
    await ada(client, DEREGISTER, {"id": devices[0]["id"]})
    assert (await _register(client, ada, name="One more", serial="SN-X"))["name"] == "One more"


async def test_another_customers_device_is_not_found_and_unchanged(client, database):
    ada = await account(client, database)
    bob = await account(client, database)
    device = await _register(client, ada)
    renamed = await bob(client, RENAME, {"id": device["id"], "name": "Mine now"})
    assert renamed["data"]["renameDevice"] == {"device": None, "userErrors": [NOT_FOUND]}
    removed = await bob(client, DEREGISTER, {"id": device["id"]})
    assert removed["data"]["deregisterDevice"] == {"device": None, "userErrors": [NOT_FOUND]}
    assert await _devices(client, ada) == [device]
    assert "errors" not in await ada(client, "{ viewer { roles } }")


async def test_register_device_needs_a_signed_in_caller(client):
    body = await call(client, REGISTER, {"input": {"kind": "MOBILE", "name": "Phone"}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
