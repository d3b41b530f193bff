"""Licence enums."""

from api.core.enums import error_codes, graphql_enum
from domain.licences import errors as licences_errors
from domain.licences import statuses as licences_statuses

LicenceKind = graphql_enum(licences_statuses.LicenceKind, description="How a licence was granted: PURCHASE (bought; kept for good unless refunded), RENTAL (a video rented: playable for a window once started, and only if started before its deadline), MEMBERSHIP (through a membership such as Prime, while it lasts), LOAN (an e-book another customer lent you: readable until the loan ends, see `Licence.loan`).")

LicenceStatus = graphql_enum(licences_statuses.LicenceStatus, description="Whether a licence may be used: ACTIVE (readable or playable on up to `deviceLimit` devices), REVOKED (refunded or withdrawn: devices must delete the title), EXPIRED (a rental, membership or borrowed title whose time is over: devices must delete the title), SUSPENDED (an e-book you lent: unreadable until the loan ends, then ACTIVE again; devices keep the title but must not open it).")


LibraryChangeKind = graphql_enum(licences_statuses.LibraryChangeKind, description="What changed in a library: LICENCE_ADDED (a title bought or granted: add it), LICENCE_REVOKED (refunded or withdrawn: delete it from the device), LICENCE_EXPIRED (a rental, membership or borrowed title is over: delete it), LICENCE_SUSPENDED (an e-book you lent: keep it but do not open it until reinstated), LICENCE_REINSTATED (a lent e-book came back: it can be read again), METADATA_CHANGED (the title, authors, cover or content changed, or a rental's play window started: refresh it), READING_STATE_CHANGED (the reading position moved on another device), ANNOTATION_CHANGED (a bookmark, highlight or note changed on another device).")

LICENCE_STATES = tuple(licences_errors.LicenceStateErrorCode)

LicenceErrorCode = error_codes(licences_errors.LicenceErrorCode, shared=LICENCE_STATES, description="""Stable codes of licence `userErrors` (a refused mutation changes nothing):
INVALID (malformed input), NOT_FOUND (no such licence in your library, or no such device on your account: another
customer's licence or device does not exist for you), LICENCE_REVOKED (the licence was revoked, e.g. refunded: it
can no longer go on a device), LICENCE_EXPIRED (the rental or membership title is over), LICENCE_SUSPENDED (the e-book is lent to someone
else: it comes back when the loan ends), DEVICE_NOT_REGISTERED (the
device was deregistered; register it again first), DEVICE_LIMIT_REACHED (the licence is on `deviceLimit` devices
already; take it off one with deactivateLicence, or deregister a device).""")
