"""The role matrix's cases of brand follows and campaigns (merged into `cases.MUTATIONS` and
`cases.NODES`): following and choosing brand messages is every signed-in caller's own business;
an opt-out link works for whoever holds it; a campaign is its brand's registered owner's alone
(the matrix's owner is made the owner of a brand of its own)."""
from __future__ import annotations

import uuid

from api.core import ids
from domain.identity import tokens
from domain.marketplace.campaigns import links
from domain.shared.config import Settings
from tests.api.authorization.world import World
from tests.fixtures.db import execute, fetchval

SIGNED_IN = {"anonymous": "UNAUTHENTICATED", "other_customer": "ok", "seller_staff": "ok", "admin": "ok",
             "owner": "ok"}
EVERYONE = dict.fromkeys(SIGNED_IN, "ok")
BRAND_OWNER_ONLY = {"anonymous": "UNAUTHENTICATED", "other_customer": "FORBIDDEN", "seller_staff": "FORBIDDEN",
                    "admin": "FORBIDDEN", "owner": "ok"}
PRIVATE = {"anonymous": "hidden", "other_customer": "hidden", "seller_staff": "hidden", "admin": "visible",
           "owner": "visible"}
ERRORS = "userErrors { code }"


async def _seeded_brand(world: World, role: str) -> dict:
    return {"id": ids.encode("Brand", 1)}


async def _owners_brand(world: World) -> int:
    """A new brand, registered to the matrix's owner."""
    brand_id = await fetchval(world.database, "INSERT INTO brands (name, slug) VALUES ($1, $1) RETURNING id",
                              f"matrix-campaign-brand-{uuid.uuid4().hex[:12]}")
    await execute(world.database, "INSERT INTO brand_registrations (account_id, brand_id, trademark_number, status,"
                                  " decided_at) VALUES ($1, $2, 'TM-M', 'APPROVED', now())", world.owner.account_id,
                  brand_id)
    await execute(world.database, "INSERT INTO role_grants (account_id, role, brand_id) VALUES ($1, 'BRAND_OWNER', $2)",
                  world.owner.account_id, brand_id)
    return brand_id


async def _campaign_vars(world: World, role: str) -> dict:
    return {"id": ids.encode("Brand", await _owners_brand(world))}


async def _link(world: World, role: str) -> dict:
    await execute(world.database, "INSERT INTO brand_follows (brand_id, account_id) VALUES (1, $1)"
                                  " ON CONFLICT DO NOTHING", world.owner.account_id)
    return {"token": links.token(tokens.signing_key(Settings(env="development")), world.owner.account_id, 1)}


async def owners_campaign(world: World) -> str:
    brand_id = await _owners_brand(world)
    campaign_id = await fetchval(world.database, "INSERT INTO brand_campaigns (brand_id, kind, subject, body)"
                                                 " VALUES ($1, 'ANNOUNCEMENT', 'News', 'We moved.') RETURNING id",
                                 brand_id)
    return ids.encode("BrandCampaign", campaign_id)


# name: (document, expected outcome by role, prepare)
BRAND_MUTATIONS = {
    "followBrand": ("mutation($id: ID!) { followBrand(input: {brandId: $id}) { follow { followedAt } %s } }" % ERRORS,
                    SIGNED_IN, _seeded_brand),
    "unfollowBrand": ("mutation($id: ID!) { unfollowBrand(input: {brandId: $id}) { wasFollowing %s } }" % ERRORS,
                      SIGNED_IN, _seeded_brand),
    "optOutOfBrandMessages": ("mutation { optOutOfBrandMessages(input: {}) { preferences { optedOutOfAll } %s } }"
                              % ERRORS, SIGNED_IN, None),
    "optInToBrandMessages": ("mutation { optInToBrandMessages(input: {}) { preferences { optedOutOfAll } %s } }"
                             % ERRORS, SIGNED_IN, None),
    "optOutOfBrandMessagesWithLink": ("mutation($token: String!) { optOutOfBrandMessagesWithLink(input: {token:"
                                      " $token}) { brand { id } %s } }" % ERRORS, EVERYONE, _link),
    "createBrandCampaign": ("mutation($id: ID!) { createBrandCampaign(input: {brandId: $id, kind: ANNOUNCEMENT,"
                            " subject: \"News\", text: \"We moved.\"}) { campaign { id } %s } }" % ERRORS,
                            BRAND_OWNER_ONLY, _campaign_vars),
}
