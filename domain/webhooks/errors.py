"""Codes of the `userErrors` of the webhook mutations (registering, changing, deleting, pinging
and redelivering)."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class WebhookErrorCode(StrEnum):
    """Codes of the webhook mutations' `userErrors`, in the order clients see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    WEBHOOK_URL_INVALID = "WEBHOOK_URL_INVALID"
    WEBHOOK_ADDRESS_NOT_ALLOWED = "WEBHOOK_ADDRESS_NOT_ALLOWED"
    WEBHOOK_EVENT_NOT_ALLOWED = "WEBHOOK_EVENT_NOT_ALLOWED"
    WEBHOOK_QUERY_INVALID = "WEBHOOK_QUERY_INVALID"
    WEBHOOK_FIELD_NOT_ALLOWED = "WEBHOOK_FIELD_NOT_ALLOWED"
    WEBHOOK_SECRET_INVALID = "WEBHOOK_SECRET_INVALID"
    TOO_MANY_WEBHOOKS = "TOO_MANY_WEBHOOKS"
    WEBHOOK_DISABLED = "WEBHOOK_DISABLED"
