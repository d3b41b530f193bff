"""The composition root of the job handlers: every context's jobs, in the one registry the
worker runs (`tributary worker`, the worker beside the server, and the tests).

Each context keeps the handlers of the jobs it queues in its own `jobs.py`; this module is
the only one that knows them all, so the job queue (`domain.jobs`) depends on none of them."""
from __future__ import annotations

from domain.catalogue import jobs as catalogue_jobs
from domain.idempotency import jobs as idempotency_jobs
from domain.jobs import email as email_jobs
from domain.jobs.registry import Registry
from domain.licences import jobs as licences_jobs
from domain.marketplace import jobs as marketplace_jobs
from domain.orders import jobs as orders_jobs
from domain.recommendations import jobs as recommendations_jobs
from domain.subscriptions import jobs as subscriptions_jobs


def job_registry() -> Registry:
    """Every job kind's handler. A fresh registry each call, so a caller may add its own
    handlers (tests, plug-ins) without changing anyone else's."""
    return Registry.merged(email_jobs.handlers, catalogue_jobs.handlers, idempotency_jobs.handlers,
                           licences_jobs.handlers, marketplace_jobs.handlers, orders_jobs.handlers, subscriptions_jobs.handlers,
                           recommendations_jobs.handlers)
