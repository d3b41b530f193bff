"""Brand Registry: a customer claims a brand, an administrator approves (owner role, brand
created when new) or rejects; one owner per brand."""
import json

import pytest

from tests.api.marketplace.helpers import ERRORS, fetch, fetchval, gid
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

REGISTRATION = ("id brandName trademarkNumber evidenceUrl status rejectionReason decidedAt"
                " brand { id name slug } applicant { email }")
REGISTER = f"""mutation($input: RegisterBrandInput!) {{ registerBrand(input: $input) {{
  registration {{ {REGISTRATION} }} {ERRORS} }} }}"""
APPROVE = f"""mutation($id: ID!) {{ approveBrandRegistration(input: {{registrationId: $id}}) {{
  registration {{ {REGISTRATION} }} {ERRORS} }} }}"""
REJECT = f"""mutation($id: ID!, $reason: String!) {{ rejectBrandRegistration(input: {{registrationId: $id, reason: $reason}}) {{
  registration {{ {REGISTRATION} }} {ERRORS} }} }}"""
VIEWER = "{ viewer { roles brands { id name } } }"
MINE = "{ myBrandRegistrations { totalCount nodes { id status } } }"
QUEUE = "query($s: ApplicationStatus) { brandRegistrations(status: $s) { totalCount nodes { id } } }"


async def _unowned_brand(db) -> dict:
    return dict((await fetch(db, "SELECT id, name, slug FROM brands ORDER BY id LIMIT 1"))[0])


@pytest.mark.own_copy
async def test_an_approved_claim_on_an_existing_brand_makes_the_applicant_its_owner(writable_database):
    db = writable_database
    brand = await _unowned_brand(db)
    async with make_client(db) as http:
        owner = await account(http, db, "owner")
        admin = await account(http, db, "admin", admin=True)
        filed = (await owner(http, REGISTER, {"input": {"brandId": gid("Brand", brand["id"]),
                                                        "trademarkNumber": " US  5123456 ",
                                                        "evidenceUrl": "https://tsdr.example/5123456"}}))[
            "data"]["registerBrand"]
        queue = (await admin(http, QUEUE, {}))["data"]["brandRegistrations"]
        approved = (await admin(http, APPROVE, {"id": filed["registration"]["id"]}))["data"]["approveBrandRegistration"]
        viewer = (await owner(http, VIEWER))["data"]["viewer"]
        mine = (await owner(http, MINE))["data"]["myBrandRegistrations"]
    assert filed["userErrors"] == []
    assert filed["registration"]["trademarkNumber"] == "US 5123456"
    assert filed["registration"]["brand"]["id"] == gid("Brand", brand["id"])
    assert [n["id"] for n in queue["nodes"]] == [filed["registration"]["id"]]
    assert approved["userErrors"] == [] and approved["registration"]["status"] == "APPROVED"
    assert "BRAND_OWNER" in viewer["roles"]
    assert viewer["brands"] == [{"id": gid("Brand", brand["id"]), "name": brand["name"]}]
    assert mine == {"totalCount": 1, "nodes": [{"id": filed["registration"]["id"], "status": "APPROVED"}]}
    email = json.loads(await fetchval(db, "SELECT payload FROM jobs WHERE kind = 'email.send' ORDER BY id DESC LIMIT 1"))
    assert (email["to"], email["template"]) == (owner.email, "brand_registration_approved")


async def test_an_approved_new_brand_is_created_and_owned(writable_database):
    db = writable_database
    brands_before = await fetchval(db, "SELECT count(*) FROM brands")
    async with make_client(db) as http:
        owner = await account(http, db, "owner")
        admin = await account(http, db, "admin", admin=True)
        filed = (await owner(http, REGISTER, {"input": {"brandName": "Zephyr Kettles", "trademarkNumber": "UK00003"}}))[
            "data"]["registerBrand"]
        approved = (await admin(http, APPROVE, {"id": filed["registration"]["id"]}))["data"]["approveBrandRegistration"]
        public = (await http.post("/graphql", json={"query": '{ brand(slug: "zephyr-kettles") { id name } }'})).json()
        viewer = (await owner(http, VIEWER))["data"]["viewer"]
    assert filed["registration"]["brand"] is None and filed["registration"]["brandName"] == "Zephyr Kettles"
    created = approved["registration"]["brand"]
    assert created["name"] == "Zephyr Kettles" and created["slug"] == "zephyr-kettles"
    assert public["data"]["brand"] == {"id": created["id"], "name": "Zephyr Kettles"}
    assert viewer["brands"] == [{"id": created["id"], "name": "Zephyr Kettles"}]
    assert await fetchval(db, "SELECT count(*) FROM brands") == brands_before + 1


@pytest.mark.own_copy
async def test_one_owner_per_brand(writable_database):
    db = writable_database
    brand = gid("Brand", (await _unowned_brand(db))["id"])
    claim = {"input": {"brandId": brand, "trademarkNumber": "TM-1"}}
    async with make_client(db) as http:
        first, second, late = [await account(http, db, name) for name in ("first", "second", "late")]
        admin = await account(http, db, "admin", admin=True)
        ids = [(await c(http, REGISTER, claim))["data"]["registerBrand"]["registration"]["id"] for c in (first, second)]
        approved = (await admin(http, APPROVE, {"id": ids[0]}))["data"]["approveBrandRegistration"]
        clash = (await admin(http, APPROVE, {"id": ids[1]}))["data"]["approveBrandRegistration"]
        too_late = (await late(http, REGISTER, claim))["data"]["registerBrand"]
        again = (await admin(http, APPROVE, {"id": ids[0]}))["data"]["approveBrandRegistration"]
        second_roles = (await second(http, VIEWER))["data"]["viewer"]["roles"]
    assert approved["userErrors"] == []
    assert [e["code"] for e in clash["userErrors"]] == ["BRAND_ALREADY_REGISTERED"]
    assert [e["code"] for e in too_late["userErrors"]] == ["BRAND_ALREADY_REGISTERED"]
    assert [e["code"] for e in again["userErrors"]] == ["NOT_PENDING"]
    assert second_roles == ["CUSTOMER"]
    statuses = await fetch(db, "SELECT account_id, status::text FROM brand_registrations ORDER BY id")
    assert [r["status"] for r in statuses] == ["APPROVED", "PENDING"]


@pytest.mark.own_copy
async def test_registration_errors_are_typed_and_change_nothing(writable_database):
    db = writable_database
    brand = await _unowned_brand(db)
    existing = gid("Brand", brand["id"])
    cases = [
        ({"trademarkNumber": "TM-1"}, "INVALID", ["input", "brandId"]),
        ({"brandId": existing, "brandName": "Both", "trademarkNumber": "TM-1"}, "INVALID", ["input", "brandId"]),
        ({"brandId": gid("Brand", 99_999), "trademarkNumber": "TM-1"}, "NOT_FOUND", ["input", "brandId"]),
        ({"brandName": brand["name"].upper(), "trademarkNumber": "TM-1"}, "BRAND_NAME_TAKEN", ["input", "brandName"]),
        ({"brandName": "X", "trademarkNumber": "TM-1"}, "NAME_INVALID", ["input", "brandName"]),
        ({"brandId": existing, "trademarkNumber": ""}, "TRADEMARK_INVALID", ["input", "trademarkNumber"]),
        ({"brandId": existing, "trademarkNumber": "TM#1"}, "TRADEMARK_INVALID", ["input", "trademarkNumber"]),
        ({"brandId": existing, "trademarkNumber": "TM-1", "evidenceUrl": "ftp://x.example"}, "EVIDENCE_URL_INVALID",
         ["input", "evidenceUrl"]),
    ]
    async with make_client(db) as http:
        applicant = await account(http, db, "applicant")
        for value, code, field in cases:
            result = (await applicant(http, REGISTER, {"input": value}))["data"]["registerBrand"]
            assert result["registration"] is None
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], value
        assert await fetchval(db, "SELECT count(*) FROM brand_registrations") == 0
        new_name = {"brandName": "Nimbus Socks", "trademarkNumber": "TM-2"}
        results = [(await applicant(http, REGISTER, {"input": value}))["data"]["registerBrand"] for value in (
            {"brandId": existing, "trademarkNumber": "TM-1"}, {"brandId": existing, "trademarkNumber": "TM-1"},
            new_name, {**new_name, "brandName": "nimbus socks"})]
    assert [[e["code"] for e in r["userErrors"]] for r in results] == [
        [], ["REGISTRATION_PENDING"], [], ["REGISTRATION_PENDING"]]
    assert await fetchval(db, "SELECT count(*) FROM brand_registrations") == 2


@pytest.mark.own_copy
async def test_rejection_roles_and_visibility(writable_database):
    db = writable_database
    brand = gid("Brand", (await _unowned_brand(db))["id"])
    async with make_client(db) as http:
        applicant = await account(http, db, "applicant")
        reg_id = (await applicant(http, REGISTER, {"input": {"brandId": brand, "trademarkNumber": "TM-9"}}))[
            "data"]["registerBrand"]["registration"]["id"]
        anonymous = (await http.post("/graphql", json={"query": REGISTER, "variables": {
            "input": {"brandId": brand, "trademarkNumber": "TM-9"}}})).json()
        refused = {}
        for name, kwargs in (("customer", {}), ("seller staff", {"seller_id": 3}), ("brand owner", {"brand_id": 2})):
            caller = await account(http, db, "caller", **kwargs)
            refused[f"{name} approves"] = await caller(http, APPROVE, {"id": reg_id})
            refused[f"{name} rejects"] = await caller(http, REJECT, {"id": reg_id, "reason": "No"})
            refused[f"{name} lists"] = await caller(http, QUEUE, {})
            assert (await caller(http, "query($id: ID!) { node(id: $id) { id } }", {"id": reg_id}))["data"]["node"] is None
        admin = await account(http, db, "admin", admin=True)
        no_reason = (await admin(http, REJECT, {"id": reg_id, "reason": ""}))["data"]["rejectBrandRegistration"]
        rejected = (await admin(http, REJECT, {"id": reg_id, "reason": "Trademark belongs to someone else."}))[
            "data"]["rejectBrandRegistration"]
        roles = (await applicant(http, VIEWER))["data"]["viewer"]["roles"]
        rejected_queue = (await admin(http, QUEUE, {"s": "REJECTED"}))["data"]["brandRegistrations"]
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert {name: body["errors"][0]["extensions"]["code"] for name, body in refused.items()} == {
        name: "FORBIDDEN" for name in refused}
    assert [e["code"] for e in no_reason["userErrors"]] == ["REASON_REQUIRED"]
    assert rejected["registration"]["status"] == "REJECTED"
    assert rejected["registration"]["rejectionReason"] == "Trademark belongs to someone else."
    assert roles == ["CUSTOMER"]
    assert [n["id"] for n in rejected_queue["nodes"]] == [reg_id]
