"""Reading sync mutation inputs."""
import datetime

import strawberry

from api.core import ids
from api.licences.reading_types import CLIENT_TIME_RENAMED, AnnotationKind

DEVICE_ID = "Global ID of the device sending the batch: registered to your account (`registerDevice`) and not deregistered."
LICENCE_ID = "Global ID of a licence in your library (ACTIVE)."


@strawberry.input(description="A position the device was at in a title, by its own clock.")
class ReadingPositionInput:
    licence_id: strawberry.ID = strawberry.field(description=LICENCE_ID)
    position: int = strawberry.field(description="The position (location), 0 to the title's number of locations.")
    client_time: datetime.datetime = strawberry.field(description="When the device was there, by its own clock (with `Z` or an offset: a time without one is refused); not before 1970 nor more than 5 minutes ahead of the server's clock. The newest wins as the last position (equal times: the larger device ID, see `syncAnnotations`).")


@strawberry.input(description="Positions a device reports, e.g. all it recorded while offline.")
class UpdateReadingStateInput:
    device_id: strawberry.ID = strawberry.field(description=DEVICE_ID)
    states: list[ReadingPositionInput] = strawberry.field(description="1 to 500 positions, for any of your titles, in any order (the same title several times is fine); each gets its own result, a position at fault is refused alone.")


@strawberry.input(description="One annotation as the device has it now, or its deletion.")
class AnnotationChangeInput:
    id: strawberry.ID = strawberry.field(
        description="The annotation: the UUID the device that created it made (`Annotation.uuid`; a new annotation"
                    " has only this), or its global ID (`Annotation.id`). The same annotation for every later change.",
        metadata={ids.TAKES_UUID: True})
    licence_id: strawberry.ID = strawberry.field(description=LICENCE_ID)
    kind: AnnotationKind = strawberry.field(description="What it is.")
    start_position: int = strawberry.field(description="Where it starts: 0 to the title's number of locations.")
    end_position: int = strawberry.field(description="Where it ends: `startPosition` to the title's number of locations.")
    highlighted_text: str = strawberry.field(default="", description="The highlighted passage, at most 10,000 characters.")
    note: str = strawberry.field(default="", description="The reader's note, at most 10,000 characters.")
    deleted: bool = strawberry.field(default=False, description="True to delete it (it stays as a tombstone, its texts cleared).")
    client_time: datetime.datetime | None = strawberry.field(default=None, description="When the device made this change, by its own clock (with `Z` or an offset: a time without one is refused); not before 1970 nor more than 5 minutes ahead of the server's clock. The newest change of an annotation wins. Required (or the former `clientUpdatedAt`).")
    client_updated_at: datetime.datetime | None = strawberry.field(default=None, description="The former name of `clientTime`; when both are given they must be the same time (else INVALID).", deprecation_reason=CLIENT_TIME_RENAMED)


@strawberry.input(description="Annotation changes a device sends, e.g. all it made while offline.")
class SyncAnnotationsInput:
    device_id: strawberry.ID = strawberry.field(description=DEVICE_ID)
    changes: list[AnnotationChangeInput] = strawberry.field(description="1 to 1,000 changes, for any of your titles; each gets its own result, a change at fault is refused alone.")
