"""A brand's registered owner writes a campaign; the platform reviews it, sends it through the
worker to the followers who have not opted out, and shows the owner counts only."""
import asyncio
import email
import email.policy

from api.core import ids
from domain.marketplace.campaigns import sending
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import make_client
from tests.fixtures.brand_campaigns import (
    CREATE,
    FOLLOW,
    OPT_OUT,
    OWNER_VIEW,
    campaign_count,
    campaign_messages,
    campaign_row,
    followers,
    owned_brand,
    send_all,
)
from tests.fixtures.db import execute, fetchval
from tests.fixtures.identity import account


def _input(brand, **fields) -> dict:
    return {"input": {"brandId": brand.gid, "kind": "NEW_PRODUCT", "subject": "Our new kettle",
                      "text": "It boils water in 90 seconds.", "productIds": brand.product_gids(1), **fields}}


async def test_a_campaign_reaches_each_follower_with_messages_on_once_and_its_owner_sees_only_counts(
        writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fans = [await account(http, db, f"fan{n}") for n in range(4)]
        for fan in fans:
            await fan(http, FOLLOW, {"id": brand.gid})
        await fans[1](http, OPT_OUT, {"id": brand.gid})  # this brand's messages off
        await fans[2](http, OPT_OUT, {"id": None})  # all brands' messages off

        created = (await brand.owner(http, CREATE, _input(brand)))["data"]["createBrandCampaign"]
        assert created["userErrors"] == []
        campaign = created["campaign"]
        assert (campaign["status"], campaign["kind"], campaign["rejectionReasons"]) == ("SCHEDULED", "NEW_PRODUCT", [])
        assert campaign["products"] == [{"id": brand.product_gids(1)[0]}]

        sender = await send_all(db, batch_size=1)

        sent = campaign_messages(sender)
        assert sorted(m.to for m in sent) == sorted([fans[0].email, fans[3].email])
        assert all(n == 1 for n in sender.counts().values())
        message = sent[0]
        assert message.subject.endswith(": Our new kettle") and "It boils water in 90 seconds." in message.text
        headers = dict(message.headers)
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Unsubscribe"].startswith("<http://localhost:8000/brand-messages/opt-out?token=")
        mime = email.message_from_bytes(message.to_mime("Tributary <no-reply@localhost>").as_bytes(),
                                        policy=email.policy.default)
        assert mime["List-Unsubscribe"] == headers["List-Unsubscribe"]

        seen = (await brand.owner(http, OWNER_VIEW, {"id": brand.gid}))["data"]["node"]
        assert seen["followerCount"] == 4
        assert seen["campaigns"] == {"totalCount": 1, "nodes": [
            {"id": campaign["id"], "status": "SENT", "results": {"recipients": 2, "delivered": 2, "optedOutSince": 0}}]}


async def test_a_campaign_to_no_follower_is_sent_at_once(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        created = (await brand.owner(http, CREATE, _input(brand)))["data"]["createBrandCampaign"]["campaign"]
        sender = await send_all(db)
    assert campaign_messages(sender) == []
    assert tuple(await campaign_row(db, ids.decode(created["id"])[1])) == ("SENT", 0, 0, 0)


async def test_a_campaign_breaking_a_rule_of_form_is_refused_and_nothing_is_written(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        other = await owned_brand(http, db, skip=1)
        cases = {
            "TOO_LONG": _input(brand, subject="x" * 151),
            "HTML_NOT_ALLOWED": _input(brand, text="<b>Big</b> news"),
            "INVALID": _input(brand, subject="   "),
            "PRODUCT_NOT_OF_BRAND": _input(brand, productIds=other.product_gids(1)),
            "NOT_FOUND": _input(brand, productIds=[ids.encode("Product", 987654321)]),
            "INVALID_ID": _input(brand, productIds=[brand.gid]),
        }
        got = {}
        for code, variables in cases.items():
            payload = (await brand.owner(http, CREATE, variables))["data"]["createBrandCampaign"]
            got[code] = (payload["campaign"], [e["code"] for e in payload["userErrors"]])
        multiline = (await brand.owner(http, CREATE, _input(brand, subject="One\nTwo")))["data"]["createBrandCampaign"]
        eleven = (await brand.owner(http, CREATE, _input(brand, productIds=brand.product_gids(1) * 11)))
    assert got == {code: (None, [code]) for code in cases}
    assert multiline["userErrors"][0]["field"] == ["input", "subject"]
    assert eleven["data"]["createBrandCampaign"]["userErrors"] == []  # the same product named twice counts once
    assert await campaign_count(db) == 1
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind LIKE 'marketplace.brand_campaign%'") == 1


async def test_the_review_rejects_links_contact_details_shouting_and_a_sale_without_products(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        payload = (await brand.owner(http, CREATE, _input(
            brand, kind="SALE", subject="HUGE SALE ON EVERYTHING", productIds=[],
            text="Visit https://example.com or write to deals@example.com")))["data"]["createBrandCampaign"]
        # A rejected campaign does not count against the interval: the next one is scheduled.
        after = (await brand.owner(http, CREATE, _input(brand)))["data"]["createBrandCampaign"]
    assert payload["userErrors"] == []
    assert payload["campaign"]["status"] == "REJECTED"
    assert payload["campaign"]["rejectionReasons"] == [
        "The text links out of the platform: followers are reached only through it (name the brand's products"
        " instead).", "The text has an e-mail address: followers answer no brand directly.",
        "The subject is written in capitals.",
        "A NEW_PRODUCT or SALE campaign names at least one of the brand's products."]
    assert after["campaign"]["status"] == "SCHEDULED"
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'marketplace.brand_campaign.start'") == 1


async def test_a_second_campaign_within_the_interval_is_refused_until_it_has_passed(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        first = (await brand.owner(http, CREATE, _input(brand)))["data"]["createBrandCampaign"]
        body = await brand.owner(http, CREATE, _input(brand, subject="Another one"))
        too_soon = body["data"]["createBrandCampaign"]
        await execute(db, "UPDATE brand_campaigns SET created_at = now() - interval '7 days 1 minute'")
        later = (await brand.owner(http, CREATE, _input(brand, subject="A week later")))["data"]["createBrandCampaign"]
    async with make_client(db, brand_campaign_interval_days=0) as http:
        unlimited = (await brand.owner(http, CREATE, _input(brand, subject="No limit")))["data"]["createBrandCampaign"]
    assert first["campaign"]["status"] == "SCHEDULED"
    assert (too_soon["campaign"], [e["code"] for e in too_soon["userErrors"]]) == (None, ["CAMPAIGN_TOO_SOON"])
    assert later["campaign"]["status"] == unlimited["campaign"]["status"] == "SCHEDULED"
    assert await campaign_count(db) == 3


async def test_concurrent_campaigns_of_one_brand_on_separate_connections_schedule_exactly_one(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        bodies = await asyncio.gather(*(brand.owner(http, CREATE, _input(brand, subject=f"Race {n}"))
                                        for n in range(4)))
    outcomes = sorted(b["data"]["createBrandCampaign"]["campaign"]["status"]
                      if b["data"]["createBrandCampaign"]["campaign"] else
                      b["data"]["createBrandCampaign"]["userErrors"][0]["code"] for b in bodies)
    assert outcomes == ["CAMPAIGN_TOO_SOON"] * 3 + ["SCHEDULED"]
    assert await campaign_count(db) == 1


async def test_only_the_brands_registered_owner_creates_its_campaigns(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        callers = {"other brand's owner": (await owned_brand(http, db, skip=1)).owner,
                   "seller staff": await account(http, db, "staff", seller_id=2),
                   "customer": await account(http, db, "fan"),
                   "administrator": await account(http, db, "admin", admin=True)}
        got = {}
        for name, caller in callers.items():
            body = await caller(http, CREATE, _input(brand))
            assert "errors" in body, (name, body)
            got[name] = body["errors"][0]["extensions"]["code"]
        anonymous = (await http.post("/graphql", json={"query": CREATE, "variables": _input(brand)})).json()
    assert got == dict.fromkeys(callers, "FORBIDDEN")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await campaign_count(db) == 0


async def test_follows_after_sending_started_wait_for_the_next_campaign_and_opt_outs_during_it_are_honoured(
        writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fixed = await followers(db, brand.id, 6)
        created = (await brand.owner(http, CREATE, _input(brand)))["data"]["createBrandCampaign"]["campaign"]
        campaign_id = ids.decode(created["id"])[1]
        # Sending starts (the start job's work): recipients are fixed, no batch sent yet.
        async with UnitOfWork(db) as uow:
            await sending.start(uow.session, campaign_id, 2)
            await uow.commit()
        late = await followers(db, brand.id, 1, prefix="late")
        await execute(db, "DELETE FROM brand_follows WHERE account_id = $1", fixed[0])
        await execute(db, "UPDATE brand_follows SET opted_out_at = now() WHERE account_id = $1", fixed[1])
        await execute(db, "INSERT INTO brand_message_opt_outs (account_id) VALUES ($1)", fixed[2])
        sender = await send_all(db, batch_size=2)
    delivered = sorted(await fetchval(db, "SELECT array_agg(account_id) FROM brand_campaign_recipients"
                                          " WHERE campaign_id = $1 AND delivered", campaign_id))
    assert delivered == sorted(fixed[3:])
    assert late[0] not in delivered and len(campaign_messages(sender)) == 3
    assert tuple(await campaign_row(db, campaign_id)) == ("SENT", 6, 3, 3)
