"""The composition root: every context's job handlers in one registry, under the job kinds
already stored in the `jobs` table."""
import pytest

from domain.bootstrap import job_registry
from domain.jobs.registry import Registry


def test_the_worker_registry_holds_every_contexts_jobs_under_their_stored_kinds():
    assert job_registry().kinds() == [
        "catalogue.import", "catalogue.release_date_changed", "email.send", "idempotency.purge",
        "licences.end_ebook_loans", "licences.expire_rental", "marketplace.brand_campaign.batch",
        "marketplace.brand_campaign.start", "ordering.place_subscription_deliveries",
        "ordering.release_preorders", "recommendations.purge_guest_histories", "recommendations.train",
        "subscriptions.renew_memberships", "webhooks.deliver", "webhooks.dispatch", "webhooks.purge"]


def test_each_call_gives_a_registry_of_its_own():
    extended = job_registry()

    async def handler(ctx):
        pass

    extended.register("tests.extra")(handler)

    assert extended.get("tests.extra") is handler
    assert job_registry().get("tests.extra") is None


def test_a_kind_registered_by_two_contexts_is_refused():
    first, second = Registry(), Registry()

    async def one(ctx):
        pass

    async def other(ctx):
        pass

    first.register("catalogue.import")(one)
    second.register("catalogue.import")(other)

    with pytest.raises(ValueError, match="'catalogue.import' already has a handler"):
        Registry.merged(first, second)
    assert Registry.merged(first).get("catalogue.import") is one
