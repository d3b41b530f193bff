"""Licence GraphQL types: a licence as the library shows it (title, cover, format, size, device
slots), the devices using it, and a page of library changes for sync. A licence is visible to
its owner and administrators. The domain loads a page of licences with their titles in one
statement, so most fields are plain reads."""
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.catalogue.enums import ProductFormat, ProductKind
from api.catalogue.types import Product
from api.core import ids
from api.core.arguments import After, First
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.pagination import Connection, PageInfo, connection, page_request
from api.core.scalars import ByteCount
from api.identity.types import Device
from api.licences.enums import LibraryChangeKind, LicenceErrorCode, LicenceKind, LicenceStatus
from api.licences.reading_queries import IncludeDeletedArg
from api.licences.reading_types import Annotation, ReadingState
from domain.licences import entities

if TYPE_CHECKING:
    from api.licences.lending_types import EbookLoan


@strawberry.type(description="An expected failure of a licence mutation; nothing was changed.")
class LicenceError(UserError):
    code: UserErrorCode = LicenceErrorCode.field()
    device_limit: int | None = strawberry.field(
        default=None, description="With DEVICE_LIMIT_REACHED: how many devices the licence may be on at once.")


@strawberry.type(description="A device using one of a licence's slots.")
class LicenceActivation:
    activated_at: datetime.datetime = strawberry.field(description="When the licence went on the device (UTC).")

    @strawberry.field(description="The device; null if it is no longer visible to you.")
    async def device(self, info: Info) -> Device | None:
        return await info.context.loaders.device_by_id.load(self.device_id)


@strawberry.type(description="Your right to read or watch one title, as your library shows it: the title, its cover, format and size, and the devices using it. Visible to its owner and administrators.")
class Licence(Node):
    id: strawberry.ID = node_id("Licence")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Licence)

    kind: LicenceKind = strawberry.field(description="How it was granted (bought, rented, through a membership).")
    status: LicenceStatus = strawberry.field(description="ACTIVE, or REVOKED/EXPIRED: then devices must delete the title.")
    title: str = strawberry.field(description="The title's name (also for titles since withdrawn from the catalogue).")
    authors: list[str] = strawberry.field(description="Authors (or creators), in credit order; may be empty.")
    cover_image_url: str | None = strawberry.field(description="URL of the cover image; null when the title has none.")
    format: ProductFormat = strawberry.field(description="KINDLE for e-books, STREAMING for videos.")
    product_kind: ProductKind = strawberry.field(description="EBOOK or VIDEO.")
    file_size: ByteCount | None = strawberry.field(description="Size of the content to download, in bytes; null when the content store has not published it yet.")
    device_limit: int = strawberry.field(description="How many devices may use it at once.")
    active_device_count: int = strawberry.field(description="How many devices use it now (deregistered devices do not count).")
    created_at: datetime.datetime = strawberry.field(description="When it was granted (UTC).")
    revoked_at: datetime.datetime | None = strawberry.field(description="When it was revoked (UTC); null unless REVOKED.")
    rental_expires_at: datetime.datetime | None = strawberry.field(description="For a rental: the deadline to start watching (UTC); null otherwise.")
    play_window_ends_at: datetime.datetime | None = strawberry.field(description="For a started rental: when its play window ends (UTC); null otherwise.")
    playback_refunded_at: datetime.datetime | None = strawberry.field(description="For a rental that played badly: when it was refunded automatically (UTC; see `reportPlayback`); null otherwise.")

    @strawberry.field(description="The devices using it now, first activated first.")
    async def activations(self, info: Info) -> list[LicenceActivation]:
        return await info.context.loaders.licence_activations_by_licence_id.load(self.id) or []

    @strawberry.field(description="The loan of this licence: the one you lent it in (while lent, the licence is SUSPENDED), or, for a LOAN licence, the one you borrowed it by; null when never lent.")
    async def loan(self, info: Info) -> Annotated["EbookLoan", strawberry.lazy("api.licences.lending_types")] | None:
        return await info.context.loaders.ebook_loan_by_licence_id.load(self.id)

    @strawberry.field(description="The product in the catalogue; null once it was withdrawn (the licence stays).")
    async def product(self, info: Info) -> Product | None:
        return await info.context.loaders.product_by_id.load(self.product_id)

    @strawberry.field(description="Where you are in it (last and furthest position, synced across your devices); null before the first position is sent.")
    async def reading_state(self, info: Info) -> ReadingState | None:
        return await info.context.loaders.reading_state_by_licence_id.load(self.id)

    @strawberry.field(description="Your bookmarks, highlights and notes in it, in reading order. Page size 1-100 (default 20).")
    async def annotations(self, info: Info, include_deleted: IncludeDeletedArg = False, first: First = None,
                          after: After = None) -> Connection[Annotation]:
        page = page_request(first, after)
        found = await info.context.loaders.annotations_by_licence_id.load(
            (self.id, (include_deleted, page.offset, page.limit)))
        return connection(found)


@strawberry.type(description="One change to your library, with the licence as it is now.")
class LibraryChange:
    seq: int = strawberry.field(description="Its number in your library's change log (increasing, without gaps).")
    kind: LibraryChangeKind = strawberry.field(description="What changed; REVOKED and EXPIRED licences must be deleted from the device.")
    licence: Licence = strawberry.field(description="The licence concerned, as it is now (its status says whether to keep it).")
    annotations: list[Annotation] = strawberry.field(description="For ANNOTATION_CHANGED: the bookmarks, highlights and notes this change wrote, as stored now, deletions included as tombstones (`deleted: true`); apply them by `uuid`. An annotation written again later comes with that later change instead, so each stored version comes once. Empty for other kinds.")

    @strawberry.field(description="Global ID of the device whose write this change is (a reading position, an annotation): that device already has it and may skip it. Null for changes the service made (a purchase, a refund, a licence expiring, a loan ending).")
    @inline
    def origin_device_id(self) -> strawberry.ID | None:
        return None if self.origin_device_id is None else strawberry.ID(ids.encode("Device", self.origin_device_id))


@strawberry.type(description="A change of your library with the cursor resuming right after it.")
class LibraryChangeEdge:
    cursor: str = strawberry.field(description="Pass as `after` to resume after this change (a sync token, like `pageInfo.endCursor`).")
    node: LibraryChange = strawberry.field(description="The change.")


SYNC_PAGE_RENAMED = "Use the connection fields ({new}): the same page, shaped like every other list."


@strawberry.type(description="A page of library changes after a sync token, shaped as a connection: `edges`/`nodes` in log order (oldest first) and `pageInfo`. It is a change log read forwards: `pageInfo.endCursor` is never null (on an empty page it is the cursor you sent: keep it) and never goes backwards; there is no `last`/`before` and no `totalCount`.")
class LibrarySyncPage:
    changes: list[LibraryChange] = strawberry.field(description="Changes in log order (oldest first); a licence changed twice appears twice.", deprecation_reason=SYNC_PAGE_RENAMED.format(new="nodes"))
    next_token: str = strawberry.field(description="Opaque token to pass as `since` next time: it resumes after this page (the token given when the page is empty). Keep it with the data you stored.", deprecation_reason=SYNC_PAGE_RENAMED.format(new="pageInfo.endCursor"))
    has_more: bool = strawberry.field(description="True when more changes follow: ask again at once with `nextToken`.", deprecation_reason=SYNC_PAGE_RENAMED.format(new="pageInfo.hasNextPage"))

    @strawberry.field(description="The changes in log order (oldest first), each with its cursor; a licence changed twice appears twice.")
    @inline
    def edges(self) -> list[LibraryChangeEdge]:
        return [LibraryChangeEdge(cursor=c, node=n) for c, n in zip(self.cursors, self.changes, strict=True)]

    @strawberry.field(description="The changes in log order (oldest first), without cursors.")
    @inline
    def nodes(self) -> list[LibraryChange]:
        return self.changes

    @strawberry.field(description="`endCursor`: pass as `after` next time, and keep it with the data you stored (never null: on an empty page it is the cursor you sent); `hasNextPage`: more changes follow, ask again at once; `startCursor`: the first change's cursor (null on an empty page); `hasPreviousPage`: always false, the log is read forwards only.")
    @inline
    def page_info(self) -> PageInfo:
        return PageInfo(has_next_page=self.has_more, has_previous_page=False,
                        start_cursor=self.cursors[0] if self.cursors else None, end_cursor=self.next_token)
