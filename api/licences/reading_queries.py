"""Reading sync root fields: a title's reading state and annotations, for their owner."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import After, First
from api.core.pagination import Connection, connection, page_request
from api.licences.reading_types import Annotation, ReadingState
from domain.licences import service as licences

LicenceIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of a licence in your library.")]
IncludeDeletedArg = Annotated[bool, strawberry.argument(
    description="Also list deleted annotations (tombstones), e.g. for a device catching up after being offline.")]


@strawberry.type
class ReadingQuery:
    @strawberry.field(description="Where you are in a title: last and furthest position. Null when the title was never read on any device, or the licence is not yours (nobody else, administrators included, sees it).")
    async def reading_state(self, info: Info, licence_id: LicenceIdArg) -> ReadingState | None:
        licence = ids.decode_as(licence_id, "Licence", "licenceId")
        return await licences.reading_state(info.context.reader, await info.context.viewer(), licence)

    @strawberry.field(description="Your bookmarks, highlights and notes in a title, in reading order (by start, then end position). Empty when the licence is not yours (nobody else, administrators included, sees them). Page size 1-100 (default 20).")
    async def annotations(self, info: Info, licence_id: LicenceIdArg, include_deleted: IncludeDeletedArg = False,
                          first: First = None, after: After = None) -> Connection[Annotation]:
        page = page_request(first, after)
        licence = ids.decode_as(licence_id, "Licence", "licenceId")
        return connection(await licences.annotations(info.context.reader, await info.context.viewer(), licence,
                                                     include_deleted, page))
