"""The licences context's use cases, as other contexts and the API call them.

Issuing, revoking and expiring licences run in the caller's transaction (ordering issues
licences when it captures a digital shipment). Using a licence on a device is its owner's
alone. The library and its sync are the signed-in customer's own."""
from domain.licences.activation import activate_licence, deactivate_licence  # noqa: F401
from domain.licences.issuance import expire_licences, issue_licences, revoke_licence  # noqa: F401
from domain.licences.library import (  # noqa: F401
    SYNC_PAGE_DEFAULT,
    SYNC_PAGE_MAX,
    activations_for_licences,
    library_sync,
    licences_by_ids,
    my_library,
    read_sync_token,
    sync_token,
)
