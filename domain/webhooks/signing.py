"""How a delivery is signed, so its receiver knows it came from us, unchanged and recently.

`Tributary-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's
secret>`. The timestamp is inside the signed text, so a receiver that rejects timestamps older
than a few minutes cannot be fed a captured delivery again (replay). Receivers compare the
digest in constant time. docs/webhooks.md shows the check in a few lines of Python."""
from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Tributary-Signature"
EVENT_ID_HEADER = "Tributary-Event-Id"
EVENT_TYPE_HEADER = "Tributary-Event-Type"
DELIVERY_ID_HEADER = "Tributary-Delivery-Id"
WEBHOOK_ID_HEADER = "Tributary-Webhook-Id"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
