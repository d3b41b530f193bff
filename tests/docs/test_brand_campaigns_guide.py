"""The brand campaigns guide's walkthrough works as written: the owner edits its brand's page, a
customer follows the brand, the owner sends a campaign and sees only counts, and the follower
opts out with the message's link."""
from urllib.parse import parse_qs, urlsplit

from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.brand_campaigns import campaign_messages, followers, owned_brand, send_all
from tests.fixtures.identity import account

STEPS = steps("brand-campaigns.md", "brands")


async def test_the_brand_campaigns_walkthrough(writable_database):
    db = writable_database
    assert list(STEPS) == ["EditBrandPage", "FollowBrand", "MyBrands", "LaunchKettle", "BrandResults",
                           "OptOutWithLink"]
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        owner = brand.owner
        page = ok(await owner(http, STEPS["EditBrandPage"], {"brandId": brand.gid}), "updateBrand")["brand"]
        assert page["logoUrl"] == "https://images.example.com/logo.png"

        fan = await account(http, db, "fan")
        followed = ok(await fan(http, STEPS["FollowBrand"], {"brandId": brand.gid}), "followBrand")["follow"]
        assert (followed["messagesOptedOut"], followed["brand"]["id"]) == (False, brand.gid)
        await followers(db, brand.id, 4)
        mine = ok(await fan(http, STEPS["MyBrands"]), "viewer")
        assert mine["brandMessages"] == {"optedOutOfAll": False, "followingCount": 1}
        assert mine["followedBrands"]["totalCount"] == 1

        campaign = ok(await owner(http, STEPS["LaunchKettle"], {"brandId": brand.gid,
                                                                "productId": brand.product_gids(1)[0]}),
                      "createBrandCampaign")["campaign"]
        assert (campaign["status"], campaign["rejectionReasons"]) == ("SCHEDULED", [])
        sent = campaign_messages(await send_all(db))
        [message] = [m for m in sent if m.to == fan.email]
        assert "It boils a litre in 90 seconds" in message.text

        results = ok(await owner(http, STEPS["BrandResults"], {"brandId": brand.gid}), "node")
        assert results["followerCount"] == 5
        [sent_campaign] = results["campaigns"]["nodes"]
        assert sent_campaign["status"] == "SENT"
        assert sent_campaign["results"] == {"recipients": 5, "delivered": 5, "optedOutSince": 0}

        link = dict(message.headers)["List-Unsubscribe"].strip("<>")
        [token] = parse_qs(urlsplit(link).query)["token"]
        anonymous = await http.post("/graphql", json={"query": STEPS["OptOutWithLink"], "variables": {"token": token}})
        opted = ok(anonymous.json(), "optOutOfBrandMessagesWithLink")
        assert opted["brand"]["name"] == page["name"]
        after = ok(await owner(http, STEPS["BrandResults"], {"brandId": brand.gid}), "node")
        assert after["campaigns"]["nodes"][0]["results"]["optedOutSince"] == 1
        assert ok(await fan(http, STEPS["MyBrands"]), "viewer")["followedBrands"]["nodes"][0]["messagesOptedOut"]
