"""Identity loaders. Private data: each batch asks the domain with the caller, which filters
out what the caller may not see."""
from api.core.dataloaders import keyed_for_viewer
from domain.identity import service as identity

FACTORIES = {
    "account_by_id": keyed_for_viewer(identity.accounts_by_ids),
    "session_by_id": keyed_for_viewer(identity.sessions_by_ids),
    "device_by_id": keyed_for_viewer(identity.devices_by_ids),
    "devices_by_account": keyed_for_viewer(identity.active_devices_by_accounts),
    "address_by_id": keyed_for_viewer(identity.addresses_by_ids),
    "addresses_by_account": keyed_for_viewer(identity.addresses_by_accounts),
}
