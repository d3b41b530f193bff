"""Reading sync GraphQL types: where a customer is in a title, and their annotations. Both are
their owner's alone (administrators included, nobody else reads them)."""
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.enums import graphql_enum
from api.core.errors import user_errors
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.scalars import UUID
from api.licences.reading_errors import ReadingError, ReadingErrorCode
from domain.licences import service as licences
from domain.licences import statuses as licences_statuses

if TYPE_CHECKING:
    from api.identity.types import Device

DeviceType = Annotated["Device", strawberry.lazy("api.identity.types")]


AnnotationKind = graphql_enum(licences_statuses.AnnotationKind, description="What an annotation is: BOOKMARK (a place to come back to), HIGHLIGHT (a marked passage, with its text), NOTE (the reader's own text on a passage).")


AnnotationOutcome = graphql_enum(licences_statuses.SyncOutcome, name="AnnotationOutcome", description="What became of one annotation change: APPLIED (it is the stored version now; an identical retry is APPLIED too), STALE (a newer write of that annotation is kept, from another device or later in the same batch: adopt the stored version from `annotations`), REFUSED (the change is at fault, see its `error`: nothing of it was written; the batch's other changes were applied).")

PositionOutcome = graphql_enum(licences_statuses.SyncOutcome, name="PositionOutcome", description="What became of one reported position: APPLIED (it is the title's last position now; an identical retry is APPLIED too), STALE (a newer position is kept, from another device or later in the same batch; it still raised the furthest position if it was further), REFUSED (the entry is at fault, see its `error`: nothing of it was written; the batch's other positions were applied).")

CLIENT_TIME_RENAMED = "Use clientTime (the same value: positions and annotations now share the name)."


@strawberry.type(description="Where the customer is in a title, synced across their devices. The customer's alone.")
class ReadingState:
    last_position: int = strawberry.field(description="The last position read: the newest report by the reporting device's own clock (0 to `locationCount`).")
    last_position_at: datetime.datetime = strawberry.field(description="When the last position was read, by the clock of the device that reported it (UTC).")
    furthest_position: int = strawberry.field(description="The furthest position ever reported on any device (at least `lastPosition`).")
    location_count: int = strawberry.field(description="How many positions (locations) the title has.")
    percent_read: float = strawberry.field(description="How much of the title has been reached: `furthestPosition` as a percentage of `locationCount`, 0-100 with one decimal.")
    updated_at: datetime.datetime = strawberry.field(description="When the server last changed this state (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, licences.ReadingState))

    @strawberry.field(description="Global ID of the licence this state belongs to.")
    @inline
    def licence_id(self) -> strawberry.ID:
        return strawberry.ID(ids.encode("Licence", self.licence_id))

    @strawberry.field(description="The device that reported the last position; null when it is no longer known.")
    async def last_position_device(self, info: Info) -> DeviceType | None:
        if self.last_position_device_id is None:
            return None
        return await info.context.loaders.device_by_id.load(self.last_position_device_id)


@strawberry.type(description="A bookmark, highlight or note in a title, synced across the customer's devices. Its key is a UUID made by the device that created it (`uuid`), so offline devices never collide. The customer's alone.")
class Annotation(Node):
    id: strawberry.ID = node_id("Annotation")
    kind: AnnotationKind = strawberry.field(description="What it is.")
    start_position: int = strawberry.field(description="Where it starts (0 to the title's number of locations).")
    end_position: int = strawberry.field(description="Where it ends (at least `startPosition`; equal for a bookmark at one place).")
    highlighted_text: str = strawberry.field(description="The highlighted passage as the device quoted it (may be empty; empty once deleted), at most 10,000 characters.")
    note: str = strawberry.field(description="The reader's note (may be empty; empty once deleted), at most 10,000 characters.")
    deleted: bool = strawberry.field(description="True for a deleted annotation: kept as a tombstone so devices that were offline delete it too and an older edit cannot bring it back.")
    client_updated_at: datetime.datetime = strawberry.field(description="When this version was written, by the writing device's clock (UTC).", deprecation_reason=CLIENT_TIME_RENAMED)
    created_at: datetime.datetime = strawberry.field(description="When the server first stored it (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When the server last changed it (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, licences.Annotation))

    @strawberry.field(description="When this version was written, by the writing device's clock (UTC): the newest version wins (equal times: the larger device ID, see `syncAnnotations`).")
    @inline
    def client_time(self) -> datetime.datetime:
        return self.client_updated_at

    @strawberry.field(description="The UUID the creating device gave it: `syncAnnotations` takes it (or `id`).")
    @inline
    def uuid(self) -> UUID:
        return self.id

    @strawberry.field(description="Global ID of the licence (title) it belongs to.")
    @inline
    def licence_id(self) -> strawberry.ID:
        return strawberry.ID(ids.encode("Licence", self.licence_id))

    @strawberry.field(description="The device that wrote this version; null when it is no longer known.")
    async def device(self, info: Info) -> DeviceType | None:
        if self.device_id is None:
            return None
        return await info.context.loaders.device_by_id.load(self.device_id)


def _error(result) -> ReadingError | None:
    if result.error is None:
        return None
    [error] = user_errors(result.error, ReadingError, ReadingErrorCode)
    return error


@strawberry.type(description="What became of one change sent to `syncAnnotations`.")
class AnnotationChangeResult:
    id: UUID = strawberry.field(description="The annotation's UUID (`Annotation.uuid`), whichever of its IDs was sent.")
    index: int = strawberry.field(description="The change's place in `input.changes`, counted from 0.")
    outcome: AnnotationOutcome = strawberry.field(description="Whether the change is the stored version now, or was refused.")

    @strawberry.field(description="Why the change was REFUSED (its code and `path`); null otherwise.")
    @inline
    def error(self) -> ReadingError | None:
        return _error(self)


@strawberry.type(description="What became of one position sent to `updateReadingState`.")
class ReadingPositionResult:
    index: int = strawberry.field(description="The position's place in `input.states`, counted from 0.")
    outcome: PositionOutcome = strawberry.field(description="Whether the position is the title's last position now, or was refused.")

    @strawberry.field(description="Global ID of the licence the position was sent for.")
    @inline
    def licence_id(self) -> strawberry.ID:
        return strawberry.ID(ids.encode("Licence", self.licence_id))

    @strawberry.field(description="Why the position was REFUSED (its code and `path`); null otherwise.")
    @inline
    def error(self) -> ReadingError | None:
        return _error(self)
