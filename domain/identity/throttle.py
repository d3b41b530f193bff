"""Sign-in throttling: guessing passwords stays slow, and the owner is never locked out for long.

Failed sign-ins are counted under three keys, in PostgreSQL (`sign_in_throttles`) so that every
API process counts the same failures. The address is the client's as the API resolves it (the
peer, or what a trusted proxy forwarded), so a client cannot choose its own key. A count starts
over after a day without failures. Each rule, once past its threshold, holds the key for a while
after every further failure:

- address + account: one place guessing one account's password. From the 3rd failure, 2 s,
  then doubling (4 s, 8 s, ...) up to 15 min. It holds every attempt at that account from that
  address, the right password too: this is the rule that stops guessing. A success clears it.
- address: one place trying many accounts (password spraying). From the 20th failure, 2 s, 4 s,
  then 5 s at most per failure, for every attempt from the address. Many people can share one
  address (an office, a carrier's NAT): a wait of seconds is all a sprayer costs them, where an
  hour-long lock-out would shut all of them out.
- account: many places guessing one account (a botnet, each address staying under the first
  rule). From the 10th failure, 2 s doubling up to 15 min, for attempts at the account from
  anywhere but its owner's addresses (below).

An address is the owner's when one of the account's sessions was opened or last refreshed from
it in the last 30 days and was not ended for a security reason (a password change or reset, a
reused refresh token, signing out everywhere, revoking the session): only the right password,
or a refresh token, puts an address there. The address and account rules do not hold an attempt
from the owner's address, so guessers elsewhere cannot lock the owner out of their usual places,
and someone behind a sprayed office address keeps signing in. The address + account rule still
holds it, so an attacker sharing that address is as slow as anywhere. The price: while an
address or account is held, a caller at an address the account used can tell that the e-mail
has an account (the attempt is checked where others are refused).

A refused attempt (THROTTLED, with `retryAfterSeconds`) is not a failure and lengthens no wait.
A success clears only its address + account count: one known password does not wash a sprayer's
address clean, nor a guessed account's count. A password reset clears the account's count: the
password being guessed no longer exists.
"""
from __future__ import annotations

import hashlib
import math

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.entities import ClientInfo
from domain.identity.errors import IdentityErrorCode
from domain.shared.errors import DomainError

RULES = {  # key kind -> (failures that start holding the key, longest hold after a failure, in seconds)
    "ip-account": (3, 900),
    "ip": (20, 5),
    "account": (10, 900),
}
OWNER_ADDRESS_DAYS = 30

# The n-th failure in a row (n >= :limit) holds the key for 2^(n - :limit + 1) seconds, at most :cap
# (the exponent is capped too, so a long-running attack never overflows the arithmetic).
_RECORD = text("""
INSERT INTO sign_in_throttles AS t (key, failures, blocked_until, updated_at)
VALUES (:key, 1, CASE WHEN :limit <= 1 THEN now() + make_interval(secs => least(:cap, 2)) END, now())
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END,
  blocked_until = CASE
    WHEN t.updated_at >= now() - interval '1 day' AND t.failures + 1 >= :limit
    THEN now() + make_interval(secs => least(:cap, power(2, least(t.failures + 2 - :limit, 30))))
  END,
  updated_at = now()
""")

_HELD = text("SELECT key, extract(epoch FROM blocked_until - now()) AS wait FROM sign_in_throttles"
             " WHERE key = ANY(:keys) AND blocked_until > now()")

_OWNERS_ADDRESS = text(
    "SELECT EXISTS (SELECT 1 FROM auth_sessions WHERE account_id = :account AND ip_address = CAST(:ip AS inet)"
    " AND last_used_at > now() - make_interval(days => :days)"
    " AND (revoked_at IS NULL OR revoked_reason = 'SIGNED_OUT'))")


class Throttled(DomainError):
    code = IdentityErrorCode.THROTTLED


def _account(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def keys(ip: str | None, email: str) -> dict[str, str]:
    ip = ip or "unknown"
    account = _account(email)
    return {"ip-account": f"ip-account:{ip}:{account}", "ip": f"ip:{ip}", "account": f"account:{account}"}


async def check(session: AsyncSession, ip: str | None, email: str, account_id: int | None) -> None:
    """Refuses the attempt while a rule holds it (see the module docstring), saying when to
    retry. `account_id` is the e-mail's account, None when there is none."""
    kinds = {key: kind for kind, key in keys(ip, email).items()}
    held = {kinds[row.key]: float(row.wait) for row in await session.execute(_HELD, {"keys": list(kinds)})}
    if held.keys() - {"ip-account"} and await _owners_address(session, account_id, ip):
        held.pop("ip", None)
        held.pop("account", None)
    if held:
        seconds = max(1, math.ceil(max(held.values())))
        raise Throttled(f"Too many failed sign-ins; try again in {seconds} seconds.",
                        extensions={"retryAfterSeconds": seconds})


async def _owners_address(session: AsyncSession, account_id: int | None, ip: str | None) -> bool:
    inet = ClientInfo(ip=ip).inet
    if account_id is None or inet is None:
        return False
    found = await session.execute(_OWNERS_ADDRESS, {"account": account_id, "ip": inet, "days": OWNER_ADDRESS_DAYS})
    return bool(found.scalar())


async def record_failure(session: AsyncSession, ip: str | None, email: str) -> None:
    for kind, key in keys(ip, email).items():
        limit, cap = RULES[kind]
        await session.execute(_RECORD, {"key": key, "limit": limit, "cap": cap})


async def clear(session: AsyncSession, ip: str | None, email: str) -> None:
    """After a successful sign-in: its address + account count starts over."""
    await session.execute(text("DELETE FROM sign_in_throttles WHERE key = :key"),
                          {"key": keys(ip, email)["ip-account"]})


async def clear_account(session: AsyncSession, email: str) -> None:
    """After a password reset: the account's count, from every address, starts over."""
    await session.execute(text("DELETE FROM sign_in_throttles WHERE key = :key"),
                          {"key": keys(None, email)["account"]})
