"""The library an e-reader shows, and the incremental sync that keeps it current.

A licence is its owner's and administrators' to see; nobody else learns it exists.

Sync: a device asks for the changes of its account's change log after its sync token, in
log order, and keeps the `nextToken` of the last page it stored. The log is numbered in
commit order (see `changes`), so "after number n" never misses a change committed later
and never repeats one, however purchases interleave with the pages. The token is opaque to
clients: the account and the last number seen, signed with a key derived from the server's
secret key, so a token of another account, a forged or a malformed one is refused
(SYNC_TOKEN_INVALID) rather than read."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence

from domain.licences import repository
from domain.licences.entities import Activation, Licence, SyncPage
from domain.licences.errors import LibraryErrorCode
from domain.shared.errors import CommonErrorCode, InvalidInput
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

SYNC_PAGE_DEFAULT = 100
SYNC_PAGE_MAX = 100
_TOKEN_VERSION = "ls1"
_MAX_TOKEN = 200


def may_see(principal: Principal, licence: Licence) -> bool:
    return principal.may_see_account(licence.account_id)


async def licences_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, Licence]:
    """The licences the caller may see (their own; any for an administrator)."""
    if principal.account_id is None:
        return {}
    found = await repository.licences_by_ids(reader, ids)
    return {pk: licence for pk, licence in found.items() if may_see(principal, licence)}


async def activations_for_licences(reader, licence_ids: Sequence[int]) -> dict[int, list[Activation]]:
    """The devices using each licence now. Only for licences the caller already sees."""
    return await repository.active_activations(reader, licence_ids)


async def my_library(reader, principal: Principal, kind: str | None, page: PageRequest) -> Page[Licence]:
    """The caller's licences, newest first, every status included (a revoked or expired licence
    shows as such). Requires sign-in."""
    account_id = principal.require_signed_in()
    return await repository.licences_of_account(reader, account_id, kind, page)


def _token_key(secret_key: str) -> bytes:
    # A key of its own, so a sync token can never stand in for anything else signed with the
    # server's key.
    return hmac.new(secret_key.encode(), b"tributary library sync token", hashlib.sha256).digest()


def _mac(secret_key: str, account_id: int, seq: int) -> str:
    message = f"{_TOKEN_VERSION}.{account_id}.{seq}".encode()
    return hmac.new(_token_key(secret_key), message, hashlib.sha256).hexdigest()[:32]


def sync_token(secret_key: str, account_id: int, seq: int) -> str:
    """The token resuming an account's sync after change number `seq`."""
    raw = f"{_TOKEN_VERSION}.{account_id}.{seq}.{_mac(secret_key, account_id, seq)}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _invalid() -> InvalidInput:
    return InvalidInput("This sync token is not valid for your account; sync again from the beginning "
                        "(since: null).", code=LibraryErrorCode.SYNC_TOKEN_INVALID, field=["since"])


def read_sync_token(secret_key: str, account_id: int, token: str) -> int:
    """The change number a token of this account resumes after; SYNC_TOKEN_INVALID for a token
    of another account, a forged or a malformed one."""
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN:
        raise _invalid()
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        version, account, seq, mac = raw.split(".")
        account_number, seq_number = int(account), int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _invalid() from None
    if version != _TOKEN_VERSION or account_number != account_id or seq_number < 0 or str(seq_number) != seq:
        raise _invalid()
    if not hmac.compare_digest(mac, _mac(secret_key, account_number, seq_number)):
        raise _invalid()
    return seq_number


async def library_sync(reader, principal: Principal, secret_key: str, since: str | None,
                       first: int | None) -> SyncPage:
    """Up to `first` (1-100, default 100) changes of the caller's library after `since` (from
    the beginning when null), in log order, each with its licence as it is now, and the token
    to resume after them. Requires sign-in."""
    account_id = principal.require_signed_in()
    size = SYNC_PAGE_DEFAULT if first is None else first
    if not 1 <= size <= SYNC_PAGE_MAX:
        raise InvalidInput(f"Argument first must be between 1 and {SYNC_PAGE_MAX}; got {size}.",
                           code=CommonErrorCode.INVALID_PAGE_SIZE, field=["first"])
    after = 0 if since is None else read_sync_token(secret_key, account_id, since)
    found = await repository.changes_after(reader, account_id, after, size + 1)
    page = found[:size]
    last = page[-1].seq if page else after
    return SyncPage(page, sync_token(secret_key, account_id, last), len(found) > size,
                    [sync_token(secret_key, account_id, c.seq) for c in page])
