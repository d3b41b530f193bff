"""Reading sync mutations: a device sends what it recorded (often a batch from a stretch
offline); each batch is one transaction, and each entry gets its own result."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.errors import user_errors
from api.core.mutations import run
from api.licences.reading_errors import ReadingError, ReadingErrorCode
from api.licences.reading_inputs import SyncAnnotationsInput, UpdateReadingStateInput
from api.licences.reading_types import Annotation, AnnotationChangeResult, ReadingPositionResult, ReadingState
from domain.licences import service as licences

USER_ERRORS = ("Why the batch was refused (then nothing was changed and `results` is null), or else the error of each"
               " REFUSED entry, in order (also in `results`): a client that drops the entry at fault and sends the"
               " rest again stays correct, the resent entries being identical retries.")


@strawberry.type(description="Result of `updateReadingState`.")
class UpdateReadingStatePayload:
    results: list[ReadingPositionResult] | None = strawberry.field(description="What became of each position, in the order sent; null when the batch was refused.")
    reading_states: list[ReadingState] | None = strawberry.field(description="The reading state of each title of a position not refused, as stored now (by licence id); null when the batch was refused.")
    user_errors: list[ReadingError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of `syncAnnotations`.")
class SyncAnnotationsPayload:
    results: list[AnnotationChangeResult] | None = strawberry.field(description="What became of each change, in the order sent; null when the batch was refused.")
    annotations: list[Annotation] | None = strawberry.field(description="The stored version of each annotation of a change not refused (deleted ones included), once each: adopt these. Null when the batch was refused.")
    user_errors: list[ReadingError] = strawberry.field(description=USER_ERRORS)


def _device(global_id: str) -> int:
    return ids.decode_as(global_id, "Device", "input.deviceId")


def _refusals(synced) -> list[ReadingError]:
    return [error for refusal in synced.refusals for error in user_errors(refusal, ReadingError, ReadingErrorCode)]


@strawberry.type
class ReadingMutation:
    @strawberry.mutation(description="Report where a device is (or was, while offline) in your titles: 1 to 500 positions in one transaction, each with its own result (`results`): APPLIED, STALE or REFUSED with a code (e.g. LICENCE_REVOKED for a title returned meanwhile), a refused position changing nothing and the others still applied. Per title, the newest position by the device's clock becomes the last position unless a newer one is stored (an older report never replaces it; equal times: the larger device ID in byte order), and the furthest position is the largest ever reported. Your own ACTIVE licences, from a device registered to your account. Requires sign-in.")
    async def update_reading_state(self, info: Info, input: Annotated[UpdateReadingStateInput, MutationInput]) -> UpdateReadingStatePayload:
        device_id = _device(input.device_id)
        writes = [licences.PositionWrite(ids.decode_as(s.licence_id, "Licence", "input.states.licenceId"),
                                         s.position, s.client_time) for s in input.states]
        synced, errors = await run(info, lambda s, viewer: licences.update_reading_states(s, viewer, device_id, writes),
                                   ReadingError, ReadingErrorCode)
        if synced is None:
            return UpdateReadingStatePayload(results=None, reading_states=None, user_errors=errors)
        return UpdateReadingStatePayload(results=synced.results, reading_states=synced.states,
                                         user_errors=_refusals(synced))

    @strawberry.mutation(description="Send a device's bookmark, highlight and note changes: 1 to 1,000 in one transaction, each with its own result (`results`): APPLIED, STALE or REFUSED with a code, a refused change changing nothing and the others still applied. Per annotation the newest change by the writing device's clock wins; equal times go to the larger device ID compared byte by byte (`Device.id` strings, as every client can compare them); a deletion is kept as a tombstone that older edits cannot undo; changes to different annotations never touch each other. Your own ACTIVE licences, from a device registered to your account. Requires sign-in.")
    async def sync_annotations(self, info: Info, input: Annotated[SyncAnnotationsInput, MutationInput]) -> SyncAnnotationsPayload:
        device_id = _device(input.device_id)
        changes = [licences.AnnotationChange(
            id=ids.decode_uuid(c.id, "Annotation", "input.changes.id"),
            licence_id=ids.decode_as(c.licence_id, "Licence", "input.changes.licenceId"), kind=c.kind.value,
            start_position=c.start_position, end_position=c.end_position, client_time=c.client_time,
            client_updated_at=c.client_updated_at, highlighted_text=c.highlighted_text, note=c.note,
            deleted=c.deleted) for c in input.changes]
        synced, errors = await run(info, lambda s, viewer: licences.sync_annotations(s, viewer, device_id, changes),
                                   ReadingError, ReadingErrorCode)
        if synced is None:
            return SyncAnnotationsPayload(results=None, annotations=None, user_errors=errors)
        return SyncAnnotationsPayload(results=synced.results, annotations=synced.annotations,
                                      user_errors=_refusals(synced))
