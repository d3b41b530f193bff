"""The library page's customer: the demo customer with the most licences, given e-books up to
`LIBRARY_LICENCES` when they hold fewer, and signed in as a client signs in."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy import text

from domain.licences.changes import record as record_library_changes
from domain.seed.customers import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from domain.shared.config import get_settings
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork

# A full first page of the library (`library(first: 50)`).
LIBRARY_LICENCES = 50

SIGN_IN = """mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { tokens { accessToken } userErrors { code message } }
}"""


async def library_customer(url: str) -> tuple[str, int]:
    """(e-mail, licences) of the demo customer holding the most licences (the first account
    among equals), given e-books they do not own yet up to `LIBRARY_LICENCES`. On a kept
    database the same customer comes first again, already holding them: nothing more is granted."""
    conn = await asyncpg.connect(url)
    try:
        customer = await conn.fetchrow(
            "SELECT a.id, a.email, (SELECT count(*) FROM licences l WHERE l.account_id = a.id) AS licences"
            " FROM accounts a WHERE a.email LIKE '%@' || $1 ORDER BY licences DESC, a.id LIMIT 1",
            DEMO_EMAIL_DOMAIN)
        if customer is None:
            raise SystemExit("the bench database has no demo customer for the library page")
        missing = LIBRARY_LICENCES - customer["licences"]
        if missing > 0:
            await _grant_ebooks(url, customer["id"], missing)
        return customer["email"], max(customer["licences"], LIBRARY_LICENCES)
    finally:
        await conn.close()


# Each e-book once: a customer who owns a title is never sold it again (`ownership`).
_GRANT = text(
    "INSERT INTO licences (account_id, product_id, kind, device_limit)"
    " SELECT :account, p.id, 'PURCHASE', :limit FROM products p"
    " WHERE p.kind = 'EBOOK' AND p.archived_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM licences l WHERE l.account_id = :account AND l.product_id = p.id)"
    " ORDER BY p.id LIMIT :count RETURNING id")


async def _grant_ebooks(url: str, account_id: int, count: int) -> None:
    """PURCHASE licences of `count` e-books the customer does not hold, with their LICENCE_ADDED
    changes, in one transaction: the rows a purchase writes (`issue_licences`), without the
    order, which the library page does not read."""
    database = Database(url, pool_size=1)
    try:
        async with UnitOfWork(database) as uow:
            rows = (await uow.session.execute(_GRANT, {
                "account": account_id, "count": count,
                "limit": get_settings().licence_device_limit})).all()
            if len(rows) < count:
                raise SystemExit(f"the bench database has {len(rows)} e-books the library customer does not own;"
                                 f" the library page needs {count}")
            await record_library_changes(uow.session, account_id, [(row.id, "LICENCE_ADDED") for row in sorted(rows)])
            await uow.commit()
    finally:
        await database.close()


def sign_in(post: Callable[[str, dict[str, Any]], dict[str, Any]], base: str, email: str) -> str:
    """An access token for the demo customer from the server's `signIn` mutation (sent with
    `post`), as a web storefront gets one."""
    body = post(f"{base}/graphql", {"query": SIGN_IN, "variables": {"input": {
        "email": email, "password": DEMO_PASSWORD, "clientKind": "WEB", "deviceName": "Foundation benchmark"}}})
    result = (body.get("data") or {}).get("signIn")
    if not result or result["userErrors"] or not result["tokens"]:
        raise SystemExit(f"signing {email} in failed: {body.get('errors') or (result or {}).get('userErrors')}")
    return result["tokens"]["accessToken"]

