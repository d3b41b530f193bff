"""The one-click opt-out link of a brand message: it turns that brand's messages off for the
customer it was sent to, over HTTP (RFC 8058) or the mutation; used again it changes nothing and
answers the same; a forged, tampered or malformed one is refused with one answer and writes
nothing; no answer names the customer."""
import base64

from api.core import ids
from domain.identity import tokens
from domain.marketplace.campaigns import links
from domain.shared.config import Settings
from tests.conftest import make_client
from tests.fixtures.brand_campaigns import CREATE, WITH_LINK, campaign_messages, followers, owned_brand, send_all
from tests.fixtures.db import fetch, fetchval

SECRET = tokens.signing_key(Settings(env="development"))


def _tampered(token: str) -> str:
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    version, account, brand, mac = raw.split(".")
    return base64.urlsafe_b64encode(f"{version}.{int(account) + 1}.{brand}.{mac}".encode()).decode().rstrip("=")


def _forged(account_id: int, brand_id: int) -> str:
    return links.token("another server's secret key of 32 characters at least", account_id, brand_id)


async def _opted_out(db, account_id: int, brand_id: int) -> bool:
    return await fetchval(db, "SELECT opted_out_at IS NOT NULL FROM brand_follows WHERE account_id = $1"
                              " AND brand_id = $2", account_id, brand_id)


async def test_the_link_in_a_sent_message_opts_its_recipient_out_and_counts_in_the_campaigns_results(
        writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fans = await followers(db, brand.id, 3)
        created = (await brand.owner(http, CREATE, {"input": {
            "brandId": brand.gid, "kind": "ANNOUNCEMENT", "subject": "News", "text": "We moved."}}))
        campaign_id = ids.decode(created["data"]["createBrandCampaign"]["campaign"]["id"])[1]
        sent = campaign_messages(await send_all(db))
        [message] = [m for m in sent if m.to.startswith("follower-") and m.message_id.endswith(f"-{fans[0]}")]
        url = dict(message.headers)["List-Unsubscribe"].strip("<>")
        assert url in message.text
        path = url.removeprefix("http://localhost:8000")

        page = await http.get(path)
        assert page.status_code == 200 and "<form method=\"post\">" in page.text
        assert not await _opted_out(db, fans[0], brand.id)  # a GET (a mail scanner) changes nothing

        first = await http.post(path, content="List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        again = await http.post(path, content="List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        seen = await brand.owner(http, """query($id: ID!) { node(id: $id) { ... on BrandCampaign {
            results { recipients delivered optedOutSince } } } }""", {"id": ids.encode("BrandCampaign", campaign_id)})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"optedOut": True, "brandId": brand.gid}
    assert first.headers["cache-control"] == "private, no-store"
    assert await _opted_out(db, fans[0], brand.id)
    assert not await _opted_out(db, fans[1], brand.id)
    assert await fetchval(db, "SELECT count(*) FROM brand_campaign_recipients WHERE campaign_id = $1"
                              " AND opted_out_at IS NOT NULL", campaign_id) == 1
    assert seen["data"]["node"]["results"] == {"recipients": 3, "delivered": 3, "optedOutSince": 1}


async def test_a_reused_link_answers_the_same_and_changes_nothing_more(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        [fan] = await followers(db, brand.id, 1)
        token = links.token(SECRET, fan, brand.id)
        first = (await http.post("/graphql", json={"query": WITH_LINK, "variables": {"token": token}})).json()["data"]
        when = await fetchval(db, "SELECT opted_out_at FROM brand_follows WHERE account_id = $1", fan)
        again = (await http.post("/graphql", json={"query": WITH_LINK, "variables": {"token": token}})).json()["data"]
    assert first == again
    assert first["optOutOfBrandMessagesWithLink"]["userErrors"] == []
    assert first["optOutOfBrandMessagesWithLink"]["brand"]["id"] == brand.gid
    assert await fetchval(db, "SELECT opted_out_at FROM brand_follows WHERE account_id = $1", fan) == when


async def test_forged_tampered_and_malformed_links_get_one_answer_and_write_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fans = await followers(db, brand.id, 2)
        genuine = links.token(SECRET, fans[0], brand.id)
        bad = {"forged": _forged(fans[0], brand.id), "tampered": _tampered(genuine), "cut short": genuine[:-3],
               "malformed": "not a token at all", "empty": "", "too long": genuine * 10,
               "unknown account": links.token(SECRET, 987654321, brand.id),
               "unknown brand": links.token(SECRET, fans[0], 987654321)}
        before = await fetch(db, "SELECT * FROM brand_follows ORDER BY brand_id, account_id")
        graphql, endpoint = {}, {}
        for name, token in bad.items():
            graphql[name] = (await http.post("/graphql", json={"query": WITH_LINK,
                                                               "variables": {"token": token}})).json()["data"]
            answer = await http.post(f"{links.PATH}?token={token}", content="List-Unsubscribe=One-Click")
            endpoint[name] = (answer.status_code, answer.json())
        assert await fetch(db, "SELECT * FROM brand_follows ORDER BY brand_id, account_id") == before
    refused = {"optOutOfBrandMessagesWithLink": {"brand": None, "userErrors": [
        {"code": "OPT_OUT_LINK_INVALID", "field": ["input", "token"], "message": "This opt-out link is not valid."}]}}
    assert graphql == dict.fromkeys(bad, refused)
    assert len({repr(v) for v in endpoint.values()}) == 1
    status, body = endpoint["forged"]
    assert status == 400 and body["errors"][0]["extensions"]["code"] == "OPT_OUT_LINK_INVALID"
    for value in (*graphql.values(), *endpoint.values()):
        assert str(fans[0]) not in repr(value) and "follower" not in repr(value)


def test_a_token_names_its_customer_and_brand_only_under_the_servers_key():
    token = links.token(SECRET, 12, 34)
    assert links.read(SECRET, token) == (12, 34)
    assert token != links.token(SECRET, 12, 35) != links.token(SECRET, 13, 34)
