"""The webhook mutations' error type and codes, and the helper every webhook mutation shares."""
from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from domain.webhooks import errors as webhook_errors

WebhookErrorCode = error_codes(webhook_errors.WebhookErrorCode, description="""Stable codes of webhook `userErrors` (a refused mutation changes nothing):
INVALID (no event types), NOT_FOUND (no such webhook or delivery of yours: another seller's does not exist for you),
WEBHOOK_URL_INVALID (not an absolute URL with a host, with a user name or fragment, or a host that does not resolve),
WEBHOOK_ADDRESS_NOT_ALLOWED (http outside development, or a host resolving to a private, loopback, link-local or reserved
address), WEBHOOK_EVENT_NOT_ALLOWED (a seller's webhook cannot subscribe to ORDER_UPDATED), WEBHOOK_QUERY_INVALID (the
payload document does not parse or validate, is not one subscription selecting `event`, or selects an event type the
webhook does not subscribe to), WEBHOOK_FIELD_NOT_ALLOWED (the document selects what the webhook's owner may not see,
e.g. a customer's order or e-mail for a seller's webhook), WEBHOOK_SECRET_INVALID, TOO_MANY_WEBHOOKS (20 per seller, and 20
platform ones), WEBHOOK_DISABLED (turn the webhook back on first).""")


@strawberry.type(description="Why a webhook mutation failed.")
class WebhookError(UserError):
    code: UserErrorCode = WebhookErrorCode.field()


async def run_webhook(info: Info, use_case):
    return await run(info, use_case, WebhookError, WebhookErrorCode)
