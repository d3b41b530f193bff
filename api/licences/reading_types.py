"""Reading sync GraphQL types: where a customer is in a title, and their annotations. Both are
their owner's alone (administrators included, nobody else reads them)."""
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.enums import graphql_enum
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.scalars import UUID
from domain.licences import service as licences
from domain.licences import statuses as licences_statuses

if TYPE_CHECKING:
    from api.identity.types import Device

DeviceType = Annotated["Device", strawberry.lazy("api.identity.types")]


AnnotationKind = graphql_enum(licences_statuses.AnnotationKind, description="What an annotation is: BOOKMARK (a place to come back to), HIGHLIGHT (a marked passage, with its text), NOTE (the reader's own text on a passage).")


AnnotationOutcome = graphql_enum(licences_statuses.AnnotationOutcome, description="What became of one annotation change: APPLIED (it is the stored version now; an identical retry is APPLIED too), STALE (a newer write of that annotation is kept, from another device or later in the same batch: adopt the stored version from `annotations`).")


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
    client_updated_at: datetime.datetime = strawberry.field(description="When this version was written, by the writing device's clock (UTC): the newest version wins.")
    created_at: datetime.datetime = strawberry.field(description="When the server first stored it (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When the server last changed it (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, licences.Annotation))

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


@strawberry.type(description="What became of one change sent to `syncAnnotations`.")
class AnnotationChangeResult:
    id: UUID = strawberry.field(description="The annotation's UUID (`Annotation.uuid`), whichever of its IDs was sent.")
    outcome: AnnotationOutcome = strawberry.field(description="Whether the change is the stored version now.")
