"""The licences' jobs: expiring a rental when its time is over, and the hourly sweep that ends
e-book loans whose time is over."""
from __future__ import annotations

from domain.jobs.registry import JobContext, PermanentFailure, Registry
from domain.licences import service as licences

handlers = Registry()


@handlers.register(licences.EXPIRY_JOB)
async def expire_rental(ctx: JobContext) -> None:
    """Expires a rental whose time is over: queued for its deadline to start when it is
    rented, and for the end of its play window when it is started."""
    licence_id = ctx.job.payload.get("licenceId")
    if not isinstance(licence_id, int):
        raise PermanentFailure("A licences.expire_rental job needs a 'licenceId' integer.")
    await licences.run_expiry_job(ctx.session, licence_id)


@handlers.register(licences.LOAN_SWEEP_JOB)
async def end_ebook_loans(ctx: JobContext) -> None:
    """Ends the loans not accepted in time and those at their end; queues the next run."""
    await licences.run_loan_sweep(ctx.session)
