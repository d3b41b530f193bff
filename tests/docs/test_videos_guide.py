"""The videos guide works as written: find the offer to rent, rent it, start watching
(the stream URL serves the content), report a playback that went badly and see the automatic
refund. (Fenced `graphql video`: they need a signed-in customer with a rental.)"""
import uuid

import asyncpg
import pytest

from api.core import ids
from domain.licences import content
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("videos.md", "video")
REGISTER = """mutation { registerDevice(input: {kind: MOBILE, name: "Phone"}) { device { id } } }"""
ACTIVATE = steps("ereader-walkthrough.md", "ereader")["Activate"]


async def test_the_videos_guide_runs(writable_database, tmp_path):
    assert list(STEPS) == ["RentOrBuy", "StartWatching", "ReportPlayback"]
    db = writable_database
    product = await fetchval(db, "SELECT product_id FROM offers WHERE purchase_option = 'RENT' ORDER BY id LIMIT 1")
    async with make_client(db, content_dir=tmp_path) as http:
        me = await account(http, db, "viewer", kind="MOBILE")
        shown = ok(await me(http, STEPS["RentOrBuy"], {"productId": ids.encode("Product", product)}), "node")
        assert shown["featuredOffer"]["purchaseOption"] == "BUY"
        rent = next(o for o in shown["offers"]["nodes"] if o["purchaseOption"] == "RENT")
        assert shown["rental"] == rent
        assert shown["rentals"]["nodes"] == [{"id": rent["id"], "price": rent["price"]}]
        order = await placed_order(db, me.account_id, [(ids.decode(rent["id"])[1], 1)])
        licence = ids.encode("Licence", await fetchval(db, "SELECT id FROM licences WHERE order_line_id = $1",
                                                       order.line_ids[0]))
        device = ok(await me(http, REGISTER), "registerDevice")["device"]["id"]
        both = {"licenceId": licence, "deviceId": device}
        ok(await me(http, ACTIVATE, both), "activateLicence")
        conn = await asyncpg.connect(db.url)
        try:
            await content.ensure_demo_files(conn, content.FileSystemContentStore(tmp_path))
        finally:
            await conn.close()
        started = ok(await me(http, STEPS["StartWatching"], both), "startPlayback")
        assert started["licence"]["kind"] == "RENTAL" and started["licence"]["playWindowEndsAt"]
        got = await http.get(started["stream"]["url"])
        assert got.status_code == 200 and got.text.startswith(shown["title"])
        report = ok(await me(http, STEPS["ReportPlayback"], {**both, "reportId": str(uuid.uuid4())}),
                     "reportPlayback")
        assert report["quality"]["problems"] == ["REBUFFERING"]
        assert report["refunded"] is True and report["refund"]["kind"] == "PLAYBACK_QUALITY"
        assert report["refund"]["amount"]["amount"] == rent["price"]["amount"]
        assert report["licence"]["status"] == "ACTIVE" and report["licence"]["playbackRefundedAt"]
