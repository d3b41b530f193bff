"""The webhooks context's use cases, as the API, the worker and the composition root call them."""
from domain.webhooks.delivery import deliver  # noqa: F401
from domain.webhooks.dispatch import dispatch, schedule_dispatch  # noqa: F401
from domain.webhooks.housekeeping import purge, schedule_purge  # noqa: F401
from domain.webhooks.manual import ping_webhook, redeliver  # noqa: F401
from domain.webhooks.registration import (  # noqa: F401
    UNSET,
    DocumentCheck,
    Registered,
    create_webhook,
    delete_webhook,
    deliveries_by_ids,
    deliveries_page,
    update_webhook,
    webhooks_by_ids,
    webhooks_page,
)


async def schedule(session) -> None:
    """What every worker queues when it starts: the hourly purge, and a dispatcher run (which
    keeps itself going while a live webhook exists)."""
    await schedule_purge(session)
    await schedule_dispatch(session)
