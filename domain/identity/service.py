"""The identity context's use cases, as other contexts and the API call them."""
from domain.identity.accounts import (  # noqa: F401
    accounts_by_ids,
    change_password,
    email_of,
    register,
    request_password_reset,
    reset_password,
)
from domain.identity.devices import active_devices, deregister, devices_by_ids, rename  # noqa: F401
from domain.identity.devices import register as register_device  # noqa: F401
from domain.identity.roles import create_admin, grant, revoke  # noqa: F401
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
