"""The callers of the role matrix, fresh for each case: anonymous, the owner of the objects a case
acts on, another customer, staff of a seller, and an administrator."""
from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from domain.shared.db import Database
from tests.api.identity.helpers import call
from tests.fixtures.identity import Caller, account

ROLES = ("anonymous", "other_customer", "seller_staff", "admin", "owner")
STAFF_SELLER_ID = 2  # a third-party seller of the demo data


@dataclass
class World:
    http: httpx.AsyncClient
    database: Database
    callers: dict[str, Caller | None] = field(default_factory=dict)

    @property
    def owner(self) -> Caller:
        return self.callers["owner"]

    async def as_role(self, role: str, query: str, variables: dict | None = None) -> dict:
        caller = self.callers[role]
        return await call(self.http, query, variables, token=caller.token if caller else None)


async def make_world(http: httpx.AsyncClient, database: Database) -> World:
    return World(http, database, {
        "anonymous": None,
        "other_customer": await account(http, database, "other"),
        "seller_staff": await account(http, database, "staff", seller_id=STAFF_SELLER_ID),
        "admin": await account(http, database, "admin", admin=True),
        "owner": await account(http, database, "owner"),
    })


def outcome(body: dict, field: str) -> str:
    """"ok", a top-level error code (UNAUTHENTICATED, FORBIDDEN...), or the first userError code."""
    if body.get("errors"):
        return body["errors"][0].get("extensions", {}).get("code", "ERROR")
    payload = body["data"][field]
    errors = payload.get("userErrors") or []
    return errors[0]["code"] if errors else "ok"
