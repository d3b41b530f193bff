"""Every context's tables, imported once so the metadata is complete (migrations, tests)."""
from domain.carts import tables as carts_tables  # noqa: F401
from domain.catalogue import models as catalogue_models  # noqa: F401
from domain.clients import models as clients_models  # noqa: F401
from domain.events import tables as events_tables  # noqa: F401
from domain.idempotency import models as idempotency_models  # noqa: F401
from domain.identity import models as identity_models  # noqa: F401
from domain.jobs import models as jobs_models  # noqa: F401
from domain.licences import models as licences_models  # noqa: F401
from domain.licences.lending import tables as lending_tables  # noqa: F401
from domain.lists import tables as lists_tables  # noqa: F401
from domain.marketplace import models as marketplace_models  # noqa: F401
from domain.marketplace.campaigns import tables as campaign_tables  # noqa: F401
from domain.orders import tables as orders_tables  # noqa: F401
from domain.payments import models as payments_models  # noqa: F401
from domain.profiles import tables as profiles_tables  # noqa: F401
from domain.questions import tables as questions_tables  # noqa: F401
from domain.recommendations import history_tables  # noqa: F401
from domain.recommendations import tables as recommendations_tables  # noqa: F401
from domain.reviews import tables as reviews_tables  # noqa: F401
from domain.search import models as search_models  # noqa: F401
from domain.search import suggestion_tables as search_suggestion_tables  # noqa: F401
from domain.shared.db import Base
from domain.subscriptions import tables as subscriptions_tables  # noqa: F401
from domain.webhooks import tables as webhooks_tables  # noqa: F401

metadata = Base.metadata
