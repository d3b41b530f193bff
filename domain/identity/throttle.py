"""Sign-in throttling with growing delays, per IP and per IP + account.

State lives in PostgreSQL so every API process counts the same failures. Per IP + account,
after 3 failures the next attempt waits: the 3rd failure locks out for 2 s, and each further
one doubles it (4 s, 8 s, ... up to 15 min); per IP (many accounts tried from one address), the
same from the 20th failure, up to 1 h. Counts older than a day start over. A success clears the
IP + account count only, so one known password cannot wash a sprayer's IP clean."""
from __future__ import annotations

import hashlib
import math

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.errors import DomainError

RULES = {  # key kind -> (failures that start the lock-out, longest lock-out in seconds)
    "ip": (20, 3600),
    "ip-account": (3, 900),
}

# The n-th failure in a row (n >= :limit) locks the key for 2^(n - :limit + 1) seconds, at most :cap
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
        limit, cap = RULES[kind]
        await session.execute(_RECORD, {"key": key, "limit": limit, "cap": cap})


async def clear(session: AsyncSession, ip: str | None, email: str) -> None:
    await session.execute(text("DELETE FROM sign_in_throttles WHERE key = :key"),
                          {"key": keys(ip, email)["ip-account"]})
