"""One-click opt-out links: each brand message carries a token for (customer, brand), signed
with a key derived from the server's secret key (HMAC-SHA256), so that following the link
turns that brand's messages off for that customer without signing in.

Rules: a token that is forged, tampered with, malformed, or names a customer or brand that is
gone is refused with one answer (OPT_OUT_LINK_INVALID), whatever made it invalid; a valid one
opts out every time it is used (the second use changes nothing) and answers the same each
time, naming the brand but never the customer. Tokens do not expire: an e-mail's opt-out link
must keep working (RFC 8058 one-click, and the law in most places).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace import brand_follows
from domain.marketplace.errors import MarketplaceErrorCode
from domain.shared.errors import DomainError

_VERSION = "bo1"
MAX_TOKEN = 200
# Where the HTTP endpoint answers (api/http/brand_messages.py); e-mails link here.
PATH = "/brand-messages/opt-out"


def _key(secret_key: str) -> bytes:
    # A key of its own: an opt-out token can never stand in for anything else signed with the
    # server's key, nor anything else for it.
    return hmac.new(secret_key.encode(), b"tributary brand message opt-out", hashlib.sha256).digest()


def _mac(secret_key: str, account_id: int, brand_id: int) -> str:
    return hmac.new(_key(secret_key), f"{_VERSION}.{account_id}.{brand_id}".encode(), hashlib.sha256).hexdigest()


def token(secret_key: str, account_id: int, brand_id: int) -> str:
    raw = f"{_VERSION}.{account_id}.{brand_id}.{_mac(secret_key, account_id, brand_id)}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def url(public_url: str, secret_key: str, account_id: int, brand_id: int) -> str:
    return f"{public_url.rstrip('/')}{PATH}?token={token(secret_key, account_id, brand_id)}"


def invalid() -> DomainError:
    return DomainError("This opt-out link is not valid.", code=MarketplaceErrorCode.OPT_OUT_LINK_INVALID,
                       field=["input", "token"])


def read(secret_key: str, given: object) -> tuple[int, int]:
    """(account id, brand id) of a genuine token; OPT_OUT_LINK_INVALID for anything else."""
    if not isinstance(given, str) or not 0 < len(given) <= MAX_TOKEN:
        raise invalid()
    try:
        raw = base64.urlsafe_b64decode(given + "=" * (-len(given) % 4)).decode("ascii")
        version, account, brand, mac = raw.split(".")
        account_id, brand_id = int(account), int(brand)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid() from None
    if version != _VERSION or str(account_id) != account or str(brand_id) != brand:
        raise invalid()
    if not hmac.compare_digest(mac, _mac(secret_key, account_id, brand_id)):
        raise invalid()
    return account_id, brand_id


async def opt_out_with_token(session: AsyncSession, secret_key: str, given: object) -> int:
    """Turns the brand's messages off for the token's customer; returns the brand's id.
    Anyone holding the link may use it (it came in that customer's e-mail): no sign-in."""
    account_id, brand_id = read(secret_key, given)
    exists = (await session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = :account) AND EXISTS (SELECT 1 FROM brands WHERE id = :brand)"),
        {"account": account_id, "brand": brand_id})).scalar()
    if not exists:
        raise invalid()
    await brand_follows.opt_out_of_brand(session, account_id, brand_id)
    return brand_id
