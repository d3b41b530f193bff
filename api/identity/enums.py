"""Identity enums."""

from api.core.enums import error_codes, graphql_enum
from domain.identity import errors as identity_errors
from domain.identity import statuses as identity_statuses

ClientKind = graphql_enum(identity_statuses.ClientKind, description="The kind of client a session or device is: WEB (a browser), MOBILE (a phone or tablet app), EREADER (a Kindle-style reading device).")

Role = graphql_enum(identity_statuses.Role, description="What a caller may do: ANONYMOUS (not signed in), CUSTOMER (any signed-in account), SELLER_STAFF (manages one or more sellers' offers), BRAND_OWNER (owns a registered brand), ADMIN (operates the platform).")


IdentityErrorCode = error_codes(identity_errors.IdentityErrorCode, description="""Stable codes of identity `userErrors`:
INVALID (malformed input), EMAIL_INVALID, PASSWORD_TOO_SHORT (under 10 characters), PASSWORD_TOO_LONG (over 128),
PASSWORD_TOO_WEAK (common, too few distinct characters, or contains the e-mail name), DISPLAY_NAME_INVALID,
INVALID_CREDENTIALS (wrong e-mail or password; the two are never told apart), THROTTLED (too many failed sign-ins:
wait `retryAfterSeconds`), REFRESH_TOKEN_INVALID, REFRESH_TOKEN_REUSED (the token was already spent, so the session
was revoked), SESSION_REVOKED, SESSION_EXPIRED, WRONG_PASSWORD (the current password in changePassword),
RESET_TOKEN_INVALID, RESET_TOKEN_EXPIRED, NOT_FOUND (no such session, device or address on your account),
DEVICE_NAME_INVALID, SERIAL_NUMBER_INVALID, DEVICE_LIMIT_REACHED (20 active devices), ADDRESS_INVALID (a field the
country requires is missing or malformed; see `field`), ADDRESS_LIMIT_REACHED (50 addresses), COUNTRY_NOT_SUPPORTED
(we do not ship to that country).""")
