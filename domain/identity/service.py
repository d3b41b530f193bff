"""The identity context's use cases, as other contexts and the API call them."""
from domain.identity.accounts import (  # noqa: F401
    accounts_by_ids,
    change_display_name,
    change_password,
    email_of,
    emails_of,
    register,
    register_hashed,
    request_password_reset,
    reset_password,
)
from domain.identity.addresses import (  # noqa: F401
    AddressFields,
    addresses_by_accounts,
    addresses_by_ids,
)
from domain.identity.addresses import create as create_address  # noqa: F401
from domain.identity.addresses import delete as delete_address  # noqa: F401
from domain.identity.addresses import set_default as set_default_address  # noqa: F401
from domain.identity.addresses import update as update_address  # noqa: F401
from domain.identity.addresses import validated as validate_address  # noqa: F401
from domain.identity.countries import COUNTRIES as SUPPORTED_COUNTRIES  # noqa: F401
from domain.identity.devices import (  # noqa: F401
    active_devices,
    active_devices_by_accounts,
    deregister,
    devices_by_ids,
    rename,
)
from domain.identity.devices import register as register_device  # noqa: F401
from domain.identity.emails import normalize as normalize_email  # noqa: F401
from domain.identity.roles import create_admin, grant, principal_for_account, revoke  # noqa: F401
from domain.identity.sessions import (  # noqa: F401
    active_sessions,
    count_active_sessions,
    principal_for_token,
    refresh,
    revoke_sessions,
    sessions_by_ids,
    sign_in,
    sign_out,
    sign_out_everywhere,
    start,
)
from domain.identity.sessions import revoke as revoke_session  # noqa: F401
from domain.identity.tokens import signing_key  # noqa: F401
