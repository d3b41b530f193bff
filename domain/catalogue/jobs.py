"""The catalogue's jobs: running a started product import."""
from __future__ import annotations

from domain.catalogue.imports import JOB_KIND, handle_job
from domain.jobs.registry import JobContext, PermanentFailure, Registry

handlers = Registry()


@handlers.register(JOB_KIND)
async def import_products(ctx: JobContext) -> None:
    """Runs a started staged product import (`startProductImport`). It commits batch by batch on
    its own connections and resumes after its last committed batch, so a retry never imports a
    row twice."""
    if ctx.database is None:
        raise PermanentFailure("A product import needs the worker's database.")
    await handle_job(ctx.database, ctx.job.payload)
