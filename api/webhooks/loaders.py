"""Webhook loaders: webhooks and deliveries by id (only those the caller manages), and pages of
a webhook's delivery log."""
from api.core.dataloaders import keyed_for_viewer
from domain.webhooks import service as webhooks

FACTORIES = {
    "webhook_by_id": keyed_for_viewer(webhooks.webhooks_by_ids),
    "webhook_delivery_by_id": keyed_for_viewer(webhooks.deliveries_by_ids),
}
