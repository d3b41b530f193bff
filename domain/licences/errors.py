"""Codes of the licences context's errors: one enum per group of mutations (licences, reading
sync, downloads, playback), each in the order clients see it, and one home for the codes of a
licence that cannot be used now, which every group acting on a licence returns."""
from enum import StrEnum

from domain.identity.errors import IdentityErrorCode
from domain.payments.errors import PaymentErrorCode
from domain.shared.errors import CommonErrorCode


class LicenceStateErrorCode(StrEnum):
    """Why a licence cannot be used now. Activating, reading sync, downloads, playback, lending
    and returning an e-book all refuse such a licence with these codes; each family of
    mutations names the ones it returns (`shared` of its `error_codes` in the API) instead of
    copying them into its own enum."""

    LICENCE_REVOKED = "LICENCE_REVOKED"
    LICENCE_EXPIRED = "LICENCE_EXPIRED"
    LICENCE_SUSPENDED = "LICENCE_SUSPENDED"


class LicenceErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    DEVICE_NOT_REGISTERED = "DEVICE_NOT_REGISTERED"
    DEVICE_LIMIT_REACHED = IdentityErrorCode.DEVICE_LIMIT_REACHED


class ReadingErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    CONTENT_UNAVAILABLE = "CONTENT_UNAVAILABLE"
    DEVICE_NOT_REGISTERED = LicenceErrorCode.DEVICE_NOT_REGISTERED
    POSITION_OUT_OF_RANGE = "POSITION_OUT_OF_RANGE"
    POSITIONS_NOT_ORDERED = "POSITIONS_NOT_ORDERED"
    CLIENT_TIME_INVALID = "CLIENT_TIME_INVALID"
    TEXT_TOO_LONG = "TEXT_TOO_LONG"
    ANNOTATION_ID_CONFLICT = "ANNOTATION_ID_CONFLICT"


class DownloadErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    DEVICE_NOT_REGISTERED = LicenceErrorCode.DEVICE_NOT_REGISTERED
    LICENCE_NOT_ACTIVATED = "LICENCE_NOT_ACTIVATED"
    NOT_DOWNLOADABLE = "NOT_DOWNLOADABLE"


class PlaybackErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    NOT_PLAYABLE = "NOT_PLAYABLE"
    DEVICE_NOT_REGISTERED = LicenceErrorCode.DEVICE_NOT_REGISTERED
    LICENCE_NOT_ACTIVATED = DownloadErrorCode.LICENCE_NOT_ACTIVATED
    NOT_DOWNLOADABLE = DownloadErrorCode.NOT_DOWNLOADABLE
    PLAYBACK_NOT_STARTED = "PLAYBACK_NOT_STARTED"
    NOT_CAPTURED = PaymentErrorCode.NOT_CAPTURED
    REFUND_EXCEEDS_CAPTURED = PaymentErrorCode.REFUND_EXCEEDS_CAPTURED


class LibraryErrorCode(StrEnum):
    """Reasons of a BAD_USER_INPUT error of a library query (never a `userError`)."""

    SYNC_TOKEN_INVALID = "SYNC_TOKEN_INVALID"


class MembershipTitleErrorCode(StrEnum):
    """Why the library refuses to lend or take back a title of the membership library (the
    membership's own refusal, NOT_A_MEMBER, is the subscriptions context's)."""

    NOT_INCLUDED = "NOT_INCLUDED"
    BORROW_LIMIT_REACHED = "BORROW_LIMIT_REACHED"
    ALREADY_IN_LIBRARY = "ALREADY_IN_LIBRARY"
    NOT_BORROWED = "NOT_BORROWED"
