"""Becoming a seller: apply, approve (seller, staff role, e-mail) or reject; and the
administrator's standing decisions, which search and offer changes follow at once."""
import json

import pytest

from tests.api.marketplace.helpers import (
    CREATE_OFFER,
    ERRORS,
    UPDATE_OFFER,
    fetch,
    fetchval,
    gid,
    live_offer,
    product_without_offer_of,
    usd,
)
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

APPLICATION = "id name slug status rejectionReason createdAt decidedAt seller { id name slug standing } applicant { id email }"
APPLY = f"""mutation($input: ApplyForSellerAccountInput!) {{ applyForSellerAccount(input: $input) {{
  application {{ {APPLICATION} }} {ERRORS} }} }}"""
APPROVE = f"""mutation($id: ID!) {{ approveSellerApplication(input: {{applicationId: $id}}) {{
  application {{ {APPLICATION} }} {ERRORS} }} }}"""
REJECT = f"""mutation($id: ID!, $reason: String!) {{ rejectSellerApplication(input: {{applicationId: $id, reason: $reason}}) {{
  application {{ {APPLICATION} }} {ERRORS} }} }}"""
MINE = "{ mySellerApplications { totalCount nodes { id status rejectionReason } } }"
PENDING = "query($status: ApplicationStatus) { sellerApplications(status: $status, first: 100) { totalCount nodes { id name applicant { email } } } }"
STANDING = f"""mutation($input: SetSellerStandingInput!) {{ setSellerStanding(input: $input) {{
  seller {{ id standing }} standingChange {{ standing reason changedAt }} {ERRORS} }} }}"""
VIEWER = "{ viewer { roles sellers { id name slug standing } } }"


async def _jobs(db) -> list[dict]:
    rows = await fetch(db, "SELECT payload FROM jobs WHERE kind = 'email.send' ORDER BY id")
    return [json.loads(r["payload"]) for r in rows]


@pytest.mark.own_copy
async def test_an_approved_applicant_becomes_staff_of_a_new_seller_in_good_standing_and_is_told(writable_database):
    db = writable_database
    async with make_client(db) as http:
        applicant = await account(http, db, "applicant")
        applied = (await applicant(http, APPLY, {"input": {"name": "  Ada's   Books & Co. "}}))["data"]["applyForSellerAccount"]
        mine = (await applicant(http, MINE))["data"]["mySellerApplications"]
        admin = await account(http, db, "admin", admin=True)
        queue = (await admin(http, PENDING, {}))["data"]["sellerApplications"]
        emails_before = len(await _jobs(db))
        approved = (await admin(http, APPROVE, {"id": applied["application"]["id"]}))["data"]["approveSellerApplication"]
        viewer = (await applicant(http, VIEWER))["data"]["viewer"]
        product_id = await product_without_offer_of(db, 1)
        seller_id = approved["application"]["seller"]["id"]
        offer = await applicant(http, CREATE_OFFER, {"input": {
            "sellerId": seller_id, "productId": gid("Product", product_id), "condition": "NEW",
            "fulfilment": "MERCHANT", "price": usd("5.00"), "quantity": 1}})
    assert applied["userErrors"] == []
    assert (applied["application"]["name"], applied["application"]["slug"], applied["application"]["status"]) == (
        "Ada's Books & Co.", "ada-s-books-co", "PENDING")
    assert applied["application"]["applicant"]["email"] == applicant.email
    assert mine == {"totalCount": 1, "nodes": [{"id": applied["application"]["id"], "status": "PENDING",
                                                "rejectionReason": None}]}
    assert [n["id"] for n in queue["nodes"]] == [applied["application"]["id"]]
    assert queue["nodes"][0]["applicant"]["email"] == applicant.email
    result = approved["application"]
    assert approved["userErrors"] == [] and result["status"] == "APPROVED" and result["decidedAt"]
    assert result["seller"] == {"id": seller_id, "name": "Ada's Books & Co.", "slug": "ada-s-books-co",
                                "standing": "GOOD"}
    assert "SELLER_STAFF" in viewer["roles"] and [s["id"] for s in viewer["sellers"]] == [seller_id]
    emails = (await _jobs(db))[emails_before:]
    assert emails == [{"to": applicant.email, "template": "seller_application_approved",
                       "context": {"sellerName": "Ada's Books & Co.", "sellerSlug": "ada-s-books-co"}}]
    assert offer["data"]["createOffer"]["userErrors"] == []


@pytest.mark.own_copy
async def test_application_errors_are_typed_and_change_nothing(writable_database):
    db = writable_database
    taken = await fetchval(db, "SELECT slug FROM sellers ORDER BY id LIMIT 1")
    async with make_client(db) as http:
        applicant = await account(http, db, "applicant")
        cases = [
            ({"name": "A"}, "NAME_INVALID", ["input", "name"]),
            ({"name": "x" * 121}, "NAME_INVALID", ["input", "name"]),
            ({"name": "Good Name", "slug": "Bad Slug"}, "SLUG_INVALID", ["input", "slug"]),
            ({"name": "Good Name", "slug": "double--hyphen"}, "SLUG_INVALID", ["input", "slug"]),
            ({"name": "Книжный дом"}, "SLUG_INVALID", ["input", "slug"]),
            ({"name": "Someone Else", "slug": taken}, "SLUG_TAKEN", ["input", "slug"]),
        ]
        for value, code, field in cases:
            result = (await applicant(http, APPLY, {"input": value}))["data"]["applyForSellerAccount"]
            assert result["application"] is None
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], value
        assert await fetchval(db, "SELECT count(*) FROM seller_applications") == 0
        first = (await applicant(http, APPLY, {"input": {"name": "Книжный дом", "slug": "knizhny-dom"}}))[
            "data"]["applyForSellerAccount"]
        second = (await applicant(http, APPLY, {"input": {"name": "Second Try"}}))["data"]["applyForSellerAccount"]
    assert first["userErrors"] == []
    assert [e["code"] for e in second["userErrors"]] == ["APPLICATION_PENDING"]
    assert await fetchval(db, "SELECT count(*) FROM seller_applications") == 1


async def test_a_rejected_applicant_sees_why_and_may_apply_again_and_decisions_are_final(writable_database):
    db = writable_database
    async with make_client(db) as http:
        applicant = await account(http, db, "applicant")
        admin = await account(http, db, "admin", admin=True)
        app_id = (await applicant(http, APPLY, {"input": {"name": "Maybe Books"}}))["data"][
            "applyForSellerAccount"]["application"]["id"]
        no_reason = (await admin(http, REJECT, {"id": app_id, "reason": "  "}))["data"]["rejectSellerApplication"]
        rejected = (await admin(http, REJECT, {"id": app_id, "reason": "No trade licence."}))["data"][
            "rejectSellerApplication"]
        approve_after = (await admin(http, APPROVE, {"id": app_id}))["data"]["approveSellerApplication"]
        reject_again = (await admin(http, REJECT, {"id": app_id, "reason": "Again"}))["data"]["rejectSellerApplication"]
        mine = (await applicant(http, MINE))["data"]["mySellerApplications"]
        again = (await applicant(http, APPLY, {"input": {"name": "Maybe Books"}}))["data"]["applyForSellerAccount"]
        unknown = (await admin(http, APPROVE, {"id": gid("SellerApplication", 99_999)}))["data"][
            "approveSellerApplication"]
    assert [e["code"] for e in no_reason["userErrors"]] == ["REASON_REQUIRED"]
    assert rejected["application"]["status"] == "REJECTED" and rejected["application"]["seller"] is None
    assert [e["code"] for e in approve_after["userErrors"]] == ["NOT_PENDING"]
    assert [e["code"] for e in reject_again["userErrors"]] == ["NOT_PENDING"]
    assert mine["nodes"] == [{"id": app_id, "status": "REJECTED", "rejectionReason": "No trade licence."}]
    assert again["userErrors"] == []
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]
    assert await fetchval(db, "SELECT count(*) FROM sellers WHERE slug = 'maybe-books'") == 0


async def test_a_slug_taken_between_application_and_approval_is_refused_at_approval(writable_database):
    db = writable_database
    async with make_client(db) as http:
        first, second = await account(http, db, "first"), await account(http, db, "second")
        admin = await account(http, db, "admin", admin=True)
        ids = [(await c(http, APPLY, {"input": {"name": "Twin Books"}}))["data"]["applyForSellerAccount"][
            "application"]["id"] for c in (first, second)]
        ok = (await admin(http, APPROVE, {"id": ids[0]}))["data"]["approveSellerApplication"]
        clash = (await admin(http, APPROVE, {"id": ids[1]}))["data"]["approveSellerApplication"]
        second_roles = (await second(http, VIEWER))["data"]["viewer"]["roles"]
    assert ok["userErrors"] == []
    assert [e["code"] for e in clash["userErrors"]] == ["SLUG_TAKEN"]
    assert second_roles == ["CUSTOMER"]
    assert await fetchval(db, "SELECT status::text FROM seller_applications WHERE account_id = $1",
                          second.account_id) == "PENDING"


@pytest.mark.own_copy
async def test_who_may_apply_decide_and_see_applications(writable_database):
    db = writable_database
    async with make_client(db) as http:
        applicant = await account(http, db, "applicant")
        app_id = (await applicant(http, APPLY, {"input": {"name": "Private Books"}}))["data"][
            "applyForSellerAccount"]["application"]["id"]
        anonymous = (await http.post("/graphql", json={"query": APPLY, "variables": {
            "input": {"name": "Ghost"}}})).json()
        anonymous_mine = (await http.post("/graphql", json={"query": MINE})).json()
        refused = {}
        for name, kwargs in (("customer", {}), ("seller staff", {"seller_id": 3}), ("brand owner", {"brand_id": 1})):
            caller = await account(http, db, "caller", **kwargs)
            refused[f"{name} approves"] = await caller(http, APPROVE, {"id": app_id})
            refused[f"{name} rejects"] = await caller(http, REJECT, {"id": app_id, "reason": "No"})
            refused[f"{name} lists"] = await caller(http, PENDING, {})
            peek = await caller(http, "query($id: ID!) { node(id: $id) { id } }", {"id": app_id})
            assert peek["data"]["node"] is None
        own = await applicant(http, "query($id: ID!) { node(id: $id) { ... on SellerApplication { name } } }",
                              {"id": app_id})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert anonymous_mine["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert {name: body["errors"][0]["extensions"]["code"] for name, body in refused.items()} == {
        name: "FORBIDDEN" for name in refused}
    assert own["data"]["node"] == {"name": "Private Books"}
    assert await fetchval(db, "SELECT status::text FROM seller_applications") == "PENDING"


async def test_suspending_a_seller_hides_its_offers_from_search_at_once_and_freezes_them(writable_database):
    db = writable_database
    offer = await live_offer(db)
    seller = gid("Seller", offer["seller_id"])
    documents_before = await fetch(db, "SELECT product_id, price_minor, in_stock FROM search_documents"
                                       " WHERE product_id IN (SELECT product_id FROM offers WHERE seller_id = $1)"
                                       " ORDER BY product_id", offer["seller_id"])
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        suspended = (await admin(http, STANDING, {"input": {"sellerId": seller, "standing": "SUSPENDED",
                                                            "reason": "Counterfeit reports."}}))["data"]["setSellerStanding"]
        frozen = (await staff(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", offer["id"]), "quantity": 1}}))[
            "data"]["updateOffer"]
        hidden = (await http.post("/graphql", json={"query": "query($id: ID!) { node(id: $id) { id } }",
                                                    "variables": {"id": gid("Offer", offer["id"])}})).json()
        documents_suspended = await fetch(db, "SELECT product_id, price_minor, in_stock FROM search_documents"
                                              " WHERE product_id = ANY($1::bigint[]) ORDER BY product_id",
                                          [d["product_id"] for d in documents_before])
        restored = (await admin(http, STANDING, {"input": {"sellerId": seller, "standing": "GOOD",
                                                           "reason": "Cleared."}}))["data"]["setSellerStanding"]
    assert suspended["userErrors"] == []
    assert suspended["seller"] == {"id": seller, "standing": "SUSPENDED"}
    assert suspended["standingChange"]["reason"] == "Counterfeit reports."
    assert [e["code"] for e in frozen["userErrors"]] == ["SELLER_SUSPENDED"]
    assert hidden["data"]["node"] is None
    assert [tuple(d) for d in documents_suspended] != [tuple(d) for d in documents_before]
    assert restored["seller"]["standing"] == "GOOD"
    documents_after = await fetch(db, "SELECT product_id, price_minor, in_stock FROM search_documents"
                                      " WHERE product_id = ANY($1::bigint[]) ORDER BY product_id",
                                  [d["product_id"] for d in documents_before])
    assert [tuple(d) for d in documents_after] == [tuple(d) for d in documents_before]
    trail = await fetch(db, "SELECT standing::text, reason FROM seller_standing_changes WHERE seller_id = $1 ORDER BY id",
                        offer["seller_id"])
    assert [tuple(t) for t in trail] == [("SUSPENDED", "Counterfeit reports."), ("GOOD", "Cleared.")]


@pytest.mark.own_copy
async def test_standing_errors_and_roles(writable_database):
    db = writable_database
    standing_before = await fetchval(db, "SELECT standing::text FROM sellers WHERE id = 3")
    variables = {"input": {"sellerId": gid("Seller", 3), "standing": "AT_RISK", "reason": "Late shipments."}}
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        no_reason = (await admin(http, STANDING, {"input": {**variables["input"], "reason": ""}}))["data"][
            "setSellerStanding"]
        unknown = (await admin(http, STANDING, {"input": {**variables["input"], "sellerId": gid("Seller", 99_999)}}))[
            "data"]["setSellerStanding"]
        staff = await account(http, db, "staff", seller_id=3)
        customer = await account(http, db, "customer")
        refused = [await staff(http, STANDING, variables), await customer(http, STANDING, variables)]
    assert [e["code"] for e in no_reason["userErrors"]] == ["REASON_REQUIRED"]
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]
    assert [r["errors"][0]["extensions"]["code"] for r in refused] == ["FORBIDDEN", "FORBIDDEN"]
    assert await fetchval(db, "SELECT standing::text FROM sellers WHERE id = 3") == standing_before
    assert await fetchval(db, "SELECT count(*) FROM seller_standing_changes") == 0
