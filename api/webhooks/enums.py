"""Enums of webhooks."""
from api.core.enums import graphql_enum
from domain.webhooks import statuses

WebhookEventType = graphql_enum(statuses.WebhookEventType, description="Platform events a webhook subscribes to: ORDER_PLACED (a seller hears of orders with lines of its offers), ORDER_UPDATED (administrators only: status, shipments, refunds of an order), SHIPMENT_CREATED, SHIPMENT_UPDATED (tracking added, delivered; the shipment's seller), REFUND_CREATED, RETURN_REQUESTED (the sellers of the items), OFFER_OUT_OF_STOCK (its seller), REVIEW_CREATED (the sellers with a live offer of the reviewed product).")
WebhookDeliveryStatus = graphql_enum(statuses.WebhookDeliveryStatus, description="Where a delivery stands: PENDING (being tried, or waiting for its next try), SUCCEEDED (the endpoint answered 2xx), FAILED (refused for 24 hours, or the webhook was disabled meanwhile; `redeliverWebhookDelivery` tries again).")
