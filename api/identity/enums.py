"""Identity enums."""
from enum import Enum

import strawberry


@strawberry.enum(description="The kind of client a session or device is: WEB (a browser), MOBILE (a phone or tablet app), EREADER (a Kindle-style reading device).")
class ClientKind(str, Enum):
    WEB = "WEB"
    MOBILE = "MOBILE"
    EREADER = "EREADER"


@strawberry.enum(description="What a caller may do: ANONYMOUS (not signed in), CUSTOMER (any signed-in account), SELLER_STAFF (manages one or more sellers' offers), BRAND_OWNER (owns a registered brand), ADMIN (operates the platform).")
class Role(str, Enum):
    ANONYMOUS = "ANONYMOUS"
    CUSTOMER = "CUSTOMER"
    SELLER_STAFF = "SELLER_STAFF"
    BRAND_OWNER = "BRAND_OWNER"
    ADMIN = "ADMIN"


@strawberry.enum(description="""Stable codes of identity `userErrors`:
INVALID (malformed input), EMAIL_INVALID, PASSWORD_TOO_SHORT (under 10 characters), PASSWORD_TOO_LONG (over 128),
PASSWORD_TOO_WEAK (common, too few distinct characters, or contains the e-mail name), DISPLAY_NAME_INVALID,
INVALID_CREDENTIALS (wrong e-mail or password; the two are never told apart), THROTTLED (too many failed sign-ins:
wait `retryAfterSeconds`), REFRESH_TOKEN_INVALID, REFRESH_TOKEN_REUSED (the token was already spent, so the session
was revoked), SESSION_REVOKED, SESSION_EXPIRED, WRONG_PASSWORD (the current password in changePassword),
RESET_TOKEN_INVALID, RESET_TOKEN_EXPIRED, NOT_FOUND (no such session, device or address on your account),
DEVICE_NAME_INVALID, SERIAL_NUMBER_INVALID, DEVICE_LIMIT_REACHED (20 active devices), ADDRESS_INVALID (a field the
country requires is missing or malformed; see `field`), ADDRESS_LIMIT_REACHED (50 addresses), COUNTRY_NOT_SUPPORTED
(we do not ship to that country).""")
class IdentityErrorCode(str, Enum):
    INVALID = "INVALID"
    EMAIL_INVALID = "EMAIL_INVALID"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"
    PASSWORD_TOO_LONG = "PASSWORD_TOO_LONG"
    PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK"
    DISPLAY_NAME_INVALID = "DISPLAY_NAME_INVALID"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    THROTTLED = "THROTTLED"
    REFRESH_TOKEN_INVALID = "REFRESH_TOKEN_INVALID"
    REFRESH_TOKEN_REUSED = "REFRESH_TOKEN_REUSED"
    SESSION_REVOKED = "SESSION_REVOKED"
    SESSION_EXPIRED = "SESSION_EXPIRED"
    WRONG_PASSWORD = "WRONG_PASSWORD"
    RESET_TOKEN_INVALID = "RESET_TOKEN_INVALID"
    RESET_TOKEN_EXPIRED = "RESET_TOKEN_EXPIRED"
    NOT_FOUND = "NOT_FOUND"
    DEVICE_NAME_INVALID = "DEVICE_NAME_INVALID"
    SERIAL_NUMBER_INVALID = "SERIAL_NUMBER_INVALID"
    DEVICE_LIMIT_REACHED = "DEVICE_LIMIT_REACHED"
    ADDRESS_INVALID = "ADDRESS_INVALID"
    ADDRESS_LIMIT_REACHED = "ADDRESS_LIMIT_REACHED"
    COUNTRY_NOT_SUPPORTED = "COUNTRY_NOT_SUPPORTED"
