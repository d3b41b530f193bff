"""The profiles guide works as written: a demo customer's profile reads as shown, a customer
edits their own, follows the demo customer and unfollows, blocks and unblocks, and the blocked
customer no longer finds the blocker."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

STEPS = steps("profiles.md", "profiles")


async def test_the_profiles_walkthrough(writable_demo_database):
    db = writable_demo_database
    assert list(STEPS) == ["ReadProfile", "MyProfile", "UpdateMyProfile", "FollowProfile", "UnfollowProfile",
                           "BlockProfile", "MyBlockedProfiles", "UnblockProfile"]
    async with make_client(db) as http:
        with count_statements() as counter:
            demo = ok(await call(http, STEPS["ReadProfile"]), "profile")
        assert counter.count == 12, "\n".join(counter.statements)
        assert (demo["handle"], demo["displayName"]) == ("hana-y-3", "Hana Y.")
        assert demo["reviews"]["totalCount"] > 0 and len(demo["reviews"]["nodes"]) == 10
        # Private profiles following it count, and are not listed.
        assert 0 < demo["followers"]["totalCount"] <= demo["followerCount"]
        assert demo["lists"] and all(1 <= len(lst["entries"]["nodes"]) <= 4 for lst in demo["lists"])
        me = await account(http, db, "guide")
        mine = ok(await call(http, STEPS["MyProfile"], token=me.token), "viewer")["profile"]
        assert mine["privacy"]["profile"] == "PUBLIC"
        edited = ok(await call(http, STEPS["UpdateMyProfile"], token=me.token), "updateProfile")["profile"]
        assert edited["handle"] == "night-owl-reads" and edited["privacy"]["answers"] == "PRIVATE"

        target = {"profileId": demo["id"]}
        followed = ok(await call(http, STEPS["FollowProfile"], target, token=me.token), "followProfile")
        assert followed["profile"] == {"id": demo["id"], "followerCount": demo["followerCount"] + 1,
                                       "viewerIsFollowing": True}
        assert followed["viewerProfile"]["followingCount"] == 1
        unfollowed = ok(await call(http, STEPS["UnfollowProfile"], target, token=me.token), "unfollowProfile")
        assert unfollowed["profile"]["followerCount"] == demo["followerCount"]

        other = await account(http, db, "blocked")
        mine_id = {"profileId": ids.encode("Profile", me.account_id)}
        ok(await call(http, STEPS["FollowProfile"], mine_id, token=other.token), "followProfile")
        blocked = ok(await call(http, STEPS["BlockProfile"], {"profileId": ids.encode("Profile", other.account_id)},
                                token=me.token), "blockProfile")
        assert blocked["profile"]["viewerHasBlocked"] is True
        listed = ok(await call(http, STEPS["MyBlockedProfiles"], token=me.token), "viewer")
        assert listed["profile"]["blockedProfiles"]["totalCount"] == 1
        hidden = await call(http, STEPS["ReadProfile"], {"handle": "night-owl-reads"}, token=other.token)
        assert hidden["data"]["profile"] is None
        ok(await call(http, STEPS["UnblockProfile"], {"profileId": ids.encode("Profile", other.account_id)},
                      token=me.token), "unblockProfile")
    assert await fetchval(db, "SELECT following_count FROM profiles WHERE account_id = $1", other.account_id) == 0
