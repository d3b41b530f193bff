"""Reading sync mutations: a device sends what it recorded (often a batch from a stretch
offline); each batch is one transaction, applied whole or not at all."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.licences.reading_errors import ReadingError, ReadingErrorCode
from api.licences.reading_inputs import SyncAnnotationsInput, UpdateReadingStateInput
from api.licences.reading_types import Annotation, AnnotationChangeResult, ReadingState
from domain.licences import service as licences


@strawberry.type(description="Result of `updateReadingState`.")
class UpdateReadingStatePayload:
    reading_states: list[ReadingState] | None = strawberry.field(description="The reading state of each title named, as stored now (by licence id); null on failure.")
    user_errors: list[ReadingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `syncAnnotations`.")
class SyncAnnotationsPayload:
    results: list[AnnotationChangeResult] | None = strawberry.field(description="What became of each change, in the order sent; null on failure.")
    annotations: list[Annotation] | None = strawberry.field(description="The stored version of each annotation named (deleted ones included), once each: adopt these. Null on failure.")
    user_errors: list[ReadingError] = strawberry.field(description="Why it failed; nothing was changed.")


def _device(global_id: str) -> int:
    return ids.decode_as(global_id, "Device", "input.deviceId")


@strawberry.type
class ReadingMutation:
    @strawberry.mutation(description="Report where a device is (or was, while offline) in your titles: 1 to 500 positions, applied all or none. Per title, the newest position by the device's clock becomes the last position unless a newer one is stored (an older report never replaces it), and the furthest position is the largest ever reported. Your own ACTIVE licences, from a device registered to your account. Requires sign-in.")
    async def update_reading_state(self, info: Info, input: Annotated[UpdateReadingStateInput, MutationInput]) -> UpdateReadingStatePayload:
        device_id = _device(input.device_id)
        writes = [licences.PositionWrite(ids.decode_as(s.licence_id, "Licence", "input.states.licenceId"),
                                         s.position, s.client_time) for s in input.states]
        states, errors = await run(info, lambda s, viewer: licences.update_reading_states(s, viewer, device_id, writes),
                                   ReadingError, ReadingErrorCode)
        return UpdateReadingStatePayload(reading_states=states, user_errors=errors)

    @strawberry.mutation(description="Send a device's bookmark, highlight and note changes (1 to 1,000, applied all or none). Per annotation the newest change by the writing device's clock wins (equal times: the higher device id); a deletion is kept as a tombstone that older edits cannot undo; changes to different annotations never touch each other. Your own ACTIVE licences, from a device registered to your account. Requires sign-in.")
    async def sync_annotations(self, info: Info, input: Annotated[SyncAnnotationsInput, MutationInput]) -> SyncAnnotationsPayload:
        device_id = _device(input.device_id)
        changes = [licences.AnnotationChange(
            id=ids.decode_uuid(c.id, "Annotation", "input.changes.id"),
            licence_id=ids.decode_as(c.licence_id, "Licence", "input.changes.licenceId"), kind=c.kind.value,
            start_position=c.start_position, end_position=c.end_position, client_updated_at=c.client_updated_at,
            highlighted_text=c.highlighted_text, note=c.note, deleted=c.deleted) for c in input.changes]
        synced, errors = await run(info, lambda s, viewer: licences.sync_annotations(s, viewer, device_id, changes),
                                   ReadingError, ReadingErrorCode)
        if synced is None:
            return SyncAnnotationsPayload(results=None, annotations=None, user_errors=errors)
        return SyncAnnotationsPayload(results=synced.results, annotations=synced.annotations, user_errors=errors)
