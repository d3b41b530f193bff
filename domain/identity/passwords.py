"""Password hashing (Argon2id) and the password policy."""
from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.identity.errors import IdentityErrorCode
from domain.shared.config import Settings
from domain.shared.errors import InvalidInput

MIN_LENGTH = 10
# Long passphrases are welcome; the cap only keeps hashing cost bounded.
MAX_LENGTH = 128
# The most common passwords of at least MIN_LENGTH characters in public breach lists.
COMMON = frozenset({
    "1234567890", "0123456789", "1q2w3e4r5t", "qwertyuiop", "1qaz2wsx3edc", "password12",
    "password123", "password1234", "qwerty1234", "qwerty12345", "iloveyou12", "abcdefghij",
    "1234512345", "1111111111", "abc1234567", "passw0rd12", "football123", "baseball123",
    "welcome123", "letmein123", "administrator", "sunshine123", "princess123", "changeme123",
})


@lru_cache(maxsize=8)
def hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher_for(settings: Settings) -> PasswordHasher:
    return hasher(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism)


def check_policy(password: str, email: str = "", field: list[str] | None = None) -> None:
    """Refuses passwords that are too short, too long, common, or built from the e-mail."""
    field = field or ["input", "password"]
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Use at least {MIN_LENGTH} characters.", code=IdentityErrorCode.PASSWORD_TOO_SHORT, field=field)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Use at most {MAX_LENGTH} characters.", code=IdentityErrorCode.PASSWORD_TOO_LONG, field=field)
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if (lowered in COMMON or len(set(password)) < 4
            or (len(local_part) >= 4 and local_part in lowered)):
        raise InvalidInput("This password is too easy to guess; try a longer phrase.",
                           code=IdentityErrorCode.PASSWORD_TOO_WEAK, field=field)


async def hash_password(settings: Settings, password: str) -> str:
    # Argon2 takes tens of milliseconds of CPU: keep it off the event loop.
    return await asyncio.to_thread(hasher_for(settings).hash, password)


async def verify_password(settings: Settings, stored_hash: str, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash): rehash when the configured parameters changed."""
    ph = hasher_for(settings)

    def verify() -> tuple[bool, bool]:
        try:
            ph.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, False
        return True, ph.check_needs_rehash(stored_hash)

    return await asyncio.to_thread(verify)


def needs_rehash(settings: Settings, stored_hash: str) -> bool:
    """Whether `stored_hash` is not an Argon2 hash made with the configured parameters."""
    try:
        return hasher_for(settings).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=8)
def _dummy_hash(memory_kib: int, time_cost: int, parallelism: int) -> str:
    return hasher(memory_kib, time_cost, parallelism).hash("not a real password, only spent time")


async def spend_verification(settings: Settings, password: str) -> None:
    """The same work as verifying a real hash, for unknown accounts (no timing oracle)."""
    dummy = _dummy_hash(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism)
    await verify_password(settings, dummy, password)
