"""Sign-in throttling with growing delays, per IP and per IP + account.

State lives in PostgreSQL so every API process counts the same failures. Per IP + account,
the first 3 failures are free, then each doubles a lock-out (2 s, 4 s, ... up to 15 min); per
IP (many accounts tried from one address), the first 20 are free, up to 1 h. Counts older than
a day start over. A success clears the IP + account count only, so one known password cannot
wash a sprayer's IP clean."""
from __future__ import annotations

import hashlib
import math

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.errors import DomainError

RULES = {  # key kind -> (free failures, longest lock-out in seconds)
    "ip": (20, 3600),
    "ip-account": (3, 900),
}

_RECORD = text("""
INSERT INTO sign_in_throttles AS t (key, failures, blocked_until, updated_at)
VALUES (:key, 1, NULL, now())
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END,
  blocked_until = CASE
    WHEN t.updated_at >= now() - interval '1 day' AND t.failures + 1 > :free
    THEN now() + make_interval(secs => least(:cap, power(2, t.failures + 1 - :free)))
  END,
  updated_at = now()
""")


class Throttled(DomainError):
    code = "THROTTLED"


def keys(ip: str | None, email: str) -> dict[str, str]:
    ip = ip or "unknown"
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return {"ip": f"ip:{ip}", "ip-account": f"ip-account:{ip}:{account}"}


async def check(session: AsyncSession, ip: str | None, email: str) -> None:
    """Refuses the attempt while either key is locked out, saying when to retry."""
    rows = await session.execute(
        text("SELECT extract(epoch FROM max(blocked_until) - now()) FROM sign_in_throttles"
             " WHERE key = ANY(:keys) AND blocked_until > now()"),
        {"keys": list(keys(ip, email).values())})
    wait = rows.scalar()
    if wait is not None:
        seconds = max(1, math.ceil(float(wait)))
        raise Throttled(f"Too many failed sign-ins; try again in {seconds} seconds.",
                        extensions={"retryAfterSeconds": seconds})


async def record_failure(session: AsyncSession, ip: str | None, email: str) -> None:
    for kind, key in keys(ip, email).items():
        free, cap = RULES[kind]
        await session.execute(_RECORD, {"key": key, "free": free, "cap": cap})


async def clear(session: AsyncSession, ip: str | None, email: str) -> None:
    await session.execute(text("DELETE FROM sign_in_throttles WHERE key = :key"),
                          {"key": keys(ip, email)["ip-account"]})
