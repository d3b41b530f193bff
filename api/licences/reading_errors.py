"""Reading sync errors: the code enum, the `userErrors` type of its mutations, and the path of
an error with list indices as numbers."""
import strawberry

from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.scalars import FieldPathSegment
from domain.licences import errors as licences_errors

ReadingErrorCode = error_codes(licences_errors.ReadingErrorCode, shared=tuple(licences_errors.LicenceStateErrorCode), description="""Stable codes of reading sync errors. An error of the batch itself refuses it whole, nothing changed:
INVALID (malformed input, e.g. an empty batch), BATCH_TOO_LARGE (more than 500 positions or 1,000 annotation changes in
one call: send them in several calls), DEVICE_NOT_REGISTERED (the device is not registered to your account, or was
deregistered: register it first). An error of one entry refuses that entry alone (`REFUSED` in `results`, with the error;
`path` points at the entry, e.g. ["input", "states", 3, "position"]): INVALID (no client time, or `clientTime` and
`clientUpdatedAt` disagree), NOT_FOUND (no such licence in your library: it does not exist or is another
customer's), LICENCE_REVOKED (the licence was revoked, e.g. refunded or returned: it can no longer be synced), LICENCE_EXPIRED (the
licence expired, e.g. a rental past its window), LICENCE_SUSPENDED (the e-book is lent to someone else until the
loan ends), CONTENT_UNAVAILABLE (the title has no readable content to keep
positions in), POSITION_OUT_OF_RANGE (a position is outside 0 to the title's number of locations), POSITIONS_NOT_ORDERED (an
annotation's start position is after its end position), CLIENT_TIME_INVALID (the device's clock is more than 5 minutes
ahead of the server's, or not set (before 1970): set the clock and send again), TEXT_TOO_LONG (a note or highlighted text is over 10,000
characters), ANNOTATION_ID_CONFLICT (the annotation id belongs to an annotation of another title: annotations never
move between titles, give a new one a new UUID).""")


@strawberry.type(description="An expected failure of a reading sync mutation: of the whole batch (nothing was applied) or of one entry (that entry was not applied; the others were, see `results`).")
class ReadingError(UserError):
    code: UserErrorCode = ReadingErrorCode.field()

    @strawberry.field(description="Path to the input field at fault with list indices as Int, e.g. [\"input\", \"states\", 3, \"position\"] (`field` spells the index as a String); null when no one field is.")
    def path(self) -> list[FieldPathSegment] | None:
        return None if self.field is None else list(self.field)
