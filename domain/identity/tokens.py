"""Access tokens (short-lived HS256 JWTs) and opaque secrets (refresh and reset tokens).

Only the SHA-256 of an opaque secret is stored, so a database leak reveals no usable token."""
from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import jwt

from domain.identity.errors import TokenErrorCode
from domain.shared.config import Settings
from domain.shared.errors import Unauthenticated

ALGORITHM = "HS256"
ISSUER = "tributary"


def signing_key(settings: Settings) -> str:
    """The configured key; in development, one generated once and kept in the data directory
    (so every process of one installation agrees on it)."""
    if settings.secret_key:
        return settings.secret_key
    if not settings.development:
        raise RuntimeError("TRIBUTARY_SECRET_KEY (at least 32 characters) is required in production.")
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        _create_key(path)
    return path.read_text().strip()


def _create_key(path: Path) -> None:
    """Writes a new key whole under a name of this caller's own, then links it into place:
    when processes (a server and a worker, or test workers) start at once on a new data
    directory, exactly one key is kept and nobody reads it half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_urlsafe(48).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(draft, path)  # fails, leaving the first key in place, when another caller was first
    except FileExistsError:
        pass
    finally:
        draft.unlink()


@dataclass(frozen=True)
class AccessClaims:
    account_id: int
    session_id: uuid.UUID
    expires_at: datetime


def issue_access_token(key: str, account_id: int, session_id: uuid.UUID, now: datetime,
                       minutes: int) -> tuple[str, datetime]:
    expires_at = now + timedelta(minutes=minutes)
    # `jti` makes every token distinct, even two issued for one session within a second.
    token = jwt.encode({"iss": ISSUER, "sub": str(account_id), "sid": str(session_id), "jti": secrets.token_urlsafe(9),
                        "iat": int(now.timestamp()), "exp": int(expires_at.timestamp())},
                       key, algorithm=ALGORITHM)
    return token, expires_at


def read_access_token(key: str, token: str) -> AccessClaims:
    """Claims of a token we signed. Expired, tampered, foreign and unsigned (`alg: none`)
    tokens are refused: only HS256 with our key verifies."""
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["exp", "iat", "sub", "sid", "iss"]})
        return AccessClaims(int(claims["sub"]), uuid.UUID(claims["sid"]),
                            datetime.fromtimestamp(claims["exp"]).astimezone())
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("The access token has expired; refresh the session.", code=TokenErrorCode.TOKEN_EXPIRED) from None
    except (jwt.InvalidTokenError, ValueError, KeyError):
        raise Unauthenticated("The access token is not valid.", code=TokenErrorCode.TOKEN_INVALID) from None


def new_secret(prefix: str) -> str:
    """An opaque single-purpose token such as `rt_...` (refresh) or `pr_...` (password reset)."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
