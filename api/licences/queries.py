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
from domain.shared.errors import InvalidInput

LicenceKindArg = Annotated[Optional[LicenceKind], strawberry.argument(
    description="Only licences of this kind (all when omitted).")]
SinceArg = Annotated[Optional[str], strawberry.argument(
    description="The former name of `after`; when both are given they must be the same cursor.",
    deprecation_reason="Use after (the same cursor: `pageInfo.endCursor`, formerly `nextToken`).")]
SyncAfterArg = Annotated[Optional[str], strawberry.argument(
    description="The `pageInfo.endCursor` of your last sync (or a change's `cursor`); null to sync from the beginning.")]
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

    @strawberry.field(description="What changed in your library after the cursor `after`, oldest first, up to `first` changes (1-100, default 100); call again with `pageInfo.endCursor` while `pageInfo.hasNextPage`. Revoked and expired licences come with their status, for the device to delete them; changed annotations come in their change; each change names the device that made it (`originDeviceId`). Requires sign-in. A cursor of another account, a forged or a malformed one is a top-level error with `extensions.reason` SYNC_TOKEN_INVALID: sync again from the beginning.")
    async def library_sync(self, info: Info, after: SyncAfterArg = None, first: SyncFirstArg = None,
                           since: SinceArg = None) -> LibrarySyncPage:
        if after is not None and since is not None and after != since:
            raise InvalidInput("Give the cursor once: after (or its former name since), not two different ones.",
                               field=["after"])
        key = tokens.signing_key(info.context.settings)
        return await licences.library_sync(info.context.reader, await info.context.viewer(), key,
                                           after if after is not None else since, first)
