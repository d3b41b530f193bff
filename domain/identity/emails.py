"""E-mail addresses: syntax checked and normalized with email-validator (no DNS lookups)."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from domain.identity.errors import IdentityErrorCode
from domain.shared.errors import InvalidInput

MAX_LENGTH = 254


def normalize(email: str, field: list[str] | None = None) -> str:
    field = field or ["input", "email"]
    if len(email) > MAX_LENGTH:
        raise InvalidInput(f"An e-mail address has at most {MAX_LENGTH} characters.", code=IdentityErrorCode.EMAIL_INVALID, field=field)
    try:
        # strict: a local part over 64 characters (RFC 5321) cannot be delivered to.
        return validate_email(email.strip(), check_deliverability=False, strict=True).normalized
    except EmailNotValidError as error:
        raise InvalidInput(f"This is not a valid e-mail address: {error}", code=IdentityErrorCode.EMAIL_INVALID, field=field) from None
