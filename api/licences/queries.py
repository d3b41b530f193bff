"""Library root fields: the signed-in customer's licences, and the changes since a sync token."""
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import PAGE_SIZE, After, First, PageSize
from api.core.pagination import Connection, connection, page_request
from api.licences.enums import LicenceKind
from api.licences.types import LibrarySyncPage, Licence
from domain.identity import tokens
from domain.licences import service as licences

LicenceKindArg = Annotated[Optional[LicenceKind], strawberry.argument(
    description="Only licences of this kind (all when omitted).")]
SinceArg = Annotated[Optional[str], strawberry.argument(
    description="The `nextToken` of your last sync; null to sync from the beginning.")]
SyncFirstArg = Annotated[Optional[int], strawberry.argument(
    description="Most changes to return: 1-100 (default 100).",
    metadata={PAGE_SIZE: PageSize(maximum=licences.SYNC_PAGE_MAX, default=licences.SYNC_PAGE_DEFAULT)})]


@strawberry.type
class LibraryQuery:
    @strawberry.field(description="Your library: every licence you hold, newest first, whatever its status (REVOKED and EXPIRED ones say so). Requires sign-in. Page size 1-100 (default 20).")
    async def library(self, info: Info, first: First = None, after: After = None,
                      kind: LicenceKindArg = None) -> Connection[Licence]:
        page = page_request(first, after)
        return connection(await licences.my_library(info.context.reader, await info.context.viewer(),
                                                    kind.value if kind else None, page))

    @strawberry.field(description="What changed in your library since your last sync, oldest first, up to `first` changes (1-100, default 100); call again with `nextToken` while `hasMore`. Revoked and expired licences come with their status, for the device to delete them. Requires sign-in. A token of another account, a forged or a malformed one is a top-level error with `extensions.reason` SYNC_TOKEN_INVALID: sync again from the beginning.")
    async def library_sync(self, info: Info, since: SinceArg = None, first: SyncFirstArg = None) -> LibrarySyncPage:
        key = tokens.signing_key(info.context.settings)
        return await licences.library_sync(info.context.reader, await info.context.viewer(), key, since, first)
