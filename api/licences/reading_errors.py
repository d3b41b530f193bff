"""Reading sync errors: the code enum and the `userErrors` type of its mutations."""

import strawberry

from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from domain.licences import errors as licences_errors

ReadingErrorCode = error_codes(licences_errors.ReadingErrorCode, description="""Stable codes of reading sync `userErrors` (a refused batch changes nothing, not even
its valid entries; `field` points at the entry at fault, e.g. ["input", "states", "3", "position"]):
INVALID (malformed input, e.g. an empty batch), BATCH_TOO_LARGE (more than 500 positions or 1,000 annotation changes in
one call: send them in several calls), NOT_FOUND (no such licence in your library: it does not exist or is another
customer's), LICENCE_REVOKED (the licence was revoked, e.g. refunded: it can no longer be synced), LICENCE_EXPIRED (the
licence expired, e.g. a rental past its window), LICENCE_SUSPENDED (the e-book is lent to someone else until the
loan ends), CONTENT_UNAVAILABLE (the title has no readable content to keep
positions in), DEVICE_NOT_REGISTERED (the device is not registered to your account, or was deregistered: register it
first), POSITION_OUT_OF_RANGE (a position is outside 0 to the title's number of locations), POSITIONS_NOT_ORDERED (an
annotation's start position is after its end position), CLIENT_TIME_INVALID (the device's clock is more than 5 minutes
ahead of the server's, or not set (before 1970): set the clock and send again), TEXT_TOO_LONG (a note or highlighted text is over 10,000
characters), ANNOTATION_ID_CONFLICT (the annotation id belongs to an annotation of another title: annotations never
move between titles, give a new one a new UUID).""")


@strawberry.type(description="An expected failure of a reading sync mutation; nothing of the batch was applied.")
class ReadingError(UserError):
    code: UserErrorCode = ReadingErrorCode.field()
