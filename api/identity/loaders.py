"""Identity loaders. Private data: each batch asks the domain with the caller, which filters
out what the caller may not see."""
from api.dataloaders import keyed
from domain.identity import service as identity


def _for_viewer(fetch):
    def factory(reader, viewer):
        async def load(reader, keys):
            return await fetch(reader, await viewer(), list(keys))
        return keyed(reader, load)
    return factory


FACTORIES = {
    "account_by_id": _for_viewer(identity.accounts_by_ids),
    "session_by_id": _for_viewer(identity.sessions_by_ids),
    "device_by_id": _for_viewer(identity.devices_by_ids),
    "devices_by_account": _for_viewer(identity.active_devices_by_accounts),
    "address_by_id": _for_viewer(identity.addresses_by_ids),
    "addresses_by_account": _for_viewer(identity.addresses_by_accounts),
}
